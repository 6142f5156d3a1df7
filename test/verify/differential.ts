/**
 * The differential harness: our verifier and an independent validator on the same bodies. The judge is
 * @cfworker/json-schema (its own JSON Schema engine, no ajv), fed OpenAPI 3.0 / Swagger 2.0 schemas
 * converted by @openapi-contrib/openapi-schema-to-json-schema and 3.1 schemas as they are.
 */
import { dereference, validate, type Schema } from '@cfworker/json-schema';
import fc from 'fast-check';
import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import { follow, getAt, isObject, type JsonObject } from '../../src/document/pointer';
import type { Contract } from '../../src/contract';

const BASE = 'https://lambda-contract.invalid/document';

function parsePointer(pointer: string): string[] {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function setAt(root: JsonObject, pointer: string, value: unknown): void {
  const parts = parsePointer(pointer);
  const last = parts.pop();
  let node: unknown = root;
  for (const p of parts) node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[p] : undefined;
  if (last !== undefined && (isObject(node) || Array.isArray(node))) (node as Record<string, unknown>)[last] = value;
}

/**
 * Removes `example`/`examples` everywhere: annotations for validation, but the judge walks every object
 * of the document looking for schemas, and an example's `id` reads to it as a draft-04 schema id.
 */
function stripExamples(node: unknown): void {
  if (Array.isArray(node)) for (const item of node) stripExamples(item);
  else if (isObject(node)) {
    delete node.example;
    delete node.examples;
    for (const value of Object.values(node)) stripExamples(value);
  }
}

/** An independent validator for the response schemas of one document. */
export class IndependentJudge {
  private readonly draft: '4' | '2020-12';
  /** Response schema pointer → its key under `x-lc-targets`. */
  private readonly targets = new Map<string, string>();
  private readonly lookup: Record<string, Schema | boolean>;

  constructor(private readonly contract: Contract, schemaPointers: string[]) {
    const doc = structuredClone(contract.document);
    this.draft = contract.version === '3.1' ? '2020-12' : '4';
    if (this.draft === '4') {
      // Convert every schema position the responses can reach: named schemas and the response schemas.
      const named = contract.version === '2.0' ? '/definitions' : '/components/schemas';
      const container = getAt(doc, named);
      const pointers = [...(isObject(container) ? Object.keys(container).map((k) => `${named}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`) : []), ...schemaPointers];
      for (const p of new Set(pointers)) {
        const schema = getAt(doc, p);
        if (!isObject(schema)) continue;
        const converted = fromSchema(schema as never, { cloneSchema: true, keepNotSupported: ['readOnly', 'writeOnly', 'discriminator'] as never, strictMode: false }) as JsonObject;
        delete converted.$schema;
        if (contract.version === '2.0' && schema['x-nullable'] === true && typeof converted.type === 'string') converted.type = [converted.type, 'null'];
        setAt(doc, p, converted);
      }
    }
    stripExamples(doc);
    // Each response schema is reachable through a plain key: the judge skips keyword-named keys such as
    // `default` (a response status) when it indexes the document, and encodes `+` differently.
    const targets: JsonObject = {};
    for (const p of new Set(schemaPointers)) {
      const key = `t${this.targets.size}`;
      this.targets.set(p, key);
      targets[key] = getAt(doc, p) ?? true;
    }
    doc['x-lc-targets'] = targets;
    this.lookup = dereference({ ...doc, $id: BASE } as unknown as Schema);
  }

  valid(pointer: string, value: unknown): boolean {
    const key = this.targets.get(pointer);
    const schema = key === undefined ? undefined : this.lookup[`${BASE}#/x-lc-targets/${key}`];
    if (schema === undefined) throw new Error(`no schema registered at ${pointer}`);
    if (typeof schema === 'boolean') return schema;
    return validate(value, schema, this.draft, this.lookup as Record<string, Schema>, true).valid;
  }
}

/** The kinds of break a mutant carries. */
export type Mutation = 'none' | 'root-type' | 'missing-required' | 'property-type' | 'enum' | 'additional-property' | 'item-type' | 'random';

function wrongTypeFor(schema: unknown): unknown {
  const s = isObject(schema) ? schema : {};
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': return 'lambda-contract';
    case 'array': return { lambda: 'contract' };
    case 'string': return 12345;
    case 'integer': case 'number': return 'lambda-contract';
    case 'boolean': return 'true';
    default: return undefined;
  }
}

