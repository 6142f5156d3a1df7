/**
 * API Gateway REST API, Lambda proxy integration (payload 1.0): its event, its result rules and its own
 * answers. GATEWAYS.md §2 is the reference; the section is named next to each rule.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { clfTime, javaDate, requestKey, stableAlnum, stableShortId, stableUuid } from './ids';
import { resolveGatewayOptions, type ResolvedGatewayOptions } from './options';
import { addUnlessRepeated, executeApiDomain, readV1Fields, v1HeaderLines, v1Event, v1HeaderMaps, v1Identity } from './payload-v1';
import { defineSource, resultBody, jsonAnswer, REQUEST_BODY_LIMITS, resultObject, type Payload, type Reading } from './pipeline';
import { renderGatewayAnswer } from './responses';
import type { GatewayOptions, HttpRequest, HttpResponse } from './types';
import { flattenValue, headerValue, matchesBinaryMediaType } from './wire';

/** Response headers renamed to `X-Amzn-Remapped-<name>` (§2.7). */
const REMAPPED_RESPONSE_HEADERS = new Set(['authorization', 'connection', 'content-md5', 'max-forwards', 'user-agent', 'www-authenticate', 'date', 'server']);
/** Response headers dropped (§2.7). */
const DROPPED_RESPONSE_HEADERS = new Set(['expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'via']);
/** The only top-level keys a proxy result may carry (§2.7). */
const RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/** `requestContext.authorizer` (§2.5), or undefined when none ran. */
function authorizerOf(o: ResolvedGatewayOptions): Record<string, unknown> | undefined {
  const a = o.authorizer;
  if (!a || a.type === 'iam') return undefined;
  if (a.type === 'jwt') {
    // Cognito user-pool authorizer: every claim a string, exp/iat as Java dates.
    const claims: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.claims)) {
      claims[k] = (k === 'exp' || k === 'iat') && typeof v === 'number' ? javaDate(v) : flattenValue(v);
    }
    return a.scopes ? { claims, scopes: a.scopes } : { claims };
  }
  const out: Record<string, unknown> = { principalId: a.principalId ?? 'user', integrationLatency: a.integrationLatency ?? 0 };
  // Context values may only be strings, numbers and booleans; the proxy event carries them as strings.
  for (const [k, v] of Object.entries(a.context ?? {})) out[k] = flattenValue(v);
  return out;
}

/** Builds the proxy event API Gateway sends for `request` (§2.1–§2.6). */
export function toRestEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEvent {
  const o = resolveGatewayOptions(options);
  const stage = o.stage ?? 'prod';
  const key = requestKey(request, o.sequence);
  const resource = request.route ?? request.path;
  const headerMaps = v1HeaderMaps(v1HeaderLines(request, o));
  const requestContext: Record<string, unknown> = {
    resourceId: stableAlnum(6, 'resource', request.method, resource),
    resourcePath: resource,
    httpMethod: request.method,
    extendedRequestId: stableShortId('extended', key),
    requestTime: clfTime(o.now),
    path: `/${stage}${request.path}`,
    accountId: o.accountId,
    protocol: 'HTTP/1.1',
    stage,
    domainPrefix: o.apiId,
    requestTimeEpoch: o.now.getTime(),
    requestId: stableUuid('request', key),
    // The key set of a real capture without auth (§2.4); apiKey/apiKeyId/clientCert come only with API keys or mTLS.
    identity: v1Identity(o, headerMaps.headers['User-Agent'] ?? null),
    domainName: executeApiDomain(o),
    deploymentId: stableAlnum(6, 'deployment', o.apiId, stage),
    apiId: o.apiId,
  };
  const authorizer = authorizerOf(o);
  if (authorizer !== undefined) requestContext.authorizer = authorizer;
  return v1Event(request, {
    resource, headers: headerMaps, stageVariables: o.stageVariables, requestContext,
    // Binary only when the type is in binaryMediaTypes (§2.6).
    binary: (type) => matchesBinaryMediaType(type, o.binaryMediaTypes),
    // REST passes path parameters as sent, still encoded (§2.1).
    pathValue: (v) => v,
  });
}

