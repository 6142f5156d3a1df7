/**
 * Payload format 1.0: API Gateway REST API (Lambda proxy integration) and HTTP API with payload 1.0.
 * The two share the event shape and the result shape but judge differently. GATEWAYS.md §2 (REST) and
 * §4 (HTTP API 1.0) are the reference for every rule here; the section is named next to each one.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  LAMBDA_PAYLOAD_LIMIT,
  bodyFieldsProblem,
  readHeaderMap,
  renderHeaderValue,
  clfTime,
  decodePath,
  decodeQueryComponent,
  decodeStrictBase64,
  essence,
  flattenValue,
  gatewayResponse,
  headerValue,
  isPlainObject,
  isTextForGateway,
  javaDate,
  jsonType,
  matchRoute,
  requestKey,
  resolveGatewayOptions,
  scopesOf,
  splitQuery,
  stableAlnum,
  stableShortId,
  stableUuid,
  traceId,
  type ResolvedGatewayOptions,
} from './common';
import type { GatewayAdapter, GatewayFault, GatewayOptions, GatewayVerdict, HttpRequest, HttpResponse, InvokeOutcome } from './types';

type Flavour = 'rest' | 'http-v1';

/** Request headers API Gateway drops before the integration (§2.2). */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server',
  'te', 'trailer', 'upgrade', 'www-authenticate', 'transfer-encoding',
]);

/** Response headers renamed to `X-Amzn-Remapped-<name>` by REST APIs (§2.7). */
const REMAPPED_RESPONSE_HEADERS = new Set(['authorization', 'connection', 'content-md5', 'max-forwards', 'user-agent', 'www-authenticate', 'date', 'server']);
/** Response headers REST APIs drop (§2.7). */
const DROPPED_RESPONSE_HEADERS = new Set(['expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'via']);
/** The only top-level keys a REST proxy result may carry (§2.7). */
const RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const REST_ERROR_BODY = '{"message": "Internal server error"}';
const REST_TIMEOUT_BODY = '{"message": "Endpoint request timed out"}';
const HTTP_ERROR_BODY = '{"message":"Internal Server Error"}';
const HTTP_TIMEOUT_BODY = '{"message":"Service Unavailable"}';

/** Whether a media type matches a `binaryMediaTypes` entry: exact, `type/*` or `*\/*` (§2.6). */
export function matchesBinaryMediaType(mediaType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (mediaType === undefined) return false;
  const type = essence(mediaType);
  return binaryMediaTypes.some((entry) => {
    const e = essence(entry);
    if (e === '*/*' || e === type) return true;
    return e.endsWith('/*') && type.startsWith(e.slice(0, -1));
  });
}

function domainOf(o: ResolvedGatewayOptions): string {
  return `${o.apiId}.execute-api.${o.region}.amazonaws.com`;
}

/** The stage a flavour uses when none is configured. */
function stageOf(flavour: Flavour, o: ResolvedGatewayOptions): string {
  return o.stage ?? (flavour === 'rest' ? 'prod' : '$default');
}

function buildHeaders(request: HttpRequest, o: ResolvedGatewayOptions, flavour: Flavour): Array<[string, string]> {
  const userAgent = headerValue(request.headers, 'user-agent') ?? 'lambda-contract';
  const own: Array<[string, string]> = [
    ['Host', domainOf(o)],
    ['User-Agent', userAgent],
    ['X-Amzn-Trace-Id', traceId(o.now, 'trace', requestKey(request, o.sequence))],
    ['X-Forwarded-For', o.sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ];
  // HTTP APIs pass Content-Length on (REST drops it) (§4, §8); like 2.0, "0" on a body-less request [?].
  if (flavour === 'http-v1') own.push(['Content-Length', String(request.body?.length ?? 0)]);
  const lines: Array<[string, string]> = [...own];
  const ownLower = new Set(own.map(([h]) => h.toLowerCase()));
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || ownLower.has(lower)) continue;
    lines.push([name, value]);
  }
  return lines;
}

/** `requestContext.authorizer` in payload 1.0 (§2.5 REST, §4 HTTP API 1.0), or undefined when none. */
function v1Authorizer(o: ResolvedGatewayOptions, flavour: Flavour): Record<string, unknown> | null | undefined {
  const a = o.authorizer;
  if (flavour === 'http-v1') {
    // The docs' 1.0 example shows `{claims: null, scopes: null}` without an authorizer; Powertools' schema
    // (which users validate events with) rejects that, and real REST captures omit the key: omitted [?].
    if (!a || a.type === 'iam') return undefined;
    if (a.type === 'jwt') {
      // Scopes only when the token has some (Powertools' 1.0 schema takes an array or nothing, not null).
      const scopes = scopesOf(a.claims, a.scopes);
      return scopes ? { claims: jwtClaims(a.claims), scopes } : { claims: jwtClaims(a.claims) };
    }
    // A Lambda authorizer in 1.0: the REST shape (principalId, integrationLatency, context keys), values
    // kept as returned since HTTP API contexts may hold any JSON [?: no capture of a 1.0 event with one].
    return { principalId: a.principalId ?? 'user', integrationLatency: a.integrationLatency ?? 0, ...(a.context ?? {}) };
  }
  if (!a || a.type === 'iam') return undefined;
  if (a.type === 'jwt') {
    // Cognito user-pool authorizer: every claim a string, exp/iat as Java dates (§2.5).
    const claims: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.claims)) {
      claims[k] = (k === 'exp' || k === 'iat') && typeof v === 'number' ? javaDate(v) : flattenValue(v);
    }
    return a.scopes ? { claims, scopes: a.scopes } : { claims };
  }
  const out: Record<string, unknown> = { principalId: a.principalId ?? 'user', integrationLatency: a.integrationLatency ?? 0 };
  // Context values may only be strings, numbers and booleans; the proxy event carries them as strings (§2.5).
  for (const [k, v] of Object.entries(a.context ?? {})) out[k] = flattenValue(v);
  return out;
}

