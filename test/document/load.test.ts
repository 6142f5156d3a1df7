import { mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { Contract, isContractError, loadContract } from '../../src';
import { writeOpenApiValidators } from '../../src/document/precompile';
import { openApiSchemaCompiler } from '../../src/document/validate';

const spec = (name: string): string => path.resolve(__dirname, '../fixtures/specs', name);
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');

async function loadError(file: string, options = {}): Promise<unknown> {
  try {
    await loadContract(file, options);
  } catch (error) {
    return error;
  }
  throw new Error(`${file} loaded`);
}

describe('loadContract', () => {
  it('loads OpenAPI 3.0 YAML into operations with merged path-level parameters', async () => {
    const c = await loadContract(PETSTORE);
    expect(c.version).toBe('3.0');
    expect(c.operations.map((o) => o.id)).toEqual(['listPets', 'createPet', 'getPet', 'deletePet']);
    const del = c.operation('deletePet');
    expect(del.parameters.map((p) => [p.in, p.name, p.required])).toEqual([['path', 'petId', true]]);
    expect(del.security[0]?.[0]?.scheme).toEqual({ name: 'apiKey', type: 'apiKey', in: 'header', paramName: 'X-API-Key' });
    expect(c.operation('listPets').security).toEqual([]);
    expect(c.operation('createPet').security[0]?.[0]?.scheme.type).toBe('http');
  });

  it('loads OpenAPI 3.1 and addresses an operation without operationId as METHOD /path', async () => {
    const c = await loadContract(spec('petstore-3.1.yaml'));
    expect(c.version).toBe('3.1');
    expect(c.operations.map((o) => o.id)).toEqual(['getPet', 'GET /pets']);
    expect(c.operation('get /pets').path).toBe('/pets');
  });

  it('loads Swagger 2.0 JSON: body parameter becomes the request body, produces becomes response content', async () => {
    const c = await loadContract(spec('swagger-2.0.json'));
    expect(c.version).toBe('2.0');
    const add = c.operation('addPet');
    expect(add.requestBody?.required).toBe(true);
    expect(add.requestBody?.content.map((m) => m.mediaType)).toEqual(['application/json']);
    const list = c.operation('listPets');
    expect(list.responses[0]?.content.map((m) => m.mediaType)).toEqual(['application/json']);
    expect(list.responses[0]?.headers.map((h) => h.name)).toEqual(['X-Rate-Limit']);
    expect(list.parameters[0]?.collectionFormat).toBe('csv');
  });

  it('follows $refs across files, including a recursive schema', async () => {
    const c = await loadContract(spec('multi/openapi.yaml'));
    const op = c.operation('getNode');
    expect(op.parameters[0]?.name).toBe('id');
    const tree = { id: 'root', children: [{ id: 'a', children: [{ id: 'b', children: [] }] }] };
    const ok = c.verify('getNode', { statusCode: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(tree)) });
    expect(ok.ok).toBe(true);
    const bad = c.verify('getNode', { statusCode: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ id: 'r', children: [{ id: 1, children: [] }] })) });
    expect(bad.violations.map((v) => v.pointer)).toEqual(['/children/0/id']);
  });

  it('reports an invalid document with the file, the JSON pointer and the reason', async () => {
    const error = await loadError(spec('invalid.yaml'));
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_INVALID')).toBe(true);
    if (!isContractError(error)) return;
    expect(error.message).toContain(`${spec('invalid.yaml')}#/paths/~1pets/get/responses/200: must have required property 'description'`);
    expect(error.details).toMatchObject({ file: spec('invalid.yaml'), pointer: '/paths/~1pets/get/responses/200' });
    expect(error.stack).not.toContain('at new ContractError');
  });

  it('names each dangling $ref by where it stands and what it names', async () => {
    const error = await loadError({
      openapi: '3.0.3', info: { title: 'x', version: '1' },
      paths: { '/a': { get: { responses: { 200: { $ref: '#/components/responses/Gone' } } } } },
      components: { schemas: { Pet: { type: 'object', example: { $ref: 'not a reference, just data' } } } },
    } as never);
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toBe('invalid OpenAPI document <object>:\n  <object>#/paths/~1a/get/responses/200: $ref "#/components/responses/Gone" points to nothing in the document');
    expect((error as { details: unknown }).details).toMatchObject({ pointer: '/paths/~1a/get/responses/200', ref: '#/components/responses/Gone' });
  });

  it('names a document given as an object by the name it is given (a template\'s API), in errors and on the contract', async () => {
    const name = 'template.yaml#/Resources/NotesApi';
    const broken = { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { $ref: '#/components/responses/Gone' } } } } } };
    const error = await loadError(broken as never, { name });
    expect((error as Error).message).toContain(`invalid OpenAPI document ${name}:\n  ${name}#/paths/~1a/get/responses/200`);
    const fine = await loadContract({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: {} } as never, { name });
    expect(fine.file).toBe(name);
  });

  it('validates 3.1 documents against the 3.1 schema, with the document\'s own pointers', async () => {
    const error = await loadError({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { content: {} } } } } } } as never);
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toContain("<object>#/paths/~1a/get/responses/200: must have required property 'description'");
    // A 3.1 schema may be any JSON Schema, booleans included.
    const ok = await loadContract({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: true } } } } } } } } as never);
    expect(ok.operations).toHaveLength(1);
  });

  it('ships the OpenAPI schema validators precompiled, judging documents exactly as the ones compiled at run time', () => {
    // Inside the project, so the generated code's `require('ajv/…')` resolves as it does in dist/.
    const dir = mkdtempSync(path.join(__dirname, '.precompiled-'));
    try {
      const files = writeOpenApiValidators(dir);
      const documents = {
        '3.0': [
          { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { content: {} } } } } } },
          { openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { '/a': { get: { parameters: [{ name: 'q', in: 'nowhere' }], responses: { 200: { description: 'ok' } } } } } },
        ],
        '3.1': [
          { openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/a': { get: { responses: { 200: { content: {} } } } } } },
          { openapi: '3.1.0', info: { title: 'x' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 7 } } } } } } } } },
        ],
      } as const;
      for (const [i, version] of (['3.0', '3.1'] as const).entries()) {
        const precompiled = require(files[i] as string) as ValidateFunction;
        const { ajv, schema } = openApiSchemaCompiler(version);
        const fresh = ajv.compile(schema);
        for (const doc of documents[version]) {
          expect(precompiled(doc)).toBe(false);
          expect(fresh(doc)).toBe(false);
          expect(precompiled.errors).toEqual(fresh.errors);
        }
        const valid = { openapi: version === '3.0' ? '3.0.3' : '3.1.0', info: { title: 'x', version: '1' }, paths: {} };
        expect([precompiled(valid), fresh(valid)]).toEqual([true, true]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads one-file 3.x documents synchronously, and leaves split or Swagger 2.0 documents to the asynchronous loader', async () => {
    const sync = Contract.loadSync(PETSTORE);
    expect(sync?.operations.map((op) => op.id)).toEqual((await loadContract(PETSTORE)).operations.map((op) => op.id));
    expect(Contract.loadSync(spec('multi/openapi.yaml'))).toBeUndefined();
    expect(Contract.loadSync(spec('swagger-2.0.json'))).toBeUndefined();
    expect(() => Contract.loadSync(spec('malformed.yaml'))).toThrow(expect.objectContaining({ code: 'ERR_CONTRACT_SPEC_UNREADABLE' }));
    expect(() => Contract.loadSync(spec('invalid.yaml'))).toThrow(/invalid\.yaml#\/paths\/~1pets\/get\/responses\/200: must have required property 'description'/);
  });

  it('reports a YAML syntax error as unreadable, naming the file', async () => {
    const error = await loadError(spec('malformed.yaml'));
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_UNREADABLE')).toBe(true);
    expect((error as Error).message).toContain(spec('malformed.yaml'));
  });

  it('reports a missing file as unreadable', async () => {
    const error = await loadError(spec('nope.yaml'));
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_UNREADABLE')).toBe(true);
    expect((error as Error).message).toContain('nope.yaml');
  });

  it('refuses remote $refs unless allowed, naming the URL', async () => {
    const error = await loadError(spec('remote-ref.yaml'));
    expect(isContractError(error, 'ERR_CONTRACT_REMOTE_REF')).toBe(true);
    expect((error as Error).message).toContain('https://example.com/responses.yaml');
    expect((error as Error).message).toContain('allowRemoteRefs');
  });

  it('rejects documents that are neither Swagger 2.0 nor OpenAPI 3.x', async () => {
    const error = await loadError({ openapi: '4.0.0', info: { title: 'x', version: '1' }, paths: {} } as never);
    expect(isContractError(error, 'ERR_CONTRACT_SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toContain('4.0.0');
  });

  it('lists the known operations, and a near miss, for an unknown id', async () => {
    const c = await loadContract(PETSTORE);
    expect(() => c.operation('getPett')).toThrow(/unknown operation "getPett" .*did you mean "getPet"\?; operations: listPets, createPet, getPet, deletePet/);
  });
});
