/**
 * Payload format 1.0, the event and result shape REST APIs and HTTP APIs (payload 1.0) share: the
 * pieces both assemble; each source's module decides what differs (GATEWAYS.md §2, §4).
 */
import { decodeQueryComponent, headerValue, splitQuery } from './wire';
import { requestKey, traceId } from './ids';
import { matchRoute } from './route-match';
import type { ResolvedGatewayOptions } from './options';
import { bodyFieldsProblem, jsonType, isPlainObject, parseStatusCode, readHeaderMap, renderHeaderValue } from './pipeline';
import type { HttpRequest } from './types';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Request headers API Gateway drops before the integration (§2.2). */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server',
  'te', 'trailer', 'upgrade', 'www-authenticate', 'transfer-encoding',
]);

export function executeApiDomain(o: ResolvedGatewayOptions): string {
  return `${o.apiId}.execute-api.${o.region}.amazonaws.com`;
}

/** The gateway's own request headers first (`extra` after them), then the client's minus dropped and overridden ones. */
export function v1HeaderLines(request: HttpRequest, o: ResolvedGatewayOptions, extra: Array<[string, string]> = []): Array<[string, string]> {
  const userAgent = headerValue(request.headers, 'user-agent') ?? 'lambda-contract';
  const own: Array<[string, string]> = [
    ['Host', executeApiDomain(o)],
    ['User-Agent', userAgent],
    ['X-Amzn-Trace-Id', traceId(o.now, 'trace', requestKey(request, o.sequence))],
    ['X-Forwarded-For', o.sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
    ...extra,
  ];
  const lines: Array<[string, string]> = [...own];
  const ownLower = new Set(own.map(([h]) => h.toLowerCase()));
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || ownLower.has(lower)) continue;
    lines.push([name, value]);
  }
  return lines;
}

/** `headers` (a repeated header keeps its last value) and `multiValueHeaders` (§2.1). */
export function v1HeaderMaps(lines: ReadonlyArray<[string, string]>): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of lines) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** `queryStringParameters` (last value wins) and `multiValueQueryStringParameters`, decoded; null when empty (§2.1, §4). */
export function v1QueryMaps(rawQuery: string): { query: Record<string, string> | null; multiQuery: Record<string, string[]> | null } {
  const pairs = splitQuery(rawQuery);
  if (pairs.length === 0) return { query: null, multiQuery: null };
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [rawName, rawValue] of pairs) {
    const name = decodeQueryComponent(rawName);
    const value = decodeQueryComponent(rawValue);
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  return { query, multiQuery };
}

/** `pathParameters` from the route, greedy values without leading or trailing slash (§2.1); null when none. */
export function v1PathParameters(request: HttpRequest, decode: (value: string) => string): Record<string, string> | null {
  const matched = request.route === undefined ? undefined : matchRoute(request.route, request.path);
  if (!matched || Object.keys(matched).length === 0) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(matched)) out[name] = decode(value.replace(/^\/+/, '').replace(/\/+$/, ''));
  return out;
}

/** `requestContext.identity`: the key set of a real capture; AWS_IAM fills the caller's identity (§2.4). */
export function v1Identity(o: ResolvedGatewayOptions, userAgent: string | null): Record<string, string | null> {
  const identity: Record<string, string | null> = {
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
    userAgent,
    user: null,
  };
  const a = o.authorizer;
  if (a?.type === 'iam') {
    identity.accountId = a.accountId ?? o.accountId;
    identity.caller = a.callerId ?? 'AIDAEXAMPLECALLER';
    identity.accessKey = a.accessKey ?? 'ASIAEXAMPLEACCESSKEY';
    identity.userArn = a.userArn ?? `arn:aws:iam::${identity.accountId}:user/lambda-contract`;
    identity.user = a.userId ?? identity.caller;
    identity.principalOrgId = a.principalOrgId ?? null;
  }
  return identity;
}

