/**
 * Requests through a template's JWT or Cognito authorizer: valid ones carry a token the run's issuer
 * minted for it, and the gate's probes (no token, expired, another issuer, audience or scope) carry
 * the token each must be refused for.
 */
import type { Operation } from '../document/model';
import type { RequestOverrides } from '../requests/cases';
import type { DeployedJwtAuthorizer, DeployedRoute } from '../deploy/model';
import { TokenGate, type LocalIssuer } from '../aws/identity';

/**
 * The overrides that send `token` in the gate's header: through the document's own security schemes
 * where one writes that header (so its credential-less cases still send none), else as the header
 * itself. `undefined` sends no token at all.
 */
export function withToken(op: Operation, overrides: RequestOverrides | undefined, header: string, token: string | undefined, bare = false): RequestOverrides {
  const base = { ...(overrides ?? {}) };
  const headers = Object.fromEntries(Object.entries(base.headers ?? {}).filter(([k]) => k.toLowerCase() !== header.toLowerCase()));
  if (token === undefined) return { ...base, headers, credentials: false };
  const writing = (op.security[0] ?? []).filter(({ scheme }) => writesHeader(scheme, header));
  if (writing.length > 0) {
    const given = base.credentials === false ? {} : { ...(base.credentials ?? {}) };
    for (const { scheme } of writing) given[scheme.name] = token;
    return { ...base, headers, credentials: given };
  }
  return { ...base, headers: { ...headers, [header]: bare ? token : `Bearer ${token}` } };
}

function writesHeader(scheme: Operation['security'][number][number]['scheme'], header: string): boolean {
  const authorization = header.toLowerCase() === 'authorization';
  if (scheme.type === 'http') return authorization && scheme.scheme !== 'basic';
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return authorization;
  return scheme.type === 'apiKey' && scheme.in === 'header' && scheme.paramName.toLowerCase() === header.toLowerCase();
}

/** One gate per JWT or Cognito authorizer (and scopes) the routes name, all trusting one issuer; by route. */
export async function routeGates(routes: ReadonlyArray<DeployedRoute | undefined>, issuerOf: () => Promise<LocalIssuer>, claims?: Record<string, unknown>): Promise<Map<DeployedRoute, TokenGate>> {
  const gates = new Map<DeployedRoute, TokenGate>();
  if (!routes.some((r) => r?.jwt)) return gates;
  const issuer = await issuerOf();
  const byAuthorizer = new Map<string, TokenGate>();
  for (const route of routes) {
    const jwt = route?.jwt;
    if (!route || !jwt) continue;
    const key = JSON.stringify([jwt.setting, jwt.scopes]);
    let gate = byAuthorizer.get(key);
    if (!gate) byAuthorizer.set(key, (gate = await TokenGate.of(jwt, issuer, claims)));
    gates.set(route, gate);
  }
  return gates;
}

/** The gates of {@link routeGates}, by the operation id each route serves. */
export async function tokenGatesOf(routed: ReadonlyArray<{ operation: Operation; route?: DeployedRoute }>, issuerOf: () => Promise<LocalIssuer>, claims?: Record<string, unknown>): Promise<Map<string, TokenGate>> {
  const byRoute = await routeGates(routed.map((r) => r.route), issuerOf, claims);
  const gates = new Map<string, TokenGate>();
  for (const { operation, route } of routed) {
    const gate = route ? byRoute.get(route) : undefined;
    if (gate) gates.set(operation.id, gate);
  }
  return gates;
}

/** The Cognito user pool a Lambda authorizer's code trusts, as its function's environment names it. */
export interface TrustedPool {
  /** The variable that names it (`USER_POOL_ID`). */
  variable: string;
  /** `https://cognito-idp.REGION.amazonaws.com/POOL`: the issuer the authorizer builds from it. */
  issuer: string;
  /** The app client, where a variable names one (`APP_CLIENT_ID`): the ID token's audience. */
  clientId?: string;
}

