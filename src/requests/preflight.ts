/**
 * The CORS preflight a browser sends before calling an operation of an HTTP API with CORS configured:
 * `OPTIONS` on the same path, from an allowed origin, naming the method and the request headers a
 * browser cannot send without asking (everything but the CORS-safelisted ones).
 */
import type { Operation } from '../document/model';
import type { CorsConfiguration } from '../gateway/types';
import { essence } from '../gateway/wire';
import type { RequestCase } from './cases';

/** The name of the preflight case in runs, plans and suites. */
export const PREFLIGHT_CASE = 'CORS preflight';

/** Request headers a browser sends without a preflight asking for them (Fetch's CORS-safelisted headers). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);
const SAFELISTED_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Headers the browser itself sets: never named in a preflight. */
const FORBIDDEN = new Set(['host', 'content-length', 'connection', 'user-agent', 'accept-encoding', 'cookie', 'origin', 'referer']);

/** An origin the configuration allows (its first exact one), or a stand-in when every origin is (`*`, wildcards). */
export function preflightOrigin(cors: CorsConfiguration): string {
  const exact = (cors.allowOrigins ?? []).find((o) => !o.includes('*'));
  if (exact) return exact;
  const pattern = (cors.allowOrigins ?? []).find((o) => o !== '*');
  return pattern ? pattern.replace('*', 'app') : 'https://app.example.com';
}

/** Whether the run sends a preflight case for the operation: CORS is configured and the operation is not itself `OPTIONS`. */
export function wantsPreflight(op: Operation, cors: CorsConfiguration | undefined): cors is CorsConfiguration {
  return cors !== undefined && op.method !== 'OPTIONS';
}

/** The preflight a browser sends before `valid` (a valid request of the operation). */
export function preflightCase(op: Operation, valid: RequestCase, cors: CorsConfiguration): RequestCase {
  const asked = new Set<string>();
  for (const [name, value] of valid.request.headers) {
    const lower = name.toLowerCase();
    if (FORBIDDEN.has(lower) || SAFELISTED.has(lower)) continue;
    if (lower === 'content-type' && SAFELISTED_CONTENT_TYPES.has(essence(value))) continue;
    asked.add(lower);
  }
  const headers: Array<[string, string]> = [
    ['Origin', preflightOrigin(cors)],
    ['Access-Control-Request-Method', op.method === 'ANY' ? valid.request.method : op.method],
  ];
  if (asked.size > 0) headers.push(['Access-Control-Request-Headers', [...asked].sort().join(',')]);
  return {
    operationId: op.id,
    name: PREFLIGHT_CASE,
    request: { method: 'OPTIONS', path: valid.request.path, route: op.path, rawQuery: '', headers },
    seed: valid.seed,
    notes: [],
  };
}
