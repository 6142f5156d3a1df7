/** The event sources by name: each is one module (a profile over the shared result pipeline); this file lists them. */
import { alb, albMulti } from './alb';
import { http } from './http';
import { httpV1 } from './http-v1';
import { jsonAnswer, type EventSource } from './pipeline';
import { rest } from './rest';
import type { HttpResponse, SourceName } from './types';
import { url } from './url';

export const SOURCES: Readonly<Record<SourceName, EventSource>> = { rest, http, 'http-v1': httpV1, url, alb, 'alb-multi': albMulti };

/** Every source name, for messages and option validation. */
export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];

export function isSourceName(name: unknown): name is SourceName {
  return typeof name === 'string' && Object.hasOwn(SOURCES, name);
}

/** The source called `name`: its event, result rules, answers and limits. */
export function sourceFor(name: SourceName): EventSource {
  return SOURCES[name];
}

/**
 * What a client gets for a request no route of a deployment takes: the source's own answer (REST 403
 * Missing Authentication Token, HTTP API 404); for an ALB, whose listener's default action the template
 * configures (and a function URL, which has no routes), the common fixed response: 404.
 */
export function unroutedAnswer(name: SourceName): HttpResponse {
  return SOURCES[name].noRouteAnswer?.() ?? jsonAnswer(404, '{"message":"Not Found"}');
}
