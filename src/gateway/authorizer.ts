/**
 * API Gateway's side of Lambda authorizers: the identity sources a request must carry, the authorizer
 * event, and the answer read the gateway's way (401, 403, 500, or the caller's context).
 */
import { ContractError } from '../errors';
import { toHttpEvent } from './http';
import { SOURCES } from './index';
import { toHttpV1Event } from './http-v1';
import { resolveGatewayOptions } from './options';
import { gatewayResponse, isPlainObject, jsonType } from './pipeline';
import { toRestEvent } from './rest';
import type { AuthorizerContext, GatewayFault, GatewayOptions, HttpRequest, HttpResponse, InvokeOutcome, SourceName } from './types';
import { decodeQueryComponent, headerValue, splitCookies, splitQuery } from './wire';

/** How the gateway calls the authorizer, as configured on the API. */
export interface AuthorizerSettings {
  /** REST only: `TOKEN` (one header's value) or `REQUEST` (the whole request). Default `REQUEST`. */
  type?: 'TOKEN' | 'REQUEST';
  /**
   * Where the identity comes from, in API Gateway's syntax: `method.request.header.Authorization` (REST),
   * `$request.header.Authorization`, `$request.querystring.token` (HTTP API). A request missing any of
   * them is refused with 401 without calling the authorizer. Default: the `Authorization` header.
   */
  identitySource?: string | string[];
  /** HTTP APIs: the authorizer payload format. Default `2.0`. */
  payloadFormatVersion?: '1.0' | '2.0';
  /** HTTP APIs, payload 2.0: the authorizer may answer `{ isAuthorized, context }`. Default true. */
  enableSimpleResponses?: boolean;
}

/** What the gateway decided about a request after its authorizer answered. */
export type AuthorizerDecision = (
  | { allowed: true; authorizer: AuthorizerContext; result: unknown }
  | { allowed: false; fault: GatewayFault }
) & {
  /** The event the authorizer received (absent when the gateway refused without calling it). */
  event?: unknown;
};

/** Whether a Lambda authorizer can stand in front of the source (API Gateway's; not function URLs or ALBs). */
export function acceptsAuthorizer(source: SourceName): boolean {
  return SOURCES[source].acceptsAuthorizer;
}

interface IdentityRef {
  kind: 'header' | 'querystring' | 'stageVariables' | 'context';
  name: string;
  raw: string;
}

/** Parses `method.request.header.X` / `$request.header.X` / `$request.querystring.q` / `$stageVariables.v` / `$context.x`. */
export function parseIdentitySource(text: string): IdentityRef {
  const t = text.trim();
  const m = /^(?:method\.request\.|\$request\.)(header|querystring)\.(.+)$/.exec(t) ?? /^(?:\$|)(stageVariables|context)\.(.+)$/.exec(t);
  if (!m || m[1] === undefined || m[2] === undefined) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `authorizer identitySource ${JSON.stringify(text)} is not a mapping expression like "$request.header.Authorization" or "method.request.header.Authorization"`, { option: 'authorizer.identitySource' });
  }
  return { kind: m[1] as IdentityRef['kind'], name: m[2], raw: t };
}

function identityValue(ref: IdentityRef, request: HttpRequest, gateway: GatewayOptions): string | undefined {
  if (ref.kind === 'header') return headerValue(request.headers, ref.name);
  if (ref.kind === 'querystring') {
    for (const [k, v] of splitQuery(request.rawQuery)) if (decodeQueryComponent(k) === ref.name) return decodeQueryComponent(v);
    return undefined;
  }
  if (ref.kind === 'stageVariables') return gateway.stageVariables?.[ref.name];
  return ref.name === 'identity.sourceIp' ? resolveGatewayOptions(gateway).sourceIp : undefined;
}

function arnFor(request: HttpRequest, gateway: GatewayOptions, stage: string): string {
  const o = resolveGatewayOptions(gateway);
  return `arn:aws:execute-api:${o.region}:${o.accountId}:${o.apiId}/${stage}/${request.method}${request.path}`;
}

/** Which gateway's words the refusal uses. */
export function refusal(source: SourceName, status: 401 | 403 | 500, reason: string, explicitDeny = false): GatewayFault {
  let body: string;
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  if (source === 'rest') {
    if (status === 401) body = '{"message":"Unauthorized"}';
    else if (status === 403) body = explicitDeny ? '{"Message":"User is not authorized to access this resource with an explicit deny"}' : '{"Message":"User is not authorized to access this resource"}';
    else body = '{"message": null}';
    headers.push(['x-amzn-ErrorType', status === 401 ? 'UnauthorizedException' : status === 403 ? 'AccessDeniedException' : 'AuthorizerConfigurationException']);
  } else {
    body = status === 401 ? '{"message":"Unauthorized"}' : status === 403 ? '{"message":"Forbidden"}' : '{"message":"Internal Server Error"}';
  }
  const response: HttpResponse = gatewayResponse(status, body, headers);
  return { kind: status === 500 ? 'authorizer_error' : 'unauthorized', reason, response };
}

