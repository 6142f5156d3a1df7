/**
 * Sequences: what one call creates the next can read, and what was deleted is gone. The Items contract
 * (specs/items) with its own OpenAPI links, and the same document with its links removed (then they are
 * inferred), checked by the CLI with default flags against three in-memory handlers: one that keeps
 * what it creates and forgets what it deletes, one whose created items cannot be read back, one whose
 * deleted items are still served.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { runIn } from '../cli/in-process';
import { loadContract } from '../../src/contract';
import { runContract, type RunReport } from '../../src/run/run';
import { describeLink, evaluateLinkValue, matchPath, type LinkContext } from '../../src/document/links';
import { formatJunit } from '../../src/report/junit';
import { formatMarkdown } from '../../src/report/markdown';
import type { CaseResult } from '../../src/run/case-result';
import { loadHandler } from '../../src/invoke/load';
import { copier } from '../deploy/copy';

const ROOT = path.resolve(__dirname, '../..');
const SPEC = 'specs/items/openapi.yaml';
const HANDLERS = 'test/fixtures/handlers/items-memory.mjs';
const withLinks = parseYaml(readFileSync(path.join(ROOT, SPEC), 'utf8')) as Record<string, unknown>;

/** The Items document with every `links` taken out. */
function withoutLinks(): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(withLinks)) as { paths: Record<string, Record<string, { responses?: Record<string, { links?: unknown }> }>> };
  for (const item of Object.values(copy.paths)) for (const op of Object.values(item)) for (const r of Object.values(op.responses ?? {})) delete r.links;
  return copy as unknown as Record<string, unknown>;
}

