import * as path from 'node:path';
import { loadContract, type Contract } from '../../src';
import { sampleValue } from '../../src/requests/sample';
import { encodeBody, MULTIPART_BOUNDARY, serializeCookie, serializeHeader, serializePath, serializeQuery } from '../../src/requests/serialize';
import type { ParameterSpec } from '../../src/document/model';
import type { HttpRequest } from '../../src/gateway/types';
import { IndependentJudge } from '../verify/differential';

const spec = (name: string): string => path.resolve(__dirname, '../fixtures/specs', name);
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const header = (c: { request: { headers: Array<[string, string]> } }, name: string) => c.request.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/** A parameter's value as the request carries it, read back as its schema's type (scalars and form arrays). */
function readParameter(p: ParameterSpec, request: HttpRequest): { found: boolean; value?: unknown } {
  const schema = (p.schema?.schema ?? {}) as { type?: unknown; items?: { type?: unknown } };
  const scalar = (type: unknown, raw: string): unknown => (type === 'integer' || type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : raw);
  let raw: string[] = [];
  if (p.in === 'path') {
    const names = [...(request.route ?? '').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const pattern = new RegExp(`^${(request.route ?? '').replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`);
    const m = pattern.exec(request.path);
    const at = names.indexOf(p.name);
    if (m && at >= 0 && m[at + 1] !== undefined) raw = [decodeURIComponent(m[at + 1]!)];
  } else if (p.in === 'query') raw = new URLSearchParams(request.rawQuery).getAll(p.name);
  else if (p.in === 'header') raw = request.headers.filter(([k]) => k.toLowerCase() === p.name.toLowerCase()).map(([, v]) => v);
  else raw = request.headers.filter(([k]) => k.toLowerCase() === 'cookie').flatMap(([, v]) => v.split('; ')).filter((c) => c.startsWith(`${p.name}=`)).map((c) => c.slice(p.name.length + 1));
  if (raw.length === 0) return { found: false };
  if (schema.type === 'array') return { found: true, value: raw.flatMap((r) => (p.explode ? [r] : r.split(','))).map((r) => scalar(schema.items?.type, r)) };
  return { found: true, value: scalar(schema.type, raw[0]!) };
}

/**
 * Every generated request carries each required parameter and body, and every value it sends is valid
 * for its schema — judged by @cfworker/json-schema, a validator the generator and our verifier do not use.
 */
function assertValid(contract: Contract): number {
  const pointers = contract.operations.flatMap((op) => [
    ...op.parameters.flatMap((p) => (p.schema?.pointer ? [p.schema.pointer] : [])),
    ...(op.requestBody?.content ?? []).flatMap((m) => (m.schema?.pointer && /json/i.test(m.mediaType) ? [m.schema.pointer] : [])),
  ]);
  const judge = new IndependentJudge(contract, pointers);
  let judged = 0;
  for (const op of contract.operations) {
    for (const c of contract.requests(op.id)) {
      expect([op.id, c.name, c.notes]).toEqual([op.id, c.name, []]);
      for (const p of op.parameters) {
        const { found, value } = readParameter(p, c.request);
        if (p.required) expect([op.id, c.name, p.in, p.name, found]).toEqual([op.id, c.name, p.in, p.name, true]);
        const kind = (p.schema?.schema as { type?: unknown } | undefined)?.type;
        if (!found || !p.schema?.pointer || kind === 'object') continue;
        expect([op.id, c.name, p.name, value, judge.valid(p.schema.pointer, value)]).toEqual([op.id, c.name, p.name, value, true]);
        judged++;
      }
      if (op.requestBody?.required) expect(c.request.body?.length).toBeGreaterThan(0);
      const type = header(c, 'content-type')?.split(';')[0]?.trim();
      const media = op.requestBody?.content.find((m) => m.mediaType === type);
      if (c.request.body && media?.schema?.pointer && /json/i.test(media.mediaType)) {
        const body: unknown = JSON.parse(c.request.body.toString('utf8'));
        expect([op.id, c.name, body, judge.valid(media.schema.pointer, body)]).toEqual([op.id, c.name, body, true]);
        judged++;
      }
    }
  }
  return judged;
}

describe('request cases', () => {
  let pets: Contract;
  beforeAll(async () => {
    pets = await loadContract(PETSTORE);
  });

  it('fills every required parameter and body with schema-valid values for every example document', async () => {
    const judged: Record<string, number> = {};
    for (const file of [PETSTORE, spec('petstore-3.1.yaml'), spec('swagger-2.0.json'), spec('multi/openapi.yaml'), spec('polymorphic.yaml')]) {
      judged[path.basename(file)] = assertValid(await loadContract(file));
    }
    // Values were judged in every document, not skipped.
    for (const [file, n] of Object.entries(judged)) expect([file, n > 0]).toEqual([file, true]);
  });

  it('uses named body examples first, one case each', () => {
    const cases = pets.requests('createPet');
    expect(cases.map((c) => c.name)).toEqual(['example "cat"', 'example "dog"', 'schema']);
    expect(JSON.parse(cases[0]!.request.body!.toString())).toEqual({ name: 'Tom', kind: 'cat', tag: null, microchip: '985112004578912' });
    expect(header(cases[0]!, 'content-type')).toBe('application/json');
  });

  it('uses parameter examples, and schema-derived values when there are none', () => {
    const [get] = pets.requests('getPet');
    expect(get!.request.path).toBe('/pets/1');
    expect(get!.request.route).toBe('/pets/{petId}');
    const [list] = pets.requests('listPets');
    expect(list!.request.rawQuery).toBe('limit=10');
  });

  it('sends a credential of the required scheme and names the documented response types in Accept', () => {
    const [create] = pets.requests('createPet');
    expect(header(create!, 'authorization')).toMatch(/^Bearer [\w-]+\.[\w-]+\.$/);
    expect(header(create!, 'accept')).toBe('application/json, application/problem+json');
    const [del] = pets.requests('deletePet');
    expect(header(del!, 'x-api-key')).toBe('lambda-contract-api-key');
    expect(header(del!, 'authorization')).toBeUndefined();
    const [list] = pets.requests('listPets');
    expect(header(list!, 'authorization')).toBeUndefined();
  });

  it('sends basic credentials and cookie api keys as their schemes say', async () => {
    const c = await loadContract({
      openapi: '3.0.3', info: { title: 't', version: '1' },
      components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' }, session: { type: 'apiKey', in: 'cookie', name: 'sid' } } },
      paths: { '/a': { get: { operationId: 'a', security: [{ basic: [], session: [] }], responses: { '204': { description: 'ok' } } } } },
    } as never);
    const [a] = c.requests('a');
    expect(header(a!, 'authorization')).toBe(`Basic ${Buffer.from('lambda-contract:password').toString('base64')}`);
    expect(header(a!, 'cookie')).toBe('sid=lambda-contract-api-key');
    const [given] = c.requests('a', { overrides: { credentials: { session: 's3cret' } } });
    expect(header(given!, 'cookie')).toBe('sid=s3cret');
  });

  it('puts an apiKey in the query when the scheme says so', async () => {
    const swagger = await loadContract(spec('swagger-2.0.json'));
    const [list] = swagger.requests('listPets');
    expect(list!.request.rawQuery).toBe('tags=string&api_key=lambda-contract-api-key');
  });

  it('applies overrides: path, query, headers, body, and no credentials', () => {
    const [c] = pets.requests('createPet', { overrides: { body: { name: 'X', kind: 'bird' }, headers: { 'X-Trace': '1' }, credentials: false } });
    expect(JSON.parse(c!.request.body!.toString())).toEqual({ name: 'X', kind: 'bird' });
    expect(header(c!, 'x-trace')).toBe('1');
    expect(header(c!, 'authorization')).toBeUndefined();
    const [g] = pets.requests('getPet', { overrides: { pathParameters: { petId: 'a b' } } });
    expect(g!.request.path).toBe('/pets/a%20b');
    const [l] = pets.requests('listPets', { overrides: { queryStringParameters: { limit: 5, kind: 'dog' } } });
    expect(l!.request.rawQuery).toBe('limit=5&kind=dog');
  });

  it('never sends an empty path segment as a negative case: no gateway routes it to the operation', async () => {
    const c = await loadContract({
      openapi: '3.0.3', info: { title: 't', version: '1' },
      paths: {
        '/hello/{id}': { get: { operationId: 'hello', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 8 } }], responses: { 200: { description: 'ok' } } } },
        '/codes/{code}': { get: { operationId: 'code', parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', minLength: 2 } }], responses: { 200: { description: 'ok' } } } },
      },
    });
    expect(c.negativeRequests('hello').map((n) => n.breaks)).toEqual(['path parameter "id" is longer than 8']);
    // A one-character segment still reaches the function, and is still sent.
    const short = c.negativeRequests('code').find((n) => n.breaks === 'path parameter "code" is shorter than 2');
    expect(short?.request.path).toBe('/codes/x');
  });

  it('is deterministic: the same contract and seed give byte-identical requests', async () => {
    const again = await loadContract(PETSTORE);
    for (const op of pets.operations) expect(JSON.stringify(again.requests(op.id))).toBe(JSON.stringify(pets.requests(op.id)));
  });
});

