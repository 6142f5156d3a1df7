/**
 * Application Load Balancer with a Lambda target group (GATEWAYS.md §6): one service in two modes,
 * single-value (`alb`) and with `lambda.multi_value_headers.enabled` (`alb-multi`).
 */
import type { ALBEvent } from 'aws-lambda';
import { requestKey, stableAlnum, traceId } from './ids';
import { resolveGatewayOptions, type ResolvedGatewayOptions } from './options';
import { decodeStrictBase64, defineSource, gatewayResponse, isPlainObject, jsonType, REQUEST_BODY_LIMITS, resultObject, type Payload, type Reading, type SourceProfile } from './pipeline';
import { headerValue, isTextForGateway, splitQuery } from './wire';
import { ContractError } from '../errors';
import type { GatewayOptions, HttpRequest } from './types';

type Mode = 'single' | 'multi';

/** ALB's limit on the response headers of a Lambda target (§6.2). */
const ALB_HEADER_LIMIT = 32 * 1024;

const DROPPED_REQUEST_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Hop-by-hop response headers ALB ignores (§6.2); Content-Length is ALB's own. */
const IGNORED_RESPONSE_HEADERS = new Set(['connection', 'transfer-encoding', 'content-length']);

const ERROR_PAGE = [
  '<html>',
  '<head><title>502 Bad Gateway</title></head>',
  '<body>',
  '<center><h1>502 Bad Gateway</h1></center>',
  '</body>',
  '</html>',
  '',
].join('\r\n');

function albHost(o: ResolvedGatewayOptions): string {
  return `lc-alb-${stableAlnum(10, 'alb', o.apiId)}.${o.region}.elb.amazonaws.com`;
}

