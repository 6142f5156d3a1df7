/**
 * Property-based tests of our own code: random Lambda results thrown at every gateway adapter and the
 * verifier, random documents thrown at the loader and everything that reads a loaded contract. Nothing
 * may throw anything but a classified ContractError; every result gets a verdict.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ContractError, loadContract, type Contract, type HttpRequest } from '../../src';
import { fromResult, SOURCE_NAMES } from '../../src/entries/gateway';

const RULES = new Set([
  'gateway_malformed_result', 'gateway_function_error', 'gateway_undecodable_body', 'payload_too_large', 'timeout', 'authorizer_denied', 'authorizer_error',
  'status_not_documented', 'content_type_missing', 'content_type_not_documented', 'header_missing', 'header_schema', 'body_not_parseable', 'body_schema',
  'body_missing', 'body_unexpected', 'schema_unusable', 'body_unverifiable', 'status_unexpected', 'server_error', 'request_not_rejected', 'auth_not_enforced', 'outbound_request', 'handler_failed_later',
]);
const FAULTS = new Set(['malformed_result', 'function_error', 'timeout', 'undecodable_body', 'payload_too_large', 'unauthorized', 'authorizer_error']);

// Values a handler might put anywhere: the wrong types, special numbers, odd strings.
const junk = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.bigInt().map(String),
  fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', 'null', '{}', '[]', 'application/json', 'text/html; charset=utf-8', '\ud800', 'a\r\nb: c'),
  fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
);

const result = fc.oneof(
  fc.anything(),
  fc.record(
    {
      statusCode: fc.oneof(junk, fc.integer({ min: 100, max: 599 }), fc.constantFrom(200, 201, 204, 404, '200')),
      headers: fc.oneof(junk, fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('Content-Type', 'content-type', 'Set-Cookie', 'Location', 'X-Rate-Limit')), junk, { maxKeys: 4 })),
      multiValueHeaders: fc.oneof(junk, fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(junk, fc.array(junk, { maxLength: 3 })), { maxKeys: 3 })),
      body: fc.oneof(junk, fc.jsonValue().map((v) => JSON.stringify(v)), fc.base64String()),
      isBase64Encoded: fc.oneof(junk, fc.boolean()),
      cookies: fc.oneof(junk, fc.array(fc.string(), { maxLength: 3 })),
      statusDescription: junk,
    },
    { requiredKeys: [] },
  ),
);

const request: HttpRequest = { method: 'GET', path: '/pets/1', route: '/pets/{petId}', rawQuery: '', headers: [['Accept', 'application/json']] };

describe('random Lambda results', () => {
  it('every gateway adapter classifies, never throws', () => {
    fc.assert(
      fc.property(result, fc.constantFrom(...SOURCE_NAMES), (subject, source) => {
        const verdict = fromResult(subject, request, { source });
        if (verdict.ok) {
          expect(Number.isInteger(verdict.response.statusCode)).toBe(true);
          expect(Array.isArray(verdict.response.headers)).toBe(true);
          expect(Buffer.isBuffer(verdict.response.body)).toBe(true);
        } else {
          expect(FAULTS.has(verdict.fault.kind)).toBe(true);
          expect(verdict.fault.reason.length).toBeGreaterThan(0);
          expect(Number.isInteger(verdict.fault.response.statusCode)).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('the verifier judges every one against a real contract, with known rules and a message each', async () => {
    const contract = await loadContract(require.resolve('../../specs/petstore/openapi.yaml'));
    fc.assert(
      fc.property(result, fc.constantFrom(...SOURCE_NAMES), fc.constantFrom('listPets', 'createPet', 'getPet', 'deletePet'), (subject, source, op) => {
        const judged = contract.judge(op, subject, { source });
        for (const v of judged.result.violations) {
          expect(RULES.has(v.rule)).toBe(true);
          expect(typeof v.message).toBe('string');
        }
        expect(judged.result.ok).toBe(judged.result.violations.length === 0);
      }),
      { numRuns: 2000, seed: 43 },
    );
  });
});

// ---- random documents -------------------------------------------------------------------------

/** Mostly what a valid document holds, now and then what it must not. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> => fc.oneof({ arbitrary: valid, weight: 19 }, { arbitrary: invalid, weight: 1 });

const names = fc.constantFrom('Pet', 'Owner', 'Tag', 'Error', 'Node');
const ref = names.map((n) => ({ $ref: `#/components/schemas/${n}` }));
const pattern = fc.constantFrom('^[a-z]+$', '^(a+)+$', '([a-z', '\\d{3}', '(?<=x)y', '^\\S+$', '');
const format = fc.constantFrom('date-time', 'email', 'uuid', 'int64', 'byte', 'binary', 'no-such-format');

const schema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: mostly(fc.constantFrom('string', 'integer', 'number', 'boolean'), fc.constantFrom('null', 'nope')), pattern, format, minLength: mostly(fc.integer({ min: 0, max: 5 }), fc.constant(-1)), maximum: fc.integer(), enum: fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }), nullable: fc.boolean() }, { requiredKeys: ['type'] }),
    ref,
    fc.record({ type: fc.constant('object'), properties: fc.dictionary(fc.string({ maxLength: 6 }), tie('schema'), { maxKeys: 3 }), required: fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 2 }), additionalProperties: fc.oneof(fc.boolean(), tie('schema')) }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('array'), items: tie('schema'), minItems: fc.integer({ min: 0, max: 3 }), uniqueItems: fc.boolean() }, { requiredKeys: ['type'] }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    mostly(fc.constantFrom({}, { not: {} }, { nullable: true }), fc.constantFrom(true, false, { $ref: '#/components/schemas/Missing' }, { $ref: '#/nowhere' })),
  ),
})).schema;

const parameter = fc.record({
  name: fc.constantFrom('id', 'q', 'limit', 'X-Trace', 'session', ''),
  in: mostly(fc.constantFrom('path', 'query', 'header', 'cookie'), fc.constantFrom('body', 'nowhere')),
  required: fc.boolean(),
  schema,
  style: mostly(fc.constant(undefined), fc.constantFrom('form', 'simple', 'deepObject', 'pipeDelimited', 'matrix', 'label')),
  explode: fc.boolean(),
  example: fc.jsonValue(),
}, { requiredKeys: ['name', 'in', 'schema'] }).map((p) => {
  const { style, ...rest } = p;
  return { ...rest, ...(style === undefined ? {} : { style }), ...(p.in === 'path' ? { required: true } : {}) };
});

const content = fc.dictionary(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream', '*/*', 'nonsense'), fc.record({ schema, example: fc.jsonValue() }, { requiredKeys: [] }), { maxKeys: 2 });

