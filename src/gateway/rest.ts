/**
 * API Gateway REST API, Lambda proxy integration (payload format 1.0). GATEWAYS.md §2 is the
 * reference for every rule here; the section is named next to each one.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  LAMBDA_PAYLOAD_LIMIT,
  clfTime,
  decodeQueryComponent,
  decodeStrictBase64,
  essence,
  gatewayResponse,
  headerValue,
  jsonType,
  matchRoute,
  requestKey,
  resolveGatewayOptions,
  splitQuery,
  stableAlnum,
  stableShortId,
  stableUuid,
  traceId,
} from './common';
import type { GatewayAdapter, GatewayFault, GatewayOptions, GatewayVerdict, HttpRequest, HttpResponse, InvokeOutcome } from './types';

/** Request headers API Gateway drops before the integration (§2.2). */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server',
  'te', 'trailer', 'upgrade', 'www-authenticate', 'transfer-encoding',
]);
/** Headers the gateway sets itself, in the casing it uses (§2.2). */
const GATEWAY_HEADERS = ['Host', 'User-Agent', 'X-Amzn-Trace-Id', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'];

/** Response headers renamed to `X-Amzn-Remapped-<name>` (§2.7). */
const REMAPPED_RESPONSE_HEADERS = new Set(['authorization', 'connection', 'content-md5', 'max-forwards', 'user-agent', 'www-authenticate', 'date', 'server']);
/** Response headers the gateway drops (§2.7). */
const DROPPED_RESPONSE_HEADERS = new Set(['expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'via']);
/** The only top-level keys a proxy result may carry (§2.7). */
const RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const MALFORMED_BODY = '{"message": "Internal server error"}';
const TIMEOUT_BODY = '{"message": "Endpoint request timed out"}';

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

function buildHeaders(request: HttpRequest, o: ReturnType<typeof resolveGatewayOptions>): Array<[string, string]> {
  const domainName = `${o.apiId}.execute-api.${o.region}.amazonaws.com`;
  const userAgent = headerValue(request.headers, 'user-agent') ?? 'lambda-contract';
  const own = new Map<string, string>([
    ['Host', domainName],
    ['User-Agent', userAgent],
    ['X-Amzn-Trace-Id', traceId(o.now, 'trace', requestKey(request, o.sequence))],
    ['X-Forwarded-For', o.sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ]);
  const lines: Array<[string, string]> = [];
  for (const name of GATEWAY_HEADERS) lines.push([name, own.get(name) ?? '']);
  const ownLower = new Set(GATEWAY_HEADERS.map((h) => h.toLowerCase()));
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || ownLower.has(lower)) continue;
    lines.push([name, value]);
  }
  return lines;
}

/** Builds the REST proxy event API Gateway sends for `request` (§2.1–§2.6). */
export function toRestEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEvent {
  const o = resolveGatewayOptions(options);
  const key = requestKey(request, o.sequence);
  const resource = request.route ?? request.path;

  const headerLines = buildHeaders(request, o);
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
      query[name] = value;
      (multiQuery[name] ??= []).push(value);
    }
  }

  let pathParameters: Record<string, string> | null = null;
  const matched = request.route === undefined ? undefined : matchRoute(request.route, request.path);
  if (matched && Object.keys(matched).length > 0) {
    pathParameters = {};
    for (const [name, value] of Object.entries(matched)) {
      pathParameters[name] = value.replace(/^\/+/, '').replace(/\/+$/, ''); // greedy: no leading or trailing slash (§2.1)
    }
  }

  let body: string | null = null;
  let isBase64Encoded = false;
  if (request.body !== undefined && request.body.length > 0) {
    if (matchesBinaryMediaType(headerValue(request.headers, 'content-type'), o.binaryMediaTypes)) {
      body = request.body.toString('base64');
      isBase64Encoded = true;
    } else {
      body = request.body.toString('utf8');
    }
  }

  const domainName = `${o.apiId}.execute-api.${o.region}.amazonaws.com`;
  const requestContext = {
    resourceId: stableAlnum(6, 'resource', request.method, resource),
    resourcePath: resource,
    httpMethod: request.method,
    extendedRequestId: stableShortId('extended', key),
    requestTime: clfTime(o.now),
    path: `/${o.stage}${request.path}`,
    accountId: o.accountId,
    protocol: 'HTTP/1.1',
    stage: o.stage,
    domainPrefix: o.apiId,
    requestTimeEpoch: o.now.getTime(),
    requestId: stableUuid('request', key),
    // The key set of a real capture without auth (§2.4); DT's type also lists apiKey/apiKeyId/clientCert,
    // which AWS only sends with API keys or mTLS.
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: o.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: headers['User-Agent'] ?? null,
      user: null,
    },
    domainName,
    deploymentId: stableAlnum(6, 'deployment', o.apiId, o.stage),
    apiId: o.apiId,
  };

  const event = {
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
  };
  return event as unknown as APIGatewayProxyEvent;
}

