/**
 * What each source answers on its own, before any function runs: a request no route matches, and a
 * request over its size limit (GATEWAYS.md §2.7, §3.x, §6.1). Function URLs and ALB target groups route
 * every path to the function, so only API Gateway has a "no route" answer.
 */
import type { HttpResponse, SourceName } from './types';

const MB = 1024 * 1024;

/** The largest request body a source passes on: API Gateway 10 MB, function URLs 6 MB (Lambda's invocation quota), ALB 1 MB. */
export function requestBodyLimit(source: SourceName): number {
  if (source === 'alb' || source === 'alb-multi') return MB;
  if (source === 'url') return 6 * MB;
  return 10 * MB;
}

/** Lambda's synchronous invocation payload quota: the event JSON must fit in it. */
export const LAMBDA_PAYLOAD_LIMIT = 6 * MB;

function json(statusCode: number, body: string, errorType?: string): HttpResponse {
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  if (errorType) headers.push(['x-amzn-ErrorType', errorType]);
  return { statusCode, headers, body: Buffer.from(body) };
}

/** API Gateway's answer when no route matches; undefined for sources that send every request to the function. */
export function noRouteAnswer(source: SourceName): HttpResponse | undefined {
  if (source === 'rest') return json(403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException');
  if (source === 'http' || source === 'http-v1') return json(404, '{"message":"Not Found"}');
  return undefined;
}

/** The source's answer to a request over its limit (or whose event would exceed Lambda's). */
export function tooLargeAnswer(source: SourceName): HttpResponse {
  if (source === 'rest') return json(413, '{"message":"Request Too Long"}');
  if (source === 'alb' || source === 'alb-multi') return { statusCode: 413, headers: [['Content-Type', 'text/html']], body: Buffer.from('<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center></body></html>\n') };
  return json(413, '{"message":"Request Entity Too Large"}');
}