/** JWT claims as HTTP APIs pass them: every value a string, arrays as `[a b]` (§3.2). */
export function jwtClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = flattenValue(v);
  return out;
}

function buildV1Event(request: HttpRequest, options: GatewayOptions | undefined, flavour: Flavour): APIGatewayProxyEvent {
  const o = resolveGatewayOptions(options);
  const stage = stageOf(flavour, o);
  const key = requestKey(request, o.sequence);
  const resource = request.route ?? request.path;

  const headerLines = buildHeaders(request, o, flavour);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of headerLines) {
    headers[name] = value; // a repeated header keeps its last value (§2.1)
    (multiValueHeaders[name] ??= []).push(value);
  }

  const pairs = splitQuery(request.rawQuery);
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  if (pairs.length > 0) {
    query = {};
    multiQuery = {};
    for (const [rawName, rawValue] of pairs) {
      const name = decodeQueryComponent(rawName);
      const value = decodeQueryComponent(rawValue);
      query[name] = value; // last value wins in the single map (§2.1, §4)
      (multiQuery[name] ??= []).push(value);
    }
  }

  let pathParameters: Record<string, string> | null = null;
  const matched = request.route === undefined ? undefined : matchRoute(request.route, request.path);
  if (matched && Object.keys(matched).length > 0) {
    pathParameters = {};
    for (const [name, value] of Object.entries(matched)) {
      const trimmed = value.replace(/^\/+/, '').replace(/\/+$/, ''); // greedy: no leading or trailing slash (§2.1)
      // REST passes path parameters as sent (encoded); HTTP APIs decode them (§4).
      pathParameters[name] = flavour === 'rest' ? trimmed : decodePath(trimmed);
    }
  }

  let body: string | null = null;
  let isBase64Encoded = false;
  const contentType = headerValue(request.headers, 'content-type');
  if (request.body !== undefined && request.body.length > 0) {
    // REST: binary only when the type is in binaryMediaTypes (§2.6); HTTP API: every non-text type (§7 [?]).
    const binary = flavour === 'rest' ? matchesBinaryMediaType(contentType, o.binaryMediaTypes) : !isTextForGateway(contentType);
    body = binary ? request.body.toString('base64') : request.body.toString('utf8');
    isBase64Encoded = binary;
  }

  const identity = {
    cognitoIdentityPoolId: null as string | null,
    accountId: null as string | null,
    cognitoIdentityId: null as string | null,
    caller: null as string | null,
    sourceIp: o.sourceIp,
    principalOrgId: null as string | null,
    accessKey: null as string | null,
    cognitoAuthenticationType: null as string | null,
    cognitoAuthenticationProvider: null as string | null,
    userArn: null as string | null,
    userAgent: headers['User-Agent'] ?? null,
    user: null as string | null,
  };
  if (o.authorizer?.type === 'iam') {
    // AWS_IAM fills the caller's identity (§2.4).
    const a = o.authorizer;
    identity.accountId = a.accountId ?? o.accountId;
    identity.caller = a.callerId ?? 'AIDAEXAMPLECALLER';
    identity.accessKey = a.accessKey ?? 'ASIAEXAMPLEACCESSKEY';
    identity.userArn = a.userArn ?? `arn:aws:iam::${identity.accountId}:user/lambda-contract`;
    identity.user = a.userId ?? identity.caller;
    identity.principalOrgId = a.principalOrgId ?? null;
  }

  const domainName = domainOf(o);
  const requestContext: Record<string, unknown> =
    flavour === 'rest'
      ? {
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
          // The key set of a real capture without auth (§2.4); DT's type also lists apiKey/apiKeyId/clientCert,
          // which AWS only sends with API keys or mTLS.
          identity,
          domainName,
          deploymentId: stableAlnum(6, 'deployment', o.apiId, stage),
          apiId: o.apiId,
        }
      : {
          // HTTP API 1.0 (§4): the route key as resourceId, an HTTP-API-style request id in both id fields,
          // requestContext.path decoded, prefixed by a named stage only.
          accountId: o.accountId,
          apiId: o.apiId,
          domainName,
          domainPrefix: o.apiId,
          extendedRequestId: stableShortId('request', key),
          httpMethod: request.method,
          identity,
          path: `${stage === '$default' ? '' : `/${stage}`}${decodePath(request.path)}`,
          protocol: 'HTTP/1.1',
          requestId: stableShortId('request', key),
          requestTime: clfTime(o.now),
          requestTimeEpoch: o.now.getTime(),
          resourceId: request.route === undefined ? '$default' : `${request.routeMethod ?? request.method} ${request.route}`,
          resourcePath: resource,
          stage,
        };
  const authorizer = v1Authorizer(o, flavour);
  if (authorizer !== undefined) requestContext.authorizer = authorizer;

  const event: Record<string, unknown> = flavour === 'http-v1' ? { version: '1.0' } : {};
  Object.assign(event, {
    resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters,
    stageVariables: o.stageVariables ?? null,
    requestContext,
    body,
    isBase64Encoded,
  });
  return event as unknown as APIGatewayProxyEvent;
}

