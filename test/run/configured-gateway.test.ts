/**
 * The bookshop behind its configured gateway (specs/bookshop-gateway): a REST API that validates
 * requests, answers its own errors in the contract's format, requires an API key on one operation and
 * answers preflights with a mock; the same bookshop behind an HTTP API with CORS. The handler leaves
 * body validation to the gateway, so the configuration decides what passes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadContract, type Contract } from '../../src/contract';
import type { JsonObject } from '../../src/document/pointer';
import { runContract, type CaseResult, type RunReport } from '../../src/run/run';
import { formatText } from '../../src/report/text';

type Handlers = typeof import('../../specs/bookshop-gateway/handler');
/** A fresh module instance (its books as shipped): a run that stores broken books must not leak into the next. */
function fresh(): Handlers {
  let mod: Handlers | undefined;
  jest.isolateModules(() => {
    mod = require('../../specs/bookshop-gateway/handler') as Handlers;
  });
  return mod as Handlers;
}

const DIR = path.resolve(__dirname, '../../specs/bookshop-gateway');
const REST = path.join(DIR, 'openapi.yaml');
const HTTP_API = path.join(DIR, 'http-api.yaml');
const document = (file: string): JsonObject => load(readFileSync(file, 'utf8')) as JsonObject;

/** Records the requests the handler received (method, path, body), so a test can tell the gateway answered alone. */
function recorded<T extends (...args: never[]) => unknown>(fn: T): { fn: T; seen: Set<string> } {
  const seen = new Set<string>();
  const fn2 = ((...args: never[]) => {
    const e = args[0] as unknown as { httpMethod?: string; path?: string; rawPath?: string; requestContext?: { http?: { method: string } }; body?: string | null };
    seen.add(`${e.httpMethod ?? e.requestContext?.http?.method} ${e.path ?? e.rawPath} ${e.body ?? ''}`);
    return fn(...args);
  }) as T;
  return { fn: fn2, seen };
}
const key = (r: CaseResult): string => `${r.request.method} ${r.request.path} ${r.request.body?.toString() ?? ''}`;

const run = async (contract: Contract, fn: (...args: never[]) => unknown, source?: 'http'): Promise<RunReport> => runContract(contract, fn as never, { runs: 5, ...(source ? { source } : {}) });
const cases = (report: RunReport, operationId: string, prefix: string): CaseResult[] => report.results.filter((r) => r.operationId === operationId && r.case.startsWith(prefix));