describe('sampleValue', () => {
  const valid = async (schema: object, value: unknown) => {
    const c = await loadContract({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { S: schema } } } as never);
    return c.isValidRequestValue({ pointer: '/components/schemas/S', schema }, value);
  };

  it.each([
    [{ type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' }],
    [{ type: 'string', format: 'date-time' }],
    [{ type: 'string', format: 'email', maxLength: 20 }],
    [{ type: 'string', minLength: 12, maxLength: 12 }],
    [{ type: 'integer', minimum: 5, exclusiveMaximum: true, maximum: 6 }],
    [{ type: 'number', multipleOf: 0.25, minimum: 2.1 }],
    [{ type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 2, uniqueItems: true }],
    [{ type: 'object', required: ['a'], properties: { a: { type: 'string', nullable: true }, b: { type: 'string', readOnly: true } }, additionalProperties: false }],
    [{ allOf: [{ type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }, { type: 'object', required: ['b'], properties: { b: { type: 'boolean' } } }] }],
    [{ anyOf: [{ type: 'integer', minimum: 10 }, { type: 'string', format: 'uuid' }] }],
    [{ type: 'object', minProperties: 2, additionalProperties: { type: 'integer' } }],
  ])('satisfies %j', async (schema) => {
    const value = sampleValue(schema, { root: {}, side: 'request' });
    expect(await valid(schema, value)).toBe(true);
  });

  it('leaves readOnly properties out of requests and writeOnly ones out of responses', () => {
    const schema = { type: 'object', properties: { id: { type: 'integer', readOnly: true }, secret: { type: 'string', writeOnly: true } } };
    expect(sampleValue(schema, { root: {}, side: 'request' })).toEqual({ secret: 'string' });
    expect(sampleValue(schema, { root: {}, side: 'response' })).toEqual({ id: 1 });
  });

  it('stops recursion at the depth limit', () => {
    const root = { components: { schemas: { Node: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, child: { $ref: '#/components/schemas/Node' } } } } } };
    const value = sampleValue({ $ref: '#/components/schemas/Node' }, { root, side: 'request', maxDepth: 2 });
    expect(value).toEqual({ id: 'string', child: { id: 'string', child: { id: 'string' } } });
  });
});