/** A 1.0 result's fields, checked: its status (undefined when absent), header lines and multi-value header lines. */
export interface V1Fields {
  statusCode: number | undefined;
  single: Array<[string, string]>;
  multi: Array<[string, string[]]>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Reads the status, body and both header maps of a 1.0 result, or says what the gateway rejects.
 * `statusRequired`: HTTP APIs refuse a result without one; REST reads it as 200 (§2.7, §4).
 */
export function readV1Fields(r: Record<string, unknown>, statusRequired: boolean): V1Fields | { malformed: string } {
  let statusCode: number | undefined;
  if (r.statusCode !== undefined) {
    statusCode = parseStatusCode(r.statusCode);
    if (statusCode === undefined) return { malformed: `statusCode must be an integer from 100 to 599 or a numeric string, got ${JSON.stringify(r.statusCode)}` };
  } else if (statusRequired) {
    return { malformed: 'statusCode is required in a payload 1.0 response' };
  }
  const bodyProblem = bodyFieldsProblem(r);
  if (bodyProblem) return { malformed: bodyProblem };
  const read = readHeaderMap(r.headers, ' (put repeated headers in multiValueHeaders)');
  if ('problem' in read) return { malformed: read.problem };
  const multi: Array<[string, string[]]> = [];
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (!isPlainObject(r.multiValueHeaders)) return { malformed: `multiValueHeaders must be an object of arrays, got ${jsonType(r.multiValueHeaders)}` };
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!Array.isArray(values)) return { malformed: `multiValueHeaders ${JSON.stringify(name)} must be an array, got ${jsonType(values)}` };
      const texts: string[] = [];
      for (const value of values) {
        const text = renderHeaderValue(value);
        if (text === undefined) return { malformed: `multiValueHeaders ${JSON.stringify(name)} holds a ${jsonType(value)}; values must be strings, numbers or booleans` };
        texts.push(text);
      }
      multi.push([name, texts]);
    }
  }
  return { statusCode, single: read.lines, multi, body: typeof r.body === 'string' ? r.body : '', isBase64Encoded: r.isBase64Encoded === true };
}

/** Appends a header line unless the same name (any case) and value is already there. */
export function addUnlessRepeated(lines: Array<[string, string]>, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (!lines.some(([n, v]) => n.toLowerCase() === lower && v === value)) lines.push([name, value]);
}

/** What differs between the payload-1.0 events of REST and of HTTP APIs; `v1Event` builds the rest. */
export interface V1EventParts {
  /** `1.0` for HTTP APIs; REST events carry no version. */
  version?: '1.0';
  resource: string;
  /** The header maps as the source builds them. */
  headers: { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> };
  /** Whether a body of this Content-Type arrives base64-encoded. */
  binary: (contentType: string | undefined) => boolean;
  /** How the source passes path parameter values (REST: as sent; HTTP APIs: decoded). */
  pathValue: (value: string) => string;
  stageVariables: Record<string, string> | undefined;
  requestContext: Record<string, unknown>;
}

/** A payload-1.0 event: the fields REST and HTTP API (1.0) events share, around the source's parts. */
export function v1Event(request: HttpRequest, parts: V1EventParts): APIGatewayProxyEvent {
  const { query, multiQuery } = v1QueryMaps(request.rawQuery);
  let body: string | null = null;
  let isBase64Encoded = false;
  if (request.body !== undefined && request.body.length > 0) {
    isBase64Encoded = parts.binary(headerValue(request.headers, 'content-type'));
    body = request.body.toString(isBase64Encoded ? 'base64' : 'utf8');
  }
  const event = {
    ...(parts.version ? { version: parts.version } : {}),
    resource: parts.resource,
    path: request.path,
    httpMethod: request.method,
    headers: parts.headers.headers,
    multiValueHeaders: parts.headers.multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    pathParameters: v1PathParameters(request, parts.pathValue),
    stageVariables: parts.stageVariables ?? null,
    requestContext: parts.requestContext,
    body,
    isBase64Encoded,
  };
  return event as unknown as APIGatewayProxyEvent;
}