describe('a REST API whose gateway validates, answers its own errors and requires an API key', () => {
  it('passes the handler that leaves body validation to the gateway; the gateway answered the broken bodies without calling it', async () => {
    const contract = await loadContract(REST);
    const spy = recorded(fresh().handler);
    const report = await run(contract, spy.fn);
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.operationId} ${r.case}: ${r.violations[0]?.message}`)).toEqual([]);
    expect(report.summary.failed).toBe(0);

    const broken = cases(report, 'createBook', 'negative: body property');
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) {
      expect(r.status).toBe(400);
      expect(r.event).toBeNull(); // the function never saw it
      expect(r.answeredBy).toMatchObject({ rule: 'request_validator', setting: '#/x-amazon-apigateway-request-validator', shapedBy: '#/x-amazon-apigateway-gateway-responses/BAD_REQUEST_BODY' });
      expect(r.answeredBy?.reason).toMatch(/^validator "all" checks the body: /);
    }
    // A missing required query parameter: the parameter check, with its own gateway response.
    const [noQuery] = cases(report, 'searchBooks', 'negative: query parameter "q" is missing');
    expect(noQuery?.answeredBy).toMatchObject({ rule: 'request_validator', shapedBy: '#/x-amazon-apigateway-gateway-responses/BAD_REQUEST_PARAMETERS' });
    expect(noQuery?.answeredBy?.reason).toBe('validator "all" checks parameters: q is missing or blank');
    // The gateway checks presence, never type: an ill-typed limit reaches the function, which rejects it.
    const [notInteger] = cases(report, 'listBooks', 'negative: query parameter "limit" is not an integer');
    expect([notInteger?.status, notInteger?.answeredBy]).toEqual([400, undefined]);
    // No model for text/plain: the gateway passes the body on unvalidated; the function answers 415.
    const [wrongType] = cases(report, 'createBook', 'negative: the body is sent as text/plain');
    expect([wrongType?.status, wrongType?.answeredBy]).toEqual([415, undefined]);
    // The function saw every case the gateway did not answer, and none it did.
    expect(report.results.filter((r) => r.answeredBy).length).toBeGreaterThan(8);
    for (const r of broken) expect(spy.seen.has(key(r))).toBe(false);
    for (const r of report.results.filter((x) => !x.answeredBy && !x.case.startsWith('property'))) expect(spy.seen.has(key(r))).toBe(true);
  });

  it('answers a request without the API key 403 in the contract\'s format, and sends one on valid cases', async () => {
    const report = await run(await loadContract(REST), fresh().handler);
    for (const r of cases(report, 'createBook', 'auth:')) {
      expect([r.ok, r.status, r.answeredBy?.rule, r.answeredBy?.setting]).toEqual([true, 403, 'api_key', '#/paths/~1books/post/security/0']);
      expect(r.answeredBy?.shapedBy).toBe('#/x-amazon-apigateway-gateway-responses/INVALID_API_KEY');
    }
    const [valid] = cases(report, 'createBook', 'schema');
    expect(valid?.request.headers.some(([n, v]) => n.toLowerCase() === 'x-api-key' && v !== '')).toBe(true);
    expect([valid?.status, valid?.answeredBy]).toEqual([201, undefined]);
  });

  it('judges the mock integration\'s answer to OPTIONS against the contract', async () => {
    const report = await run(await loadContract(REST), fresh().handler);
    const [options] = cases(report, 'booksPreflight', 'schema');
    expect([options?.ok, options?.status, options?.answeredBy?.rule, options?.answeredBy?.setting]).toEqual([true, 200, 'mock_integration', '#/paths/~1books/options/x-amazon-apigateway-integration']);
    // The mock drops a header the contract requires: a break of the gateway's configuration, found.
    const doc = document(REST);
    const integration = ((doc.paths as JsonObject)['/books'] as JsonObject).options as JsonObject;
    delete (((integration['x-amazon-apigateway-integration'] as JsonObject).responses as JsonObject).default as JsonObject & { responseParameters: JsonObject }).responseParameters['method.response.header.Access-Control-Allow-Headers'];
    const broken = await run(await loadContract(doc), fresh().handler);
    const [missing] = cases(broken, 'booksPreflight', 'schema');
    expect(missing?.violations.map((v) => v.rule)).toEqual(['header_missing']);
    expect(missing?.violations[0]?.message).toMatch(/^the gateway's own answer \(mock integration, its default response\): /);
  });

  it('with the validator reduced to parameters, fails the same handler on the body cases: request_not_rejected', async () => {
    const doc = document(REST);
    doc['x-amazon-apigateway-request-validator'] = 'params-only';
    const report = await run(await loadContract(doc), fresh().handler);
    const broken = cases(report, 'createBook', 'negative: body property');
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) {
      expect(r.answeredBy).toBeUndefined();
      expect(r.violations[0]?.rule).toBe('request_not_rejected'); // the handler stored it (and answered a broken book)
    }
    // Parameters are still checked by the gateway.
    expect(cases(report, 'searchBooks', 'negative: query parameter "q" is missing')[0]?.answeredBy?.rule).toBe('request_validator');
  });

  it('with the gateway responses removed, reports the gateway\'s default error bodies against the documented error format', async () => {
    const doc = document(REST);
    delete doc['x-amazon-apigateway-gateway-responses'];
    const report = await run(await loadContract(doc), fresh().handler);
    const [missingTitle] = cases(report, 'createBook', 'negative: body property "title" is missing');
    expect(missingTitle?.ok).toBe(false);
    expect(missingTitle?.answeredBy?.shapedBy).toBeUndefined();
    expect(missingTitle?.violations.map((v) => v.rule)).toEqual(['content_type_not_documented']);
    expect(missingTitle?.violations[0]?.message).toMatch(/^the gateway's own answer \(request validator, its default response\): /);
    expect(missingTitle?.violations[0]?.received).toBe('application/json');
    const [noKey] = cases(report, 'createBook', 'auth: no credentials');
    expect([noKey?.ok, noKey?.status, noKey?.violations.map((v) => v.rule)]).toEqual([false, 403, ['content_type_not_documented']]);
    const text = formatText(report);
    expect(text).toContain('answered by the gateway (request validator, set at #/x-amazon-apigateway-request-validator): validator "all" checks the body: ');
  });

  it('shapes a failed function\'s 502 with DEFAULT_5XX and names that setting', async () => {
    const contract = await loadContract(REST);
    const throwing = async (): Promise<never> => {
      throw new Error('database down');
    };
    const report = await runContract(contract, throwing as never, { runs: 0, operations: ['listBooks'], checks: ['conformance'] });
    const [first] = report.results;
    expect(first?.status).toBe(502);
    expect(first?.violations[0]?.rule).toBe('gateway_function_error');
    expect(first?.violations[0]?.received).toContain('the answer is the gateway response DEFAULT_5XX at #/x-amazon-apigateway-gateway-responses/DEFAULT_5XX');
  });

  it('reports a request the contract allows but the gateway refuses: request_refused_by_gateway', async () => {
    // The contract allows any title; a stricter model than the contract is written into the gateway's validator by hand.
    const doc = document(REST);
    const valid = await loadContract(doc);
    const answer = valid.gatewayAnswer('searchBooks', { method: 'GET', path: '/books/search', rawQuery: 'q=%20', headers: [] }, 'after_authorizer');
    expect(answer?.reason).toBe('validator "all" checks parameters: q is missing or blank');
    const refused = await runContract(valid, fresh().handler as never, {
      runs: 0, operations: ['searchBooks'], checks: ['conformance'],
      before: (request) => ({ ...request, rawQuery: 'q=%20' }), // a blank value the contract's minLength 1 allows
    });
    expect(refused.results[0]?.violations.map((v) => v.rule)).toEqual(['request_refused_by_gateway']);
    expect(refused.results[0]?.violations[0]?.message).toBe('the contract allows this request, but the gateway refuses it (#/x-amazon-apigateway-request-validator): validator "all" checks parameters: q is missing or blank');
  });
});

describe('an HTTP API with CORS', () => {
  it('adds a preflight case per route that the gateway answers, without the function', async () => {
    const contract = await loadContract(HTTP_API);
    const spy = recorded(fresh().httpHandler);
    const report = await run(contract, spy.fn, 'http');
    expect(report.summary.failed).toBe(0);
    const preflights = report.results.filter((r) => r.case === 'CORS preflight');
    expect(preflights.map((r) => [r.operationId, r.status, r.answeredBy?.rule])).toEqual([['listBooks', 204, 'cors_preflight'], ['createBook', 204, 'cors_preflight'], ['searchBooks', 204, 'cors_preflight']]);
    const create = preflights[1];
    expect(create?.request.headers).toEqual([['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'content-type']]);
    expect([...spy.seen].some((k) => k.startsWith('OPTIONS'))).toBe(false);
  });

  it('fails an operation whose request headers the CORS configuration does not allow: cors_preflight_refused', async () => {
    const doc = document(HTTP_API);
    (doc['x-amazon-apigateway-cors'] as JsonObject).allowHeaders = ['authorization'];
    const report = await run(await loadContract(doc), fresh().httpHandler, 'http');
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.map((r) => [r.operationId, r.case, r.violations[0]?.rule])).toEqual([['createBook', 'CORS preflight', 'cors_preflight_refused']]);
    expect(failed[0]?.violations[0]?.message).toBe('a browser cannot call /books: a CORS preflight the configuration refuses (header content-type is not in allowHeaders): the gateway answers 204 without allow headers (#/x-amazon-apigateway-cors)');
  });

  it('puts the configured allow-origin on the function\'s responses to an allowed origin', async () => {
    const contract = await loadContract(HTTP_API);
    const report = await runContract(contract, fresh().httpHandler as never, {
      source: 'http', runs: 0, operations: ['listBooks'], checks: ['conformance'],
      before: (request) => ({ ...request, headers: [...request.headers, ['Origin', 'https://app.example.com']] }),
    });
    expect(report.summary.failed).toBe(0);
    const judged = contract.judge('listBooks', { statusCode: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' }, body: '[]' }, {
      source: 'http', request: { method: 'GET', path: '/books', route: '/books', rawQuery: '', headers: [['Origin', 'https://app.example.com']] },
    });
    expect(judged.response.headers.filter(([n]) => n.startsWith('access-control'))).toEqual([['access-control-allow-origin', 'https://app.example.com'], ['access-control-expose-headers', 'location']]);
  });

  it('lists the preflight cases in the plan a generated suite is built from', async () => {
    const { planRun } = await import('../../src/run/plan');
    const plan = planRun(await loadContract(HTTP_API), { defaultRuns: 0, source: 'http' });
    expect(plan.operations.map((o) => o.cases.filter((c) => c === 'CORS preflight').length)).toEqual([1, 1, 1]);
    const restPlan = planRun(await loadContract(HTTP_API), { defaultRuns: 0, source: 'rest' });
    expect(restPlan.operations.flatMap((o) => o.cases).includes('CORS preflight')).toBe(false);
  });
});