function targetGroupArn(o: ResolvedGatewayOptions): string {
  return `arn:aws:elasticloadbalancing:${o.region}:${o.accountId}:targetgroup/lambda-contract/${stableAlnum(16, 'tg', o.apiId)}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The headers ALB's `authenticate-oidc` action adds for an authenticated user (ELB guide): identity, claims, token. */
function oidcHeaders(o: ResolvedGatewayOptions): Array<[string, string]> {
  const a = o.authorizer;
  if (!a) return [];
  if (a.type !== 'jwt') {
    throw new ContractError('ERR_CONTRACT_CONFIG', `an ALB authenticates users with OIDC or Cognito (claims: { type: 'jwt' }), not a ${a.type} authorizer`, { option: 'authorizer' });
  }
  const sub = typeof a.claims.sub === 'string' ? a.claims.sub : 'lambda-contract-user';
  // x-amzn-oidc-data is an ES256-signed JWT; its signature is not something a handler can verify offline here.
  const data = `${base64url({ typ: 'JWT', kid: 'lambda-contract', alg: 'ES256', iss: a.claims.iss ?? 'https://issuer.example', client: 'lambda-contract', signer: targetGroupArn(o), exp: Math.floor(o.now.getTime() / 1000) + 120 })}.${base64url(a.claims)}.${Buffer.from('signature').toString('base64url')}`;
  return [
    ['x-amzn-oidc-accesstoken', `${base64url({ alg: 'none' })}.${base64url({ sub, scope: (a.scopes ?? []).join(' ') })}.`],
    ['x-amzn-oidc-identity', sub],
    ['x-amzn-oidc-data', data],
  ];
}

function buildAlbEvent(request: HttpRequest, options: GatewayOptions | undefined, mode: Mode): ALBEvent {
  const o = resolveGatewayOptions(options);
  const key = requestKey(request, o.sequence);
  const lines: Array<[string, string]> = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_REQUEST_HEADERS.has(lower) || lower === 'host' || lower === 'content-length' || lower.startsWith('x-amzn-oidc-')) continue;
    lines.push([lower, value]);
  }
  const bodyLength = request.body?.length ?? 0;
  if (bodyLength > 0) lines.push(['content-length', String(bodyLength)]); // as the client sent it (§6.1)
  lines.push(['host', albHost(o)]);
  lines.push(['x-amzn-trace-id', traceId(o.now, 'trace', key)]);
  lines.push(['x-forwarded-for', o.sourceIp]);
  lines.push(['x-forwarded-port', '443']);
  lines.push(['x-forwarded-proto', 'https']);
  lines.push(...oidcHeaders(o));

  const event: Record<string, unknown> = {
    requestContext: { elb: { targetGroupArn: targetGroupArn(o) } },
    httpMethod: request.method,
    path: request.path, // raw, percent-encoding kept (§6.1)
  };
  // Query keys and values reach the function exactly as sent, not decoded (§6.1).
  const pairs = splitQuery(request.rawQuery);
  if (mode === 'single') {
    const query: Record<string, string> = {};
    for (const [name, value] of pairs) query[name] = value; // a repeated key keeps its last value
    const headers: Record<string, string> = {};
    for (const [name, value] of lines) headers[name] = value;
    event.queryStringParameters = query;
    event.headers = headers;
  } else {
    const query: Record<string, string[]> = {};
    for (const [name, value] of pairs) (query[name] ??= []).push(value);
    const headers: Record<string, string[]> = {};
    for (const [name, value] of lines) (headers[name] ??= []).push(value);
    event.multiValueQueryStringParameters = query;
    event.multiValueHeaders = headers;
  }
  // Body: base64 with a content-encoding or a non-text type; "" when there is none (§6.1).
  const contentType = headerValue(request.headers, 'content-type');
  const binary = bodyLength > 0 && (headerValue(request.headers, 'content-encoding') !== undefined || !isTextForGateway(contentType));
  event.body = bodyLength > 0 && request.body ? request.body.toString(binary ? 'base64' : 'utf8') : '';
  event.isBase64Encoded = binary;
  return event as unknown as ALBEvent;
}

export function toAlbEvent(request: HttpRequest, options?: GatewayOptions): ALBEvent {
  return buildAlbEvent(request, options, 'single');
}

export function toAlbMultiEvent(request: HttpRequest, options?: GatewayOptions): ALBEvent {
  return buildAlbEvent(request, options, 'multi');
}

/** The result rules (§6.2): strict about nulls and types, only the mode's header field counts. */
function readAlbResult(payload: Payload, mode: Mode): Reading {
  const object = resultObject(payload, 'statusCode');
  if ('malformed' in object) return object;
  const r = object.value;
  for (const k of ['statusCode', 'statusDescription', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']) {
    if (r[k] === null) return { malformed: `"${k}" is null; ALB rejects null fields (omit the key instead)` };
  }
  if (r.statusCode === undefined) return { malformed: 'statusCode is required' };
  // A number, as ALB parses it; numeric strings are not accepted (docs/unconfirmed.md).
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    return { malformed: `statusCode must be an integer from 100 to 599, got ${JSON.stringify(r.statusCode)}` };
  }
  if (r.statusDescription !== undefined && typeof r.statusDescription !== 'string') {
    return { malformed: `statusDescription must be a string like "200 OK", got ${jsonType(r.statusDescription)}` };
  }
  if (r.body !== undefined && typeof r.body !== 'string') return { malformed: `body must be a string, got ${jsonType(r.body)} (serialize it with JSON.stringify)` };
  if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== 'boolean') return { malformed: `isBase64Encoded must be a boolean, got ${jsonType(r.isBase64Encoded)}` };

  // Only the header field of the target group's mode counts; the other is ignored.
  const field = mode === 'single' ? 'headers' : 'multiValueHeaders';
  const headers: Array<[string, string]> = [];
  const raw = r[field];
  if (raw !== undefined) {
    if (!isPlainObject(raw)) return { malformed: `${field} must be an object, got ${jsonType(raw)}` };
    for (const [name, value] of Object.entries(raw)) {
      const values = mode === 'multi' ? value : [value];
      if (!Array.isArray(values)) return { malformed: `multiValueHeaders ${JSON.stringify(name)} must be an array of strings, got ${jsonType(value)}` };
      for (const v of values) {
        if (typeof v !== 'string') return { malformed: `header ${JSON.stringify(name)} must be a string, got ${jsonType(v)}; ALB rejects non-string header values` };
        if (!IGNORED_RESPONSE_HEADERS.has(name.toLowerCase())) headers.push([name, v]);
      }
    }
  }
  const headerBytes = headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  if (headerBytes > ALB_HEADER_LIMIT) return { malformed: `the response headers are ${headerBytes} bytes; ALB accepts at most 32 KB` };
  if (headerValue(headers, 'content-type') === undefined) headers.push(['Content-Type', 'application/octet-stream']);

  const text = typeof r.body === 'string' ? r.body : '';
  let body: Buffer = Buffer.from(text, 'utf8');
  if (r.isBase64Encoded === true) {
    const decoded = decodeStrictBase64(text);
    if (!decoded) return { malformed: 'isBase64Encoded is true but the body is not valid single-line base64' };
    body = decoded;
  }
  return { response: { statusCode: r.statusCode, headers, body } };
}

/** What both modes share: limits, the HTML 502 for every failure, no routes of their own, no Lambda authorizers. */
function albProfile(name: 'alb' | 'alb-multi', mode: Mode, toEvent: (request: HttpRequest, options?: GatewayOptions) => ALBEvent): SourceProfile<ALBEvent> {
  return {
    name,
    label: 'ALB',
    malformedPrefix: 'LambdaInvalidResponse: ',
    defaultContentType: 'application/octet-stream',
    requestBodyLimit: REQUEST_BODY_LIMITS.alb,
    // The response JSON a Lambda target may return (§6.2).
    responseLimit: 1024 * 1024,
    acceptsAuthorizer: false,
    tooLargeAnswer: () => ({ statusCode: 413, headers: [['Content-Type', 'text/html']], body: Buffer.from('<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center></body></html>\n') }),
    faultResponse: () => gatewayResponse(502, ERROR_PAGE, [['Content-Type', 'text/html'], ['Server', 'awselb/2.0']]),
    toEvent,
    readResult: (payload) => readAlbResult(payload, mode),
  };
}

export const alb = defineSource(albProfile('alb', 'single', toAlbEvent));
export const albMulti = defineSource(albProfile('alb-multi', 'multi', toAlbMultiEvent));
