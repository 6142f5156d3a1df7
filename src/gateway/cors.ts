/**
 * An HTTP API's CORS configuration (`x-amazon-apigateway-cors`, SAM `CorsConfiguration`): the gateway
 * answers preflight requests itself, without calling any function, and puts its own
 * `Access-Control-Allow-*` headers on responses to allowed origins — ignoring the ones a function
 * returns. docs/configured-gateway.md records the AWS facts.
 */
import type { CorsConfiguration, HttpRequest, HttpResponse } from './types';
import { headerValue } from './wire';

/** A browser's preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(request: HttpRequest): boolean {
  return request.method === 'OPTIONS' && headerValue(request.headers, 'origin') !== undefined && headerValue(request.headers, 'access-control-request-method') !== undefined;
}

/** Whether `origin` is among the allowed origins (`*` and `https://*.example.com` patterns included). */
export function originAllowed(cors: CorsConfiguration, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  return (cors.allowOrigins ?? []).some((allowed) => {
    if (allowed === '*') return true;
    if (!allowed.includes('*')) return allowed.toLowerCase() === origin.toLowerCase();
    const pattern = new RegExp(`^${allowed.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*')}$`, 'i');
    return pattern.test(origin);
  });
}

function listAllows(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v.toLowerCase() === value.toLowerCase());
}

/** The `Access-Control-Allow-Origin` value for an allowed origin: `*` when every origin is allowed without credentials. */
function allowOriginValue(cors: CorsConfiguration, origin: string): string {
  return (cors.allowOrigins ?? []).includes('*') && !cors.allowCredentials ? '*' : origin;
}

/** What a preflight asks that the configuration does not allow (method, headers), if anything. */
export function preflightRefusal(cors: CorsConfiguration, request: HttpRequest): string | undefined {
  const origin = headerValue(request.headers, 'origin');
  if (!originAllowed(cors, origin)) return `origin ${origin ?? '(none)'} is not in allowOrigins`;
  const method = headerValue(request.headers, 'access-control-request-method') ?? '';
  if (!listAllows(cors.allowMethods, method)) return `method ${method} is not in allowMethods`;
  const asked = (headerValue(request.headers, 'access-control-request-headers') ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  const refused = asked.filter((h) => !listAllows(cors.allowHeaders, h));
  if (refused.length > 0) return `header${refused.length > 1 ? 's' : ''} ${refused.join(', ')} ${refused.length > 1 ? 'are' : 'is'} not in allowHeaders`;
  return undefined;
}

/**
 * The gateway's answer to a preflight: 204, with the allow headers when the origin, method and headers
 * are allowed; without any `Access-Control-*` header otherwise (the browser then refuses the call).
 */
export function preflightAnswer(cors: CorsConfiguration, request: HttpRequest): HttpResponse {
  const headers: Array<[string, string]> = [];
  const origin = headerValue(request.headers, 'origin');
  if (origin !== undefined && preflightRefusal(cors, request) === undefined) {
    headers.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    const methods = cors.allowMethods ?? [];
    if (methods.length > 0) headers.push(['access-control-allow-methods', methods.join(',')]);
    const asked = headerValue(request.headers, 'access-control-request-headers');
    const allowHeaders = cors.allowHeaders ?? [];
    if (allowHeaders.length > 0) headers.push(['access-control-allow-headers', allowHeaders.includes('*') && asked ? asked : allowHeaders.join(',')]);
    if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
  }
  return { statusCode: 204, headers, body: Buffer.alloc(0) };
}

/**
 * A response as the HTTP API sends it under CORS: the function's own `Access-Control-*` headers dropped,
 * the configured ones added when the request's origin is allowed.
 */
export function withCorsHeaders(cors: CorsConfiguration, request: HttpRequest, response: HttpResponse): HttpResponse {
  const headers = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const origin = headerValue(request.headers, 'origin');
  if (origin !== undefined && originAllowed(cors, origin)) {
    headers.push(['access-control-allow-origin', allowOriginValue(cors, origin)]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if ((cors.exposeHeaders ?? []).length > 0) headers.push(['access-control-expose-headers', (cors.exposeHeaders ?? []).join(',')]);
  }
  return { ...response, headers };
}

/** The keys of a CORS configuration as the extension (`allowOrigins`) and CloudFormation / SAM (`AllowOrigins`) write them. */
const SPELLINGS = {
  extension: ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'allowCredentials'],
  cloudformation: ['AllowOrigins', 'AllowMethods', 'AllowHeaders', 'ExposeHeaders', 'MaxAge', 'AllowCredentials'],
} as const;

const listOf = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/**
 * Reads an HTTP API's CORS configuration written either way (`x-amazon-apigateway-cors`, or SAM's and
 * `AWS::ApiGatewayV2::Api`'s `CorsConfiguration`): lists as arrays or comma-separated text, origins
 * unquoted (`'*'` → `*`), methods upper-cased.
 */
export function readCorsConfiguration(value: Record<string, unknown>, spelling: keyof typeof SPELLINGS, setting: string): CorsConfiguration {
  const [originsKey, methodsKey, headersKey, exposeKey, maxAgeKey, credentialsKey] = SPELLINGS[spelling];
  const config: CorsConfiguration = { setting };
  const origins = listOf(value[originsKey]);
  if (origins) config.allowOrigins = origins.map((o) => /^'(.*)'$/s.exec(o)?.[1] ?? o);
  const methods = listOf(value[methodsKey]);
  if (methods) config.allowMethods = methods.map((m) => m.toUpperCase());
  const headers = listOf(value[headersKey]);
  if (headers) config.allowHeaders = headers;
  const expose = listOf(value[exposeKey]);
  if (expose) config.exposeHeaders = expose;
  const maxAge = Number(value[maxAgeKey]);
  if (value[maxAgeKey] !== undefined && value[maxAgeKey] !== null && Number.isFinite(maxAge)) config.maxAge = maxAge;
  if (typeof value[credentialsKey] === 'boolean') config.allowCredentials = value[credentialsKey];
  return config;
}