/** The authorizer event API Gateway sends (REST TOKEN/REQUEST, HTTP API REQUEST 1.0/2.0). */
export function authorizerEvent(spec: AuthorizerSettings, request: HttpRequest, source: SourceName, gateway: GatewayOptions, identity: string[]): unknown {
  const o = resolveGatewayOptions(gateway);
  const { authorizer: _none, ...bare } = gateway; // the authorizer runs before any authorizer context exists
  if (source === 'rest') {
    const stage = o.stage ?? 'prod';
    const methodArn = arnFor(request, gateway, stage);
    if (spec.type === 'TOKEN') return { type: 'TOKEN', methodArn, authorizationToken: identity[0] ?? '' };
    const proxy = toRestEvent(request, bare) as unknown as Record<string, unknown>;
    const { body: _b, isBase64Encoded: _i, ...rest } = proxy;
    // The REQUEST authorizer input shows empty maps as {} where the proxy event has null (AWS docs example).
    for (const key of ['queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables']) rest[key] ??= {};
    return { type: 'REQUEST', methodArn, ...rest };
  }
  const version = spec.payloadFormatVersion ?? '2.0';
  const stage = o.stage ?? '$default';
  const arn = arnFor(request, gateway, stage);
  if (version === '1.0') {
    const proxy = toHttpV1Event(request, bare) as unknown as Record<string, unknown>;
    const { body: _b, isBase64Encoded: _i, version: _v, ...rest } = proxy;
    const joined = identity.join(',');
    return { version: '1.0', type: 'REQUEST', methodArn: arn, identitySource: joined, authorizationToken: joined, ...rest };
  }
  const proxy = toHttpEvent(request, bare) as unknown as Record<string, unknown>;
  const { body: _b, isBase64Encoded: _i, version: _v, routeKey, rawPath, rawQueryString, ...rest } = proxy;
  const event: Record<string, unknown> = { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: identity, routeKey, rawPath, rawQueryString };
  const cookies = splitCookies(request.headers.filter(([k]) => k.toLowerCase() === 'cookie').map(([, v]) => v));
  if (cookies.length > 0) event.cookies = cookies;
  return Object.assign(event, rest);
}

/** Whether an IAM policy Resource pattern (`*` and `?` wildcards) covers the ARN. */
function resourceMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);
  return re.test(arn);
}

function actionMatches(action: unknown): boolean {
  const list = Array.isArray(action) ? action : [action];
  return list.some((a) => typeof a === 'string' && /^(\*|execute-api:\*|execute-api:invoke)$/i.test(a));
}

type PolicyDecision = { effect: 'allow' | 'deny' | 'implicit' } | { error: string };

/** Evaluates an IAM policy document for the method ARN: an explicit Deny wins, then Allow, else implicit deny. */
export function evaluatePolicy(policy: unknown, arn: string): PolicyDecision {
  if (!isPlainObject(policy)) return { error: `policyDocument must be an object, got ${jsonType(policy)}` };
  const statements = Array.isArray(policy.Statement) ? policy.Statement : isPlainObject(policy.Statement) ? [policy.Statement] : undefined;
  if (!statements) return { error: 'policyDocument.Statement must be an array of statements' };
  let allowed = false;
  for (const [i, s] of statements.entries()) {
    if (!isPlainObject(s)) return { error: `policyDocument.Statement[${i}] must be an object` };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { error: `policyDocument.Statement[${i}].Effect must be "Allow" or "Deny", got ${JSON.stringify(s.Effect)}` };
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    if (resources.some((r) => typeof r !== 'string')) return { error: `policyDocument.Statement[${i}].Resource must be an ARN string or a list of them` };
    if (!actionMatches(s.Action) || !(resources as string[]).some((r) => resourceMatches(r, arn))) continue;
    if (s.Effect === 'Deny') return { effect: 'deny' };
    allowed = true;
  }
  return { effect: allowed ? 'allow' : 'implicit' };
}


/**
 * The identity-source values the authorizer receives, or the gateway's 401 when the request lacks one
 * (the authorizer is then not called). Throws ERR_CONTRACT_CONFIG behind a source without authorizers.
 */
