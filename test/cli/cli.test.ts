import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runIn } from './in-process';
import { spreadOverrides } from '../../src/cli/main';
import { xmlText } from '../../src/report/junit';

const ROOT = path.resolve(__dirname, '../..');
const PETSTORE = 'specs/petstore/openapi.yaml';
const HANDLER = 'specs/petstore/handler.ts#handler';
const BAD = path.resolve(__dirname, '../fixtures/handlers/bad.cjs');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runIn(ROOT, ...argv);
}


describe('lambda-contract check', () => {
  it('exits 0 and prints a line per case when the handler conforms', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', HANDLER);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ listPets {2}GET \/pets {2}schema {2}→ 200/);
    expect(r.stdout).toMatch(/✓ deletePet {2}DELETE \/pets\/\{petId\} {2}schema {2}→ 204/);
    // Every check by default: examples and a schema case, 20 property-based runs, forbidden requests, credentials.
    expect(r.stdout).toMatch(/✓ createPet {2}POST \/pets {2}property ×20 {2}→ 201/);
    expect(r.stdout).toMatch(/✓ listPets {2}GET \/pets {2}negative: query parameter "limit" is above its maximum 100 {2}→ 400/);
    expect(r.stdout).toMatch(/✓ deletePet {2}DELETE \/pets\/\{petId\} {2}auth: no credentials {2}→ 401/);
    expect(r.stdout).toContain('4 operations, 29 cases: 29 passed, 0 failed — conforms');
  });

  it('exits 1 and reports every violation with its request, going on after a failing operation', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', `${BAD}#mixed`, '--runs', '0', '--checks', 'conformance');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ [gateway_malformed_result] the gateway answers 502');
    expect(r.stdout).toContain('✗ [gateway_function_error]');
    expect(r.stdout).toContain('handler error: TypeError: boom');
    expect(r.stdout).toContain('request: DELETE /pets/1  (seed 1)');
    expect(r.stdout).toMatch(/✓ getPet/);
    expect(r.stdout).toContain('4 operations, 6 cases: 1 passed, 5 failed');
  });

  it('reports a hanging handler as a timeout and goes on', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', `${BAD}#hang`, '--timeout', '50', '--operation', 'getPet', '--operation', 'listPets', '--runs', '0', '--checks', 'conformance');
    expect(r.code).toBe(1);
    expect(r.stdout.match(/\[timeout\] the gateway answers 504/g)).toHaveLength(2);
  });

  it('prints a JSON report with the violations, requests and events as data', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', `${BAD}#mixed`, '--format', 'json', '--runs', '0', '--checks', 'conformance');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ operations: 4, failedOperations: 3, cases: 6, passed: 1, failed: 5 });
    const list = report.results.find((x: { operationId: string }) => x.operationId === 'listPets');
    expect(list.violations[0]).toMatchObject({ rule: 'gateway_malformed_result', operationId: 'listPets', status: 502, where: 'gateway' });
    expect(list.request).toMatchObject({ method: 'GET', path: '/pets', query: 'limit=10' });
    expect(list.event).toMatchObject({ httpMethod: 'GET', resource: '/pets', queryStringParameters: { limit: '10' } });
    expect(list.seed).toBe(1);
  });

  it('writes the report to --output', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lc-')), 'out', 'report.json');
    const r = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--format', 'json', '--output', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).summary.failed).toBe(0);
  });

  it.each([
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--bogus'], "Unknown option '--bogus'"],
    [['check', '--handler', HANDLER], '--spec is required'],
    [['check', '--spec', PETSTORE], '--handler is required'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--format', 'xml'], '--format must be one of text, json, junit, markdown (optionally =FILE), got "xml"'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--format', 'text', '--format', 'json'], '--format: only one report goes to stdout (text and json); give the others a file: --format json=FILE'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--min-coverage', 'lines=50'], '--min-coverage: expected operations=N,responses=N with N from 0 to 100, got "lines=50"'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'all', '--format', 'junit'], '--source all writes one text or json report; junit and markdown reports are per source'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--timeout=0'], '--timeout must be a whole number ≥ 1, got "0"'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'sqs'], '--source must be one of rest'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--checks', 'conformance,speed'], '--checks: unknown check "speed"; checks: conformance, no_server_errors, positive_data_acceptance, negative_data_rejection, auth_enforcement, ensure_resource_availability, use_after_free, all'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--accepted-statuses', '2xx,4x2'], '--accepted-statuses: accepted statuses must be statuses (404) or classes (2xx); got "4x2"'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--runs', 'many'], '--runs must be a whole number ≥ 0, got "many"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['check', '--spec', 'nope.yaml', '--handler', HANDLER], 'cannot read OpenAPI document'],
    [['check', '--spec', 'test/fixtures/specs/invalid.yaml', '--handler', HANDLER], "#/paths/~1pets/get/responses/200: must have required property 'description'"],
    [['check', '--spec', PETSTORE, '--handler', 'specs/petstore/handler.ts#nope'], 'has no function export "nope"; its exports: handler'],
    [['check', '--spec', PETSTORE, '--handler', HANDLER, '--operation', 'getPett'], 'unknown operation "getPett"'],
  ])('exits 2 with a clear message: %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('lambda-contract check: reports for CI and coverage', () => {
  const BROKEN = `${BAD}#mixed`;

  it('writes text to stdout and JUnit XML and Markdown to their files in one run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-reports-'));
    const junit = path.join(dir, 'reports', 'junit.xml');
    const markdown = path.join(dir, 'summary.md');
    const r = await run('check', '--spec', PETSTORE, '--handler', BROKEN, '--runs', '0', '--checks', 'conformance', '--format', 'text', '--format', `junit=${junit}`, '--format', `markdown=${markdown}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ listPets  GET /pets  schema');
    expect(r.stderr).toContain(`junit report written to ${junit}`);

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
    const suites = doc.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; classname: string; failure?: { type: string; message: string; '#text': string } }> }>;
    expect(suites.map((x) => [x.name, x.tests, x.failures])).toEqual([
      ['listPets GET /pets', '1', '1'], ['createPet POST /pets', '3', '3'], ['getPet GET /pets/{petId}', '1', '0'], ['deletePet DELETE /pets/{petId}', '1', '1'],
    ]);
    expect(doc.testsuites.tests).toBe('6');
    const list = suites[0]!.testcase[0]!;
    expect([list.name, list.classname, list.failure?.type]).toEqual(['schema', 'rest.listPets', 'gateway_malformed_result']);
    expect(list.failure?.['#text']).toContain('request: GET /pets');

    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^## lambda-contract: Petstore — ❌ 5 of 6 cases failed/);
    expect(md).toContain('| ✅ `getPet` GET `/pets/{petId}` | 1 | 1 | 0 |');
    expect(md).toContain('| ❌ `createPet` POST `/pets` | 3 | 0 | 3 |');
    expect(md).toContain('<details><summary><code>deletePet</code> DELETE /pets/{petId} — schema → 200</summary>');
  });

  it('escapes what XML cannot carry in JUnit reports', () => {
    expect(xmlText('a<b & "c"\u0000\u0007')).toBe('a&lt;b &amp; &quot;c&quot;\uFFFD\uFFFD');
  });

  it('reports coverage of operations and documented responses, and fails below --min-coverage', async () => {
    // Every check on: every documented response of the example is exercised and conforms.
    const ok = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--min-coverage', 'operations=100,responses=100');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^coverage: operations 4\/4 \(100%\), documented responses (\d+)\/\1 \(100%\), links 2\/2 \(100%\)$/m);

    // Conformance alone sends only valid requests: the error responses stay unexercised.
    const low = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--runs', '0', '--checks', 'conformance', '--min-coverage', 'operations=100,responses=90');
    expect(low.stdout).toContain([
      '  ✓ listPets   GET /pets             200 ✓  default ·',
      '  ✓ createPet  POST /pets            201 ✓  400 ·  401 ·',
      '  ✓ getPet     GET /pets/{petId}     200 ✓  404 ·',
      '  ✓ deletePet  DELETE /pets/{petId}  204 ✓  401 ·  404 ·',
      'coverage: operations 4/4 (100%), documented responses 4/10 (40%)',
      '  not exercised: listPets default, createPet 400, createPet 401, getPet 404, deletePet 401, deletePet 404',
    ].join('\n'));
    expect(low.stderr).toMatch(/lambda-contract: responses coverage [\d.]+% \(\d+ of \d+ conformed\) is below the minimum 90%/);
    expect(low.code).toBe(1);

    const json = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--format', 'json');
    const coverage = JSON.parse(json.stdout).coverage;
    expect(coverage.operations).toEqual({ total: 4, exercised: 4, conformed: 4 });
    expect(coverage.perOperation.find((o: { operationId: string }) => o.operationId === 'deletePet').responses).toEqual(expect.arrayContaining([{ status: '204', exercised: true, conformed: true }, { status: '401', exercised: true, conformed: true }]));
  });
});

describe('lambda-contract check with a project config', () => {
  const SPEC = `openapi: 3.0.3
info: { title: Orders, version: '1' }
components:
  securitySchemes: { jwt: { type: http, scheme: bearer } }
paths:
  /orders/{orderId}:
    get:
      operationId: getOrder
      security: [{ jwt: [] }]
      parameters:
        - { name: orderId, in: path, required: true, schema: { type: string, pattern: '^o-[0-9]+$' } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object, required: [id], properties: { id: { type: string } } } } } }
        '401': { description: who }
        '404': { description: none }
