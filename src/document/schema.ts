/**
 * OpenAPI schema objects → JSON Schema for ajv: one walk over a copy of the bundled document, with
 * 3.0/2.0 rules as draft-07 and the OpenAPI-only rules as `x-lc-*` keywords (see `convertDocument`).
 */
import { follow, isObject, type JsonObject } from './pointer';

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_KEYWORDS = ['additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema', 'additionalItems'];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

interface Ctx {
  version: OpenApiVersion;
  root: unknown;
}

function hasFlag(ctx: Ctx, schema: unknown, flag: 'readOnly' | 'writeOnly'): boolean {
  const target = follow(ctx.root, schema, '').value;
  return isObject(target) && target[flag] === true;
}

/**
 * A discriminator's values and the `$ref` each selects: the explicit `mapping` (bare names are
 * component schemas), then each `$ref` branch not mapped under its schema name (OAS 3.0.3 §4.7.25).
 */
export function discriminatorMapping(discriminator: JsonObject, branches: readonly unknown[]): Map<string, string> {
  const mapping = new Map<string, string>();
  if (isObject(discriminator.mapping)) {
    for (const [value, target] of Object.entries(discriminator.mapping)) {
      if (typeof target !== 'string') continue;
      mapping.set(value, target.startsWith('#') ? target : `#/components/schemas/${target}`);
    }
  }
  const mapped = new Set(mapping.values());
  for (const b of branches) {
    if (isObject(b) && typeof b.$ref === 'string' && !mapped.has(b.$ref)) {
      const name = b.$ref.split('/').pop();
      if (name && !mapping.has(name)) mapping.set(name, b.$ref);
    }
  }
  return mapping;
}

function discriminatorRules(ctx: Ctx, schema: JsonObject, out: JsonObject): void {
  const d = schema.discriminator;
  if (!isObject(d) || typeof d.propertyName !== 'string') return;
  const branches = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!branches) return; // allOf-inheritance discriminators carry no extra constraint we can check without recursion
  const mapping = discriminatorMapping(d, branches);
  if (mapping.size === 0) return;
  const prop = d.propertyName;
  const rules: JsonObject[] = [{ required: [prop] }];
  for (const [value, ref] of mapping) {
    rules.push({ if: { properties: { [prop]: { const: value } }, required: [prop] }, then: { $ref: ref } });
  }
  out['x-lc-discriminator'] = { propertyName: prop, mapping: Object.fromEntries(mapping) };
  out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...rules];
}

/** Converts one schema object (and its subschemas) for ajv. */
export function convertSchema(schema: unknown, ctx: Ctx): unknown {
  if (!isObject(schema)) return schema;
  if (typeof schema.$ref === 'string' && ctx.version !== '3.1') return { $ref: schema.$ref }; // siblings of $ref are ignored before 3.1

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, ctx)]));
    } else if (SCHEMA_KEYWORDS.includes(key)) {
      out[key] = convertSchema(value, ctx);
    } else if (SCHEMA_ARRAY_KEYWORDS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convertSchema(v, ctx));
    } else if (key === 'items') {
      out[key] = Array.isArray(value) ? value.map((v) => convertSchema(v, ctx)) : convertSchema(value, ctx);
    } else if (key === 'readOnly' || key === 'writeOnly' || key === 'discriminator' || key === 'nullable' || key === 'x-nullable') {
      // handled below
    } else if (key.startsWith('x-lc-')) {
      // our own keywords never come from a document
    } else if (key === 'example' || key === 'examples') {
      // Data, not schema: left out of what ajv reads, which would take an `$id` in an example for a schema's.
    } else {
      out[key] = value;
    }
  }

  if (schema.readOnly === true) out['x-lc-readonly'] = true;
  if (schema.writeOnly === true) out['x-lc-writeonly'] = true;
  if (ctx.version === '3.1') {
    if (schema.readOnly !== undefined) out.readOnly = schema.readOnly;
    if (schema.writeOnly !== undefined) out.writeOnly = schema.writeOnly;
  }

  // readOnly / writeOnly properties are required on one side only.
  if (isObject(schema.properties) && Array.isArray(schema.required)) {
    const both: string[] = [];
    const inResponse: string[] = [];
    const inRequest: string[] = [];
    for (const name of schema.required) {
      if (typeof name !== 'string') continue;
      const prop = schema.properties[name];
      if (hasFlag(ctx, prop, 'readOnly')) inResponse.push(name);
      else if (hasFlag(ctx, prop, 'writeOnly')) inRequest.push(name);
      else both.push(name);
    }
    out.required = both;
    if (both.length === 0) delete out.required;
    if (inResponse.length > 0) out['x-lc-required-in-response'] = inResponse;
    if (inRequest.length > 0) out['x-lc-required-in-request'] = inRequest;
  }

  if (ctx.version !== '3.1') {
    if (out.type === 'file') delete out.type; // Swagger 2.0 file: any bytes
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof out[flag] === 'boolean') {
        if (out[flag] === true && typeof out[bound] === 'number') {
          out[flag] = out[bound];
          delete out[bound];
        } else {
          delete out[flag];
        }
      }
    }
    const nullable = ctx.version === '3.0' ? schema.nullable === true : schema['x-nullable'] === true;
    if (nullable) {
      if (typeof out.type === 'string') {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      } else if (out.type === undefined) {
        const { ...rest } = out;
        for (const k of Object.keys(out)) delete out[k];
        out.anyOf = [{ type: 'null' }, rest];
      }
    }
  }

  discriminatorRules(ctx, schema, out);
  return out;
}