describe('parameter serialization', () => {
  const param = (over: Partial<ParameterSpec>): ParameterSpec => ({ name: 'id', in: 'path', required: true, style: 'simple', explode: false, allowReserved: false, examples: [], pointer: '', ...over });
  it.each([
    [param({}), [3, 4], '3,4'],
    [param({ style: 'label' }), [3, 4], '.3,4'],
    [param({ style: 'label', explode: true }), [3, 4], '.3.4'],
    [param({ style: 'matrix' }), 5, ';id=5'],
    [param({ style: 'matrix', explode: true }), [3, 4], ';id=3;id=4'],
    [param({}), { role: 'admin', n: 'a b' }, 'role,admin,n,a%20b'],
    [param({ explode: true }), { role: 'admin' }, 'role=admin'],
  ])('path %#', (p, value, expected) => {
    expect(serializePath(p, value)).toBe(expected);
  });
  it.each([
    [param({ in: 'query', style: 'form', explode: true }), [1, 2], ['id=1', 'id=2']],
    [param({ in: 'query', style: 'form', explode: false }), [1, 2], ['id=1,2']],
    [param({ in: 'query', style: 'spaceDelimited' }), [1, 2], ['id=1%202']],
    [param({ in: 'query', style: 'pipeDelimited' }), [1, 2], ['id=1|2']],
    [param({ in: 'query', style: 'deepObject', explode: true }), { a: 1 }, ['id%5Ba%5D=1']],
    [param({ in: 'query', style: 'form', explode: true }), { a: 1, b: 2 }, ['a=1', 'b=2']],
    [param({ in: 'query', allowReserved: true }), 'a/b?c', ['id=a/b?c']],
    [param({ in: 'query', collectionFormat: 'pipes' }), ['x', 'y'], ['id=x%7Cy']],
    [param({ in: 'query', collectionFormat: 'multi' }), ['x', 'y'], ['id=x', 'id=y']],
  ])('query %#', (p, value, expected) => {
    expect(serializeQuery(p, value)).toEqual(expected);
  });
});

