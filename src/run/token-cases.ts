/**
 * Requests through a template's JWT or Cognito authorizer: valid ones carry a token the run's issuer
 * minted for it, and the gate's probes (no token, expired, another issuer, audience or scope) carry
 * the token each must be refused for.
 */
import type { Operation } from '../document/model';
import type { RequestOverrides } from '../requests/cases';
import type { DeployedRoute } from '../deploy/model';
import { LocalIssuer, TokenGate } from '../aws/identity';

/**
 * The overrides that send `token` in the gate's header: through the document's own security schemes
 * where one writes that header (so its credential-less cases still send none), else as the header
 * itself. `undefined` sends no token at all.
 */
export function withToken(op: Operation, overrides: RequestOverrides | undefined, header: string, token: string | undefined): RequestOverrides {
  const base = { ...(overrides ?? {}) };
  const headers = Object.fromEntries(Object.entries(base.headers ?? {}).filter(([k]) => k.toLowerCase() !== header.toLowerCase()));
  if (token === undefined) return { ...base, headers, credentials: false };
  const writing = (op.security[0] ?? []).filter(({ scheme }) => writesHeader(scheme, header));
  if (writing.length > 0) {
    const given = base.credentials === false ? {} : { ...(base.credentials ?? {}) };
    for (const { scheme } of writing) given[scheme.name] = token;
    return { ...base, headers, credentials: given };
  }
  return { ...base, headers: { ...headers, [header]: `Bearer ${token}` } };
}

function writesHeader(scheme: Operation['security'][number][number]['scheme'], header: string): boolean {
  const authorization = header.toLowerCase() === 'authorization';
  if (scheme.type === 'http') return authorization && scheme.scheme !== 'basic';
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return authorization;
  return scheme.type === 'apiKey' && scheme.in === 'header' && scheme.paramName.toLowerCase() === header.toLowerCase();
}

/** One gate per JWT or Cognito authorizer the routes name, all trusting one issuer; by operation id. */
export async function tokenGatesOf(routed: ReadonlyArray<{ operation: Operation; route?: DeployedRoute }>): Promise<Map<string, TokenGate>> {
  const gates = new Map<string, TokenGate>();
  if (!routed.some((r) => r.route?.jwt)) return gates;
  const issuer = await LocalIssuer.start();
  const byAuthorizer = new Map<string, TokenGate>();
  for (const { operation, route } of routed) {
    const jwt = route?.jwt;
    if (!jwt) continue;
    const key = JSON.stringify([jwt.setting, jwt.scopes]);
    let gate = byAuthorizer.get(key);
    if (!gate) byAuthorizer.set(key, (gate = await TokenGate.of(jwt, issuer)));
    gates.set(operation.id, gate);
  }
  return gates;
}