const POOL_ID = /^[a-z]{2}(?:-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/;
const POOL_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[^/]+$/;
const POOL_VARIABLE = /(?:^|_)(?:USER_?POOL|COGNITO(?:_?USER)?_?POOL)(?:_?ID)?$/i;
const CLIENT_VARIABLE = /(?:^|_)(?:APP_?|USER_?POOL_?|COGNITO_?)?CLIENT_?ID$/i;

/**
 * The pool an authorizer function's environment points at: a variable holding a pool's issuer URL or a
 * pool id (`us-east-1_AbC123`), else one named like a pool id (`USER_POOL_ID`) whatever it holds (a
 * stack's import stands in by its name). The issuer is built as authorizers build it, from AWS_REGION.
 */
export function poolTrustedBy(env: Readonly<Record<string, string>>): TrustedPool | undefined {
  const region = env.AWS_REGION ?? 'us-east-1';
  const entries = Object.entries(env).filter(([k]) => !/^(?:AWS_|LAMBDA_|_)/.test(k));
  const client = entries.find(([k, v]) => CLIENT_VARIABLE.test(k) && v !== '');
  const withClient = client ? { clientId: client[1] } : {};
  const url = entries.find(([, v]) => POOL_ISSUER.test(v));
  if (url) return { variable: url[0], issuer: url[1], ...withClient };
  const named = entries.find(([k, v]) => POOL_ID.test(v) && !CLIENT_VARIABLE.test(k)) ?? entries.find(([k, v]) => POOL_VARIABLE.test(k) && v !== '' && !CLIENT_VARIABLE.test(k));
  if (!named) return undefined;
  return { variable: named[0], issuer: `https://cognito-idp.${region}.amazonaws.com/${named[1]}`, ...withClient };
}

/** A token a Lambda authorizer is sent with every valid request, and where it came from (for the notes). */
export interface AuthorizerToken {
  /** The Lambda authorizer's name in the template. */
  authorizer: string;
  header: string;
  token: string;
  /** `a Cognito ID token the run minted for https://…/POOL (AuthorizerFunction's USER_POOL_ID)`. */
  why: string;
}

/**
 * For routes behind a Lambda authorizer whose function trusts a Cognito user pool: a Cognito ID token
 * the run's issuer mints for that pool (whose keys the run serves at the pool's JWKS URL), sent bare in
 * the authorizer's first identity header, as Cognito's clients send it. Inferred: what the authorizer
 * answers to it is a note, not a finding. By operation id.
 */
export async function authorizerTokensOf(
  routed: ReadonlyArray<{ operation: Operation; route?: DeployedRoute }>,
  environmentOf: (functionId: string) => Record<string, string> | undefined,
  issuerOf: () => Promise<LocalIssuer>,
  claims: Record<string, unknown> | undefined,
): Promise<Map<string, AuthorizerToken>> {
  const out = new Map<string, AuthorizerToken>();
  const minted = new Map<string, string>();
  for (const { operation, route } of routed) {
    const authorizer = route?.authorizer;
    if (!authorizer || route.jwt) continue;
    const env = environmentOf(authorizer.functionId);
    const pool = env ? poolTrustedBy(env) : undefined;
    if (!pool) continue;
    const source = authorizer.settings.identitySource;
    const first = (Array.isArray(source) ? source[0] : source?.split(',')[0])?.trim();
    const header = /header\.(.+)$/.exec(first ?? '')?.[1] ?? 'Authorization';
    let token = minted.get(pool.issuer);
    if (!token) {
      const cognito: DeployedJwtAuthorizer = { kind: 'cognito', name: authorizer.name, setting: authorizer.name, issuer: pool.issuer, audience: pool.clientId ? [pool.clientId] : [], scopes: [], header, claims: {} };
      token = await (await issuerOf()).mint(cognito, claims ? { claims } : {});
      minted.set(pool.issuer, token);
    }
    out.set(operation.id, { authorizer: authorizer.name, header, token, why: `a Cognito ID token the run minted for ${pool.issuer} (${authorizer.functionId}'s ${pool.variable})` });
  }
  return out;
}
