/** Reading an event back: which source sent it, and the HTTP request it carries. */
import type { HttpRequest, SourceName } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The source whose event shape `event` has: ALB (`requestContext.elb`, multi-value when it carries
 * `multiValueHeaders`), payload 2.0 (a function URL's domain is `*.lambda-url.*`, else an HTTP API),
 * HTTP API payload 1.0 (`version: "1.0"`), or REST (`httpMethod`); undefined for anything else.
 *
 * @example
 * sourceOfEvent({ version: '2.0', requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws' } }); // 'url'
 */
export function sourceOfEvent(event: unknown): SourceName | undefined {
  if (!isObj(event)) return undefined;
  const context = isObj(event.requestContext) ? event.requestContext : {};
  if (isObj(context.elb)) return isObj(event.multiValueHeaders) ? 'alb-multi' : 'alb';
  if (event.version === '2.0') return str(context.domainName)?.includes('.lambda-url.') ? 'url' : 'http';
  if (event.version === '1.0') return 'http-v1';
  if (typeof event.httpMethod === 'string') return 'rest';
  return undefined;
}

/** The request an event describes, as far as it tells: method, path, query, headers and body. */
export function requestOfEvent(event: unknown): HttpRequest {
  const e = isObj(event) ? event : {};
  const context = isObj(e.requestContext) ? e.requestContext : {};
  const http = isObj(context.http) ? context.http : {};
  const headers: Array<[string, string]> = [];
  if (isObj(e.multiValueHeaders)) {
    for (const [name, values] of Object.entries(e.multiValueHeaders)) if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') headers.push([name, v]);
  } else if (isObj(e.headers)) {
    for (const [name, value] of Object.entries(e.headers)) if (typeof value === 'string') headers.push([name, value]);
  }
  const method = (str(e.httpMethod) ?? str(http.method) ?? 'GET').toUpperCase();
  const path = str(e.path) ?? str(e.rawPath) ?? '/';
  const request: HttpRequest = { method, path, rawQuery: str(e.rawQueryString) ?? rawQueryOf(e), headers };
  const route = str(e.resource) ?? routeOfKey(str(e.routeKey));
  if (route !== undefined) request.route = route;
  const body = str(e.body);
  if (body !== undefined && body !== '') request.body = Buffer.from(body, e.isBase64Encoded === true ? 'base64' : 'utf8');
  return request;
}

function rawQueryOf(e: Obj): string {
  const multi = isObj(e.multiValueQueryStringParameters) ? e.multiValueQueryStringParameters : undefined;
  const single = isObj(e.queryStringParameters) ? e.queryStringParameters : undefined;
  const pairs: string[] = [];
  if (multi) {
    for (const [k, values] of Object.entries(multi)) if (Array.isArray(values)) for (const v of values) pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  } else if (single) {
    for (const [k, v] of Object.entries(single)) pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return pairs.join('&');
}

function routeOfKey(routeKey: string | undefined): string | undefined {
  if (routeKey === undefined || routeKey === '$default') return undefined;
  const space = routeKey.indexOf(' ');
  return space < 0 ? undefined : routeKey.slice(space + 1);
}
