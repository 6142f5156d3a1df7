/** The request behind a verdict, in forms a person reads and a machine replays. */
import type { HttpRequest } from '../gateway/types';
import { bodyPreview } from '../gateway/wire';

/** A request as JSON-safe data: text bodies as text, others as base64. */
export interface SerializedRequest {
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
}

export function serializeRequest(request: HttpRequest): SerializedRequest {
  const out: SerializedRequest = { method: request.method, path: request.path, query: request.rawQuery, headers: request.headers };
  if (request.body !== undefined) {
    const text = request.body.toString('utf8');
    const isText = Buffer.from(text, 'utf8').equals(request.body);
    out.body = isText ? text : request.body.toString('base64');
    out.bodyEncoding = isText ? 'utf8' : 'base64';
  }
  return out;
}

/** One line: `POST /pets?limit=1 {"name":"cat"}` (body cut at 200 characters). */
export function describeRequest(request: HttpRequest): string {
  const query = request.rawQuery ? `?${request.rawQuery}` : '';
  const body = bodyPreview(request.body);
  return `${request.method} ${request.path}${query}${body !== undefined ? ` ${body}` : ''}`;
}
