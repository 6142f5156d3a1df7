/** Event sources by name. Each adapter is one module; this file only lists them. */
import { rest } from './rest';
import type { GatewayAdapter, SourceName } from './types';

export const SOURCES: Readonly<Record<SourceName, GatewayAdapter>> = { rest };

/** Every source name, for messages and option validation. */
export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];

export function isSourceName(name: unknown): name is SourceName {
  return typeof name === 'string' && Object.hasOwn(SOURCES, name);
}

/** The adapter for `name`. */
export function adapterFor(name: SourceName): GatewayAdapter {
  return SOURCES[name];
}

export * from './types';
export { toRestEvent, fromRestResult, matchesBinaryMediaType } from './rest';
export { headerValue, essence } from './common';