const operation = fc.record({
  operationId: fc.constantFrom('a', 'b', 'c', 'a'),
  parameters: fc.array(parameter, { maxLength: 3 }),
  requestBody: fc.record({ required: fc.boolean(), content }, { requiredKeys: ['content'] }),
  responses: fc.dictionary(mostly(fc.constantFrom('200', '201', '204', '400', '404', '5XX', 'default'), fc.constant('999')), fc.record({ description: fc.string(), content, headers: fc.dictionary(fc.constantFrom('X-Rate-Limit', 'Location'), fc.record({ schema, required: fc.boolean() }), { maxKeys: 1 }) }, { requiredKeys: ['description'] }), { minKeys: 1, maxKeys: 3 }),
  security: fc.constantFrom([], [{ key: [] }], [{ missing: [] }]),
}, { requiredKeys: ['responses'] });

const document = fc.record({
  openapi: mostly(fc.constantFrom('3.0.3', '3.1.0', '3.0.0'), fc.constantFrom('2.0', 4)),
  info: mostly(fc.record({ title: fc.string(), version: fc.string() }), junk),
  paths: fc.dictionary(mostly(fc.constantFrom('/a', '/a/{id}', '/b/{q}', '/{id}', '/c/{id+}'), fc.constant('nopath')), fc.dictionary(fc.constantFrom('get', 'post', 'put', 'delete', 'x-amazon-apigateway-any-method'), operation, { maxKeys: 2 }), { maxKeys: 3 }),
  components: fc.record({ schemas: fc.record({ Pet: schema, Owner: schema, Tag: schema, Error: schema, Node: schema }), securitySchemes: fc.constant({ key: { type: 'apiKey', in: 'header', name: 'X-Key' } }) }),
}, { requiredKeys: ['openapi', 'info', 'paths', 'components'] });

/** Everything a run does with a loaded contract, for every operation and source. */
function exercise(contract: Contract): void {
  for (const op of contract.operations) {
    for (const c of [...contract.requests(op.id), ...contract.negativeRequests(op.id), ...contract.propertyRequests(op.id, 2)]) {
      for (const source of SOURCE_NAMES) contract.eventForCase(c, source);
    }
    for (const sample of contract.responses(op.id).slice(0, 2)) {
      const judged = contract.judge(op.id, { statusCode: sample.response.statusCode, headers: Object.fromEntries(sample.response.headers), body: sample.response.body.toString() });
      for (const v of judged.result.violations) expect(RULES.has(v.rule)).toBe(true);
    }
  }
}

describe('random documents', () => {
  it('load or are refused with a classified error naming where, and a loaded one serves every request, event and verdict', async () => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        let contract: Contract;
        try {
          contract = await loadContract(doc as never);
        } catch (error) {
          expect(error).toBeInstanceOf(ContractError);
          const e = error as ContractError;
          expect(['ERR_CONTRACT_SPEC_INVALID', 'ERR_CONTRACT_SPEC_UNSUPPORTED']).toContain(e.code);
          expect(e.details.file).toBe('<object>');
          return;
        }
        loaded++;
        exercise(contract);
      }),
      { numRuns: 500, seed: 44 },
    );
    // The generator is not so wild that nothing ever loads.
    expect(loaded).toBeGreaterThan(60);
  }, 120_000);

  it('anything at all is refused as a ContractError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (doc) => {
        fc.pre(typeof doc === 'object' || typeof doc === 'string');
        await expect(loadContract(doc as never)).rejects.toBeInstanceOf(ContractError);
      }),
      { numRuns: 300, seed: 45 },
    );
  });
});