let dir: string;
let unlinked: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lc-sequences-'));
  unlinked = path.join(dir, 'openapi.json');
  writeFileSync(unlinked, JSON.stringify(withoutLinks()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (spec: string, handler: string, ...extra: string[]) => runIn(ROOT, 'check', '--spec', spec, '--handler', `${HANDLERS}#${handler}`, ...extra);
const json = async (spec: string, handler: string, ...extra: string[]): Promise<RunReport> => JSON.parse((await check(spec, handler, '--format', 'json', ...extra)).stdout) as RunReport;
const sequences = (report: RunReport): CaseResult[] => report.results.filter((r) => r.sequence !== undefined);

describe('links', () => {
  it('reads the document\'s links by operationId and by operationRef, with bare and `path.` parameter names', async () => {
    const contract = await loadContract(path.join(ROOT, SPEC));
    const { links, inferred, warnings } = contract.links;
    expect(inferred).toBe(false);
    expect(warnings).toEqual([]);
    expect(links.map((l) => [l.name, l.parameters.map((p) => `${p.in}.${p.name}`), l.pointer])).toEqual([
      ['createItem 201 → getItem', ['path.itemId'], '/paths/~1items/post/responses/201/links/GetCreatedItem'],
      ['createItem 201 → replaceItem', ['path.itemId'], '/paths/~1items/post/responses/201/links/ReplaceCreatedItem'],
      ['createItem 201 → deleteItem', ['path.itemId'], '/paths/~1items/post/responses/201/links/DeleteCreatedItem'],
    ]);
  });

  it('infers the collection POST → item GET/PUT/DELETE links when the document has none, and says what it assumed', async () => {
    const contract = await loadContract(unlinked);
    const { links, inferred } = contract.links;
    expect(inferred).toBe(true);
    expect(links.map((l) => l.name)).toEqual(['createItem 201 → getItem', 'createItem 201 → replaceItem', 'createItem 201 → deleteItem']);
    // The created item's body has only "id" (a guess for {itemId}); its documented Location names it for certain.
    expect(links[0]?.inferred).toBe('POST /items creates what GET /items/{itemId} addresses; {itemId} from the Location header, read as /items/{itemId}');
    expect(links[0]?.parameters[0]?.value).toEqual({ kind: 'location', template: '/items/{itemId}' });
    expect(links.map((l) => l.certain)).toEqual([true, true, true]);
  });

  it('infers the id from a field named like the parameter, else the Location header, else a field "id" (a guess)', async () => {
    const doc = withoutLinks() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
    const created = doc.paths['/items']?.post?.responses['201'];
    if (!created?.content) throw new Error('the Items document changed');
    created.content['application/json'] = { schema: { type: 'object', properties: { name: { type: 'string' } } } };
    const byLocation = await loadContract(doc as never);
    expect(byLocation.links.links[0]?.parameters[0]?.value).toEqual({ kind: 'location', template: '/items/{itemId}' });
    expect(byLocation.links.links[0]?.inferred).toContain('{itemId} from the Location header');
    created.content['application/json'] = { schema: { type: 'object', properties: { id: { type: 'string' }, item_id: { type: 'string' } } } };
    const byName = await loadContract(doc as never);
    expect(byName.links.links[0]?.parameters[0]?.value).toEqual({ kind: 'expression', expression: '$response.body#/item_id' });
    expect(byName.links.links[0]?.certain).toBe(true);
    const responses = doc.paths['/items']?.post?.responses as Record<string, { headers?: unknown }>;
    delete responses['201']?.headers;
    const guessed = await loadContract(doc as never);
    expect(guessed.links.links[0]?.parameters[0]?.value).toEqual({ kind: 'expression', expression: '$response.body#/item_id' });
    created.content['application/json'] = { schema: { type: 'object', properties: { id: { type: 'string' } } } };
    const byId = await loadContract(doc as never);
    expect(byId.links.links[0]?.parameters[0]?.value).toEqual({ kind: 'expression', expression: '$response.body#/id' });
    expect(byId.links.links[0]?.certain).toBe(false);
  });

  it('names a link it cannot follow (unknown operation or parameter, a remote operationRef, a malformed expression) by pointer, and keeps the others', async () => {
    const doc = JSON.parse(JSON.stringify(withLinks)) as { paths: Record<string, Record<string, { responses: Record<string, { links?: Record<string, unknown> }> }>> };
    const links = doc.paths['/items']?.post?.responses['201']?.links;
    if (!links) throw new Error('the Items document changed');
    links.Gone = { operationId: 'noSuchOperation' };
    links.Remote = { operationRef: 'https://example.com/other.yaml#/paths/~1x/get' };
    links.BadParameter = { operationId: 'getItem', parameters: { 'query.nope': '$response.body#/id' } };
    links.BadExpression = { operationId: 'getItem', parameters: { itemId: '$response.path.id' }, requestBody: 'x-{$request.bogus}' };
    const contract = await loadContract(doc as never);
    expect(contract.links.warnings).toEqual([
      'link "Gone" at #/paths/~1items/post/responses/201/links/Gone: no operation has operationId "noSuchOperation"; not followed',
      'link "Remote" at #/paths/~1items/post/responses/201/links/Remote: operationRef https://example.com/other.yaml#/paths/~1x/get points into another document; not followed',
      'link "BadParameter" at #/paths/~1items/post/responses/201/links/BadParameter: getItem has no parameter "query.nope"; that value is not carried',
      'link "BadExpression" at #/paths/~1items/post/responses/201/links/BadExpression: parameter "itemId": "$response.path.id" is not a runtime expression ($url, $method, $statusCode, $request.path|query|header.NAME, $request.body#/…, $response.header.NAME, $response.body#/…); that value is not carried',
      'link "BadExpression" at #/paths/~1items/post/responses/201/links/BadExpression: requestBody: "$request.bogus" is not a runtime expression ($url, $method, $statusCode, $request.path|query|header.NAME, $request.body#/…, $response.header.NAME, $response.body#/…); no body is carried',
    ]);
    expect(contract.links.links).toHaveLength(5);
  });
});

describe('runtime expressions', () => {
  const context: LinkContext = {
    request: { method: 'POST', path: '/shops/s1/items', rawQuery: 'dry=no&tag=a', headers: [['X-Trace', 't-1']], body: Buffer.from('{"name":"saw","tags":["a"]}') },
    requestBody: { name: 'saw', tags: ['a'] },
    pathParameters: { shopId: 's1' },
    response: { statusCode: 201, headers: [['Location', 'https://api.example.com/prod/shops/s1/items/it-9?x=1'], ['content-type', 'application/json']], body: Buffer.from('{"id":"it-9","owner":{"id":7}}') },
  };
  const value = (expression: string) => evaluateLinkValue({ kind: 'expression', expression }, context, 'itemId');

  it('reads the response body by JSON pointer, headers case-insensitively, the request\'s path, query, header and body', () => {
    expect(value('$response.body#/id')).toEqual({ value: 'it-9' });
    expect(value('$response.body#/owner/id')).toEqual({ value: 7 });
    expect(value('$response.header.location')).toEqual({ value: 'https://api.example.com/prod/shops/s1/items/it-9?x=1' });
    expect(value('$request.path.shopId')).toEqual({ value: 's1' });
    expect(value('$request.query.tag')).toEqual({ value: 'a' });
    expect(value('$request.header.x-trace')).toEqual({ value: 't-1' });
    expect(value('$request.body#/tags/0')).toEqual({ value: 'a' });
    expect(value('$statusCode')).toEqual({ value: 201 });
    expect(value('$method')).toEqual({ value: 'POST' });
    expect(value('$url')).toEqual({ value: '/shops/s1/items?dry=no&tag=a' });
  });

  it('fills expressions embedded in text, and says what is missing', () => {
    expect(value('shop-{$request.path.shopId}/{$response.body#/id}')).toEqual({ value: 'shop-s1/it-9' });
    expect(value('$response.body#/nothing')).toEqual({ missing: '$response.body#/nothing: not in the response' });
    expect(value('$response.header.ETag')).toEqual({ missing: '$response.header.ETag: not in the response' });
    expect(evaluateLinkValue({ kind: 'constant', value: 3 }, context, 'x')).toEqual({ value: 3 });
  });

  it('takes a path parameter from the Location header, behind a stage or base path', () => {
    expect(evaluateLinkValue({ kind: 'location', template: '/shops/{shopId}/items/{itemId}' }, context, 'itemId')).toEqual({ value: 'it-9' });
    expect(matchPath('/items/{itemId}', '/prod/items/a%20b')).toEqual({ itemId: 'a b' });
    expect(matchPath('/items/{itemId}', '/orders/7')).toBeUndefined();
    expect(evaluateLinkValue({ kind: 'location', template: '/orders/{orderId}' }, context, 'orderId')).toEqual({ missing: 'Location https://api.example.com/prod/shops/s1/items/it-9?x=1 does not match /orders/{orderId}' });
  });

  it.each([
    ['a relative path', '/items/1025'],
    ['a stage prefix', '/prod/items/1025'],
    ['a base-path mapping and a stage', '/v1/prod/items/1025'],
    ['an absolute URL', 'https://api.example.com/prod/items/1025'],
    ['a trailing slash', '/items/1025/'],
    ['a query string', '/items/1025?view=full'],
    ['all at once', 'https://api.example.com/v1/items/1025/?view=full#top'],
  ])('reads the created item\'s id from a Location with %s, for the item and what lies beneath it', (_name, location) => {
    const at: LinkContext = { ...context, response: { statusCode: 201, headers: [['Location', location]], body: Buffer.alloc(0) } };
    // The value is matched against the created item's path, whatever the target: /items/{itemId}/cover takes the same id.
    expect(evaluateLinkValue({ kind: 'location', template: '/items/{itemId}' }, at, 'itemId')).toEqual({ value: '1025' });
    expect(evaluateLinkValue({ kind: 'location', template: '/items/{itemId}/cover' }, at, 'itemId')).toEqual({ missing: `Location ${location} does not match /items/{itemId}/cover` });
  });
});

describe.each([
  ['with its own links', (): string => SPEC],
  ['with its links removed (inferred)', (): string => unlinked],
])('check with default flags, the Items contract %s', (_name, spec) => {
  it('passes a handler that keeps what it creates and forgets what it deletes', async () => {
    const { code, stdout } = await check(spec(), 'handler');
    expect(stdout).toContain('✓ createItem  POST /items  sequence createItem → getItem  → 200');
    expect(stdout).toContain('✓ createItem  POST /items  sequence createItem → deleteItem → getItem  → 404');
    expect(stdout).toContain('✓ createItem  POST /items  sequences from createItem ×20');
    expect(stdout).toContain('links 3/3 (100%)');
    expect(code).toBe(0);
  });

  it('fails a handler whose created items cannot be read back (ensure_resource_availability), shrunk to create → read, with its seed', async () => {
    const { code, stdout } = await check(spec(), 'losesCreated');
    expect(code).toBe(1);
    const report = await json(spec(), 'losesCreated');
    const shrunk = sequences(report).find((r) => r.sequence?.shrunk);
    expect(shrunk?.ok).toBe(false);
    expect(shrunk?.violations[0]?.rule).toBe('ensure_resource_availability');
    expect(shrunk?.sequence?.steps.map((s) => `${s.method} ${s.status}`)).toEqual(['POST 201', 'GET 404']);
    // Shrunk: shorter than the first drawn sequence that failed.
    expect(shrunk?.sequence?.shrunk?.from).toBeGreaterThan(2);
    expect(shrunk?.notes.some((n) => n.startsWith('reproduce: --seed 1 '))).toBe(true);
    expect(stdout).toMatch(/sequence \(shrunk: \d+ runs, \d+ shrinks\):\n {8}1\. POST \/items \{.*\} → 201\n {8}2\. GET \/items\/item-\d+ → 404 ✗ {2}via createItem 201 → getItem: path\.itemId ← (\$response\.body#\/id|Location header) = "item-\d+" \(step 1\)/);
    expect(stdout).toContain('[ensure_resource_availability] POST /items answered 201, but GET /items/item-');
  });

  it('fails a handler whose deleted items are still served (use_after_free), shrunk to create → delete → read, with its seed', async () => {
    const { code, stdout } = await check(spec(), 'keepsDeleted');
    expect(code).toBe(1);
    const report = await json(spec(), 'keepsDeleted');
    const shrunk = sequences(report).find((r) => r.sequence?.shrunk);
    expect(shrunk?.violations[0]?.rule).toBe('use_after_free');
    expect(shrunk?.sequence?.steps.map((s) => `${s.method} ${s.status}`)).toEqual(['POST 201', 'DELETE 204', 'GET 200']);
    expect(shrunk?.sequence?.shrunk?.from).toBeGreaterThan(3);
    expect(shrunk?.notes.some((n) => n.startsWith('reproduce: --seed 1 '))).toBe(true);
    expect(stdout).toContain('[use_after_free] GET /items/item-');
    expect(stdout).toContain('what was deleted is still served');
    // The fixed sequence finds it too; reading back right after creating still works.
    expect(sequences(report).filter((r) => !r.ok).map((r) => r.sequence?.kind)).toEqual(['sequence createItem → deleteItem → getItem', 'sequences from createItem ×20']);
  });
});

describe('the sequences of a run', () => {
  it('are the same for the same seed, byte for byte, and differ for another seed', async () => {
    const steps = (report: RunReport): string => JSON.stringify(sequences(report).map((r) => [r.case, r.sequence, r.violations]));
    const a = await json(SPEC, 'keepsDeleted', '--seed', '7');
    const b = await json(SPEC, 'keepsDeleted', '--seed', '7');
    expect(steps(a)).toBe(steps(b));
    const c = await json(SPEC, 'keepsDeleted', '--seed', '8');
    expect(steps(c)).not.toBe(steps(a));
  });

  it('are off with --no-sequences, and when neither sequence check is chosen', async () => {
    expect(sequences(await json(SPEC, 'keepsDeleted', '--no-sequences'))).toEqual([]);
    const some = await check(SPEC, 'keepsDeleted', '--checks', 'conformance,no_server_errors');
    expect(some.code).toBe(0);
    expect(some.stdout).not.toContain('sequence');
    const only = await json(SPEC, 'keepsDeleted', '--checks', 'use_after_free', '--runs', '0');
    expect(sequences(only).map((r) => [r.case, r.ok])).toEqual([
      ['sequence createItem → getItem', true],
      ['sequence createItem → replaceItem → getItem', true],
      ['sequence createItem → deleteItem → getItem', false],
    ]);
  });

  it('--runs bounds the drawn sequences', async () => {
    const report = await json(SPEC, 'handler', '--runs', '3');
    expect(sequences(report).map((r) => r.case)).toContain('sequences from createItem ×3');
  });

  it('keep one handler instance for the whole run: state carries from step to step', async () => {
    const contract = await loadContract(path.join(ROOT, SPEC));
    const seen = new Set<string>();
    let created = 0;
    const items = new Map<string, unknown>();
    const handler = async (event: { httpMethod: string; pathParameters: Record<string, string> | null; body: string | null }) => {
      const id = event.pathParameters?.itemId;
      if (!id) {
        const item = { id: `n${++created}`, ...(JSON.parse(event.body ?? '{}') as object) };
        items.set(item.id, item);
        return { statusCode: 201, headers: { 'content-type': 'application/json', location: `/items/${item.id}` }, body: JSON.stringify(item) };
      }
      seen.add(`${event.httpMethod} ${items.has(id) ? 'known' : 'unknown'}`);
      if (event.httpMethod === 'DELETE') {
        items.delete(id);
        return { statusCode: 204 };
      }
      const item = items.get(id);
      return item ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(item) } : { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"no"}' };
    };
    const report = await runContract(contract, handler as never, { checks: ['conformance', 'ensure_resource_availability', 'use_after_free'], runs: 5 });
    expect(sequences(report).every((r) => r.ok)).toBe(true);
    // Only a step carrying an id an earlier step created finds a known item (single requests send sampled ids).
    expect([...seen]).toEqual(expect.arrayContaining(['DELETE known', 'GET known', 'PUT known']));
    expect(report.coverage.links).toEqual({ total: 3, exercised: 3, conformed: 3 });
  });

  it('reports a link whose expression finds nothing in the response as link_not_followed', async () => {
    const doc = JSON.parse(JSON.stringify(withLinks)) as { paths: Record<string, Record<string, { responses: Record<string, { links?: Record<string, { parameters?: Record<string, string> }> }> }>> };
    const link = doc.paths['/items']?.post?.responses['201']?.links?.GetCreatedItem;
    if (!link?.parameters) throw new Error('the Items document changed');
    link.parameters.itemId = '$response.body#/itemId';
    const contract = await loadContract(doc as never);
    const handler = await loadHandler(`${HANDLERS}#handler`, ROOT);
    const report = await runContract(contract, handler as never, { runs: 0 });
    const broken = sequences(report).find((r) => r.case === 'sequence createItem → getItem');
    expect(broken?.ok).toBe(false);
    expect(broken?.violations[0]).toMatchObject({ rule: 'link_not_followed', message: 'createItem 201 → getItem could not be followed: path.itemId: $response.body#/itemId: not in the response' });
  });

  it('show their steps in JUnit (a testcase per sequence kind) and Markdown, and list the links', async () => {
    const report = await json(unlinked, 'keepsDeleted');
    const junit = formatJunit(report);
    expect(junit).toContain('<testcase name="sequence createItem → deleteItem → getItem"');
    expect(junit).toMatch(/<failure message="GET \/items\/item-\d+ answered 200 after DELETE/);
    expect(junit).toMatch(/2\. DELETE \/items\/item-\d+ → 204 {2}via createItem 201 → deleteItem/);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('Sequences followed 3 links inferred from the document\'s shape (it has none of its own):');
    expect(markdown).toContain('- `createItem 201 → deleteItem`: itemId ← the Location header — POST /items creates what DELETE /items/{itemId} addresses; {itemId} from the Location header, read as /items/{itemId}');
    expect(report.links?.map((l) => l.name)).toEqual(['createItem 201 → getItem', 'createItem 201 → replaceItem', 'createItem 201 → deleteItem']);
  });

  it('are listed by events (on stderr, stdout stays the events\' JSON)', async () => {
    const { code, stdout, stderr } = await runIn(ROOT, 'events', '--spec', unlinked);
    expect(code).toBe(0);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
    expect(stderr).toContain('links (inferred: the document has none; check what they assume):');
    expect(stderr).toContain('↪ createItem 201 → getItem  itemId ← the Location header  (POST /items creates what GET /items/{itemId} addresses; {itemId} from the Location header, read as /items/{itemId})');
  });
});

/** The sam-notes store kept in a module variable instead of the table: each function's module has its own. */
const MODULE_STORE = `export interface Note { id: string; text: string }
const notes = new Map<string, Note>();
let next = 1;
export const list = async (): Promise<Note[]> => [...notes.values()];
export const get = async (id: string): Promise<Note | undefined> => notes.get(id);
export const add = async (text: string): Promise<Note> => {
  const note = { id: String(next++), text };
  notes.set(note.id, note);
  return note;
};
export const json = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
`;

describe('sequences across a deployment\'s functions', () => {
  const copy = copier(path.join(ROOT, 'specs/sam-notes'));

  it('send each step through the function its route reaches, each keeping its own module state: notes kept in a module variable are lost between functions', async () => {
    const ok = await runIn(ROOT, 'check', '--template', 'specs/sam-notes/template.yaml', '--format', 'json');
    const passed = JSON.parse(ok.stdout) as RunReport;
    expect(ok.code).toBe(0);
    const readBack = sequences(passed).find((r) => r.case === 'sequence createNote → getNote');
    expect(readBack?.sequence?.steps.map((s) => `${s.method} ${s.status} ${s.function ?? ''}`)).toEqual(['POST 201 CreateNoteFunction', 'GET 200 GetNoteFunction']);
    expect(passed.coverage.links).toEqual({ total: 1, exercised: 1, conformed: 1 });

    // The store as a module variable: createNote's module keeps the note, getNote's never sees it — as on AWS.
    // The inferred link takes the note's id from a field "id" for {noteId}: a guess, so the lost note is a note, not a failure.
    const store = { 'src/lib/store.ts': () => MODULE_STORE };
    const guessed = await runIn(copy(store), 'check', '--template', 'template.yaml', '--format', 'json');
    expect(guessed.code).toBe(0);
    const noted = sequences(JSON.parse(guessed.stdout) as RunReport).find((r) => r.case === 'sequence createNote → getNote');
    expect(noted?.notes).toContainEqual(expect.stringMatching(/^not judged \(ensure_resource_availability\): POST \/notes answered 201, but GET \/notes\/\d+ cannot find what it created, but the link createNote 201 → getNote was inferred from a guess/));
    // Declared in the document, the link is the document's word: the lost note fails.
    const declared = "              schema: { $ref: '#/components/schemas/Note' }\n          links:\n            GetCreatedNote:\n              operationId: getNote\n              parameters: { noteId: $response.body#/id }\n        '400'";
    const dir = copy({ ...store, 'openapi.yaml': (t) => t.replace("              schema: { $ref: '#/components/schemas/Note' }\n        '400'", declared) });
    const lost = await runIn(dir, 'check', '--template', 'template.yaml');
    expect(lost.code).toBe(1);
    expect(lost.stdout).toContain('[ensure_resource_availability] POST /notes answered 201, but GET /notes/');
    expect(lost.stdout).toMatch(/1\. POST \/notes \{.*\} → 201 {2}\[CreateNoteFunction\]\n {8}2\. GET \/notes\/\d+ → 404 ✗ {2}\[GetNoteFunction\] {2}via createNote 201 → getNote/);
  });

  it('learn a link from a Location header one function sends, and follow it into another', async () => {
    // The created note's body no longer says its id; the function points at it with a Location header instead.
    const dir = copy({
      'openapi.yaml': (t) => t.replace("Created\n          content:\n            application/json:\n              schema: { $ref: '#/components/schemas/Note' }", 'Created\n          content:\n            application/json:\n              schema: { type: object }'),
      'src/handlers/create-note.ts': (t) => t.replace('return json(201, await add(text));', "const note = await add(text);\n  const created = json(201, note);\n  return { ...created, headers: { ...created.headers, Location: `/notes/${note.id}` } };"),
    });
    const r = await runIn(dir, 'check', '--template', 'template.yaml', '--format', 'json');
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.links?.map((l) => [l.name, l.carries])).toEqual([['createNote 201 → getNote', 'noteId ← the Location header']]);
    expect(report.links?.[0]?.inferred).toMatch(/^a 201 of POST \/notes had Location \/notes\/\d+, which GET \/notes\/\{noteId\} addresses$/);
    const readBack = sequences(report).find((c) => c.case === 'sequence createNote → getNote');
    expect(readBack?.sequence?.steps.map((s) => `${s.status} ${s.function ?? ''} ${s.carried.join('')}`)).toEqual(['201 CreateNoteFunction ', expect.stringMatching(/^200 GetNoteFunction path\.noteId ← Location header = "\d+" \(step 1\)$/)]);
    expect(r.code).toBe(0);
  });
});

describe('links a Location header teaches', () => {
  const doc = {
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    paths: {
      '/orders': { post: { operationId: 'placeOrder', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['item'], properties: { item: { type: 'string', minLength: 1, maxLength: 20 } } } } } }, responses: { '202': { description: 'Accepted; where the order will be' } } } },
      '/orders/{orderRef}': {
        get: {
          operationId: 'getOrder', parameters: [{ name: 'orderRef', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The order', content: { 'application/json': { schema: { type: 'object', required: ['item'], properties: { item: { type: 'string' } } } } } }, '404': { description: 'No such order' } },
        },
      },
    },
  };
  // The handler checks nothing of the request: these runs judge responses and sequences, not rejections.
  type Event = { httpMethod: string; pathParameters: Record<string, string> | null; body: string | null };
  const orders = (lose: boolean) => {
    const kept = new Map<string, string>();
    return async (event: Event) => {
      if (event.httpMethod === 'POST') {
        const ref = `ord-${kept.size + 1}`;
        if (!lose) kept.set(ref, (JSON.parse(event.body ?? '{}') as { item: string }).item);
        return { statusCode: 202, headers: { Location: `https://api.example.com/prod/orders/${ref}` } };
      }
      const item = kept.get(event.pathParameters?.orderRef ?? '');
      return item === undefined ? { statusCode: 404 } : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item }) };
    };
  };

  it('follows a Location header the document does not declare to the operation whose path it points at, and says it learned it', async () => {
    const contract = await loadContract(doc as never);
    expect(contract.links.links).toEqual([]); // nothing in the document says where an order goes
    const report = await runContract(contract, orders(false) as never, { runs: 3, checks: ['conformance', 'ensure_resource_availability'] });
    expect(report.links).toEqual([{ name: 'placeOrder 202 → getOrder', from: 'placeOrder', status: '202', to: 'getOrder', carries: 'orderRef ← the Location header', inferred: 'a 202 of POST /orders had Location https://api.example.com/prod/orders/ord-1, which GET /orders/{orderRef} addresses' }]);
    const readBack = sequences(report).find((r) => r.case === 'sequence placeOrder → getOrder');
    expect(readBack?.sequence?.steps.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([expect.stringMatching(/^POST \/orders 202$/), expect.stringMatching(/^GET \/orders\/ord-\d+ 200$/)]);
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.case}: ${r.violations[0]?.message}`)).toEqual([]);
  });

  it('finds an order the Location points at but nobody kept (ensure_resource_availability)', async () => {
    const report = await runContract(await loadContract(doc as never), orders(true) as never, { runs: 3, checks: ['conformance', 'ensure_resource_availability'] });
    const failed = sequences(report).filter((r) => !r.ok);
    expect(failed.map((r) => r.violations[0]?.rule)).toEqual(['ensure_resource_availability', 'ensure_resource_availability']);
    expect(failed[0]?.sequence?.steps[1]?.carried).toEqual([expect.stringMatching(/^path\.orderRef ← Location header = "ord-\d+" \(step 1\)$/)]);
  });
});

describe('inferred links of nested collections', () => {
  const id = { type: 'string', pattern: '^[a-z0-9-]+$' };
  const created = (props: Record<string, unknown>) => ({ description: 'Created', content: { 'application/json': { schema: { type: 'object', required: Object.keys(props), properties: props } } } });
  const body = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 10 } } } } } };
  const doc = {
    openapi: '3.0.3',
    info: { title: 'Reviews', version: '1' },
    paths: {
      '/items': { post: { operationId: 'createItem', requestBody: body, responses: { '201': created({ id: { type: 'string' } }) } } },
      '/items/{itemId}': { parameters: [{ name: 'itemId', in: 'path', required: true, schema: id }], get: { operationId: 'getItem', responses: { '200': created({ id: { type: 'string' } }), '404': { description: 'none' } } } },
      '/items/{itemId}/reviews': { parameters: [{ name: 'itemId', in: 'path', required: true, schema: id }], post: { operationId: 'addReview', requestBody: body, responses: { '201': created({ reviewId: { type: 'string' } }), '404': { description: 'no item' } } } },
      '/items/{itemId}/reviews/{reviewId}': {
        parameters: [{ name: 'itemId', in: 'path', required: true, schema: id }, { name: 'reviewId', in: 'path', required: true, schema: id }],
        get: { operationId: 'getReview', responses: { '200': created({ reviewId: { type: 'string' } }), '404': { description: 'none' } } },
      },
    },
  };
  type Event = { httpMethod: string; pathParameters: Record<string, string> | null };
  const answer = (statusCode: number, value?: unknown) => (value === undefined ? { statusCode } : { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
  const api = (losesReviews = false) => {
    const items = new Map<string, Set<string>>();
    return async (event: Event) => {
      const { itemId, reviewId } = event.pathParameters ?? {};
      if (itemId === undefined) {
        const item = `i-${items.size + 1}`;
        items.set(item, new Set());
        return answer(201, { id: item });
      }
      const reviews = items.get(itemId);
      if (!reviews) return answer(404);
      if (reviewId !== undefined) return reviews.has(reviewId) ? answer(200, { reviewId }) : answer(404);
      if (event.httpMethod === 'GET') return answer(200, { id: itemId });
      const review = `r-${reviews.size + 1}`;
      if (!losesReviews) reviews.add(review);
      return answer(201, { reviewId: review });
    };
  };

  it('carry a nested item\'s parent from the request\'s path, so a review is read back under the item it was added to', async () => {
    const contract = await loadContract(doc as never);
    expect(contract.links.links.map((l) => [l.name, describeLink(l)])).toEqual([
      ['createItem 201 → getItem', 'itemId ← $response.body#/id'],
      ['createItem 201 → addReview', 'itemId ← $response.body#/id'],
      ['addReview 201 → getReview', 'itemId ← $request.path.itemId, reviewId ← $response.body#/reviewId'],
    ]);
    const report = await runContract(contract, api() as never, { runs: 10, checks: ['conformance', 'ensure_resource_availability', 'use_after_free'] });
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.case}: ${r.violations[0]?.message}`)).toEqual([]);
    // The drawn sequences reached the review through the item: create, add, read back.
    expect(report.coverage.links).toEqual({ total: 3, exercised: 3, conformed: 3 });
  });

  it('find a review that cannot be read back under its item, shrunk to create item → add review → read review', async () => {
    const report = await runContract(await loadContract(doc as never), api(true) as never, { runs: 10, checks: ['conformance', 'ensure_resource_availability', 'use_after_free'] });
    const shrunk = sequences(report).find((r) => r.sequence?.shrunk);
    expect(shrunk?.violations[0]?.message).toMatch(/^POST \/items\/i-\d+\/reviews answered 201, but GET \/items\/i-\d+\/reviews\/r-1 cannot find what it created \(link addReview 201 → getReview inferred: POST \/items\/\{itemId\}\/reviews creates what GET \/items\/\{itemId\}\/reviews\/\{reviewId\} addresses; \{reviewId\} from the response field "reviewId", \{itemId\} from the request's path\)$/);
    expect(shrunk?.violations[0]?.basis).toEqual({ from: 'inference', assumed: expect.stringContaining('{reviewId} from the response field "reviewId"') });
    expect(shrunk?.sequence?.steps.map((s) => `${s.operationId} ${s.status}`)).toEqual(['createItem 201', 'addReview 201', 'getReview 404']);
    expect(shrunk?.sequence?.shrunk?.from).toBeGreaterThan(3);
  });
});
