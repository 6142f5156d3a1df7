/**
 * Payload format 2.0: API Gateway HTTP API (GATEWAYS.md §3) and Lambda function URLs (§5), which share
 * the event and the result shape but differ in paths, cookies, ids and error answers.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  LAMBDA_PAYLOAD_LIMIT,
  bodyFieldsProblem,
  readHeaderMap,
  clfTime,
  decodePath,
  decodeQueryComponent,
  decodeStrictBase64,
  gatewayResponse,
  headerValue,
  isPlainObject,
  isTextForGateway,
  jsonType,
  matchRoute,
  requestKey,
  resolveGatewayOptions,
  scopesOf,
  splitCookies,
  splitQuery,
  stableAlnum,
  stableShortId,
  stableUuid,
  traceId,
  type ResolvedGatewayOptions,
} from './common';
import type { GatewayAdapter, GatewayFault, GatewayOptions, GatewayVerdict, HttpRequest, HttpResponse, InvokeOutcome } from './types';
import { jwtClaims, parseStatusCode } from './v1';
import { ContractError } from '../errors';

type Flavour = 'http' | 'url';

/** Hop-by-hop request headers no gateway forwards. */
const DROPPED_REQUEST_HEADERS = new Set(['connection', 'content-length', 'expect', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const HTTP_ERROR_BODY = '{"message":"Internal Server Error"}';
const HTTP_TIMEOUT_BODY = '{"message":"Service Unavailable"}';
const URL_ERROR_BODY = 'Internal Server Error';

/** The function URL id: 32 lower-case alphanumerics derived from the API id, stable run to run. */
function urlId(o: ResolvedGatewayOptions): string {
  return stableAlnum(32, 'function-url', o.apiId, o.region);
}

function domainOf(flavour: Flavour, o: ResolvedGatewayOptions): { domainName: string; domainPrefix: string } {
  if (flavour === 'url') {
    const id = urlId(o);
    return { domainName: `${id}.lambda-url.${o.region}.on.aws`, domainPrefix: id };
  }
  return { domainName: `${o.apiId}.execute-api.${o.region}.amazonaws.com`, domainPrefix: o.apiId };
}

/** `requestContext.authorizer` in 2.0 (§3.2), or undefined when no authorizer ran. */
function v2Authorizer(o: ResolvedGatewayOptions, flavour: Flavour, accountId: string): Record<string, unknown> | undefined {
  const a = o.authorizer;
  if (!a) return undefined;
  if (a.type === 'iam') {
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
  if (flavour === 'url') {
    throw new ContractError('ERR_CONTRACT_CONFIG', `function URLs support only AWS_IAM auth; a ${a.type} authorizer cannot stand in front of a function URL`, { option: 'authorizer' });
  }
  if (a.type === 'jwt') return { jwt: { claims: jwtClaims(a.claims), scopes: scopesOf(a.claims, a.scopes) } };
  return { lambda: a.context ?? null };
}

function buildV2Event(request: HttpRequest, options: GatewayOptions | undefined, flavour: Flavour): APIGatewayProxyEventV2 {
  const o = resolveGatewayOptions(options);
  const key = requestKey(request, o.sequence);
  const stage = flavour === 'url' ? '$default' : (o.stage ?? '$default');
  const { domainName, domainPrefix } = domainOf(flavour, o);
  const routeKey = flavour === 'http' && request.route !== undefined ? `${request.routeMethod ?? request.method} ${request.route}` : '$default';

  // Names lower-cased, repeats joined with "," and no space (§3.1, §5).
  const headers: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  };
  const cookieValues: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || lower === 'host') continue;
    if (lower === 'cookie') {
      cookieValues.push(value);
      if (flavour === 'http') continue; // HTTP APIs move cookies out of the headers (§3.1); URLs keep both (§5)
      headers.cookie = headers.cookie === undefined ? value : `${headers.cookie}; ${value}`;
      continue;
    }
    add(name, value);
  }
  headers['user-agent'] ??= 'lambda-contract';
  const bodyLength = request.body?.length ?? 0;
  // HTTP APIs always send content-length ("0" without a body); function URLs only with one (§3.1, §5 captures).
  if (flavour === 'http' || bodyLength > 0) headers['content-length'] = String(bodyLength);
  headers.host = domainName;
  headers['x-amzn-trace-id'] = traceId(o.now, 'trace', key);
  headers['x-forwarded-for'] = o.sourceIp;
  headers['x-forwarded-port'] = '443';
  headers['x-forwarded-proto'] = 'https';
  if (flavour === 'url') {
    headers['x-amzn-tls-cipher-suite'] = 'TLS_AES_128_GCM_SHA256';
    headers['x-amzn-tls-version'] = 'TLSv1.3';
  }

  // rawPath: HTTP APIs decode it and prefix a named stage; function URLs keep the encoding (§3.1, §5).
  const decodedPath = decodePath(request.path);
  const stagePrefix = stage === '$default' ? '' : `/${stage}`;
  const rawPath = flavour === 'url' ? request.path : `${stagePrefix}${decodedPath}`;
  const httpPath = flavour === 'url' ? decodedPath : rawPath;

  const event: Record<string, unknown> = { version: '2.0', routeKey, rawPath, rawQueryString: request.rawQuery };
  const cookies = splitCookies(cookieValues);
  if (cookies.length > 0) event.cookies = cookies;
  event.headers = headers;

  const pairs = splitQuery(request.rawQuery);
  if (pairs.length > 0) {
    const query: Record<string, string> = {};
    for (const [rawName, rawValue] of pairs) {
      const name = decodeQueryComponent(rawName);
      const value = decodeQueryComponent(rawValue);
      query[name] = query[name] === undefined ? value : `${query[name]},${value}`; // repeats comma-joined (§3.1)
    }
    event.queryStringParameters = query;
  }

  if (flavour === 'http' && request.route !== undefined) {
    const matched = matchRoute(request.route, request.path);
    if (matched && Object.keys(matched).length > 0) {
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(matched)) params[name] = decodePath(value.replace(/^\/+/, '').replace(/\/+$/, ''));
      event.pathParameters = params;
    }
  }
  if (flavour === 'http' && o.stageVariables) event.stageVariables = o.stageVariables;

  const accountId = flavour === 'url' ? (o.authorizer?.type === 'iam' ? o.accountId : 'anonymous') : o.accountId;
  const requestContext: Record<string, unknown> = { accountId, apiId: domainPrefix };
  const authorizer = v2Authorizer(o, flavour, o.accountId);
  if (authorizer) requestContext.authorizer = authorizer;
  Object.assign(requestContext, {
    domainName,
    domainPrefix,
    http: { method: request.method, path: httpPath, protocol: 'HTTP/1.1', sourceIp: o.sourceIp, userAgent: headers['user-agent'] },
    requestId: flavour === 'url' ? stableUuid('request', key) : stableShortId('request', key),
    routeKey,
    stage,
    time: clfTime(o.now),
    timeEpoch: o.now.getTime(),
  });
  event.requestContext = requestContext;

  const contentType = headerValue(request.headers, 'content-type');
  // isBase64Encoded is true for every non-text type, and for a request without Content-Type (§3.1).
  const binary = !isTextForGateway(contentType);
  if (bodyLength > 0 && request.body) event.body = binary ? request.body.toString('base64') : request.body.toString('utf8');
  event.isBase64Encoded = binary;
  return event as unknown as APIGatewayProxyEventV2;
}

