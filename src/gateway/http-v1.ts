/**
 * API Gateway HTTP API with payload format 1.0: the REST event's shape with HTTP API ids, decoded path
 * parameters and HTTP API answers; lenient about result keys (GATEWAYS.md §4).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { clfTime, requestKey, stableShortId } from './ids';
import { resolveGatewayOptions, type ResolvedGatewayOptions } from './options';
import { addUnlessRepeated, executeApiDomain, readV1Fields, v1HeaderLines, v1Event, v1HeaderMaps, v1Identity } from './payload-v1';
import { withCorsHeaders } from './cors';
import { defineSource, resultBody, resultObject, type Payload, type Reading } from './pipeline';
import { HTTP_API_SERVICE } from './http';
import type { GatewayOptions, HttpRequest } from './types';
import { decodePath, headerValue, isTextForGateway, jwtClaims, scopesOf } from './wire';

/** `requestContext.authorizer` in 1.0, or undefined when none ran. */
function authorizerOf(o: ResolvedGatewayOptions): Record<string, unknown> | undefined {
  const a = o.authorizer;
  // The docs' 1.0 example shows `{claims: null, scopes: null}` without an authorizer; Powertools' schema
  // (which users validate events with) rejects that, and real REST captures omit the key: omitted.
  if (!a || a.type === 'iam') return undefined;
  if (a.type === 'jwt') {
    // Scopes only when the token has some (Powertools' 1.0 schema takes an array or nothing, not null).
    const scopes = scopesOf(a.claims, a.scopes);
    return scopes ? { claims: jwtClaims(a.claims), scopes } : { claims: jwtClaims(a.claims) };
  }
  // A Lambda authorizer: the REST shape (principalId, integrationLatency, context keys), values kept as
  // returned, since HTTP API contexts may hold any JSON.
  return { principalId: a.principalId ?? 'user', integrationLatency: a.integrationLatency ?? 0, ...(a.context ?? {}) };
}

/** Builds the payload-1.0 event an HTTP API sends for `request` (§4). */
export function toHttpV1Event(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEvent {
  const o = resolveGatewayOptions(options);
  const stage = o.stage ?? '$default';
  const key = requestKey(request, o.sequence);
  const resource = request.route ?? request.path;
  // HTTP APIs pass Content-Length on (REST drops it); like 2.0, "0" on a body-less request.
  const headerMaps = v1HeaderMaps(v1HeaderLines(request, o, [['Content-Length', String(request.body?.length ?? 0)]]));
  // HTTP APIs pass Content-Length on (REST drops it); like 2.0, "0" on a body-less request.
  // The route key as resourceId, an HTTP-API-style request id in both id fields, requestContext.path
  // decoded and prefixed by a named stage only.
  const requestContext: Record<string, unknown> = {
    accountId: o.accountId,
    apiId: o.apiId,
    domainName: executeApiDomain(o),
    domainPrefix: o.apiId,
    extendedRequestId: stableShortId('request', key),
    httpMethod: request.method,
    identity: v1Identity(o, headerMaps.headers['User-Agent'] ?? null),
    path: `${stage === '$default' ? '' : `/${stage}`}${decodePath(request.path)}`,
    protocol: 'HTTP/1.1',
    requestId: stableShortId('request', key),
    requestTime: clfTime(o.now),
    requestTimeEpoch: o.now.getTime(),
    resourceId: request.route === undefined ? '$default' : `${request.routeMethod ?? request.method} ${request.route}`,
    resourcePath: resource,
    stage,
  };
  const authorizer = authorizerOf(o);
  if (authorizer !== undefined) requestContext.authorizer = authorizer;
  return v1Event(request, {
    version: '1.0', resource, stageVariables: o.stageVariables, requestContext,
    headers: headerMaps,
    // Every type that is not text arrives base64-encoded.
    binary: (type) => !isTextForGateway(type),
    // HTTP APIs decode path parameters.
    pathValue: decodePath,
  });
}

/** The 1.0 result rules of HTTP APIs: unknown keys ignored, statusCode required, headers before multiValueHeaders. */
function readHttpV1Result(payload: Payload): Reading {
  const object = resultObject(payload, 'statusCode, headers and body');
  if ('malformed' in object) return object;
  const fields = readV1Fields(object.value, true);
  if ('malformed' in fields) return fields;
  const headers: Array<[string, string]> = [];
  for (const [name, value] of fields.single) headers.push([name, value]);
  for (const [name, values] of fields.multi) for (const v of values) addUnlessRepeated(headers, name, v);
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', httpV1.defaultContentType]);
  // HTTP APIs always decode a base64 body.
  const body = resultBody(fields.body, fields.isBase64Encoded);
  return body ? { response: { statusCode: fields.statusCode ?? 200, headers, body } } : { undecodable: true };
}

export const httpV1 = defineSource<APIGatewayProxyEvent>({
  ...HTTP_API_SERVICE,
  name: 'http-v1',
  malformedPrefix: 'malformed Lambda response (payload 1.0): ',
  toEvent: toHttpV1Event,
  readResult: readHttpV1Result,
  // The HTTP API's CORS configuration puts its own Access-Control-* headers on every response.
  finishResponse: (response, request, options) => (options.cors ? withCorsHeaders(options.cors, request, response) : response),
});

/** Judges a payload-1.0 result as an HTTP API does (§4). */
export const fromHttpV1Result = httpV1.fromResult;
