/**
 * The interpreter answers a schema's first checks instead of ajv (src/verify/interpret.ts); it must give
 * ajv's verdict every time, or leave the schema to ajv. Held to that four ways: its keyword and format
 * tables against a live ajv; random schemas and values over the whole vocabulary, both dialects and
 * both sides (every verdict of a schema it accepts must be ajv's, and ajv must compile every schema it
 * accepts); every response schema of the real documents with conforming bodies and their mutants; and
 * the validators a contract hands out (interpreted until a value fails, then ajv's errors).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadContract, type Contract } from '../../src/contract';
import { auditInterpreter, SchemaCompiler, type AuditedCheck, type Validator } from '../../src/verify/ajv';
import type { Side } from '../../src/verify/interpret';
import { contractFormats } from '../../src/verify/formats';
import { keywordRules, SchemaInterpreter } from '../../src/verify/interpret';
import { isJsonMediaType } from '../../src/verify/media';
import { mutants } from './differential';

const SIDES: Side[] = ['request', 'response'];
const VERSIONS = [['3.0', 'draft-07'], ['3.1', '2020-12']] as const;

describe('the interpreter\'s tables are ajv\'s', () => {
  it.each(VERSIONS.flatMap(([version, dialect]) => SIDES.map((side) => [version, dialect, side] as const)))('OpenAPI %s (%s), %s side: every keyword ajv knows, with the data it applies to and the values it takes', (version, dialect, side) => {
    const ajv = new SchemaCompiler({}, version, side).ajv;
    const live = Object.fromEntries(Object.entries(ajv.RULES.all).map(([k, rule]) => {
      const def = typeof rule === 'object' ? rule.definition : { type: [], schemaType: [] };
      return [k, { group: [...(def.type ?? [])].sort(), takes: [...(def.schemaType ?? [])].sort() }];
    }));
    const ours = Object.fromEntries(Object.entries(keywordRules(dialect, side)).map(([k, r]) => [k, { group: [...(r.group ?? [])].sort(), takes: [...r.takes].sort() }]));
    expect(ours).toEqual(live);
  });

  it('judges formats with the very functions ajv was given', () => {
    const formats = new SchemaCompiler({}, '3.0', 'response').ajv.formats;
    const ours = contractFormats();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(formats).sort());
    for (const name of Object.keys(formats)) expect(ours[name]).toBe(formats[name]);
  });
});

// Values and schemas drawn from small domains, so that schemas often accept and often reject.
const scalar = fc.constantFrom<unknown>(null, true, false, 0, 1, 2, -1, 1.5, 3, '', 'a', 'ab', 'abc', 'A1', '2020-01-31', 'x@y.io', '1', 'constructor');
const KEYS = ['a', 'b', 'c', 'd'];
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS, 'e', '1x'), tie('v'), { maxKeys: 3, noNullPrototype: true })),
})).v;

const REFS = ['#/components/schemas/A', '#/components/schemas/B', '#/components/schemas/Missing', '#/components/schemas/A/properties/a', '#/components/schemas/Pet%20Kind'];
const TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

const schema: fc.Arbitrary<unknown> = fc.letrec<{ s: unknown }>((tie) => {
  const sub = tie('s');
  const keyword = fc.oneof(
    fc.record({ type: fc.oneof(fc.constantFrom(...TYPES), fc.uniqueArray(fc.constantFrom(...TYPES), { maxLength: 2 }), fc.constantFrom('file', 5)) }),
    fc.record({ type: fc.constantFrom(...TYPES), nullable: fc.boolean() }),
    fc.record({ nullable: fc.boolean() }),
    fc.record({ enum: fc.array(value, { maxLength: 3 }) }),
    fc.record({ const: value }),
    fc.record({ maximum: fc.constantFrom(0, 1, 2, 1.5) }), fc.record({ minimum: fc.constantFrom(0, 1, -1) }),
    fc.record({ exclusiveMaximum: fc.constantFrom(0, 2, true) }), fc.record({ exclusiveMinimum: fc.constantFrom(0, 1) }),
    fc.record({ multipleOf: fc.constantFrom(1, 2, 0.5, 0, 0.1) }),
    fc.record({ maxLength: fc.constantFrom(0, 1, 2, '2') }), fc.record({ minLength: fc.constantFrom(1, 2) }),
    fc.record({ pattern: fc.constantFrom('^a', 'b$', '^[a-z]+$', '\\d', '(', '^(?=a)', '^\\p{Lu}', '[\\s\\S]') }),
    fc.record({ format: fc.constantFrom('date', 'email', 'int32', 'int64', 'uuid', 'no-such-format', 'byte', 'date-time', 'uri', 'double', 'regex', 'constructor') }),
    fc.record({ items: fc.oneof(sub, fc.array(sub, { maxLength: 2 })) }),
    fc.record({ items: fc.array(sub, { minLength: 1, maxLength: 2 }), additionalItems: sub }),
    fc.record({ prefixItems: fc.array(sub, { maxLength: 2 }), items: sub }),
    fc.record({ contains: sub }), fc.record({ maxItems: fc.constantFrom(0, 1, 2) }), fc.record({ minItems: fc.constantFrom(1, 2) }),
    fc.record({ uniqueItems: fc.boolean() }),
    fc.record({ properties: fc.dictionary(fc.constantFrom(...KEYS), sub, { maxKeys: 3, noNullPrototype: true }) }),
    fc.record({ required: fc.oneof(fc.subarray([...KEYS, 'e']), fc.constant(['constructor']), fc.constant('a')) }),
    fc.record({ additionalProperties: sub }),
    fc.record({ patternProperties: fc.dictionary(fc.constantFrom('^a', '^[cd]$', '\\d', '('), sub, { maxKeys: 2, noNullPrototype: true }) }),
    fc.record({ propertyNames: sub }), fc.record({ maxProperties: fc.constantFrom(0, 1, 2) }), fc.record({ minProperties: fc.constantFrom(1, 2) }),
    fc.record({ allOf: fc.array(sub, { maxLength: 2 }) }), fc.record({ anyOf: fc.array(sub, { maxLength: 3 }) }), fc.record({ oneOf: fc.array(sub, { maxLength: 3 }) }),
    fc.record({ not: sub }), fc.record({ if: sub, then: sub }), fc.record({ if: sub, else: sub }), fc.record({ then: sub }),
    fc.record({ $ref: fc.constantFrom(...REFS) }),
    fc.record({ 'x-lc-readonly': fc.boolean() }), fc.record({ 'x-lc-writeonly': fc.boolean() }),
    fc.record({ 'x-lc-required-in-response': fc.subarray(KEYS) }), fc.record({ 'x-lc-required-in-request': fc.subarray(KEYS) }),
    fc.record({ title: fc.constant('annotation'), example: value, 'x-extension': value }),
    // beyond the interpreter: left to ajv
    fc.record({ unevaluatedProperties: fc.boolean() }), fc.record({ dependencies: fc.constant({ a: ['b'] }) }),
    fc.record({ contains: sub, minContains: fc.constantFrom(0, 2) }), fc.record({ id: fc.constant('x') }), fc.record({ formatMaximum: fc.constant('2020-01-01') }),
  );
  return {
    s: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.boolean(), fc.constant({}), fc.array(keyword, { minLength: 1, maxLength: 3 }).map((parts) => Object.assign({}, ...parts) as unknown)),
  };
}).s;

describe('the interpreter gives ajv\'s verdict, or none', () => {
  it.each(VERSIONS.flatMap(([version, dialect]) => SIDES.map((side) => [version, dialect, side] as const)))('OpenAPI %s (%s), %s side: random schemas and values', (version, dialect, side) => {
    let supported = 0;
    let judged = 0;
    fc.assert(
      fc.property(schema, schema, schema, fc.array(value, { minLength: 6, maxLength: 6 }), (a, b, root, values) => {
        const document = { components: { schemas: { A: a, B: b, 'Pet Kind': a, R: root } } };
        const interpreter = new SchemaInterpreter(document, dialect, side);
        if (!interpreter.supports(root)) return;
        supported++;
        const compiler = new SchemaCompiler(document, version, side);
        // ajv must compile what the interpreter accepts (a throw here fails the property)
        const validate = compiler.ajv.compile({ $ref: 'lambda-contract://document#/components/schemas/R' });
        for (const v of values) {
          judged++;
          const byAjv = validate(v) === true;
          if (interpreter.validate(root as boolean | Record<string, unknown>, v) !== byAjv) {
            throw new Error(`ajv says ${byAjv} for ${JSON.stringify(v)} against ${JSON.stringify(root)} (A ${JSON.stringify(a)}, B ${JSON.stringify(b)})`);
          }
        }
      }),
      { seed: 20261129, numRuns: 1500 },
    );
    // the draws must exercise the interpreter, not only its refusals
    expect(supported).toBeGreaterThan(400);
    expect(judged).toBeGreaterThan(2400);
  });
});

/** Every verdict the interpreter gives while `run` runs is checked against ajv's. */
async function audited(run: () => Promise<void> | void): Promise<{ checks: number; disagreements: AuditedCheck[] }> {
  const disagreements: AuditedCheck[] = [];
  let checks = 0;
  auditInterpreter((d) => {
    checks++;
    if (d.interpreted !== d.ajv) disagreements.push(d);
  });
  try {
    await run();
  } finally {
    auditInterpreter(undefined);
  }
  return { checks, disagreements };
}

