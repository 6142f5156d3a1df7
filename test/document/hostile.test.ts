/**
 * Hostile and broken documents: each is either read (and every operation still gets its events and
 * verdicts) or refused with a classified error naming the file and the JSON pointer. None crashes,
 * none hangs.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Contract, ContractError, isContractError, loadContract } from '../../src';
import { SOURCE_NAMES } from '../../src/entries/gateway';
import { MAX_NESTING } from '../../src/document/load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function loadError(spec: Parameters<typeof loadContract>[0], options: Parameters<typeof loadContract>[1] = {}): Promise<ContractError> {
  try {
    await loadContract(spec, options);
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw new Error(`not a ContractError: ${String(error)}`);
  }
  throw new Error('loaded');
}

const info = { title: 'hostile', version: '1' };
const json = (schema: unknown) => ({ description: 'ok', content: { 'application/json': { schema } } });
const doc30 = (paths: Record<string, unknown>, components: Record<string, unknown> = {}) => ({ openapi: '3.0.3', info, paths, components });

describe('broken files', () => {
  it('names the file and the line of a JSON syntax error', async () => {
    const file = write('broken.json', '{"openapi": "3.0.3", "info": {"title": "x",\n "version": "1"}, "paths": {"/a": {"get": {');
    const error = await loadError(file);
    expect(error.code).toBe('ERR_CONTRACT_SPEC_UNREADABLE');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/\(\d+:\d+\)/);
  });

  it('says a missing file is missing and a directory is a directory', async () => {
    expect((await loadError(path.join(dir, 'nope.yaml'))).message).toBe(`cannot read OpenAPI document ${path.join(dir, 'nope.yaml')}: no such file`);
    expect((await loadError(dir)).message).toBe(`cannot read OpenAPI document ${dir}: it is a directory`);
  });
});

describe('references', () => {
  it('refuses a $ref chain that goes round without reaching a schema, in 3.x and 2.0, naming where it is entered', async () => {
    const loop = await loadError(doc30({ '/a': { get: { operationId: 'a', responses: { 200: json({ $ref: '#/components/schemas/A' }) } } } }, { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } } }) as never);
    expect(loop.code).toBe('ERR_CONTRACT_SPEC_INVALID');
    expect(loop.details).toMatchObject({ pointer: '/paths/~1a/get/responses/200/content/application~1json/schema', ref: '#/components/schemas/A' });
    expect(loop.message).toContain('$ref chain /paths/~1a/get/responses/200/content/application~1json/schema → /components/schemas/A → /components/schemas/B → /components/schemas/A goes round without reaching a schema');

    const file = write('swagger-loop.json', { swagger: '2.0', info, paths: { '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Self' } } } } } }, definitions: { Self: { $ref: '#/definitions/Self' } } });
    const self = await loadError(file);
    expect(self.code).toBe('ERR_CONTRACT_SPEC_INVALID');
    expect(self.message).toContain(`${file}#/paths/~1a/get/responses/200/schema: $ref chain /paths/~1a/get/responses/200/schema → /definitions/Self → /definitions/Self goes round`);
  });

  it('refuses schemas that apply themselves to the same value through allOf, anyOf or oneOf, but reads recursion through properties', async () => {
    const error = await loadError(doc30({ '/a': { get: { operationId: 'a', responses: { 200: json({ $ref: '#/components/schemas/Owner' }) } } } }, { schemas: { Owner: { allOf: [{ $ref: '#/components/schemas/Named' }, { type: 'object' }] }, Named: { anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'string' }] } } }) as never);
    expect(error.code).toBe('ERR_CONTRACT_SPEC_INVALID');
    expect(error.message).toContain('schemas /paths/~1a/get/responses/200/content/application~1json/schema → /components/schemas/Owner → /components/schemas/Owner/allOf/0 → /components/schemas/Named → /components/schemas/Named/anyOf/0 → /components/schemas/Owner apply one another to the same value in a loop');
    const fine = await loadContract(doc30({ '/a': { get: { operationId: 'a', responses: { 200: json({ $ref: '#/components/schemas/Owner' }) } } } }, { schemas: { Owner: { allOf: [{ $ref: '#/components/schemas/Named' }] }, Named: { type: 'object', properties: { owner: { $ref: '#/components/schemas/Owner' } } } } }) as never);
    expect(fine.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"owner":{"owner":{"owner":7}}}' }).result.violations).toEqual([expect.objectContaining({ pointer: '/owner/owner/owner' })]);
  });

  it('reads recursive schemas: requests and samples stay finite, a recursive answer is judged to its depth', async () => {
    const tree = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } };
    const contract = await loadContract(doc30({ '/t': { post: { operationId: 't', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } }, responses: { 200: json({ $ref: '#/components/schemas/Tree' }) } } } }, { schemas: { Tree: tree } }) as never);
    expect(contract.requests('t').length).toBeGreaterThan(0);
    expect(contract.propertyRequests('t', 10)).toHaveLength(10);
    const deep = { name: 'a', children: [{ name: 'b', children: [{ name: 'c', children: [{ name: 7 }] }] }] };
    const judged = contract.judge('t', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(deep) });
    expect(judged.result.violations).toEqual([expect.objectContaining({ rule: 'body_schema', pointer: '/children/0/children/0/children/0/name' })]);
  });

  it('reports a body nested too deep to check against a recursive schema as unverifiable, not a crash', async () => {
    const contract = await loadContract(doc30({ '/t': { get: { operationId: 't', responses: { 200: json({ $ref: '#/components/schemas/Tree' }) } } } }, { schemas: { Tree: { type: 'object', properties: { c: { $ref: '#/components/schemas/Tree' } } } } }) as never);
    const body = `${'{"c":'.repeat(50_000)}{}${'}'.repeat(50_000)}`;
    const judged = contract.judge('t', { statusCode: 200, headers: { 'content-type': 'application/json' }, body });
    expect(judged.result.violations).toEqual([expect.objectContaining({ rule: 'body_unverifiable', received: 'a value nested 50001 levels deep' })]);
    expect(contract.judge('t', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"c":{"c":{}}}' }).result.ok).toBe(true);
  });

  it('refuses $refs to files outside the document\'s folder unless that folder is allowed', async () => {
    write('common/pet.yaml', 'type: object\nrequired: [id]\nproperties:\n  id: {type: integer}\n');
    const file = write('api/openapi.json', doc30({ '/pets/{id}': { get: { operationId: 'getPet', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: json({ $ref: '../common/pet.yaml' }) } } } }));
    const refused = await loadError(file);
    expect(refused.code).toBe('ERR_CONTRACT_REF_OUTSIDE');
    expect(refused.details).toMatchObject({ file, ref: path.join(dir, 'common/pet.yaml') });
    expect(refused.message).toContain('allowRefsFrom');
    // An absolute path to a system file is outside too, and its content never reaches the message.
    const system = write('api/system.json', doc30({ '/a': { get: { responses: { 200: json({ $ref: '/etc/passwd' }) } } } }));
    expect((await loadError(system)).code).toBe('ERR_CONTRACT_REF_OUTSIDE');

    const allowed = await loadContract(file, { allowRefsFrom: [path.join(dir, 'common')] });
    expect(allowed.judge('getPet', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' }).result.violations).toEqual([expect.objectContaining({ rule: 'body_schema', pointer: '/id' })]);
  });
});

describe('documents beyond the usual', () => {
  it(`refuses a document nested deeper than ${MAX_NESTING} levels with the pointer, and reads one just under`, async () => {
    const nest = (levels: number) => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < levels; i++) schema = { type: 'array', items: schema };
      return schema;
    };
    const error = await loadError(doc30({ '/a': { get: { operationId: 'a', responses: { 200: json(nest(5000)) } } } }) as never);
    expect(error.code).toBe('ERR_CONTRACT_SPEC_UNSUPPORTED');
    expect(String(error.details.pointer)).toMatch(/^\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema(\/items)+$/);
    // Deep data in an example counts as much as deep schemas.
    const deepExample = write('deep-example.json', `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"example":${'['.repeat(10000)}${']'.repeat(10000)}}}}}}}}}`);
    expect((await loadError(deepExample)).code).toBe('ERR_CONTRACT_SPEC_UNSUPPORTED');

    const contract = await loadContract(doc30({ '/a': { post: { operationId: 'a', requestBody: { content: { 'application/json': { schema: nest(MAX_NESTING - 20) } } }, responses: { 200: json(nest(MAX_NESTING - 20)) } } } }) as never);
    expect(contract.requests('a')[0]?.request.body).toBeDefined();
    expect(contract.responses('a').length).toBeGreaterThan(0);
  });

  it('reads a document of 5,000 operations and builds every source\'s event for each', async () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) {
      paths[`/r${i}/{id}`] = { get: { operationId: `get${i}`, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: json({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }) } } };
    }
    const contract = await loadContract(write('huge.json', { openapi: '3.0.3', info, paths }));
    expect(contract.operations).toHaveLength(5000);
    let events = 0;
    for (const op of contract.operations) {
      for (const source of SOURCE_NAMES) {
        for (const c of contract.requests(op.id)) if (contract.eventForCase(c, source)) events++;
      }
    }
    expect(events).toBe(5000 * SOURCE_NAMES.length);
    expect(contract.judge('get4999', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":1}' }).result.ok).toBe(true);
  });

  it('addresses a repeated operationId by method and path, and warns of paths that are one route', async () => {
    const param = (name: string) => [{ name, in: 'path', required: true, schema: { type: 'string' } }];
    const contract = await loadContract(doc30({
      '/a/{x}': { get: { operationId: 'same', parameters: param('x'), responses: { 200: { description: 'ok' } } } },
      '/a/{y}': { get: { operationId: 'same', parameters: param('y'), responses: { 200: { description: 'ok' } } } },
    }) as never);
    expect(contract.operations.map((op) => op.id)).toEqual(['same', 'GET /a/{y}']);
    expect(contract.warnings).toEqual([
      'path "/a/{y}" at /paths/~1a~1{y} is the same route as "/a/{x}": OpenAPI forbids paths that differ only in parameter names and API Gateway refuses to import them; each is tested with its own events',
      'operationId "same" at /paths/~1a~1{y}/get repeats /paths/~1a~1{x}/get; addressing this one as "GET /a/{y}"',
    ]);
    expect(contract.requests('GET /a/{y}')[0]?.request.route).toBe('/a/{y}');
  });

  it('reports an invalid pattern as an unusable schema of its operation only, and goes on with the others', async () => {
    const contract = await loadContract(doc30({
      '/bad': { get: { operationId: 'bad', parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string', pattern: '([a-z' } }], responses: { 200: json({ type: 'string', pattern: '([a-z' }) } } },
      '/good': { get: { operationId: 'good', responses: { 200: json({ type: 'string', pattern: '^[a-z]+$' }) } } },
    }) as never);
    expect(contract.requests('bad').length).toBeGreaterThan(0);
    const bad = contract.judge('bad', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '"abc"' });
    expect(bad.result.violations).toEqual([expect.objectContaining({ rule: 'schema_unusable', specPointer: '/paths/~1bad/get/responses/200/content/application~1json/schema', received: expect.stringContaining('Invalid regular expression: /([a-z/') })]);
    expect(contract.judge('good', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '"abc"' }).result.ok).toBe(true);
  });

  it('takes no `$id` inside an example for a schema\'s, and reports schemas that share one `$id` as unusable', async () => {
    // APIs.guru's akeneo.com description: the same example (with an `$id`) under two operations.
    const example = { $id: 'https://example.com/product', type: 'object' };
    const withExamples = await loadContract(doc30({
      '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', example } } } } } } },
      '/b': { put: { operationId: 'b', requestBody: { content: { 'application/json': { schema: { type: 'object' }, example } } }, responses: { 200: json({ type: 'object', example }) } } },
    }) as never);
    expect(withExamples.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' }).result.ok).toBe(true);
    expect(withExamples.requests('b')[0]?.request.body?.toString()).toBe(JSON.stringify(example));

    const shared = await loadContract({ openapi: '3.1.0', info, paths: { '/a': { get: { operationId: 'a', responses: { 200: json({ $id: 'https://example.com/x', type: 'string' }), 201: json({ $id: 'https://example.com/x', type: 'integer' }) } } } } } as never);
    expect(shared.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '"x"' }).result.violations).toEqual([expect.objectContaining({ rule: 'schema_unusable', received: expect.stringContaining('resolves to more than one schema') })]);
  });

  it('gives the synchronous loader the same verdicts', () => {
    const loop = write('sync-loop.json', doc30({ '/a': { get: { responses: { 200: json({ $ref: '#/components/schemas/A' }) } } } }, { schemas: { A: { $ref: '#/components/schemas/A' } } }));
    expect(() => Contract.loadSync(loop)).toThrow(expect.objectContaining({ code: 'ERR_CONTRACT_SPEC_INVALID' }));
    const deep = write('sync-deep.json', `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"${'x'}","content":{"application/json":{"example":${'['.repeat(500)}${']'.repeat(500)}}}}}}}}}`);
    let thrown: unknown;
    try {
      Contract.loadSync(deep);
    } catch (error) {
      thrown = error;
    }
    expect(isContractError(thrown, 'ERR_CONTRACT_SPEC_UNSUPPORTED')).toBe(true);
  });
});