/** Resolves `$ref`s and shallow-merges `allOf`, enough to find properties and types to break. */
function resolve(root: unknown, node: unknown, depth = 0): JsonObject {
  const s = follow(root, node, '').value;
  if (!isObject(s) || depth > 8) return {};
  if (!Array.isArray(s.allOf)) return s;
  const out: JsonObject = { ...s };
  delete out.allOf;
  for (const part of s.allOf) {
    const p = resolve(root, part, depth + 1);
    out.properties = { ...(isObject(out.properties) ? out.properties : {}), ...(isObject(p.properties) ? p.properties : {}) };
    out.required = [...(Array.isArray(out.required) ? out.required : []), ...(Array.isArray(p.required) ? p.required : [])];
    for (const [k, v] of Object.entries(p)) if (!(k in out)) out[k] = v;
  }
  return out;
}

/** A conforming value and its mutants, each breaking one rule of the schema. */
export function mutants(root: unknown, schemaNode: unknown, value: unknown, seed = 1): Array<{ mutation: Mutation; value: unknown }> {
  const out: Array<{ mutation: Mutation; value: unknown }> = [{ mutation: 'none', value }];
  const schema = resolve(root, schemaNode);
  const wrong = wrongTypeFor(schema);
  if (wrong !== undefined) out.push({ mutation: 'root-type', value: wrong });
  if (isObject(value)) {
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const missing = required.find((k) => k in value);
    if (missing !== undefined) {
      const { [missing]: _gone, ...rest } = value;
      out.push({ mutation: 'missing-required', value: rest });
    }
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const [name, prop] of Object.entries(props)) {
      if (!(name in value)) continue;
      const w = wrongTypeFor(resolve(root, prop));
      if (w === undefined) continue;
      out.push({ mutation: 'property-type', value: { ...value, [name]: w } });
      break;
    }
    for (const [name, prop] of Object.entries(props)) {
      const p = resolve(root, prop);
      if (!(name in value) || !Array.isArray(p.enum) || p.enum.length === 0) continue;
      out.push({ mutation: 'enum', value: { ...value, [name]: typeof p.enum[0] === 'string' ? 'lambda-contract-not-in-enum' : 987654321 } });
      break;
    }
    if (schema.additionalProperties === false) out.push({ mutation: 'additional-property', value: { ...value, lambdaContractExtra: 1 } });
  }
  if (Array.isArray(value) && value.length > 0) {
    const w = wrongTypeFor(resolve(root, schema.items));
    if (w !== undefined) out.push({ mutation: 'item-type', value: [w, ...value.slice(1)] });
  }
  for (const random of randomMutants(value, seed)) out.push({ mutation: 'random', value: random });
  return out;
}

/** Every JSON pointer into a value (the root included). */
function pointersOf(value: unknown, at = ''): string[] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointersOf(v, `${at}/${i}`)));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) out.push(...pointersOf(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

/** `count` copies of the value, each with one node (anywhere) replaced by an arbitrary JSON value (fast-check, seeded). */
function randomMutants(value: unknown, seed: number, count = 4): unknown[] {
  const pointers = pointersOf(value);
  const replacements = fc.sample(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { seed, numRuns: count });
  return replacements.map(([n, replacement]) => {
    const pointer = pointers[n % pointers.length] ?? '';
    if (pointer === '') return replacement;
    const copy = structuredClone(value) as JsonObject;
    setAt(copy, pointer, replacement);
    return copy;
  });
}