function fault(kind: GatewayFault['kind'], reason: string, statusCode: number, body: string): GatewayVerdict {
  const response = gatewayResponse(statusCode, body, [
    ['Content-Type', 'application/json'],
    ['x-amzn-ErrorType', statusCode === 504 ? 'IntegrationTimeout' : 'InternalServerErrorException'],
  ]);
  return { ok: false, fault: { kind, reason, response } };
}

/** A proxy header value as REST renders it: strings as is, booleans and numbers as text. */
function renderHeaderValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return undefined;
}

/** Judges a Lambda proxy result as the REST API does (§2.7). */
export function fromRestResult(outcome: InvokeOutcome, request: HttpRequest, options?: GatewayOptions): GatewayVerdict {
  const o = resolveGatewayOptions(options);
  if (outcome.kind === 'timeout') {
    return fault('timeout', `the function did not answer within ${outcome.timeoutMs} ms; API Gateway answers 504`, 504, TIMEOUT_BODY);
  }
  if (outcome.kind === 'threw') {
    return fault('function_error', `the function raised ${outcome.errorType}: ${outcome.errorMessage}`, 502, MALFORMED_BODY);
  }
  if (Buffer.byteLength(outcome.payload, 'utf8') > LAMBDA_PAYLOAD_LIMIT) {
    return fault('payload_too_large', `the response payload is ${Buffer.byteLength(outcome.payload, 'utf8')} bytes, over Lambda's 6 MB limit`, 502, MALFORMED_BODY);
  }
  const malformed = (reason: string): GatewayVerdict => fault('malformed_result', `Malformed Lambda proxy response: ${reason}`, 502, MALFORMED_BODY);

  let result: unknown;
  try {
    result = JSON.parse(outcome.payload);
  } catch {
    return malformed('the payload is not JSON');
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return malformed(`the result must be an object with statusCode, headers and body, got ${jsonType(result)}`);
  }
  const r = result as Record<string, unknown>;
  const unknownKeys = Object.keys(r).filter((k) => !RESULT_KEYS.has(k));
  if (unknownKeys.length > 0) {
    return malformed(`unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; a REST proxy result may only carry statusCode, headers, multiValueHeaders, body, isBase64Encoded`);
  }

  let statusCode = 200; // a missing statusCode is a 200 on AWS (§2.7, §8)
  if (r.statusCode !== undefined) {
    const s = r.statusCode;
    const n = typeof s === 'number' ? s : typeof s === 'string' && /^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN;
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      return malformed(`statusCode must be an integer from 100 to 599 or a numeric string, got ${JSON.stringify(s)}`);
    }
    statusCode = n;
  }

  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
    return malformed(`body must be a string, got ${jsonType(r.body)} (serialise it with JSON.stringify)`);
  }
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') {
    return malformed(`isBase64Encoded must be a boolean, got ${jsonType(r.isBase64Encoded)}`);
  }

  const single: Array<[string, string]> = [];
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return malformed(`headers must be an object, got ${jsonType(r.headers)}`);
    for (const [name, value] of Object.entries(r.headers)) {
      const text = renderHeaderValue(value);
      if (text === undefined) return malformed(`header ${JSON.stringify(name)} must be a string, number or boolean, got ${jsonType(value)}`);
      single.push([name, text]);
    }
  }
  const multi: Array<[string, string[]]> = [];
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) {
      return malformed(`multiValueHeaders must be an object of arrays, got ${jsonType(r.multiValueHeaders)}`);
    }
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

  // Merge: multiValueHeaders values first, then the headers value unless the same pair is already there (§2.7).
  const merged: Array<[string, string]> = [];
  for (const [name, values] of multi) for (const v of values) merged.push([name, v]);
  for (const [name, value] of single) {
    const lower = name.toLowerCase();
    if (!merged.some(([n, v]) => n.toLowerCase() === lower && v === value)) merged.push([name, value]);
  }
  const headers: Array<[string, string]> = [];
  for (const [name, value] of merged) {
    const lower = name.toLowerCase();
    if (DROPPED_RESPONSE_HEADERS.has(lower)) continue;
    headers.push([REMAPPED_RESPONSE_HEADERS.has(lower) ? `X-Amzn-Remapped-${name}` : name, value]);
  }
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', 'application/json']);

  const text = typeof r.body === 'string' ? r.body : '';
  let body: Buffer = Buffer.from(text, "utf8");
  if (r.isBase64Encoded === true) {
    const firstAccept = (headerValue(request.headers, 'accept') ?? '').split(',')[0];
    if (matchesBinaryMediaType(firstAccept, o.binaryMediaTypes)) {
      const decoded = decodeStrictBase64(text);
      if (!decoded) {
        return fault('undecodable_body', 'isBase64Encoded is true but the body is not valid base64; API Gateway answers 500', 500, '{"message": "Internal server error"}');
      }
      body = decoded;
    }
  }
  const response: HttpResponse = { statusCode, headers, body };
  return { ok: true, response };
}

/** The REST API (payload 1.0) adapter. */
export const rest: GatewayAdapter<APIGatewayProxyEvent> = {
  name: 'rest',
  toEvent: toRestEvent,
  fromResult: fromRestResult,
};