/** Swagger 2.0 parameter/header objects are schema-like; these keys are not schema keywords. */
const SWAGGER_NON_SCHEMA_KEYS = ['name', 'in', 'required', 'allowEmptyValue', 'collectionFormat', 'description'];

function convertSwaggerSimple(node: JsonObject, ctx: Ctx): JsonObject {
  const copy: JsonObject = {};
  for (const [k, v] of Object.entries(node)) if (!SWAGGER_NON_SCHEMA_KEYS.includes(k)) copy[k] = v;
  return convertSchema(copy, ctx) as JsonObject;
}

const SKIP_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'info', 'externalDocs', 'servers', 'tags']);

/**
 * Returns a copy of the bundled document in which every schema position is converted for ajv.
 * Positions: `schema` keys, `components.schemas`, `definitions`; for 2.0 also non-body parameters
 * and response headers, which are schema-like objects themselves. Local `$ref`s keep pointing where
 * they did and recursive schemas stay references (ajv compiles them lazily). 3.0/2.0 get draft-07
 * semantics (`nullable`, `x-nullable`, boolean exclusive bounds, `type: file`); the OpenAPI-only rules
 * become keywords the request and response validators read differently:
 * - `x-lc-readonly` / `x-lc-writeonly`: the property must not be sent in a request / response;
 * - `x-lc-required-in-response` / `x-lc-required-in-request`: `required` entries that name a
 *   readOnly / writeOnly property apply on one side only (OAS 3.0.3 §4.7.25.1);
 * - `discriminator` beside `oneOf`/`anyOf` adds `if`/`then` so the named branch is the one checked.
 */
export function convertDocument(document: JsonObject, version: OpenApiVersion): JsonObject {
  const ctx: Ctx = { version, root: document };

  // Where a node stands: its key, its parent's key, its depth, and whether it is under a `responses`.
  const walk = (node: unknown, parent: string | undefined, grand: string | undefined, depth: number, inResponses: boolean): unknown => {
    if (Array.isArray(node)) return node.map((v, i) => walk(v, String(i), parent, depth + 1, inResponses));
    if (!isObject(node)) return node;
    if (version === '2.0') {
      const isParam = (parent !== undefined && /^\d+$/.test(parent) && grand === 'parameters') || (grand === 'parameters' && depth === 2);
      if (isParam && typeof node.in === 'string' && node.in !== 'body' && node.$ref === undefined) return convertSwaggerSimple(node, ctx);
      if (grand === 'headers' && inResponses && node.$ref === undefined) return convertSwaggerSimple(node, ctx);
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example' || key === 'examples') {
        // Examples are read from the document itself; ajv, given them, would take `$id`s in them for schemas'.
      } else if (key.startsWith('x-') || SKIP_KEYS.has(key)) {
        out[key] = value;
      } else if (key === 'schema') {
        out[key] = convertSchema(value, ctx);
      } else if ((key === 'schemas' && parent === 'components') || (key === 'definitions' && depth === 0)) {
        out[key] = isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, ctx)])) : value;
      } else {
        out[key] = walk(value, key, parent, depth + 1, inResponses || key === 'responses');
      }
    }
    return out;
  };
  return walk(document, undefined, undefined, 0, false) as JsonObject;
}