export function authorizerIdentity(spec: AuthorizerSettings, request: HttpRequest, source: SourceName, gateway: GatewayOptions = {}): { identity: string[] } | { fault: GatewayFault } {
  if (!acceptsAuthorizer(source)) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `Lambda authorizers run in front of REST and HTTP APIs only, not behind source "${source}"`, { option: 'authorizer', source });
  }
  const given = Array.isArray(spec.identitySource) ? spec.identitySource : spec.identitySource !== undefined ? [spec.identitySource] : [source === 'rest' ? 'method.request.header.Authorization' : '$request.header.Authorization'];
  const identity: string[] = [];
  for (const ref of given.map(parseIdentitySource)) {
    const value = identityValue(ref, request, gateway);
    if (value === undefined || value === '') {
      return { fault: refusal(source, 401, `the request has no ${ref.raw}, the authorizer's identity source; the gateway answers 401 without calling the authorizer`) };
    }
    identity.push(value);
  }
  return { identity };
}

/** Interprets the authorizer's invocation outcome as the source's gateway does. */
export function judgeAuthorizerAnswer(spec: AuthorizerSettings, request: HttpRequest, source: SourceName, gateway: GatewayOptions, outcome: InvokeOutcome, latencyMs: number): AuthorizerDecision {
  if (outcome.kind === 'timeout') return { allowed: false, fault: refusal(source, 500, `the authorizer did not answer within ${outcome.timeoutMs} ms`) };
  if (outcome.kind === 'threw') {
    if (outcome.errorMessage === 'Unauthorized') return { allowed: false, fault: refusal(source, 401, 'the authorizer raised "Unauthorized"') };
    return { allowed: false, fault: refusal(source, 500, `the authorizer raised ${outcome.errorType}: ${outcome.errorMessage}`) };
  }
  let answer: unknown;
  try {
    answer = JSON.parse(outcome.payload);
  } catch {
    return { allowed: false, fault: refusal(source, 500, 'the authorizer returned something that is not JSON') };
  }
  const bad = (why: string): AuthorizerDecision => ({ allowed: false, fault: refusal(source, 500, `malformed authorizer answer: ${why}`) });
  if (!isPlainObject(answer)) return bad(`expected an object, got ${jsonType(answer)}`);
  const latency = Math.round(latencyMs);
  const simple = source !== 'rest' && (spec.payloadFormatVersion ?? '2.0') === '2.0' && spec.enableSimpleResponses !== false;

  if (simple && Object.hasOwn(answer, 'isAuthorized')) {
    if (typeof answer.isAuthorized !== 'boolean') return bad(`isAuthorized must be a boolean, got ${jsonType(answer.isAuthorized)}`);
    if (answer.context !== undefined && answer.context !== null && !isPlainObject(answer.context)) return bad(`context must be an object, got ${jsonType(answer.context)}`);
    if (!answer.isAuthorized) return { allowed: false, fault: refusal(source, 403, 'the authorizer answered isAuthorized: false') };
    const context = isPlainObject(answer.context) ? answer.context : undefined;
    return { allowed: true, result: answer, authorizer: { type: 'lambda', ...(context ? { context } : {}), integrationLatency: latency } };
  }

  if (source === 'rest' && typeof answer.principalId !== 'string') return bad(`principalId must be a string, got ${jsonType(answer.principalId)}`);
  if (answer.policyDocument === undefined) {
    return bad(simple ? 'expected { isAuthorized, context } or an IAM policy { principalId, policyDocument }' : 'policyDocument is missing; an authorizer answers { principalId, policyDocument, context }');
  }
  const stage = resolveGatewayOptions(gateway).stage ?? (source === 'rest' ? 'prod' : '$default');
  const decision = evaluatePolicy(answer.policyDocument, arnFor(request, gateway, stage));
  if ('error' in decision) return bad(decision.error);
  let context: Record<string, unknown> | undefined;
  if (answer.context !== undefined && answer.context !== null) {
    if (!isPlainObject(answer.context)) return bad(`context must be an object, got ${jsonType(answer.context)}`);
    if (source === 'rest') {
      // REST context values may only be strings, numbers and booleans (GATEWAYS.md §2.5).
      const nested = Object.entries(answer.context).find(([, v]) => v !== null && typeof v === 'object');
      if (nested) return bad(`context.${nested[0]} is a ${jsonType(nested[1])}; REST authorizer context values must be strings, numbers or booleans`);
    }
    context = answer.context;
  }
  if (decision.effect !== 'allow') {
    return { allowed: false, fault: refusal(source, 403, decision.effect === 'deny' ? 'the authorizer policy explicitly denies this method' : 'the authorizer policy allows no statement covering this method', decision.effect === 'deny') };
  }
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : undefined;
  return { allowed: true, result: answer, authorizer: { type: 'lambda', ...(principalId !== undefined ? { principalId } : {}), ...(context ? { context } : {}), integrationLatency: latency } };
}
