/** Event sources by name. Each adapter is one module; this file only lists them. */
import { alb, albMulti } from './alb';
import { httpV1, rest } from './v1';
import { http, url } from './v2';
import type { GatewayAdapter, SourceName } from './types';

export const SOURCES: Readonly<Record<SourceName, GatewayAdapter>> = { rest, http, 'http-v1': httpV1, url, alb, 'alb-multi': albMulti };

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
export { toRestEvent, fromRestResult, toHttpV1Event, fromHttpV1Result, matchesBinaryMediaType } from './v1';
export { toHttpEvent, fromHttpResult, toUrlEvent, fromUrlResult } from './v2';
export { toAlbEvent, toAlbMultiEvent } from './alb';
export { headerValue, essence } from './common';
