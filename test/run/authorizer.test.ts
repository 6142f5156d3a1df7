import * as path from 'node:path';
import type { HttpRequest } from '../../src/gateway/types';
import { evaluatePolicy } from '../../src/gateway/authorizer';
import { runAuthorizer } from '../../src/invoke/authorize';
import type { AuthorizerDecision } from '../../src/gateway/authorizer';
import { loadContract } from '../../src/contract';
import { runContract } from '../../src/run/run';
import { handler as notesHandler } from '../../specs/apigw-express/handler';
import { handler as notesAuthorizer } from '../../specs/apigw-express/authorizer';

const NOTES = path.resolve(__dirname, '../../specs/apigw-express/openapi.yaml');
const request: HttpRequest = { method: 'GET', path: '/pets/7', route: '/pets/{petId}', rawQuery: 'q=1', headers: [['Authorization', 'Bearer alice'], ['Cookie', 'a=1']] };
const anonymous: HttpRequest = { ...request, headers: [] };

/** An authorizer that records its events and answers with `answer(event)`. */
function recording(answer: (event: Record<string, any>) => unknown) {
  const events: Array<Record<string, any>> = [];
  const handler = async (event: Record<string, any>) => {
    events.push(event);
    return answer(event);
  };
  return { events, handler: handler as never };
}
const policy = (effect: 'Allow' | 'Deny', resource = '*', extra: Record<string, unknown> = {}) => ({
  principalId: 'alice',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  ...extra,
});
const refused = (o: AuthorizerDecision) => {
  if (o.allowed) throw new Error('expected a refusal');
  return { kind: o.fault.kind, status: o.fault.response.statusCode, body: o.fault.response.body.toString('utf8'), reason: o.fault.reason };
};