/** The proxy result rules (§2.7): strict keys, multiValueHeaders first, remapped headers, binary by Accept. */
function readRestResult(payload: Payload, request: HttpRequest, options: GatewayOptions): Reading {
  const object = resultObject(payload, 'statusCode, headers and body');
  if ('malformed' in object) return object;
  const r = object.value;
  const unknownKeys = Object.keys(r).filter((k) => !RESULT_KEYS.has(k));
  if (unknownKeys.length > 0) {
    return { malformed: `unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; a REST proxy result may only carry statusCode, headers, multiValueHeaders, body, isBase64Encoded` };
  }
  const fields = readV1Fields(r, false);
  if ('malformed' in fields) return fields;
  // multiValueHeaders values first, then the headers value unless the same pair is already there.
  const merged: Array<[string, string]> = [];
  for (const [name, values] of fields.multi) for (const v of values) merged.push([name, v]);
  for (const [name, value] of fields.single) addUnlessRepeated(merged, name, value);
  const headers: Array<[string, string]> = [];
  for (const [name, value] of merged) {
    const lower = name.toLowerCase();
    if (DROPPED_RESPONSE_HEADERS.has(lower)) continue;
    headers.push([REMAPPED_RESPONSE_HEADERS.has(lower) ? `X-Amzn-Remapped-${name}` : name, value]);
  }
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', rest.defaultContentType]);
  // A base64 body is decoded only when the first Accept type is a binary media type.
  const firstAccept = (headerValue(request.headers, 'accept') ?? '').split(',')[0];
  const body = resultBody(fields.body, fields.isBase64Encoded && matchesBinaryMediaType(firstAccept, options.binaryMediaTypes ?? []));
  // A missing statusCode is a 200 (§2.7, §8).
  return body ? { response: { statusCode: fields.statusCode ?? 200, headers, body } } : { undecodable: true };
}

/** What a REST API answers itself, by default, to a request it refuses before the integration. */
export const restRefusals = {
  /** A method that requires an API key, called without one (`INVALID_API_KEY`). */
  missingApiKey: (): HttpResponse => jsonAnswer(403, '{"message":"Forbidden"}', 'ForbiddenException'),
  /** A method behind an authorizer, called without its identity source (`UNAUTHORIZED`). */
  unauthorized: (): HttpResponse => jsonAnswer(401, '{"message":"Unauthorized"}', 'UnauthorizedException'),
  /** A request its validator refuses (`BAD_REQUEST_BODY`, `BAD_REQUEST_PARAMETERS`). */
  badRequest: (message: string): HttpResponse => jsonAnswer(400, JSON.stringify({ message }), 'BadRequestException'),
};

export const rest = defineSource<APIGatewayProxyEvent>({
  name: 'rest',
  label: 'API Gateway (REST)',
  malformedPrefix: 'Malformed Lambda proxy response: ',
  defaultContentType: 'application/json',
  requestBodyLimit: REQUEST_BODY_LIMITS.apiGateway,
  acceptsAuthorizer: true,
  noRouteAnswer: () => jsonAnswer(403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException'),
  tooLargeAnswer: () => jsonAnswer(413, '{"message":"Request Too Long"}'),
  faultResponse: (kind) => {
    if (kind === 'timeout') return jsonAnswer(504, '{"message": "Endpoint request timed out"}', 'IntegrationTimeout');
    return jsonAnswer(kind === 'undecodable_body' ? 500 : 502, '{"message": "Internal server error"}', 'InternalServerErrorException');
  },
  toEvent: toRestEvent,
  readResult: readRestResult,
  // `$context` in a gateway response template is the request's context, as the proxy event carries it.
  shapeAnswer: (type, fallback, request, options, error) => renderGatewayAnswer(type, fallback, request, options, toRestEvent(request, options).requestContext, error),
});

/** Judges a Lambda proxy result as a REST API does (§2.7). */
export const fromRestResult = rest.fromResult;