/** Builds the payload-2.0 event an HTTP API sends for `request` (§3.1). */
export function toHttpEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEventV2 {
  return buildV2Event(request, options, 'http');
}

/** Builds the event a function URL sends for `request` (§5). */
export function toUrlEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEventV2 {
  return buildV2Event(request, options, 'url');
}

function fault(flavour: Flavour, kind: GatewayFault['kind'], reason: string): GatewayVerdict {
  let response: HttpResponse;
  if (flavour === 'url') response = gatewayResponse(502, URL_ERROR_BODY, [['Content-Type', 'text/plain']]);
  else if (kind === 'timeout') response = gatewayResponse(503, HTTP_TIMEOUT_BODY, [['Content-Type', 'application/json']]);
  else response = gatewayResponse(500, HTTP_ERROR_BODY, [['Content-Type', 'application/json']]);
  return { ok: false, fault: { kind, reason, response } };
}

/** Judges a 2.0 result (§3.3, §5): a structured response when it is an object with `statusCode`, else inferred. */
function fromV2Result(outcome: InvokeOutcome, flavour: Flavour): GatewayVerdict {
  const who = flavour === 'url' ? 'the function URL' : 'the HTTP API';
  if (outcome.kind === 'timeout') {
    return fault(flavour, 'timeout', `the function did not answer within ${outcome.timeoutMs} ms; ${who} answers ${flavour === 'url' ? 502 : 503}`);
  }
  if (outcome.kind === 'threw') {
    return fault(flavour, 'function_error', `the function raised ${outcome.errorType}: ${outcome.errorMessage}; ${who} answers ${flavour === 'url' ? 502 : 500}`);
  }
  const size = Buffer.byteLength(outcome.payload, 'utf8');
  if (size > LAMBDA_PAYLOAD_LIMIT) return fault(flavour, 'payload_too_large', `the response payload is ${size} bytes, over Lambda's 6 MB limit`);
  const malformed = (reason: string): GatewayVerdict => fault(flavour, 'malformed_result', `malformed Lambda response (payload 2.0): ${reason}`);

  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(outcome.payload);
  } catch {
    isJson = false;
  }
  if (!isJson || !isPlainObject(parsed) || !Object.hasOwn(parsed, 'statusCode')) {
    // Inference: 200, application/json, the payload text as the body; a JSON string is unwrapped (§3.3, §5).
    const text = isJson && typeof parsed === 'string' ? parsed : outcome.payload;
    return { ok: true, response: { statusCode: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(text, 'utf8') } };
  }
  const r = parsed;
  const statusCode = parseStatusCode(r.statusCode);
  // Numeric strings: validated for function URLs (§5), assumed alike for HTTP APIs [?].
  if (statusCode === undefined) return malformed(`statusCode must be an integer from 100 to 599, got ${JSON.stringify(r.statusCode)}`);
  const bodyProblem = bodyFieldsProblem(r);
  if (bodyProblem) return malformed(bodyProblem);
  const read = readHeaderMap(r.headers, ' (2.0 has no multiValueHeaders: join values with ",", and return cookies in `cookies`)');
  if ('problem' in read) return malformed(read.problem);
  const headers = read.lines;
  // multiValueHeaders is not part of 2.0: ignored, like any unknown key (§3.3).
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return malformed(`cookies must be an array of strings, got ${jsonType(r.cookies)}`);
    for (const cookie of r.cookies) {
      if (typeof cookie !== 'string') return malformed(`cookies must be an array of strings, found a ${jsonType(cookie)}`);
      headers.push(['Set-Cookie', cookie]); // one Set-Cookie per element (§3.3)
    }
  }
  if (headerValue(headers, 'content-type') === undefined) {
    // HTTP API: text/plain; function URLs: application/json, even with an explicit statusCode (§3.3, §5).
    headers.push(['Content-Type', flavour === 'url' ? 'application/json' : 'text/plain; charset=utf-8']);
  }
  const text = typeof r.body === 'string' ? r.body : '';
  let body: Buffer = Buffer.from(text, "utf8");
  if (r.isBase64Encoded === true) {
    const decoded = decodeStrictBase64(text);
    if (!decoded) return fault(flavour, 'undecodable_body', `isBase64Encoded is true but the body is not valid base64; ${who} answers ${flavour === 'url' ? 502 : 500}`);
    body = decoded;
  }
  return { ok: true, response: { statusCode, headers, body } };
}

/** Judges a result as an HTTP API with payload 2.0 does (§3.3). */
export function fromHttpResult(outcome: InvokeOutcome, _request?: HttpRequest, _options?: GatewayOptions): GatewayVerdict {
  return fromV2Result(outcome, 'http');
}

/** Judges a result as a function URL does (§5). */
export function fromUrlResult(outcome: InvokeOutcome, _request?: HttpRequest, _options?: GatewayOptions): GatewayVerdict {
  return fromV2Result(outcome, 'url');
}

export const http: GatewayAdapter<APIGatewayProxyEventV2> = { name: 'http', toEvent: toHttpEvent, fromResult: fromHttpResult };
export const url: GatewayAdapter<APIGatewayProxyEventV2> = { name: 'url', toEvent: toUrlEvent, fromResult: fromUrlResult };