/** Conforming responses of every operation and their mutants, through the verifier. */
function exercise(contract: Contract, sampleLimit = 3): number {
  let verdicts = 0;
  for (const op of contract.operations) {
    for (const sample of contract.responses(op.id).slice(0, sampleLimit)) {
      const body = sample.response.body.toString('utf8');
      const bodies = [body];
      if (sample.mediaType && isJsonMediaType(sample.mediaType)) {
        const spec = op.responses.find((r) => (r.status === 'DEFAULT' ? 'default' : r.status) === sample.documented);
        const media = spec?.content.find((m) => m.mediaType === sample.mediaType);
        try {
          const parsed = JSON.parse(body) as unknown;
          if (media?.schema) bodies.push(...mutants(contract.document, media.schema.schema, parsed, verdicts).slice(1).map((m) => JSON.stringify(m.value)));
        } catch {
          // a sampled non-JSON body: judged as is
        }
      }
      for (const b of bodies) {
        contract.verify(op.id, { ...sample.response, body: Buffer.from(b) });
        verdicts++;
      }
    }
  }
  return verdicts;
}

describe('on real documents, every interpreted verdict is ajv\'s', () => {
  it('every @readme/oas-examples document (2.0, 3.0, 3.1): conforming responses and their mutants', async () => {
    const dir = path.dirname(require.resolve('@readme/oas-examples/package.json'));
    const files = ['2.0', '3.0', '3.1'].flatMap((v) => readdirSync(path.join(dir, v, 'json')).map((f) => path.join(dir, v, 'json', f)));
    let verdicts = 0;
    const { checks, disagreements } = await audited(async () => {
      for (const file of files) {
        let contract: Contract;
        try {
          contract = await loadContract(file);
        } catch {
          continue; // refused documents are the loader's tests' business
        }
        verdicts += exercise(contract);
      }
    });
    expect(disagreements.map((d) => `${JSON.stringify(d.data)?.slice(0, 200)} against ${JSON.stringify(d.schema)?.slice(0, 300)}: ajv ${d.ajv}`)).toEqual([]);
    expect(verdicts).toBeGreaterThan(1000);
    expect(checks).toBeGreaterThan(verdicts / 2);
  }, 120_000);

  it('GitHub\'s REST description: every operation\'s responses and their mutants', async () => {
    const contract = await loadContract(require.resolve('@octokit/openapi/generated/api.github.com.json'));
    let verdicts = 0;
    const { checks, disagreements } = await audited(() => {
      verdicts = exercise(contract, 1);
    });
    expect(disagreements.map((d) => `${JSON.stringify(d.data)?.slice(0, 200)} against ${JSON.stringify(d.schema)?.slice(0, 300)}: ajv ${d.ajv}`)).toEqual([]);
    expect(verdicts).toBeGreaterThan(2000);
    expect(checks).toBeGreaterThan(verdicts / 2);
  }, 180_000);
});

