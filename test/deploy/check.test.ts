/**
 * `check --template` and `routes` on the example projects: each function runs as Lambda runs it (its
 * environment, module instance, Timeout, MemorySize, runtime), and every break names its function.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIn as cli } from '../cli/in-process';
import { copier } from './copy';

const ROOT = path.resolve(__dirname, '../..');
const SAM_NOTES = path.join(ROOT, 'specs/sam-notes');
const FIXTURES = path.join(ROOT, 'test/fixtures/deploy');


const broken = copier(SAM_NOTES);

describe('the SAM example', () => {
  it('conforms from its template alone: the REST API carries the contract, four functions serve it', async () => {
    const r = await cli(SAM_NOTES, 'check', '--runs', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const fn of ['ListNotesFunction', 'GetNoteFunction', 'CreateNoteFunction', 'HealthFunction']) expect(r.stdout).toContain(`[${fn}]`);
    expect(r.stdout).toMatch(/4 operations, \d+ cases: \d+ passed, 0 failed — conforms/);
  });

  it('lists the AWS stand-ins it used: the local table and the notes the handlers left in it; --no-aws-standins runs without them and names each AWS call', async () => {
    const r = await cli(SAM_NOTES, 'check', '--runs', '0', '--format', 'json');
    const report = JSON.parse(r.stdout) as { standIns?: { dynamodb?: { tables: Array<{ id: string; items: number }> } } };
    const table = report.standIns?.dynamodb?.tables.find((t) => t.id === 'NotesTable');
    expect(table?.items).toBeGreaterThan(0); // createNote's cases wrote them
    expect((await cli(SAM_NOTES, 'check', '--runs', '0')).stdout).toMatch(/AWS stand-ins:\n {2}DynamoDB \(local\): NotesTable \d+ items?/);
    const off = await cli(SAM_NOTES, 'check', '--runs', '0', '--format', 'json', '--no-aws-standins');
    const bare = JSON.parse(off.stdout) as { standIns?: { dynamodb?: unknown; sdk?: string[] }; results: Array<{ operationId: string; violations: Array<{ rule: string; received: string }> }> };
    expect(off.code).toBe(1);
    // No table; the SDK the runtime provides is still the runtime's, and named.
    expect(bare.standIns).toEqual({ sdk: [expect.stringMatching(/^@aws-sdk\/client-dynamodb@3\./)] });
    const calls = bare.results.filter((x) => x.operationId === 'createNote').flatMap((x) => x.violations).filter((v) => v.rule === 'aws_call_not_emulated');
    expect(calls[0]?.received).toMatch(/^dynamodb PutItem at .*store\.ts:\d+:\d+$/);
  }, 120_000);

  it('starts the tables with --table-items, checked against each table\'s key before anything runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-items-'));
    try {
      writeFileSync(path.join(dir, 'items.json'), JSON.stringify({ NotesTable: [{ id: '424242', text: 'seeded' }, { id: '424243', text: 'also seeded' }] }));
      const r = await cli(SAM_NOTES, 'check', '--runs', '0', '--format', 'json', '--table-items', path.join(dir, 'items.json'));
      const report = JSON.parse(r.stdout) as { standIns?: { dynamodb?: { tables: Array<{ id: string; items: number }> } }; results: Array<{ operationId: string; case: string; event: unknown }> };
      expect(r.code).toBe(0);
      // The seeded notes are there at the end, besides what createNote wrote.
      expect(report.standIns?.dynamodb?.tables.find((t) => t.id === 'NotesTable')?.items).toBeGreaterThanOrEqual(3);
      writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ NotesTable: [{ id: '1', text: 'ok' }, { text: 'no key' }] }));
      const bad = await cli(SAM_NOTES, 'check', '--runs', '0', '--table-items', path.join(dir, 'bad.json'));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('bad.json#/NotesTable/1: the item lacks the table\'s key attribute "id"');
      writeFileSync(path.join(dir, 'unknown.json'), JSON.stringify({ Orders: [] }));
      expect((await cli(SAM_NOTES, 'check', '--runs', '0', '--table-items', path.join(dir, 'unknown.json'))).stderr).toContain('unknown.json#/Orders: the template has no table "Orders"; its tables: NotesTable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('prints its routes: method, path, operation, function, handler file, source', async () => {
    const r = await cli(SAM_NOTES, 'routes');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      ['METHOD', 'PATH', 'OPERATION', 'FUNCTION', 'HANDLER FILE', 'SOURCE'],
      ['GET', '/notes', 'listNotes', 'ListNotesFunction', 'src/handlers/list-notes.ts', 'rest'],
      ['GET', '/notes/{noteId}', 'getNote', 'GetNoteFunction', 'src/handlers/get-note.ts', 'rest'],
      ['POST', '/notes', 'createNote', 'CreateNoteFunction', 'src/handlers/create-note.ts', 'http'],
      ['GET', '/health', 'health', 'HealthFunction', 'src/handlers/health.ts', 'http-v1'],
    ]);
  });

  it('fails, naming the function, when one breaks its contract', async () => {
    const dir = broken({ 'src/handlers/get-note.ts': (t) => t.replace('json(200, note)', 'json(200, { ...note, id: Number(note.id) })') });
    const r = await cli(dir, 'check', '--runs', '0');
    expect(r.code).toBe(1);
    // The table starts empty: the note read back is the one createNote made, through DynamoDB.
    expect(r.stdout).toContain(`function: GetNoteFunction (${path.join(dir, 'src/handlers/get-note.ts')})`);
    expect(r.stdout).toContain('body at /id: expected type string');
    // No case another function served failed; the sequence that reads a note back fails at getNote's step, and says so.
    expect(r.stdout).not.toMatch(/✗ (listNotes|createNote|health) .*\[(ListNotes|CreateNote|Health)Function\]/);
    expect(r.stdout).toMatch(/✗ createNote {2}POST \/notes {2}sequence createNote → getNote {2}→ 200 {2}\[GetNoteFunction\]/);
  });

  it('fails, naming the function, when it outlives its template Timeout', async () => {
    const dir = broken({
      'template.yaml': (t) => t.replace('Timeout: !If [IsProd, 10, 5]', 'Timeout: 1'),
      'src/handlers/get-note.ts': (t) => t.replace('const note = await get(id);', 'await new Promise((r) => setTimeout(r, 1500));\n  const note = await get(id);'),
    });
    const r = await cli(dir, 'check', '--runs', '0', '--function', 'GetNoteFunction');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ getNote .*→ 504 {2}\[GetNoteFunction\]/);
    expect(r.stdout).toContain('received: Task timed out after 1.00 seconds');
    expect(r.stdout).toContain('1 operation, 1 case'); // --function: only what it serves; its other cases wait no more
    expect(r.stdout).toContain('note: the function timed out: 3 more cases of getNote not run');
  });

  it('fails when a function is routed to a path the contract lacks, and when no function serves an operation', async () => {
    const dir = broken({
      'template.yaml': (t) =>
        t
          .replace("        Get:\n          Type: Api\n", "        Search:\n          Type: Api\n          Properties: { RestApiId: !Ref NotesApi, Path: /notes/search, Method: get }\n        Get:\n          Type: Api\n")
          .replace(/ {6}Events:\n {8}Health:\n(?: {10}.*\n)+/, ''),
    });
    const r = await cli(dir, 'check', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[route_undocumented] the template routes GET /notes/search to GetNoteFunction, but the contract documents no such operation');
    expect(r.stdout).toMatch(/\[route_missing\] no function serves GET \/health: the gateway answers 403/);
  });

  it('fails every operation of a callback handler on nodejs24.x, naming the function', async () => {
    const dir = broken({
      'template.yaml': (t) => t.replace('Handler: src/handlers/health.handler', 'Handler: src/handlers/health.handler\n      Runtime: nodejs24.x'),
      'src/handlers/health.ts': () => "export const handler = (_e: unknown, _c: unknown, callback: (e: null, r: unknown) => void): void => callback(null, { statusCode: 200, body: '{}' });\n",
    });
    const r = await cli(dir, 'check', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[runtime_unsupported_handler] HealthFunction runs on nodejs24.x, which no longer runs callback-style handlers');
  });

  it('runs the Lambda authorizer the template puts in front of the REST API, in its own environment: a refusal of valid requests names the function', async () => {
    const dir = broken({ 'src/handlers/authorize.ts': (t) => t.replace("if (!token) throw new Error('Unauthorized');", "throw new Error('Unauthorized');") });
    const r = await cli(dir, 'check', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ listNotes {2}GET \/notes {2}schema {2}→ 401 {2}\[ListNotesFunction\]/);
    expect(r.stdout).toContain('[authorizer_denied]');
    expect(r.stdout).not.toMatch(/✗ (createNote|health) .*\[(CreateNote|Health)Function\]/); // the HTTP API routes have no authorizer
  });

  it('groups the cases by function in JUnit (source.Function.operation) and Markdown (a table of functions)', async () => {
    const dir = broken({ 'src/handlers/get-note.ts': (t) => t.replace('json(200, note)', 'json(200, { ...note, id: Number(note.id) })') });
    const r = await cli(dir, 'check', '--runs', '0', '--format', 'junit=out/junit.xml', '--format', 'markdown=out/summary.md');
    expect(r.code).toBe(1);
    const junit = readFileSync(path.join(dir, 'out/junit.xml'), 'utf8');
    expect(junit).toContain('classname="rest.GetNoteFunction.getNote"');
    expect(junit).toContain('classname="http.CreateNoteFunction.createNote"');
    const markdown = readFileSync(path.join(dir, 'out/summary.md'), 'utf8');
    expect(markdown).toMatch(/\| ❌ `GetNoteFunction` \| \d+ \| \d+ \| [1-9]\d* \| `.*get-note\.ts` \|/);
    expect(markdown).toMatch(/\| ✅ `ListNotesFunction` \| \d+ \| \d+ \| 0 \|/);
  });

  it('asks which API when several carry a definition and no --spec is given, listing them', async () => {
    const dir = broken({
      'template.yaml': (t) => t.replace('  AuthorizerFunction:\n', '  AdminApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: admin\n      DefinitionUri: openapi.yaml\n\n  AuthorizerFunction:\n'),
    });
    const r = await cli(dir, 'check');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('several APIs carry a definition (NotesApi, AdminApi); choose one with --api');
    const chosen = await cli(dir, 'check', '--api', 'NotesApi', '--runs', '0');
    expect(chosen.stdout).toContain('conforms');
  });

  it('refuses --source with --template (each route runs behind its template source), pointing --source all at a handler run', async () => {
    const all = await cli(SAM_NOTES, 'check', '--source', 'all');
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('--source all does not apply with --template: each route runs behind the source the template gives it');
    expect(all.stderr).toContain('--handler FILE#export --source all');
    const one = await cli(SAM_NOTES, 'check', '--source', 'alb');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--source alb does not apply with --template');
  });

  it('gives a function behind a JWT authorizer of the template the claims the gateway passes', async () => {
    const dir = broken({
      'template.yaml': (t) =>
        t.replace('Resources:\n', 'Resources:\n  NotesHttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Auth:\n        Authorizers:\n          Issuer:\n            JwtConfiguration: { issuer: https://issuer.example, audience: [notes] }\n            IdentitySource: $request.header.Authorization\n\n')
          .replace('Properties: { Path: /notes, Method: POST }', 'Properties: { ApiId: !Ref NotesHttpApi, Path: /notes, Method: POST, Auth: { Authorizer: Issuer, AuthorizationScopes: [notes/write] } }'),
      'src/handlers/create-note.ts': (t) =>
        t.replace('export const handler: APIGatewayProxyHandlerV2 = async (event) => {', "export const handler: APIGatewayProxyHandlerV2 = async (event) => {\n  const jwt = (event.requestContext as { authorizer?: { jwt?: { claims: Record<string, unknown>; scopes: string[] } } }).authorizer?.jwt;\n  if (jwt?.claims.iss !== 'https://issuer.example' || jwt.claims.aud !== 'notes' || !jwt.scopes.includes('notes/write')) return { statusCode: 500, body: JSON.stringify(jwt ?? null) };"),
    });
    const r = await cli(dir, 'check', '--runs', '2', '--function', 'CreateNoteFunction');
    expect(r.stdout).toContain('conforms');
    expect(r.code).toBe(0);
  });

  it('prints each operation’s events as its route’s source sends them, naming the function (events)', async () => {
    const r = await cli(SAM_NOTES, 'events');
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as Array<{ operationId: string; source: string; function: string; event: Record<string, unknown> }>;
    const first = (id: string) => events.find((e) => e.operationId === id);
    expect([first('getNote')?.source, first('getNote')?.function]).toEqual(['rest', 'GetNoteFunction']);
    expect([first('createNote')?.source, first('createNote')?.event.version]).toEqual(['http', '2.0']);
    expect([first('health')?.source, first('health')?.event.version]).toEqual(['http-v1', '1.0']);
  });

  it('stops before running anything when a handler file is missing, naming the function (exit 2)', async () => {
    const dir = broken({ 'template.yaml': (t) => t.replace('Handler: src/handlers/health.handler', 'Handler: src/handlers/gone.handler') });
    const r = await cli(dir, 'check');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the handler file of function HealthFunction (Handler src/handlers/gone.handler) is missing; tried');
  });
});

describe('functions as Lambda runs them', () => {
  it('gives two functions of one file their own module instance, environment, memory and name', async () => {
    const dir = path.join(FIXTURES, 'twins');
    const r = await cli(dir, 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--runs', '3');
    expect(r.stdout).toContain('conforms');
    expect(r.code).toBe(0);
    expect(process.env.TWIN).toBeUndefined(); // restored after the run
  });

  it('lays --env-vars over the template, per function', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-env-'));
    writeFileSync(path.join(dir, 'env.json'), JSON.stringify({ AlphaFunction: { TWIN: 'beta' } }));
    const r = await cli(path.join(FIXTURES, 'twins'), 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--runs', '0', '--env-vars', path.join(dir, 'env.json'));
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ alpha .*\[AlphaFunction\]/);
    expect(r.stdout).not.toMatch(/✗ beta /);
  });
});

describe('a template whose API carries no definition', () => {
  it('takes the openapi.yaml beside it, as sam init lays a project out (the report names it; routes names its operations), and refuses to guess between two', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-beside-'));
    try {
      cpSync(path.join(ROOT, 'test/corpus/sam-hello-nodejs22'), dir, { recursive: true, filter: (src) => !['lambda-contract.config.json', 'corpus.json', 'SOURCE.md'].includes(path.basename(src)) });
      const ok = await cli(dir, 'check', '--template', 'template.yaml', '--runs', '0');
      expect([ok.code, ok.stdout.split('\n')[0]]).toEqual([0, expect.stringContaining(`${path.join(dir, 'openapi.yaml')} (OpenAPI`)]);
      const routes = await cli(dir, 'routes', '--template', 'template.yaml');
      expect(routes.stdout).toMatch(/GET\s+\/hello\s+hello\s+HelloWorldFunction\s+hello-world\/app\.mjs\s+rest/);
      cpSync(path.join(dir, 'openapi.yaml'), path.join(dir, 'swagger.json'));
      const two = await cli(dir, 'check', '--template', 'template.yaml', '--runs', '0');
      expect([two.code, two.stderr]).toEqual([2, expect.stringContaining('several documents are beside it (openapi.yaml, swagger.json); choose one with --spec')]);
      rmSync(path.join(dir, 'swagger.json'));
      rmSync(path.join(dir, 'openapi.yaml'));
      const none = await cli(dir, 'check', '--template', 'template.yaml', '--runs', '0');
      expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('no openapi.yaml (or .json, or swagger.*) is beside it; give the contract with --spec')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
