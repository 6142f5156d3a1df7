/**
 * Requests that explore the contract, as a user runs them: property-based cases that shrink to the
 * smallest failing request and reproduce by seed, forbidden requests that must get a 4xx, credentials
 * that must be checked, no undocumented 5xx, overrides and a before hook, and schemas nothing satisfies.
 */
import fc from 'fast-check';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { loadContract, runContract, type Contract, type RunReport } from '../../src';
import { arbitraryFor } from '../../src/requests/arbitrary';

type Handler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const ERROR = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };
const ITEM = { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', minLength: 1, maxLength: 20 } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'Items', version: '1' },
  components: {
    schemas: { Item: ITEM, Error: ERROR },
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  },
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 100 } }],
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } } },
          400: { description: 'bad', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
      post: {
        operationId: 'createItem',
        security: [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
        responses: {
          201: { description: 'made', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          400: { description: 'bad', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          401: { description: 'who', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } }],
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          404: { description: 'none', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
  },
};

/** A handler that follows the contract: validates what it reads, checks the bearer token. */
const strict: Handler = async (event) => {
  if (event.resource === '/items' && event.httpMethod === 'GET') {
    const limit = Number(event.queryStringParameters?.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return json(400, { message: 'limit' });
    return json(200, Array.from({ length: Math.min(limit, 3) }, (_, i) => ({ id: i, name: `item ${i}` })));
  }
  if (event.resource === '/items' && event.httpMethod === 'POST') {
    if (!/^Bearer \S+$/.test(event.headers?.Authorization ?? '')) return json(401, { message: 'credentials' });
    let body: unknown;
    try {
      body = JSON.parse(event.body ?? '');
    } catch {
      return json(400, { message: 'json' });
    }
    const ok = (event.headers['Content-Type'] ?? '').startsWith('application/json') && typeof body === 'object' && body !== null
      && Object.keys(body).every((k) => k === 'name') && typeof (body as { name?: unknown }).name === 'string'
      && (body as { name: string }).name.length >= 1 && (body as { name: string }).name.length <= 20;
    return ok ? json(201, { id: 1, name: (body as { name: string }).name }) : json(400, { message: 'body' });
  }
  const id = event.pathParameters?.id ?? '';
  return /^[0-9]+$/.test(id) ? json(200, { id: Number(id), name: 'one' }) : json(404, { message: 'none' });
};

const failed = (report: RunReport) => report.results.filter((r) => !r.ok);

describe('exploring the contract', () => {
  let contract: Contract;
  beforeAll(async () => {
    contract = await loadContract(structuredClone(document));
  });

  it('a conforming handler passes every case and every check', async () => {
    const report = await runContract(contract, strict, { runs: 30, seed: 42 });
    expect(failed(report).map((r) => `${r.operationId} ${r.case}: ${r.violations.map((v) => v.message).join('; ')}`)).toEqual([]);
    const names = report.results.map((r) => `${r.operationId} ${r.case}`);
    expect(names).toEqual(expect.arrayContaining([
      'listItems property ×30',
      'listItems negative: query parameter "limit" is missing',
      'listItems negative: query parameter "limit" is above its maximum 100',
      'createItem negative: the body is not valid JSON',
      'createItem negative: body property "name" is missing',
      'createItem negative: the body has a property the schema does not allow',
      'createItem auth: no credentials',
      'getItem negative: path parameter "id" does not match /^[0-9]+$/',
    ]));
    // readOnly `id` is never sent in a request body, whatever was drawn.
    for (const r of report.results.filter((x) => x.operationId === 'createItem' && !x.case.startsWith('negative'))) {
      expect(Object.keys(JSON.parse(r.request.body?.toString() ?? '{}'))).not.toContain('id');
    }
  });

  it('shrinks a failure to the smallest request that still fails, names the seed, and reproduces it', async () => {
    // A bug above 50: the handler breaks where the contract says it should not.
    const buggy: Handler = async (event) => (Number(event.queryStringParameters?.limit) > 50 ? json(500, { message: 'boom' }) : strict(event));
    const run = () => runContract(contract, buggy, { runs: 100, seed: 1234, operations: ['listItems'], checks: ['conformance', 'no_server_errors'] });
    const report = await run();
    const [failure] = failed(report);
    expect(failed(report)).toHaveLength(1);
    expect(failure!.case).toMatch(/^property: smallest failing request \(after \d+ runs, \d+ shrinks\)$/);
    expect(failure!.request.rawQuery).toBe('limit=51');
    expect(failure!.violations.map((v) => v.rule)).toContain('server_error');
    expect(failure!.notes.join('\n')).toContain('reproduce: --seed 1234');
    // The same seed: the same failure, byte for byte.
    const again = await run();
    expect(JSON.stringify(failed(again)[0]!.event)).toBe(JSON.stringify(failure!.event));
  });

  it('is deterministic: the same seed gives byte-identical events, another seed other draws', async () => {
    const events = async (seed: number) => JSON.stringify((await runContract(contract, strict, { runs: 10, seed })).results.map((r) => r.event));
    expect(await events(7)).toBe(await events(7));
    expect(await events(8)).not.toBe(await events(7));
  });

  it('negative data rejection: a handler that accepts anything is told which forbidden requests it let through', async () => {
    const lax: Handler = async (event) => (event.httpMethod === 'POST' ? json(201, { id: 1, name: 'x' }) : strict(event));
    const report = await runContract(contract, lax, { runs: 5, operations: ['createItem'], checks: ['negative_data_rejection'] });
    const rejected = failed(report).flatMap((r) => r.violations.filter((v) => v.rule === 'request_not_rejected').map((v) => v.message));
    expect(rejected).toEqual(expect.arrayContaining([
      'the contract forbids this request (the body is not valid JSON), but the handler answered 201 instead of rejecting it with a 4xx',
      'the contract forbids this request (body property "name" is missing), but the handler answered 201 instead of rejecting it with a 4xx',
    ]));
    // Only the chosen check: valid cases are not judged for conformance here.
    expect(report.results.filter((r) => !r.case.startsWith('negative') && !r.case.startsWith('auth')).every((r) => r.ok)).toBe(true);
  });

  it('auth enforcement: an operation that requires credentials must refuse requests without them', async () => {
    const open: Handler = async (event) => strict({ ...event, headers: { ...event.headers, Authorization: 'Bearer anyone' } });
    const report = await runContract(contract, open, { runs: 0, operations: ['createItem'], checks: ['auth_enforcement'] });
    expect(failed(report).map((r) => [r.case, r.violations[0]?.rule, r.violations[0]?.message])).toEqual([
      ['auth: no credentials', 'auth_not_enforced', 'createItem requires credentials; a request that sends no credentials got 201 instead of 401 or 403'],
      ['auth: malformed credentials', 'auth_not_enforced', 'createItem requires credentials; a request that sends malformed (empty) credentials got 201 instead of 401 or 403'],
    ]);
  });

  it('--checks conformance runs only the contract cases, with no forbidden or credential-less requests', async () => {
    const report = await runContract(contract, strict, { runs: 3, checks: ['conformance'] });
    expect(report.results.some((r) => r.case.startsWith('negative') || r.case.startsWith('auth'))).toBe(false);
    expect(report.results.some((r) => r.case.startsWith('property'))).toBe(true);
  });

  it('overrides fix values per operation and a before hook changes every request', async () => {
    const seen: string[] = [];
    const handler: Handler = async (event) => {
      seen.push(`${event.path} ${event.headers['X-Signature'] ?? '-'}`);
      return strict(event);
    };
    const report = await runContract(contract, handler, {
      runs: 5,
      operations: ['getItem'],
      checks: ['conformance', 'no_server_errors'],
      overrides: { getItem: { pathParameters: { id: '1' } } },
      before: (request, { operationId, caseName }) => ({ ...request, headers: [...request.headers, ['X-Signature', `${operationId}/${caseName.split(' ')[0]}`]] }),
    });
    expect(failed(report)).toEqual([]);
    expect([...new Set(seen)]).toEqual(['/items/1 getItem/schema', '/items/1 getItem/property']);
  });

  it('reports a schema nothing satisfies as a warning for its operation, and the run goes on', async () => {
    const impossible = structuredClone(document) as typeof document & { paths: Record<string, unknown> };
    impossible.paths['/odd'] = {
      post: {
        operationId: 'odd',
        requestBody: { required: true, content: { 'application/json': { schema: { allOf: [{ type: 'string' }, { type: 'integer' }] } } } },
        parameters: [{ name: 'code', in: 'query', required: true, schema: { type: 'string', pattern: '^a$', minLength: 5 } }],
        responses: { 204: { description: 'done' } },
      },
    };
    const report = await runContract(await loadContract(impossible), strict, { runs: 10, checks: ['conformance'] });
    expect(report.warnings).toContainEqual(expect.stringMatching(/^odd: no valid request could be generated for property-based cases/));
    const schemaCase = report.results.find((r) => r.operationId === 'odd' && r.case === 'schema');
    expect(schemaCase?.notes.join('\n')).toContain('could not derive a valid value for the schema at /paths/~1odd/post/requestBody/content/application~1json/schema');
    // Every other operation still ran its property cases and passed.
    const property = report.results.filter((r) => r.case.startsWith('property ×'));
    expect(property.map((r) => [r.operationId, r.ok, r.event === null])).toEqual([['listItems', true, false], ['createItem', true, false], ['getItem', true, false], ['odd', true, true]]);
  });
});

describe('property-based values respect the schema keywords', () => {
  const schema = {
    type: 'object',
    required: ['version', 'code', 'amount', 'tags', 'meta', 'tree'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer', readOnly: true },
      version: { type: 'integer', readOnly: true },
      secret: { type: 'string', writeOnly: true, minLength: 8 },
      code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{2}$' },
      email: { type: 'string', format: 'email' },
      when: { type: 'string', format: 'date-time' },
      uuid: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 2, maxLength: 5 },
      amount: { type: 'number', multipleOf: 0.25, minimum: 0, exclusiveMaximum: true, maximum: 10 },
      count: { type: 'integer', multipleOf: 7 },
      tags: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 3 }, uniqueItems: true, minItems: 1 },
      meta: { type: 'object', minProperties: 2, additionalProperties: { type: 'boolean' } },
      tree: { $ref: '#/components/schemas/Node' },
    },
  };
  const node = { type: 'object', required: ['value'], properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } };
  const root = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { Thing: schema, Node: node } } };

  it('draws values the validator accepts, never readOnly properties, within the recursion depth', async () => {
    const contract = await loadContract(structuredClone(root));
    const ref = { pointer: '/components/schemas/Thing', schema: { $ref: '#/components/schemas/Thing' } };
    const draws = fc.sample(arbitraryFor(ref.schema, { root: contract.document, side: 'request' }), { seed: 3, numRuns: 300 }) as Array<Record<string, unknown>>;
    const valid = draws.filter((d) => contract.isValidRequestValue(ref, d));
    expect(valid.length / draws.length).toBeGreaterThan(0.95);
    expect(draws.some((d) => 'id' in d || 'version' in d)).toBe(false);
    expect(draws.some((d) => typeof d.secret === 'string')).toBe(true);
    const depth = (n: unknown): number => {
      const children = (n as { children?: unknown[] }).children ?? [];
      return 1 + Math.max(0, ...children.map(depth));
    };
    expect(Math.max(...draws.map((d) => depth(d.tree)))).toBeLessThanOrEqual(12);
    expect(Math.max(...draws.map((d) => depth(d.tree)))).toBeGreaterThan(1);
    // Variety, not one value repeated: shrinking and coverage depend on it.
    expect(new Set(draws.map((d) => d.code)).size).toBeGreaterThan(50);
    expect(new Set(draws.map((d) => (d.tags as number[]).length)).size).toBeGreaterThan(1);
  });
});