describe('Lambda authorizers, run as API Gateway runs them', () => {
  it('REST TOKEN: sends {type, methodArn, authorizationToken}; Allow puts principal and context under requestContext.authorizer', async () => {
    const a = recording(() => policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:lc1a2b3c4d/prod/GET/pets/*', { context: { tier: 'gold', n: 2 } }));
    const outcome = await runAuthorizer({ handler: a.handler, type: 'TOKEN' }, request, 'rest');
    expect(a.events).toEqual([{ type: 'TOKEN', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:lc1a2b3c4d/prod/GET/pets/7', authorizationToken: 'Bearer alice' }]);
    expect(outcome.allowed && outcome.authorizer).toMatchObject({ type: 'lambda', principalId: 'alice', context: { tier: 'gold', n: 2 } });
  });

  it('REST REQUEST: the proxy event’s fields, empty maps as {}, without body', async () => {
    const a = recording(() => policy('Allow'));
    await runAuthorizer({ handler: a.handler, type: 'REQUEST' }, { ...request, body: Buffer.from('x') }, 'rest');
    const event = a.events[0] ?? {};
    expect(event).toMatchObject({ type: 'REQUEST', resource: '/pets/{petId}', path: '/pets/7', httpMethod: 'GET', pathParameters: { petId: '7' }, stageVariables: {} });
    expect(event).not.toHaveProperty('body');
    expect(event.headers.Authorization).toBe('Bearer alice');
  });

  it('HTTP API REQUEST 2.0 and 1.0 payloads', async () => {
    const a = recording(() => ({ isAuthorized: true, context: { role: 'admin', scopes: ['a'] } }));
    const outcome = await runAuthorizer({ handler: a.handler }, request, 'http');
    expect(a.events[0]).toMatchObject({ version: '2.0', type: 'REQUEST', routeArn: 'arn:aws:execute-api:us-east-1:123456789012:lc1a2b3c4d/$default/GET/pets/7', identitySource: ['Bearer alice'], routeKey: 'GET /pets/{petId}', rawPath: '/pets/7', rawQueryString: 'q=1', cookies: ['a=1'] });
    expect(outcome.allowed && outcome.authorizer).toMatchObject({ type: 'lambda', context: { role: 'admin', scopes: ['a'] } });
    const b = recording(() => policy('Allow'));
    await runAuthorizer({ handler: b.handler, payloadFormatVersion: '1.0', identitySource: ['$request.header.Authorization', '$request.querystring.q'] }, request, 'http-v1');
    expect(b.events[0]).toMatchObject({ version: '1.0', type: 'REQUEST', identitySource: 'Bearer alice,1', authorizationToken: 'Bearer alice,1', httpMethod: 'GET', resource: '/pets/{petId}' });
  });

  it('answers 401 without calling the authorizer when an identity source is missing', async () => {
    const a = recording(() => policy('Allow'));
    expect(refused(await runAuthorizer({ handler: a.handler }, anonymous, 'rest'))).toMatchObject({ kind: 'unauthorized', status: 401, body: '{"message":"Unauthorized"}' });
    expect(a.events).toHaveLength(0);
  });

  it('maps the answers as the gateways do: Unauthorized → 401, Deny → 403, isAuthorized false → 403', async () => {
    const unauthorized = recording(() => {
      throw new Error('Unauthorized');
    });
    expect(refused(await runAuthorizer({ handler: unauthorized.handler }, request, 'http'))).toMatchObject({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(refused(await runAuthorizer({ handler: recording(() => policy('Deny')).handler }, request, 'rest'))).toMatchObject({
      kind: 'unauthorized', status: 403, body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    });
    expect(refused(await runAuthorizer({ handler: recording(() => policy('Allow', 'arn:aws:execute-api:*:*:*/*/POST/*')).handler }, request, 'rest'))).toMatchObject({ status: 403, body: '{"Message":"User is not authorized to access this resource"}' });
    expect(refused(await runAuthorizer({ handler: recording(() => ({ isAuthorized: false })).handler }, request, 'http'))).toMatchObject({ status: 403, body: '{"message":"Forbidden"}' });
  });

  it('reports a malformed answer or a failing authorizer as a 500, naming what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ principalId: 'a' }, /policyDocument is missing/],
      [{ policyDocument: policy('Allow').policyDocument }, /principalId must be a string/],
      [policy('Allow', '*', { context: { nested: { a: 1 } } }), /context\.nested is a object/],
      [{ principalId: 'a', policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] } }, /Effect must be "Allow" or "Deny"/],
      ['allow', /expected an object, got string/],
    ];
    for (const [answer, why] of cases) {
      const r = refused(await runAuthorizer({ handler: recording(() => answer).handler }, request, 'rest'));
      expect([r.kind, r.status, r.body]).toEqual(['authorizer_error', 500, '{"message": null}']);
      expect(r.reason).toMatch(why);
    }
    const isAuthorized = refused(await runAuthorizer({ handler: recording(() => ({ isAuthorized: 'yes' })).handler }, request, 'http'));
    expect([isAuthorized.status, isAuthorized.body]).toEqual([500, '{"message":"Internal Server Error"}']);
    const boom = recording(() => {
      throw new TypeError('db down');
    });
    expect(refused(await runAuthorizer({ handler: boom.handler }, request, 'rest')).reason).toBe('the authorizer raised TypeError: db down');
    const hang = (() => new Promise(() => undefined)) as never;
    expect(refused(await runAuthorizer({ handler: hang }, request, 'rest', {}, { timeout: 20 }))).toMatchObject({ kind: 'authorizer_error', status: 500 });
  });

  it('refuses to stand in front of a function URL or an ALB, and rejects a bad identity source', async () => {
    for (const source of ['url', 'alb'] as const) {
      await expect(runAuthorizer({ handler: recording(() => policy('Allow')).handler }, request, source)).rejects.toMatchObject({ code: 'ERR_CONTRACT_CONFIG', message: expect.stringContaining(`not behind source "${source}"`) });
    }
    await expect(runAuthorizer({ handler: recording(() => policy('Allow')).handler, identitySource: 'Authorization' }, request, 'rest')).rejects.toThrow(/not a mapping expression/);
  });

  it('evaluates IAM policies: explicit Deny wins over Allow, wildcards in resources, non-invoke actions ignored', () => {
    const arn = 'arn:aws:execute-api:us-east-1:1:api/prod/GET/pets/7';
    const doc = (...statements: Array<Record<string, unknown>>) => ({ Version: '2012-10-17', Statement: statements });
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:api/*/GET/*' }), arn)).toEqual({ effect: 'allow' });
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [arn] }), arn)).toEqual({ effect: 'deny' });
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), arn)).toEqual({ effect: 'implicit' });
    expect(evaluatePolicy(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:1:api/prod/GET/pets/?' }), arn)).toEqual({ effect: 'allow' });
  });
});

describe('runContract with an authorizer', () => {
  it('runs it on secured operations only, with the document’s x-amazon-apigateway-authorizer settings, and the handler sees its context', async () => {
    const contract = await loadContract(NOTES);
    const a = recording((event) => notesAuthorizer(event));
    const report = await runContract(contract, notesHandler as never, { authorizer: { handler: a.handler }, runs: 0, checks: ['conformance'] });
    expect(report.summary.failed).toBe(0);
    // listNotes (schema case) and createNote (its example and a schema case) are secured; getAttachment and fallback are public; the gateway answers the mock preflight itself.
    expect(a.events.map((e) => `${e.type} ${e.httpMethod} ${e.path}`)).toEqual(['REQUEST GET /notes', 'REQUEST POST /notes', 'REQUEST POST /notes']);
    const created = report.results.find((r) => r.operationId === 'createNote');
    expect((created?.event as any).requestContext.authorizer).toMatchObject({ principalId: 'lambda-contract-api-key', owner: 'lambda-contract-api-key' });
    expect(report.results.filter((r) => r.operationId === 'notesPreflight').map((r) => r.answeredBy?.rule)).toEqual(['mock_integration']);
  });

  it('refuses an authorizer behind a function URL or an ALB before running anything', async () => {
    const contract = await loadContract(NOTES);
    await expect(runContract(contract, notesHandler as never, { authorizer: { handler: recording(() => policy('Allow')).handler }, source: 'alb' })).rejects.toMatchObject({ code: 'ERR_CONTRACT_CONFIG' });
  });

  it('reports a refusal as the case’s violation, with the gateway’s answer, and goes on', async () => {
    const contract = await loadContract(NOTES);
    const deny = recording(() => policy('Deny'));
    const report = await runContract(contract, notesHandler as never, { authorizer: { handler: deny.handler }, source: 'http' });
    const listed = report.results.find((r) => r.operationId === 'listNotes');
    expect(listed).toMatchObject({ ok: false, status: 403 });
    expect(listed?.violations.map((v) => [v.rule, v.where, v.message])).toEqual([['authorizer_denied', 'authorizer', 'the gateway answers 403 {"message":"Forbidden"} instead of the handler\'s response']]);
    expect(report.results.find((r) => r.operationId === 'getAttachment')?.ok).toBe(true);
  });

  it('blames the authorizer, not the handler, for the calls it tried, and its refusal after a blocked call is a note: the call is the finding', async () => {
    const contract = await loadContract(NOTES);
    // Fetches a Cognito pool's keys to verify the token, as authorizers do; the run blocks it, so it refuses.
    const fetchesKeys = recording(async () => {
      const keys = await fetch('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool/.well-known/jwks.json').then(() => true, () => false);
      if (!keys) throw new Error('Unauthorized');
      return policy('Allow');
    });
    const report = await runContract(contract, notesHandler as never, { authorizer: { handler: fetchesKeys.handler }, runs: 0, checks: ['conformance'], operations: ['listNotes'] });
    const listed = report.results.find((r) => r.operationId === 'listNotes');
    expect(listed?.violations.map((v) => [v.rule, v.where])).toEqual([['aws_call_not_emulated', 'authorizer']]);
    expect(listed?.violations[0]?.message).toMatch(/^the Lambda authorizer called cognito-idp GET \/us-east-1_Pool\/\.well-known\/jwks\.json/);
    expect(listed?.notes.join()).toContain('not judged (authorizer_denied): the Lambda authorizer answered after the run blocked its call to cognito-idp.us-east-1.amazonaws.com');
  });
});
