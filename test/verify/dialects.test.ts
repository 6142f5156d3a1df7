import * as path from 'node:path';
import { loadContract, type Contract, type HttpResponse, type Violation } from '../../src';

const spec = (name: string): string => path.resolve(__dirname, '../fixtures/specs', name);
const res = (statusCode: number, body: unknown, headers: Array<[string, string]>): HttpResponse => ({
  statusCode,
  headers,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const brief = (vs: Violation[]) => vs.map((v) => [v.rule, v.pointer ?? v.where, v.keyword ?? '']);

describe('OpenAPI 3.1 (JSON Schema 2020-12) and OpenAPI rules for responses', () => {
  let c: Contract;
  const cookies: Array<[string, string]> = [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT']];
  const json = (body: unknown, headers: Array<[string, string]> = cookies) => res(200, body, [['Content-Type', 'application/json'], ...headers]);
  const thing = { id: 1, kind: 'thing', when: '2026-01-01T00:00:00Z' };
  beforeAll(async () => {
    c = await loadContract(spec('dialects-3.1.yaml'));
  });

  it('accepts a conforming response; a gateway-set Content-Length is never missing; links are ignored', () => {
    expect(c.verify('getThing', json(thing))).toEqual({ ok: true, violations: [] });
  });

  it('checks every known format, ignores unknown ones, and applies 2020-12 keywords', () => {
    const broken = {
      ...thing, id: 2 ** 31, when: 'yesterday', day: '2026-13-01', at: '25:00', email: 'no', uuid: 'x', uri: 'nope', data: '%%%',
      blob: 'any bytes', colour: 'a format nobody defined', size: 11, pair: ['a', 1, 2], label: 'x', kind: 'other', extra: 1,
    };
    expect(brief(c.verify('getThing', json(broken)).violations)).toEqual([
      ['body_schema', '/id', 'format'],
      ['body_schema', '/kind', 'const'],
      ['body_schema', '/when', 'format'],
      ['body_schema', '/day', 'format'],
      ['body_schema', '/at', 'format'],
      ['body_schema', '/email', 'format'],
      ['body_schema', '/uuid', 'format'],
      ['body_schema', '/uri', 'format'],
      ['body_schema', '/data', 'format'],
      ['body_schema', '/size', 'maximum'], // a sibling of $ref (3.1), beside the $defs target's own minimum
      ['body_schema', '/pair', 'items'], // prefixItems + items: false
      ['body_schema', '/label', 'minLength'],
      ['body_schema', '/extra', 'unevaluatedProperties'],
    ]);
    const messages = c.verify('getThing', json({ ...thing, pair: ['a', 1, 2], size: 0 })).violations.map((v) => v.message);
    expect(messages).toEqual(['body at /size: expected >= 1, received 0', 'body at /pair: expected at most 2 items, received ["a",1,2]']);
    expect(c.verify('getThing', json({ ...thing, label: null, size: 10, pair: ['a', 1] })).ok).toBe(true); // type: [string, "null"]
  });

  it('picks the exact status, then its range, then default; judges text bodies against scalar schemas', () => {
    expect(c.verify('getThing', res(201, '42', [['Content-Type', 'text/plain']])).ok).toBe(true);
    expect(brief(c.verify('getThing', res(202, '-1', [['Content-Type', 'text/plain; charset=utf-8']])).violations)).toEqual([['body_schema', '', 'minimum']]);
    expect(c.verify('getThing', res(404, { title: 'gone', status: 404 }, [['Content-Type', 'application/problem+json; charset=utf-8']])).ok).toBe(true);
    expect(brief(c.verify('getThing', res(500, { fallback: false }, [['Content-Type', 'application/json']])).violations)).toEqual([['body_schema', '/fallback', 'const']]);
  });

  it('expects no body on 304 and none on HEAD, whatever the documented content', () => {
    expect(c.verify('getThing', res(304, '', [])).ok).toBe(true);
    expect(c.verify('getThing', res(200, '', [['Content-Type', 'application/json'], ...cookies]), { method: 'HEAD' }).ok).toBe(true);
    expect(brief(c.verify('getThing', res(304, 'stale', [['Content-Type', 'text/plain']])).violations)).toEqual([['body_unexpected', 'body', '']]);
  });

  it('checks each Set-Cookie line on its own, and header arrays and objects item by item (style simple)', () => {
    const headers: Array<[string, string]> = [['Set-Cookie', 'a=1'], ['Set-Cookie', 'BAD'], ['X-Tags', 'a,b,z'], ['X-Point', 'x,1,y,two']];
    expect(c.verify('getThing', json(thing, headers)).violations.map((v) => [v.where, v.message])).toEqual([
      ['header Set-Cookie', 'header Set-Cookie: expected a string matching /^[a-z]+=[^;]+(; .*)?$/, received "BAD"'],
      ['header X-Tags /2', 'header X-Tags at /2: expected one of ["a","b","c"], received "z"'],
      ['header X-Point /y', 'header X-Point at /y: expected type integer, received string "two"'],
    ]);
    expect(c.verify('getThing', json(thing, [...cookies, ['X-Tags', 'a, c'], ['X-Point', 'x,1,y,2']])).ok).toBe(true);
    expect(brief(c.verify('getThing', json(thing, [])).violations)).toEqual([['header_missing', 'header Set-Cookie', '']]);
  });

  it('checks a Content-Length the handler sets against the body the client gets', () => {
    expect(c.verify('getThing', json(thing, [...cookies, ['Content-Length', '0']])).violations.map((v) => v.message)).toEqual(['header Content-Length: expected >= 1, received "0"']);
  });
});

describe('OpenAPI 3.0 dialect', () => {
  it('honours boolean exclusive bounds, nullable (with and without type), int32 and writeOnly', async () => {
    const c = await loadContract(spec('dialects-3.0.yaml'));
    const ok = { id: 1, balance: 0, kind: 'checking', owner: null, limit: null };
    const v = (body: unknown) => brief(c.verify('getAccount', res(200, body, [['Content-Type', 'application/json']])).violations);
    expect(v(ok)).toEqual([]);
    expect(v({ ...ok, kind: null })).toEqual([['body_schema', '/kind', 'type'], ['body_schema', '/kind', 'enum']]);
    expect(v({ ...ok, id: -(2 ** 31) - 1, pin: '1' })).toEqual([['body_schema', '/id', 'format'], ['body_schema', '/pin', 'writeOnly']]);
  });

  it('uses a discriminator mapping (full refs and bare names) to report the named branch only', async () => {
    const c = await loadContract(spec('polymorphic.yaml'));
    const headers: Array<[string, string]> = [['Content-Type', 'application/json'], ['x-rate-limit', '1']];
    const dog = c.verify('getAnimal', res(200, { type: 'dog', lives: 3 }, headers)).violations;
    expect(dog.map((x) => x.message)).toEqual(['body at /bark: expected property "bark", received no "bark" in {"type":"dog","lives":3}']);
  });

  it('uses a discriminator without a mapping: the value names the schema', async () => {
    const c = await loadContract({
      openapi: '3.0.3',
      info: { title: 'implicit mapping', version: '1' },
      paths: { '/shapes': { get: { operationId: 'getShape', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Shape' } } } } } } } },
      components: {
        schemas: {
          Shape: { oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }], discriminator: { propertyName: 'kind' } },
          Circle: { type: 'object', required: ['kind', 'radius'], properties: { kind: { type: 'string' }, radius: { type: 'number' } } },
          Square: { type: 'object', required: ['kind', 'side'], properties: { kind: { type: 'string' }, side: { type: 'number' } } },
        },
      },
    });
    const judge = (body: unknown) => c.verify('getShape', res(200, body, [['Content-Type', 'application/json']])).violations.map((v) => v.message);
    expect(judge({ kind: 'Circle', radius: 1 })).toEqual([]);
    expect(judge({ kind: 'Square', radius: 1 })).toEqual(['body at /side: expected property "side", received no "side" in {"kind":"Square","radius":1}']);
  });
});