describe('body encoding', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
      address: { type: 'object', properties: { city: { type: 'string' } } },
      avatar: { type: 'string', format: 'binary' },
      photos: { type: 'array', items: { type: 'string', format: 'binary' } },
    },
  };

  it('header arrays and objects are comma-joined (simple); cookies are form', () => {
    const h = (explode: boolean) => ({ name: 'X', in: 'header' as const, required: false, style: 'simple', explode, allowReserved: false, examples: [], pointer: '' });
    expect(serializeHeader(h(false), ['a', 'b'])).toBe('a,b');
    expect(serializeHeader(h(false), { r: 'x', n: 1 })).toBe('r,x,n,1');
    expect(serializeHeader(h(true), { r: 'x', n: 1 })).toBe('r=x,n=1');
    const c = { ...h(false), name: 'session', in: 'cookie' as const, style: 'form' };
    expect(serializeCookie(c, ['a b', 'c'])).toBe('session=a%20b,c');
  });

  it('form-urlencoded: exploded arrays repeat, encoding styles and JSON content types apply per property', () => {
    const value = { id: 7, tags: ['a b', 'c&d'], address: { city: 'Oslo' } };
    const plain = encodeBody('application/x-www-form-urlencoded', value, { schema });
    expect(plain.contentType).toBe('application/x-www-form-urlencoded');
    const parsed = new URLSearchParams(plain.body.toString());
    expect([parsed.get('id'), parsed.getAll('tags'), parsed.get('city')]).toEqual(['7', ['a b', 'c&d'], 'Oslo']);

    const encoding = { tags: { style: 'form', explode: false }, address: { style: 'deepObject', explode: true } };
    const styled = new URLSearchParams(encodeBody('application/x-www-form-urlencoded', value, { schema, encoding }).body.toString());
    expect([styled.get('tags'), styled.get('address[city]')]).toEqual(['a b,c&d', 'Oslo']);

    const json = new URLSearchParams(encodeBody('application/x-www-form-urlencoded', value, { schema, encoding: { address: { contentType: 'application/json' } } }).body.toString());
    expect(JSON.parse(json.get('address')!)).toEqual({ city: 'Oslo' });
  });

  it('multipart/form-data: one part per field and per array item, files with a filename, objects as JSON, encoding content types', async () => {
    const value = { id: 7, tags: ['a', 'b'], address: { city: 'Oslo' }, avatar: 'PNGDATA', photos: ['p1', 'p2'] };
    const { body, contentType } = encodeBody('multipart/form-data', value, { schema, encoding: { avatar: { contentType: 'image/png, image/jpeg' } } });
    expect(contentType).toBe(`multipart/form-data; boundary=${MULTIPART_BOUNDARY}`);
    // An independent parser (undici's, as in fetch) reads what we wrote.
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    expect([form.get('id'), form.getAll('tags')]).toEqual(['7', ['a', 'b']]);
    expect(JSON.parse(form.get('address') as string)).toEqual({ city: 'Oslo' });
    const avatar = form.get('avatar') as File;
    expect([avatar.type, avatar.name, await avatar.text()]).toEqual(['image/png', 'avatar.bin', 'PNGDATA']);
    const photos = form.getAll('photos') as File[];
    expect(await Promise.all(photos.map(async (f) => [f.type, await f.text()]))).toEqual([['application/octet-stream', 'p1'], ['application/octet-stream', 'p2']]);
  });

  it('text and binary bodies go as they are, with a concrete type for wildcards', () => {
    expect(encodeBody('text/plain', 'hello').body.toString()).toBe('hello');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(encodeBody('image/*', png)).toEqual({ body: png, contentType: 'image/png' });
    expect(encodeBody('application/octet-stream', png).body.equals(png)).toBe(true);
  });
});