`;
  // Only order o-1 exists, only for tenant t-9, and every request must be signed.
  const HANDLER = `exports.handler = async (event) => {
  const tenant = event.requestContext.authorizer && event.requestContext.authorizer.claims && event.requestContext.authorizer.claims.tenant;
  if (!/^Bearer \\S+$/.test(event.headers.Authorization || '') || event.headers['X-Signature'] !== 'signed:' + event.path) return { statusCode: 401, body: '' };
  if (event.pathParameters.orderId !== 'o-1' || tenant !== 't-9') return { statusCode: 404, body: '' };
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'o-1' }) };
};`;

  it('overrides, a per-operation authorizer context and a before hook from lambda-contract.config.js reach every request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-config-'));
    writeFileSync(path.join(dir, 'openapi.yaml'), SPEC);
    writeFileSync(path.join(dir, 'handler.js'), HANDLER);
    writeFileSync(path.join(dir, 'lambda-contract.config.js'), `module.exports = {
  spec: 'openapi.yaml', handler: 'handler.js', runs: 5, checks: ['conformance', 'no_server_errors', 'auth_enforcement'],
  overrides: { getOrder: { pathParameters: { orderId: 'o-1' }, authorizerContext: { type: 'jwt', claims: { tenant: 't-9' } } } },
  before: (request) => ({ ...request, headers: [...request.headers, ['X-Signature', 'signed:' + request.path]] }),
};`);
    const r = await runIn(dir, 'check', '--format', 'json');
    const report = JSON.parse(r.stdout) as { results: Array<{ case: string; status: number; ok: boolean }> };
    expect(report.results.map((x) => [x.case, x.status, x.ok])).toEqual([
      ['schema', 200, true], ['property ×5', 200, true], ['auth: no credentials', 401, true], ['auth: malformed credentials', 401, true],
    ]);
    expect(r.code).toBe(0);
  });

  it('rejects a before hook that is not a function', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-config-'));
    writeFileSync(path.join(dir, 'lambda-contract.config.json'), JSON.stringify({ spec: 'openapi.yaml', handler: 'handler.js', before: 'sign.js' }));
    const r = await runIn(dir, 'check');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('"before" must be a function (request, { operationId, caseName }) => request, in lambda-contract.config.js, got "sign.js"')]);
  });
});

describe('lambda-contract check --source', () => {
  const NOTES = 'specs/apigw-express/openapi.yaml';

  it('all: prints the operation × source table and exits 0 when the handler is portable', async () => {
    const r = await run('check', '--spec', NOTES, '--handler', 'specs/apigw-express/handler.ts', '--authorizer', 'specs/apigw-express/authorizer.ts#handler', '--source', 'all');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('  operation       rest  http  http-v1  url  alb  alb-multi');
    expect(lines).toContain('  createNote      ✓     ✓     ✓        ✓    ✓    ✓');
    // The OPTIONS mock is the REST gateway's own answer, judged there; the other sources have no such method.
    expect(lines).toContain('  notesPreflight  ✓     -     -        -    -    -');
    expect(r.stdout).toMatch(/conforms behind every source \(rest, http, http-v1, url, alb, alb-multi\)/);
  });

  it('all: exits 1 and shows, per source, where a REST-only handler breaks', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'all');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toContain('  createPet  ✓     ✗     ✓        ✗    ✗    ✗');
    expect(r.stdout).toContain('behind http\n');
    expect(r.stdout).toContain('✗ [status_not_documented] status 404 is not documented for createPet');
    expect(r.stdout).toMatch(/conforms behind rest, http-v1; fails behind http, url, alb, alb-multi/);
  });

  it('all --format json: one report per source and the matrix', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'all', '--format', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.sources).toEqual(['rest', 'http', 'http-v1', 'url', 'alb', 'alb-multi']);
    expect(report.reports.map((x: { source: string }) => x.source)).toEqual(report.sources);
    expect(report.matrix.find((row: { operationId: string }) => row.operationId === 'createPet').bySource.http).toBe(false);
    expect(r.stderr).toMatch(/^alb-multi +✗ createPet/m);
  });

  it('a single source judges with that gateway’s rules', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'alb', '--operation', 'createPet');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('behind alb');
  });

  it('exits 2 on an unknown source, or an authorizer that cannot load or cannot stand in front of the source', async () => {
    const bogus = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--source', 'sqs');
    expect([bogus.code, bogus.stderr]).toEqual([2, expect.stringContaining('--source must be one of rest, http, http-v1, url, alb, alb-multi or all, got "sqs"')]);
    const missing = await run('check', '--spec', PETSTORE, '--handler', HANDLER, '--authorizer', 'nope.ts');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.ts');
    const alb = await run('check', '--spec', NOTES, '--handler', 'specs/apigw-express/handler.ts', '--authorizer', 'specs/apigw-express/authorizer.ts', '--source', 'alb');
    expect([alb.code, alb.stderr]).toEqual([2, expect.stringContaining('source "alb" has none')]);
  });
});

describe('lambda-contract check: outbound isolation', () => {
  it('blocks and reports a handler\'s call to the network, even through a copy of https taken at load (a namespace import as swc and babel compile it)', async () => {
    const r = await run('check', '--spec', PETSTORE, '--handler', 'test/fixtures/handlers/outbound.cjs', '--operation', 'getPet', '--runs', '0', '--checks', 'conformance');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ [outbound_request] the handler tried to reach partner.example.net: GET https://partner.example.net/v2/pets/1 (blocked;');
  });
});

describe('lambda-contract events', () => {
  it('--source all: one event per source for each case', async () => {
    const r = await run('events', '--spec', PETSTORE, '--operation', 'getPet', '--source', 'all');
    const events = JSON.parse(r.stdout) as Array<{ source: string; event: Record<string, unknown> }>;
    expect(events.map((e) => e.source)).toEqual(['rest', 'http', 'http-v1', 'url', 'alb', 'alb-multi']);
    expect(events[1]?.event).toMatchObject({ version: '2.0', routeKey: 'GET /pets/{petId}' });
    expect(events[4]?.event).toHaveProperty('requestContext.elb');
  });

  it('prints the events of the chosen operations as JSON', async () => {
    const r = await run('events', '--spec', PETSTORE, '--operation', 'createPet');
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout);
    expect(events.map((e: { case: string }) => e.case)).toEqual(['example "cat"', 'example "dog"', 'schema']);
    expect(events[0]).toMatchObject({ operationId: 'createPet', method: 'POST', path: '/pets', source: 'rest' });
    expect(events[0].event).toMatchObject({ httpMethod: 'POST', resource: '/pets', isBase64Encoded: false });
    expect(JSON.parse(events[0].event.body)).toMatchObject({ name: 'Tom' });
    // Exactly the documented shape: the request is in the event, not beside it.
    expect(Object.keys(events[0]).sort()).toEqual(['case', 'event', 'method', 'operationId', 'path', 'source']);
  });

  it('--runs N adds N property-based events per operation, the same for the same seed', async () => {
    const first = await run('events', '--spec', PETSTORE, '--operation', 'listPets', '--runs', '5', '--seed', '3');
    expect(first.code).toBe(0);
    const events = JSON.parse(first.stdout) as Array<{ case: string; event: { queryStringParameters: Record<string, string> | null } }>;
    const property = events.filter((e) => e.case.startsWith('property #'));
    expect(property.map((e) => e.case)).toEqual(['property #1', 'property #2', 'property #3', 'property #4', 'property #5']);
    // Drawn values differ from one another (not five copies of the sample).
    expect(new Set(property.map((e) => JSON.stringify(e.event.queryStringParameters))).size).toBeGreaterThan(1);
    const again = await run('events', '--spec', PETSTORE, '--operation', 'listPets', '--runs', '5', '--seed', '3');
    expect(again.stdout).toBe(first.stdout);
    const other = await run('events', '--spec', PETSTORE, '--operation', 'listPets', '--runs', '5', '--seed', '4');
    expect(other.stdout).not.toBe(first.stdout);
    expect((await run('events', '--spec', PETSTORE, '--runs', 'many')).code).toBe(2);
  });
});

describe('--parameter-overrides as SAM spells it', () => {
  it('takes several pairs after one flag, up to the next option', () => {
    expect(spreadOverrides(['check', '--parameter-overrides', 'Stage=prod', 'Size=2', 'ParameterKey=Name,ParameterValue=x', '--runs', '0', 'extra'])).toEqual([
      'check', '--parameter-overrides', 'Stage=prod', '--parameter-overrides', 'Size=2', '--parameter-overrides', 'ParameterKey=Name,ParameterValue=x', '--runs', '0', 'extra',
    ]);
  });

  it('reads every pair, short and long form, from the command line', async () => {
    const root = path.resolve(__dirname, '../..');
    const ok = await runIn(root, 'routes', '--template', 'specs/sam-notes/template.yaml', '--parameter-overrides', 'Stage=prod', 'ParameterKey=Stage,ParameterValue=dev');
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    // The pairs after the first are read (a name the template lacks is refused, naming it), in either form.
    const short = await runIn(root, 'routes', '--template', 'specs/sam-notes/template.yaml', '--parameter-overrides', 'Stage=prod', 'Nope=1');
    expect(short.stderr).toContain('--parameter-overrides names Nope, which the template does not declare');
    const long = await runIn(root, 'routes', '--template', 'specs/sam-notes/template.yaml', '--parameter-overrides', 'Stage=prod', 'ParameterKey=Gone,ParameterValue=1');
    expect(long.stderr).toContain('--parameter-overrides names Gone, which the template does not declare');
  });
});

describe('a verdict says what it covers', () => {
  it('without the conformance check, a passing run does not claim the handler conforms', async () => {
    const root = path.resolve(__dirname, '../..');
    const r = await runIn(root, 'check', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts', '--checks', 'no_server_errors', '--runs', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/— passes no_server_errors \(conformance not checked\) in \d+ ms\n$/);
    expect(r.stdout).not.toContain('conforms');
    const all = await runIn(root, 'check', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts', '--runs', '0');
    expect(all.stdout).toMatch(/— conforms in \d+ ms\n$/);
  });
});
