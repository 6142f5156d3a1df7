/**
 * A template's JWT and Cognito authorizers, enforced as API Gateway enforces them: the run is the
 * issuer of every token it sends. Valid requests carry a token minted for the authorizer's issuer,
 * audience and the route's scopes, and the function sees the claims where AWS puts them; requests
 * with no token, an expired one, one of another issuer or audience are refused with 401, and one
 * without the route's scope with 403, by the gateway, before the function. A handler that trusts its
 * gateway is therefore never blamed for requests its gateway refuses.
 */
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadContract } from '../../src';
import { loadDeployment } from '../../src/deploy/cloudformation';
import { createDeploymentServer, type ServedToken } from '../../src/server/server';
import { runIn as cli } from '../cli/in-process';
import { LocalIssuer, TokenGate, gateProbes } from '../../src/aws/identity';
import type { DeployedJwtAuthorizer } from '../../src/deploy/model';
import type { HttpRequest } from '../../src/gateway/types';
import type { RunReport } from '../../src/run/run';

const DIR = path.resolve(__dirname, '../fixtures/deploy/tokens');

describe.each([
  ['SAM (Auth.Authorizers)', 'template.yaml', 'UserPool'],
  ['CloudFormation as the CDK synthesizes it (AWS::ApiGatewayV2::Authorizer, AWS::ApiGateway::Authorizer)', 'cdk.template.json', 'Pool'],
])('check --template behind JWT and Cognito authorizers: %s', (_kind, template, pool) => {
  let code: number;
  let report: RunReport;
  beforeAll(async () => {
    const r = await cli(DIR, 'check', '--template', template, '--spec', 'openapi.yaml', '--format', 'json', '--runs', '0');
    code = r.code;
    report = JSON.parse(r.stdout) as RunReport;
  }, 60_000);
  const cases = (op: string) => report.results.filter((r) => r.operationId === op);
  const event = (op: string, name: string) => cases(op).find((r) => r.case === name)?.event as { requestContext: { authorizer: Record<string, unknown> } } | null | undefined;

  it('passes a handler that trusts its gateway: no case blames it for what the gateway refuses', () => {
    expect(report.results.filter((r) => !r.ok).map((r) => [r.operationId, r.case, r.violations.map((v) => v.rule)])).toEqual([]);
    expect(code).toBe(0);
    // The report says who issued the tokens, for which authorizers.
    expect(report.standIns?.tokens).toEqual({ authorizers: ['Tokens', 'Pool'], minted: expect.any(Number) });
    expect(report.standIns?.tokens?.minted).toBeGreaterThanOrEqual(9);
  });

  it('refuses what the HTTP API\'s JWT authorizer refuses, with 401 or, for a missing scope, 403; the function never runs', () => {
    const probes = cases('placeOrder').filter((r) => r.case.startsWith('gateway auth:'));
    expect(probes.map((r) => [r.case, r.status])).toEqual([
      ['gateway auth: no token', 401],
      ['gateway auth: expired token', 401],
      ['gateway auth: token of another issuer', 401],
      ['gateway auth: token for another audience', 401],
      ['gateway auth: token without the route\'s scopes', 403],
    ]);
    for (const r of probes) expect(r.event).toBeNull();
    // The document's own credential-less cases are refused by the same gate.
    expect(cases('me').filter((r) => r.case.startsWith('auth:')).map((r) => r.status)).toEqual([401, 401]);
  });

  it('passes the token\'s claims and scopes where an HTTP API puts them (payload 2.0: every claim a string)', () => {
    const jwt = event('placeOrder', 'schema')?.requestContext.authorizer.jwt as { claims: Record<string, string>; scopes: string[] };
    expect(jwt.scopes).toEqual(['orders/write']);
    expect(jwt.claims).toMatchObject({ iss: 'https://auth.example.com/', aud: 'orders-api', sub: 'lambda-contract-user', scope: 'orders/write', token_use: 'access' });
    expect(jwt.claims.exp).toMatch(/^\d+$/);
  });

  it('checks a REST API\'s Cognito user-pool authorizer against the pool\'s issuer, and passes the ID token\'s claims as REST does', () => {
    expect(cases('profile').filter((r) => r.case.startsWith('gateway auth:')).map((r) => [r.case, r.status])).toEqual([
      ['gateway auth: no token', 401], ['gateway auth: expired token', 401], ['gateway auth: token of another issuer', 401],
    ]);
    const claims = event('profile', 'schema')?.requestContext.authorizer.claims as Record<string, string>;
    expect(claims).toMatchObject({ iss: `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_${pool}`, 'cognito:username': 'lambda-contract-user', token_use: 'id' });
    // Cognito's authorizer renders exp and iat as Java dates.
    expect(claims.exp).toMatch(/^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });
});

describe('a token gate', () => {
  const authorizer: DeployedJwtAuthorizer = { name: 'Tokens', kind: 'jwt', issuer: 'https://auth.example.com/', audience: ['orders-api'], scopes: ['orders/write'], header: 'Authorization', claims: {}, setting: 'template.yaml#/Resources/HttpApi' };
  const request = (token?: string): HttpRequest => ({ method: 'GET', path: '/me', rawQuery: '', headers: token === undefined ? [] : [['Authorization', token]] });
  let issuer: LocalIssuer;
  let gate: TokenGate;
  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    gate = await TokenGate.of(authorizer, issuer);
  });

  it('accepts its token with or without "Bearer ", and refuses one whose signature was tampered with', async () => {
    expect((await gate.check(request(`Bearer ${gate.token}`), 'http')).allowed).toBe(true);
    expect((await gate.check(request(gate.token), 'http')).allowed).toBe(true);
    const [head, body] = gate.token.split('.');
    const forged = await gate.check(request(`${head}.${body}.${'A'.repeat(342)}`), 'http');
    expect(forged).toMatchObject({ allowed: false, fault: { response: { statusCode: 401 } } });
  });

  it('says why it refused, naming the authorizer and where the template sets it', async () => {
    const expired = await gate.check(request(gate.probes.find((p) => p.name === 'gateway auth: expired token')?.token), 'http');
    expect(expired.allowed === false && expired.fault.reason).toBe('Tokens (template.yaml#/Resources/HttpApi): the token has expired');
    const scoped = await gate.check(request(gate.probes.find((p) => p.status === 403)?.token), 'http');
    expect(scoped.allowed === false && [scoped.fault.response.statusCode, scoped.fault.response.body.toString()]).toEqual([403, '{"message":"Forbidden"}']);
  });

  it('publishes the keys it signs with, as an issuer\'s JWKS and OpenID configuration do', () => {
    expect(issuer.jwks().keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: 'lambda-contract-1', alg: 'RS256', use: 'sig' })]);
    expect(issuer.openidConfiguration('https://auth.example.com')).toMatchObject({ issuer: 'https://auth.example.com', jwks_uri: 'https://auth.example.com/.well-known/jwks.json' });
  });

  it('names its probes before anything runs: the audience probe only where an audience is checked, the scope probe only where a scope is required', () => {
    expect(gateProbes({ ...authorizer, kind: 'cognito', audience: [], scopes: [] }).map((p) => p.name)).toEqual(['gateway auth: no token', 'gateway auth: expired token', 'gateway auth: token of another issuer']);
    expect(gateProbes(authorizer)).toHaveLength(5);
  });
});

describe('serve --template behind a JWT authorizer', () => {
  it('enforces it on every request, as API Gateway does, and tells the token it accepts', async () => {
    const contract = await loadContract(path.join(DIR, 'openapi.yaml'));
    const told: ServedToken[] = [];
    const server = createDeploymentServer(loadDeployment(path.join(DIR, 'template.yaml')), { contract, api: 'HttpApi', onTokens: (t) => told.push(...t) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const none = await fetch(`${base}/me`);
      expect([none.status, await none.json()]).toEqual([401, { message: 'Unauthorized' }]);
      expect(told.map((t) => [t.authorizer, t.header, t.scopes.join(' ')])).toEqual([['Tokens', 'Authorization', ''], ['Tokens', 'Authorization', 'orders/write'], ['Pool', 'Authorization', '']]);
      const token = told[0]?.token as string;
      const me = await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: 'lambda-contract-user', issuer: 'https://auth.example.com/' });
      const forged = await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
      expect(forged.status).toBe(401);
      // The /me token lacks the scope /orders requires: the gateway answers 403 before the function.
      const order = await fetch(`${base}/orders`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"item":"tea"}' });
      expect(order.status).toBe(403);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
