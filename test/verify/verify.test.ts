import * as path from 'node:path';
import { loadContract, type Contract, type HttpResponse, type Violation } from '../../src';

const spec = (name: string): string => path.resolve(__dirname, '../fixtures/specs', name);
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');

const res = (statusCode: number, body: unknown, headers: Array<[string, string]> = [['Content-Type', 'application/json']]): HttpResponse => ({
  statusCode,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const rules = (vs: Violation[]): Array<[string, string | undefined]> => vs.map((v) => [v.rule, v.pointer ?? v.where]);

describe('verify: status, media type, headers, body', () => {
  let poly: Contract;
  let pets: Contract;
  beforeAll(async () => {
    poly = await loadContract(spec('polymorphic.yaml'));
    pets = await loadContract(PETSTORE);
  });
  const cat = { type: 'cat', lives: 3 };
  const okHeaders: Array<[string, string]> = [['Content-Type', 'application/json; charset=utf-8'], ['x-rate-limit', '10']];

  it('accepts a conforming response (charset ignored, header names case-insensitive)', () => {
    expect(poly.verify('getAnimal', res(200, cat, okHeaders))).toEqual({ ok: true, violations: [] });
  });

  it('picks the exact code, then the 2XX range, then default', () => {
    expect(poly.verify('getAnimal', res(201, 'short', [['Content-Type', 'text/plain']])).ok).toBe(true);
    expect(rules(poly.verify('getAnimal', res(201, 'too long', [['Content-Type', 'text/plain']])).violations)).toEqual([['body_schema', '']]);
    expect(poly.verify('getAnimal', res(500, { code: 1 }, [['Content-Type', 'application/vnd.error+json']])).ok).toBe(true);
  });

  it('reports an undocumented status with the documented ones', () => {
    const v = pets.verify('getPet', res(500, {})).violations[0];
    expect(v).toMatchObject({ rule: 'status_not_documented', operationId: 'getPet', status: 500, expected: 'one of 200, 404', received: '500' });
  });

  it('reports a Content-Type outside the documented ones, honouring ranges and +json', () => {
    const v = pets.verify('getPet', res(404, { title: 'x', status: 404 })).violations;
    expect(v).toEqual([expect.objectContaining({ rule: 'content_type_not_documented', expected: 'one of application/problem+json', received: 'application/json' })]);
    expect(pets.verify('getPet', res(404, { title: 'x', status: 404 }, [['content-type', 'application/problem+json']])).ok).toBe(true);
  });

  it('requires documented required headers and checks their values against their schemas', () => {
    expect(rules(poly.verify('getAnimal', res(200, cat)).violations)).toEqual([['header_missing', 'header X-Rate-Limit']]);
    const bad = poly.verify('getAnimal', res(200, cat, [...okHeaders.slice(0, 1), ['X-Rate-Limit', '500'], ['X-Tags', 'a,c']])).violations;
    expect(bad.map((v) => [v.rule, v.where, v.expected, v.received])).toEqual([
      ['header_schema', 'header X-Rate-Limit', '<= 100', '"500"'],
      ['header_schema', 'header X-Tags /1', 'one of ["a","b"]', '"c"'],
    ]);
  });

  it('validates the body with every error reported, as JSON pointers', () => {
    const v = pets.verify('listPets', res(200, [{ id: 'x', name: '', kind: 'cat', createdAt: '2026-01-01T00:00:00Z' }], [['Content-Type', 'application/json'], ['X-Total-Count', '1']])).violations;
    expect(v.map((x) => [x.pointer, x.keyword, x.expected])).toEqual([
      ['/0/id', 'type', 'type integer'],
      ['/0/name', 'minLength', 'at least 1 characters'],
    ]);
    expect(v[0]?.message).toBe('body at /0/id: expected type integer, received string "x"');
    expect(v[0]?.specPointer).toBe('/paths/~1pets/get/responses/200/content/application~1json/schema');
  });

  it('honours nullable, reports writeOnly properties in a response, and does not require readOnly ones from requests', () => {
    const pet = { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: '2026-01-01T00:00:00Z' };
    expect(pets.verify('getPet', res(200, pet)).ok).toBe(true);
    expect(rules(pets.verify('getPet', res(200, { ...pet, microchip: '1' })).violations)).toEqual([['body_schema', '/microchip']]);
    expect(pets.verify('getPet', res(200, { ...pet, microchip: '1' })).violations[0]?.keyword).toBe('writeOnly');
    const { id: _id, ...withoutId } = pet;
    expect(rules(pets.verify('getPet', res(200, withoutId)).violations)).toEqual([['body_schema', '/id']]);
    expect(pets.isValidRequestValue(pets.operation('createPet').requestBody!.content[0]!.schema!, { name: 'a', kind: 'cat', microchip: '123456789012345' })).toBe(true);
  });

  it('uses the discriminator to check the named branch only', () => {
    const v = poly.verify('getAnimal', res(200, { type: 'cat', lives: 9 }, okHeaders)).violations;
    expect(v.map((x) => [x.pointer, x.keyword])).toEqual([['/lives', 'exclusiveMaximum']]);
    expect(poly.verify('getAnimal', res(200, { type: 'dog', bark: 'woof' }, okHeaders)).ok).toBe(true);
    const dog = poly.verify('getAnimal', res(200, { type: 'dog', bark: 'meow' }, okHeaders)).violations;
    expect(dog.map((x) => [x.pointer, x.keyword])).toEqual([['/bark', 'enum']]);
  });

  it('reports a body that is not JSON, a missing body and an unexpected one', () => {
    expect(rules(pets.verify('getPet', res(200, '{"id":')).violations)).toEqual([['body_not_parseable', 'body']]);
    expect(rules(pets.verify('getPet', res(200, '')).violations)).toEqual([['body_missing', 'body']]);
    expect(rules(pets.verify('deletePet', res(204, 'gone')).violations)).toEqual([['body_unexpected', 'body']]);
    expect(pets.verify('deletePet', res(204, 'gone'), { method: 'HEAD' }).ok).toBe(true);
    const c = pets.verify('deletePet', { statusCode: 204, headers: [], body: Buffer.alloc(0) });
    expect(c.ok).toBe(true);
  });

  it('takes an empty text/plain body as the empty string its schema may allow; JSON has no empty form', () => {
    // 2XX documents text/plain with { type: string, maxLength: 5 }: "" is such a string.
    expect(poly.verify('getAnimal', res(201, '', [['Content-Type', 'text/plain; charset=utf-8']])).ok).toBe(true);
    // ...but not without the Content-Type that says it is text, nor as JSON.
    expect(rules(poly.verify('getAnimal', res(201, '', [])).violations)).toEqual([['body_missing', 'body']]);
    expect(rules(pets.verify('getPet', res(200, '', [['Content-Type', 'application/json']])).violations)).toEqual([['body_missing', 'body']]);
  });

  it('handles OpenAPI 3.1 type arrays, prefixItems, $ref siblings and unevaluatedProperties', async () => {
    const c = await loadContract(spec('petstore-3.1.yaml'));
    expect(c.verify('getPet', res(200, { id: 1, name: 'a', tag: null, parent: { id: 2, name: 'b' } })).ok).toBe(true);
    expect(rules(c.verify('getPet', res(200, { id: 1, name: 'a', extra: 1 })).violations)).toEqual([['body_schema', '/extra']]);
    expect(c.verify('getPet', res(404, { message: 'no' })).ok).toBe(true);
    expect(rules(c.verify('GET /pets', res(200, ['second'])).violations)).toEqual([['body_schema', '/0']]);
  });

  it('handles Swagger 2.0 response schemas, headers and x-nullable', async () => {
    const c = await loadContract(spec('swagger-2.0.json'));
    const h: Array<[string, string]> = [['Content-Type', 'application/json'], ['X-Rate-Limit', '5']];
    expect(c.verify('listPets', res(200, [{ id: 1, name: 'a', tag: null }], h)).ok).toBe(true);
    expect(rules(c.verify('listPets', res(200, [{ id: 1 }], [['Content-Type', 'application/json'], ['X-Rate-Limit', 'many']])).violations)).toEqual([
      ['header_schema', 'header X-Rate-Limit'],
      ['body_schema', '/0/name'],
    ]);
  });
});
