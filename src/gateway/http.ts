/**
 * API Gateway HTTP API with payload format 2.0 (GATEWAYS.md §3): routed events with decoded, stage-prefixed
 * paths, cookies moved out of the headers, JWT and Lambda authorizers, and HTTP API answers.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requestKey, stableShortId, traceId } from './ids';
import { resolveGatewayOptions, type ResolvedGatewayOptions } from './options';
import { executeApiDomain } from './payload-v1';
import { readV2Result, v2ClientHeaders, v2Event, v2IamAuthorizer } from './payload-v2';
import { withCorsHeaders } from './cors';
import { defineSource, jsonAnswer, REQUEST_BODY_LIMITS } from './pipeline';
import { matchRoute } from './route-match';
import type { GatewayFaultKind, GatewayOptions, HttpRequest } from './types';
import { decodePath, jwtClaims, scopesOf } from './wire';

/** `requestContext.authorizer` (§3.2), or undefined when none ran. */
function authorizerOf(o: ResolvedGatewayOptions): Record<string, unknown> | undefined {
  const a = o.authorizer;
  if (!a) return undefined;
  if (a.type === 'iam') return v2IamAuthorizer(a, o.accountId);
  if (a.type === 'jwt') return { jwt: { claims: jwtClaims(a.claims), scopes: scopesOf(a.claims, a.scopes) } };
  return { lambda: a.context ?? null };
}

/** Builds the payload-2.0 event an HTTP API sends for `request` (§3.1). */
export function toHttpEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEventV2 {
  const o = resolveGatewayOptions(options);
  const key = requestKey(request, o.sequence);
  const stage = o.stage ?? '$default';
  const domainName = executeApiDomain(o);
  const routeKey = request.route !== undefined ? `${request.routeMethod ?? request.method} ${request.route}` : '$default';
  // Cookies leave the headers for `cookies` (§3.1).
  const { headers, cookies } = v2ClientHeaders(request, false);
  // Always a content-length, "0" without a body (§3.1 captures).
  headers['content-length'] = String(request.body?.length ?? 0);
  headers.host = domainName;
  headers['x-amzn-trace-id'] = traceId(o.now, 'trace', key);
  headers['x-forwarded-for'] = o.sourceIp;
  headers['x-forwarded-port'] = '443';
  headers['x-forwarded-proto'] = 'https';
  // rawPath decoded and prefixed by a named stage (§3.1).
  const rawPath = `${stage === '$default' ? '' : `/${stage}`}${decodePath(request.path)}`;
  let pathParameters: Record<string, string> | undefined;
  const matched = request.route === undefined ? undefined : matchRoute(request.route, request.path);
  if (matched && Object.keys(matched).length > 0) {
    pathParameters = {};
    for (const [name, value] of Object.entries(matched)) pathParameters[name] = decodePath(value.replace(/^\/+/, '').replace(/\/+$/, ''));
  }
  const authorizer = authorizerOf(o);
  return v2Event(request, o, {
    routeKey, rawPath, httpPath: rawPath, stage, domainName, domainPrefix: o.apiId, accountId: o.accountId,
    requestId: stableShortId('request', key), headers, cookies,
    ...(pathParameters ? { pathParameters } : {}),
    ...(o.stageVariables ? { stageVariables: o.stageVariables } : {}),
    ...(authorizer ? { authorizer } : {}),
  });
}

const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** What the HTTP API service answers and allows, whichever payload version its integration uses (§3, §4). */
export const HTTP_API_SERVICE = {
  label: 'the HTTP API',
  defaultContentType: DEFAULT_CONTENT_TYPE,
  requestBodyLimit: REQUEST_BODY_LIMITS.apiGateway,
  acceptsAuthorizer: true,
  noRouteAnswer: () => jsonAnswer(404, '{"message":"Not Found"}'),
  tooLargeAnswer: () => jsonAnswer(413, '{"message":"Request Entity Too Large"}'),
  faultResponse: (kind: GatewayFaultKind) =>
    kind === 'timeout' ? jsonAnswer(503, '{"message":"Service Unavailable"}') : jsonAnswer(500, '{"message":"Internal Server Error"}'),
} as const;

export const http = defineSource<APIGatewayProxyEventV2>({
  ...HTTP_API_SERVICE,
  name: 'http',
  malformedPrefix: 'malformed Lambda response (payload 2.0): ',
  toEvent: toHttpEvent,
  readResult: (payload) => readV2Result(payload, DEFAULT_CONTENT_TYPE),
  // The HTTP API's CORS configuration puts its own Access-Control-* headers on every response.
  finishResponse: (response, request, options) => (options.cors ? withCorsHeaders(options.cors, request, response) : response),
});

/** Judges a result as an HTTP API with payload 2.0 does (§3.3). */
export const fromHttpResult = http.fromResult;
