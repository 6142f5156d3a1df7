/**
 * Payload format 2.0, the event and result shape HTTP APIs and function URLs share: the pieces both
 * assemble, and the 2.0 result rules (GATEWAYS.md §3, §5).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clfTime } from './ids';
import type { ResolvedGatewayOptions } from './options';
import { decodeStrictBase64, jsonType, isPlainObject, bodyFieldsProblem, parseStatusCode, readHeaderMap, type Payload, type Reading } from './pipeline';
import type { AuthorizerContext, HttpRequest } from './types';
import { decodeQueryComponent, headerValue, isTextForGateway, splitCookies, splitQuery } from './wire';

/** Hop-by-hop request headers no gateway forwards. */
const DROPPED_REQUEST_HEADERS = new Set(['connection', 'content-length', 'expect', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * The client's headers as 2.0 carries them: names lower-cased, repeats joined with "," (§3.1, §5), and
 * the `Cookie` values; `keepCookieHeader` also leaves them in the headers, joined with "; " (§5).
 */
export function v2ClientHeaders(request: HttpRequest, keepCookieHeader: boolean): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookieValues: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || lower === 'host') continue;
    if (lower === 'cookie') {
      cookieValues.push(value);
      if (keepCookieHeader) headers.cookie = headers.cookie === undefined ? value : `${headers.cookie}; ${value}`;
      continue;
    }
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  headers['user-agent'] ??= 'lambda-contract';
  return { headers, cookies: splitCookies(cookieValues) };
}

/** `queryStringParameters`: decoded, repeats comma-joined (§3.1); undefined when there is no query. */
export function v2Query(rawQuery: string): Record<string, string> | undefined {
  const pairs = splitQuery(rawQuery);
  if (pairs.length === 0) return undefined;
  const query: Record<string, string> = {};
  for (const [rawName, rawValue] of pairs) {
    const name = decodeQueryComponent(rawName);
    const value = decodeQueryComponent(rawValue);
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  return query;
}

/** `requestContext.authorizer.iam` for AWS_IAM callers (§3.2). */
export function v2IamAuthorizer(a: Extract<AuthorizerContext, { type: 'iam' }>, accountId: string): Record<string, unknown> {
  return {
    iam: {
      accessKey: a.accessKey ?? 'ASIAEXAMPLEACCESSKEY',
      accountId: a.accountId ?? accountId,
      callerId: a.callerId ?? 'AIDAEXAMPLECALLER',
      cognitoIdentity: a.cognitoIdentity ?? null,
      principalOrgId: a.principalOrgId ?? null,
      userArn: a.userArn ?? `arn:aws:iam::${a.accountId ?? accountId}:user/lambda-contract`,
      userId: a.userId ?? a.callerId ?? 'AIDAEXAMPLECALLER',
    },
  };
}

/** What differs between the 2.0 events of HTTP APIs and function URLs; the rest is assembled alike. */
export interface V2Parts {
  routeKey: string;
  rawPath: string;
  /** `requestContext.http.path`. */
  httpPath: string;
  stage: string;
  domainName: string;
  domainPrefix: string;
  accountId: string;
  requestId: string;
  headers: Record<string, string>;
  cookies: string[];
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  authorizer?: Record<string, unknown>;
}

/** Assembles a 2.0 event in AWS's key order (§3.1, §5). */
export function v2Event(request: HttpRequest, o: ResolvedGatewayOptions, parts: V2Parts): APIGatewayProxyEventV2 {
  const event: Record<string, unknown> = { version: '2.0', routeKey: parts.routeKey, rawPath: parts.rawPath, rawQueryString: request.rawQuery };
  if (parts.cookies.length > 0) event.cookies = parts.cookies;
  event.headers = parts.headers;
  const query = v2Query(request.rawQuery);
  if (query) event.queryStringParameters = query;
  if (parts.pathParameters) event.pathParameters = parts.pathParameters;
  if (parts.stageVariables) event.stageVariables = parts.stageVariables;
  const requestContext: Record<string, unknown> = { accountId: parts.accountId, apiId: parts.domainPrefix };
  if (parts.authorizer) requestContext.authorizer = parts.authorizer;
  Object.assign(requestContext, {
    domainName: parts.domainName,
    domainPrefix: parts.domainPrefix,
    http: { method: request.method, path: parts.httpPath, protocol: 'HTTP/1.1', sourceIp: o.sourceIp, userAgent: parts.headers['user-agent'] },
    requestId: parts.requestId,
    routeKey: parts.routeKey,
    stage: parts.stage,
    time: clfTime(o.now),
    timeEpoch: o.now.getTime(),
  });
  event.requestContext = requestContext;
  // isBase64Encoded is true for every non-text type, and for a request without Content-Type (§3.1).
  const binary = !isTextForGateway(headerValue(request.headers, 'content-type'));
  if (request.body !== undefined && request.body.length > 0) event.body = request.body.toString(binary ? 'base64' : 'utf8');
  event.isBase64Encoded = binary;
  return event as unknown as APIGatewayProxyEventV2;
}

/**
 * The 2.0 result rules (§3.3, §5): an object with `statusCode` is a structured response; anything else
 * is inferred as 200 `application/json` with the payload as the body (a JSON string unwrapped).
 */
export function readV2Result(payload: Payload, defaultContentType: string): Reading {
  if (!payload.json || !isPlainObject(payload.value) || !Object.hasOwn(payload.value, 'statusCode')) {
    const text = payload.json && typeof payload.value === 'string' ? payload.value : payload.text;
    return { response: { statusCode: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(text, 'utf8') } };
  }
  const r = payload.value;
  // Numeric strings: validated for function URLs (§5), assumed alike for HTTP APIs (docs/unconfirmed.md).
  const statusCode = parseStatusCode(r.statusCode);
  if (statusCode === undefined) return { malformed: `statusCode must be an integer from 100 to 599, got ${JSON.stringify(r.statusCode)}` };
  const bodyProblem = bodyFieldsProblem(r);
  if (bodyProblem) return { malformed: bodyProblem };
  const read = readHeaderMap(r.headers, ' (2.0 has no multiValueHeaders: join values with ",", and return cookies in `cookies`)');
  if ('problem' in read) return { malformed: read.problem };
  const headers = read.lines;
  // multiValueHeaders is not part of 2.0: ignored, like any unknown key (§3.3).
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return { malformed: `cookies must be an array of strings, got ${jsonType(r.cookies)}` };
    for (const cookie of r.cookies) {
      if (typeof cookie !== 'string') return { malformed: `cookies must be an array of strings, found a ${jsonType(cookie)}` };
      headers.push(['Set-Cookie', cookie]); // one Set-Cookie per element (§3.3)
    }
  }
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', defaultContentType]);
  const text = typeof r.body === 'string' ? r.body : '';
  let body: Buffer = Buffer.from(text, 'utf8');
  if (r.isBase64Encoded === true) {
    const decoded = decodeStrictBase64(text);
    if (!decoded) return { undecodable: true };
    body = decoded;
  }
  return { response: { statusCode, headers, body } };
}