describe('the validators a contract hands out', () => {
  const document = {
    components: {
      schemas: {
        Pet: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string', pattern: '^[A-Z]' }, tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } }, additionalProperties: false },
        Tag: { type: 'string', maxLength: 5 },
        Later: { type: 'object', unevaluatedProperties: false },
      },
    },
  };
  const pet = { pointer: '/components/schemas/Pet', schema: document.components.schemas.Pet };

  /** A fresh compiler and the validators of Pet and Tag from it. */
  function fresh(): { compiler: SchemaCompiler; validate: Validator; tag: Validator } {
    const compiler = new SchemaCompiler(document, '3.0', 'response');
    const validate = compiler.validator(pet);
    const tag = compiler.validator({ pointer: '/components/schemas/Tag', schema: document.components.schemas.Tag });
    if (validate instanceof Error) throw validate;
    if (tag instanceof Error) throw tag;
    return { compiler, validate, tag };
  }

  it('answers conforming values without ajv, and a failing one with ajv\'s errors', () => {
    const { compiler, validate } = fresh();
    expect(validate({ id: 1, name: 'Rex', tags: ['good'] })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiler.stats).toEqual({ compiled: 0, interpreted: 1 });
    expect(validate({ id: 1, name: 'rex', tags: ['good', 'too long'], extra: 1 })).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([' additionalProperties', '/name pattern', '/tags/1 maxLength']);
    expect(compiler.stats.compiled).toBe(1);
  });

  it('compiles a schema once interpreting it has cost about what compiling would, and gives the same verdicts after', () => {
    const { compiler, validate, tag } = fresh();
    // Before ajv is loaded, a compile would also pay for loading it: small checks stay interpreted longer.
    for (let i = 0; i < 150; i++) expect(tag('ok')).toBe(true);
    expect(compiler.stats).toEqual({ compiled: 0, interpreted: 150 });
    // A failing value loads ajv (and compiles that schema, to explain it).
    expect(tag('far too long')).toBe(false);
    expect(compiler.stats.compiled).toBe(1);
    // Now a schema checked with big values is compiled after a few checks…
    const big = { id: 7, name: 'Rex', tags: Array.from({ length: 1000 }, () => 'ok') };
    for (let i = 0; i < 30; i++) expect(validate(big)).toBe(true);
    expect(compiler.stats.compiled).toBe(2);
    expect(compiler.stats.interpreted).toBeLessThan(150 + 1 + 30);
    expect(validate({ ...big, name: 'rex' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/name');
  });

  it('…and a small one after a hundred checks', () => {
    const { compiler, validate, tag } = fresh();
    expect(validate({})).toBe(false); // loads ajv
    for (let i = 0; i < 150; i++) expect(tag('ok')).toBe(true);
    expect(compiler.stats).toEqual({ compiled: 2, interpreted: 1 + 100 });
  });

  it('leaves schemas beyond the interpreter to ajv from the start, and compile errors stay errors', () => {
    const compiler = new SchemaCompiler(document, '3.1', 'response');
    const later = compiler.validator({ pointer: '/components/schemas/Later', schema: document.components.schemas.Later });
    if (later instanceof Error) throw later;
    expect(compiler.stats.compiled).toBe(1);
    expect(later({ a: 1 })).toBe(false);
    const broken = compiler.validator({ pointer: '/components/schemas/Nowhere', schema: undefined });
    expect(broken).toBeInstanceOf(Error);
  });

  it('judges bodies nested too deep for the interpreter with ajv, as before', () => {
    const doc = { components: { schemas: { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } } } };
    const compiler = new SchemaCompiler(doc, '3.0', 'response');
    const validate = compiler.validator({ pointer: '/components/schemas/Node', schema: doc.components.schemas.Node });
    if (validate instanceof Error) throw validate;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) deep = { next: deep };
    expect(() => validate(deep)).toThrow(RangeError);
  });
});