/** Builds the REST proxy event API Gateway sends for `request` (§2.1–§2.6). */
export function toRestEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEvent {
  return buildV1Event(request, options, 'rest');
}

/** Builds the payload-1.0 event an HTTP API sends for `request` (§4). */
export function toHttpV1Event(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEvent {
  return buildV1Event(request, options, 'http-v1');
}

function fault(flavour: Flavour, kind: GatewayFault['kind'], reason: string, statusCode?: number): GatewayVerdict {
  const timeout = kind === 'timeout';
  let response: HttpResponse;
  if (flavour === 'rest') {
    const status = statusCode ?? (timeout ? 504 : 502);
    response = gatewayResponse(status, timeout ? REST_TIMEOUT_BODY : REST_ERROR_BODY, [
      ['Content-Type', 'application/json'],
      ['x-amzn-ErrorType', timeout ? 'IntegrationTimeout' : 'InternalServerErrorException'],
    ]);
  } else {
    response = gatewayResponse(statusCode ?? (timeout ? 503 : 500), timeout ? HTTP_TIMEOUT_BODY : HTTP_ERROR_BODY, [['Content-Type', 'application/json']]);
  }
  return { ok: false, fault: { kind, reason, response } };
}

/** Parses a numeric status as the gateway does: an integer 100–599, or a string of digits. */
export function parseStatusCode(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** Judges a payload-1.0 result as the REST API (§2.7) or the HTTP API (§4) does. */
function fromV1Result(outcome: InvokeOutcome, request: HttpRequest, options: GatewayOptions | undefined, flavour: Flavour): GatewayVerdict {
  const o = resolveGatewayOptions(options);
  const gatewayName = flavour === 'rest' ? 'API Gateway (REST)' : 'the HTTP API';
  const errorStatus = flavour === 'rest' ? 502 : 500;
  if (outcome.kind === 'timeout') {
    return fault(flavour, 'timeout', `the function did not answer within ${outcome.timeoutMs} ms; ${gatewayName} answers ${flavour === 'rest' ? 504 : 503}`);
  }
  if (outcome.kind === 'threw') {
    return fault(flavour, 'function_error', `the function raised ${outcome.errorType}: ${outcome.errorMessage}; ${gatewayName} answers ${errorStatus}`);
  }
  const size = Buffer.byteLength(outcome.payload, 'utf8');
  if (size > LAMBDA_PAYLOAD_LIMIT) {
    return fault(flavour, 'payload_too_large', `the response payload is ${size} bytes, over Lambda's 6 MB limit`);
  }
  const malformed = (reason: string): GatewayVerdict =>
    fault(flavour, 'malformed_result', `${flavour === 'rest' ? 'Malformed Lambda proxy response' : 'malformed Lambda response (payload 1.0)'}: ${reason}`);

  let result: unknown;
  try {
    result = JSON.parse(outcome.payload);
  } catch {
    return malformed('the payload is not JSON');
  }
  if (!isPlainObject(result)) {
    return malformed(`the result must be an object with statusCode, headers and body, got ${jsonType(result)}`);
  }
  const r = result;
  if (flavour === 'rest') {
    const unknownKeys = Object.keys(r).filter((k) => !RESULT_KEYS.has(k));
    if (unknownKeys.length > 0) {
      return malformed(`unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; a REST proxy result may only carry statusCode, headers, multiValueHeaders, body, isBase64Encoded`);
    }
  } // HTTP APIs ignore unknown keys (§4).

  let statusCode = 200; // REST: a missing statusCode is a 200 (§2.7, §8)
  if (r.statusCode !== undefined) {
    const n = parseStatusCode(r.statusCode);
    if (n === undefined) return malformed(`statusCode must be an integer from 100 to 599 or a numeric string, got ${JSON.stringify(r.statusCode)}`);
    statusCode = n;
  } else if (flavour === 'http-v1') {
    return malformed('statusCode is required in a payload 1.0 response');
  }

  const bodyProblem = bodyFieldsProblem(r);
  if (bodyProblem) return malformed(bodyProblem);

  const read = readHeaderMap(r.headers, ' (put repeated headers in multiValueHeaders)');
  if ('problem' in read) return malformed(read.problem);
  const single = read.lines;
  const multi: Array<[string, string[]]> = [];
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (!isPlainObject(r.multiValueHeaders)) return malformed(`multiValueHeaders must be an object of arrays, got ${jsonType(r.multiValueHeaders)}`);
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values)) return malformed(`multiValueHeaders ${JSON.stringify(name)} must be an array, got ${jsonType(values)}`);
      const texts: string[] = [];
      for (const value of values) {
        const text = renderHeaderValue(value);
        if (text === undefined) return malformed(`multiValueHeaders ${JSON.stringify(name)} holds a ${jsonType(value)}; values must be strings, numbers or booleans`);
        texts.push(text);
      }
      multi.push([name, texts]);
    }
  }

  const merged: Array<[string, string]> = [];
  const addUnlessRepeated = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    if (!merged.some(([n, v]) => n.toLowerCase() === lower && v === value)) merged.push([name, value]);
  };
  if (flavour === 'rest') {
    // REST: multiValueHeaders values first, then the headers value unless the same pair is already there (§2.7).
    for (const [name, values] of multi) for (const v of values) merged.push([name, v]);
    for (const [name, value] of single) addUnlessRepeated(name, value);
  } else {
    // HTTP API 1.0: the headers value first, then multiValueHeaders (§4).
    for (const [name, value] of single) merged.push([name, value]);
    for (const [name, values] of multi) for (const v of values) addUnlessRepeated(name, v);
  }
  const headers: Array<[string, string]> = [];
  for (const [name, value] of merged) {
    const lower = name.toLowerCase();
    if (flavour === 'rest') {
      if (DROPPED_RESPONSE_HEADERS.has(lower)) continue;
      headers.push([REMAPPED_RESPONSE_HEADERS.has(lower) ? `X-Amzn-Remapped-${name}` : name, value]);
    } else {
      headers.push([name, value]);
    }
  }
  if (headerValue(headers, 'content-type') === undefined) {
    headers.push(['Content-Type', flavour === 'rest' ? 'application/json' : 'text/plain; charset=utf-8']);
  }

  const text = typeof r.body === 'string' ? r.body : '';
  let body: Buffer = Buffer.from(text, 'utf8');
  if (r.isBase64Encoded === true) {
    // REST decodes only when the first Accept type is binary (§2.7); HTTP APIs always decode (§4).
    const firstAccept = (headerValue(request.headers, 'accept') ?? '').split(',')[0];
    if (flavour === 'http-v1' || matchesBinaryMediaType(firstAccept, o.binaryMediaTypes)) {
      const decoded = decodeStrictBase64(text);
      if (!decoded) return fault(flavour, 'undecodable_body', `isBase64Encoded is true but the body is not valid base64; ${gatewayName} answers 500`, 500);
      body = decoded;
    }
  }
  return { ok: true, response: { statusCode, headers, body } };
}

/** Judges a Lambda proxy result as the REST API does (§2.7). */
export function fromRestResult(outcome: InvokeOutcome, request: HttpRequest, options?: GatewayOptions): GatewayVerdict {
  return fromV1Result(outcome, request, options, 'rest');
}

/** Judges a payload-1.0 result as an HTTP API does (§4). */
export function fromHttpV1Result(outcome: InvokeOutcome, request: HttpRequest, options?: GatewayOptions): GatewayVerdict {
  return fromV1Result(outcome, request, options, 'http-v1');
}

/** The REST API (payload 1.0) adapter. */
export const rest: GatewayAdapter<APIGatewayProxyEvent> = { name: 'rest', toEvent: toRestEvent, fromResult: fromRestResult };

/** The HTTP API with payload format 1.0. */
export const httpV1: GatewayAdapter<APIGatewayProxyEvent> = { name: 'http-v1', toEvent: toHttpV1Event, fromResult: fromHttpV1Result };
