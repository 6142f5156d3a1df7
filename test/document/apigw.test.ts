import * as path from 'node:path';
import { invoke } from '../../src';
import { loadContract } from '../../src/contract';
import { runContract, runPortability } from '../../src/run/run';
import { handler as notesHandler } from '../../specs/apigw-express/handler';
import { handler as notesAuthorizer } from '../../specs/apigw-express/authorizer';
import { handler as petstoreHandler } from '../../specs/petstore/handler';

const NOTES = path.resolve(__dirname, '../../specs/apigw-express/openapi.yaml');
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');

/** A one-operation document whose integration is `integration`. */
const documentWith = (integration: Record<string, unknown> | undefined, root: Record<string, unknown> = {}) => ({
  openapi: '3.0.1',
  info: { title: 't', version: '1' },
  ...root,
  paths: {
    '/ping': {
      get: {
        operationId: 'ping',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        ...(integration ? { 'x-amazon-apigateway-integration': integration } : {}),
      },
    },
  },
});

describe('API Gateway’s OpenAPI extensions', () => {
  it.each([
    ['no integration → rest', undefined, {}, 'rest'],
    ['aws_proxy in a REST export → rest', { type: 'aws_proxy' }, {}, 'rest'],
    ['payloadFormatVersion 2.0 → http', { type: 'aws_proxy', payloadFormatVersion: '2.0' }, {}, 'http'],
    ['payloadFormatVersion 1.0 → http-v1', { type: 'AWS_PROXY', payloadFormatVersion: '1.0' }, {}, 'http-v1'],
    ['an HTTP API export without a version → http', { type: 'aws_proxy' }, { 'x-amazon-apigateway-importexport-version': '1.0' }, 'http'],
  ])('x-amazon-apigateway-integration picks the source: %s', async (_name, integration, root, source) => {
    const contract = await loadContract(documentWith(integration, root));
    expect(contract.source).toBe(source);
    const event = contract.eventFor('ping') as Record<string, any>;
    expect(event.version ?? 'rest').toBe(source === 'http' ? '2.0' : source === 'http-v1' ? '1.0' : 'rest');
    // A handler answering a plain object conforms behind an HTTP API 2.0 (inferred 200 JSON) and nowhere else.
    const inv = await invoke(async () => ({ pong: true }), event as never);
    expect(contract.judge('ping', inv).result.ok).toBe(source === 'http');
  });

  it('the source option wins over the document', async () => {
    const contract = await loadContract(documentWith({ type: 'aws_proxy', payloadFormatVersion: '2.0' }), { source: 'alb' });
    expect(contract.source).toBe('alb');
    expect(contract.eventFor('ping')).toHaveProperty('requestContext.elb');
  });

  it('x-amazon-apigateway-any-method: one ANY operation; requests use a concrete method and keep the ANY route', async () => {
    const contract = await loadContract(NOTES);
    const fallback = contract.operation('fallback');
    expect([fallback.method, fallback.path]).toEqual(['ANY', '/{proxy+}']);
    expect(contract.findOperation('ANY /{proxy+}')).toBe(fallback);
    const [c] = contract.requests('fallback', { overrides: { pathParameters: { proxy: 'a/b c' } } });
    expect([c?.request.method, c?.request.path, c?.request.routeMethod]).toEqual(['GET', '/a/b%20c', 'ANY']);
    const rest = contract.eventFor('fallback', { pathParameters: { proxy: 'a/b c' } }) as Record<string, any>;
    expect([rest.resource, rest.path, rest.pathParameters]).toEqual(['/{proxy+}', '/a/b%20c', { proxy: 'a/b%20c' }]);
    const http = contract.eventFor('fallback', { source: 'http', pathParameters: { proxy: 'a/b c' } }) as Record<string, any>;
    expect([http.routeKey, http.rawPath, http.pathParameters]).toEqual(['ANY /{proxy+}', '/a/b c', { proxy: 'a/b c' }]);
  });

  it('a greedy {proxy+} the document does not declare still gets a multi-segment value', async () => {
    const doc = { openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/files/{proxy+}': { get: { responses: { '200': { description: 'ok' } } } } } };
    const contract = await loadContract(doc);
    expect(contract.requests('GET /files/{proxy+}')[0]?.request.path).toBe('/files/any/nested/path');
  });

  it('x-amazon-apigateway-binary-media-types decides REST binary handling both ways', async () => {
    const contract = await loadContract(NOTES);
    const upload = contract.eventFor('createNote', { contentType: 'image/png', body: Buffer.from([1, 2, 3]) }) as Record<string, any>;
    expect([upload.isBase64Encoded, upload.body]).toEqual([true, 'AQID']);
    const report = await runContract(contract, notesHandler as never, { operations: ['getAttachment'] });
    expect(report.results[0]).toMatchObject({ ok: true, status: 200 });
    // Without the document's setting, REST passes the base64 text through, and the PNG no longer matches.
    const plain = await loadContract(NOTES, { binaryMediaTypes: ['application/pdf'] });
    const judged = plain.judge('getAttachment', await invoke(notesHandler as never, plain.eventFor('getAttachment') as never));
    expect(judged.response.body.subarray(0, 4).toString('latin1')).not.toBe('\x89PNG');
  });

  it('a mock integration is the REST gateway\'s own answer, judged without the function; behind other sources it is skipped with a warning', async () => {
    const contract = await loadContract(NOTES);
    const report = await runContract(contract, notesHandler as never, {});
    const preflight = report.results.filter((r) => r.operationId === 'notesPreflight');
    expect(preflight.length).toBeGreaterThan(0);
    for (const r of preflight) expect([r.ok, r.answeredBy?.rule, r.event]).toEqual([true, 'mock_integration', null]);
    expect(report.warnings).toEqual([]);
    const behindHttp = await runContract(contract, notesHandler as never, { source: 'http', runs: 0 });
    expect(behindHttp.results.map((r) => r.operationId)).not.toContain('notesPreflight');
    expect(behindHttp.warnings).toContain('notesPreflight (OPTIONS /notes) has a "mock" integration, not a Lambda proxy; skipped');
  });
});

describe('portability behind every source', () => {
  it('the Express example conforms behind all six sources, its authorizer in front of the API Gateway ones', async () => {
    const contract = await loadContract(NOTES);
    const p = await runPortability(contract, notesHandler as never, { authorizer: { handler: notesAuthorizer as never } });
    expect(p.sources).toEqual(['rest', 'http', 'http-v1', 'url', 'alb', 'alb-multi']);
    expect(p.summary).toEqual({ sources: 6, portable: true, failedSources: [] });
    expect(p.matrix.map((row) => row.operationId)).toEqual(['listNotes', 'createNote', 'notesPreflight', 'getAttachment', 'fallback']);
  });

  it('a handler written for REST events shows exactly where it breaks', async () => {
    const contract = await loadContract(PETSTORE);
    const p = await runPortability(contract, petstoreHandler as never);
    expect(p.summary.portable).toBe(false);
    expect(p.matrix.find((row) => row.operationId === 'createPet')?.bySource).toEqual({ rest: true, http: false, 'http-v1': true, url: false, alb: false, 'alb-multi': false });
    // Behind an HTTP API 2.0 there is no httpMethod/resource: the handler answers its 404 to a valid create.
    const http = p.reports[1]?.results.find((r) => r.operationId === 'createPet');
    expect(http?.violations[0]).toMatchObject({ rule: 'status_not_documented', received: '404' });
    // Behind an ALB in multi-value mode it reads `headers`, which ALB leaves out: no Authorization, a 401 with no headers map.
    const multi = p.reports[5]?.results.filter((r) => !r.ok).map((r) => r.operationId);
    expect(multi).toEqual(expect.arrayContaining(['listPets', 'createPet']));
  });
});
