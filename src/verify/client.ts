/**
 * Responses that already crossed a real (or local) gateway, as HTTP clients hold them: supertest's and
 * superagent's `Response`. The matcher judges them against the contract directly, with no gateway step.
 */
import type { HttpRequest, HttpResponse } from '../gateway/types';

/** The shape of a supertest / superagent response that lambda-contract reads. */
export interface ClientResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text?: string;
  body?: unknown;
  req: { method: string; path: string };
}

/** True for a supertest / superagent response (never for a Lambda result, which has no `req`). */
export function isClientResponse(value: unknown): value is ClientResponseLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const req = v.req as Record<string, unknown> | undefined;
  return typeof v.status === 'number' && typeof v.headers === 'object' && v.headers !== null && typeof req === 'object' && req !== null && typeof req.method === 'string' && typeof req.path === 'string';
}

/** The response's bytes and header lines, and the request line it answered. */
export function fromClientResponse(res: ClientResponseLike): { response: HttpResponse; request: HttpRequest } {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name, v]);
  }
  // superagent keeps text for text-like types and a Buffer body for the rest.
  const body = typeof res.text === 'string' ? Buffer.from(res.text, 'utf8') : Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
  const target = res.req.path;
  const q = target.indexOf('?');
  const request: HttpRequest = { method: res.req.method.toUpperCase(), path: q < 0 ? target : target.slice(0, q), rawQuery: q < 0 ? '' : target.slice(q + 1), headers: [] };
  return { response: { statusCode: res.status, headers, body }, request };
}
