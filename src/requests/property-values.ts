/**
 * Property-based request values: one fast-check arbitrary per operation, for its parameters and body,
 * every draw checked by the request validator so only valid requests are sent. Shrinking
 * comes with the arbitraries; the seed makes every run reproducible.
 */
import { fc, type Arbitrary } from './fc';
import type { MediaTypeSpec, Operation, ParameterSpec, SchemaRef } from '../document/model';
import { isObject } from '../document/pointer';
import { arbitraryFor } from './arbitrary';
import { paramKey, type CaseValues } from './cases';

export interface PropertyOptions {
  root: unknown;
  isValid: (schema: SchemaRef, value: unknown) => boolean;
  /** The media type the body uses (default: JSON first, as for other cases). */
  media?: MediaTypeSpec;
}

/** A value of the schema, and whether the validator accepts it. */
interface Drawn {
  value: unknown;
  valid: boolean;
}

/**
 * A value the schema accepts but the request cannot carry: an empty path segment routes nowhere, and an
 * empty array or object serializes to nothing, so a required parameter would be missing.
 */
function lostOnTheWire(param: ParameterSpec, value: unknown): boolean {
  if (param.content) return false;
  const empty = (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
  return (param.in === 'path' && value === '') || ((param.in === 'path' || param.required) && empty);
}

/**
 * Values of a schema, each marked valid or not. Not a `filter`: fast-check retries a filter without
 * end, so a schema nothing satisfies would hang; the property skips invalid draws instead (`fc.pre`),
 * and too many skips is reported as an unsatisfiable schema.
 */
function drawn(schema: SchemaRef | undefined, options: PropertyOptions): Arbitrary<Drawn> {
  if (!schema) return fc.constant({ value: 'value', valid: true });
  return arbitraryFor(schema.schema, { root: options.root, side: 'request' }).map((value) => ({ value, valid: options.isValid(schema, value) }));
}

/**
 * Values for every parameter (optional ones sometimes left out) and the body of an operation.
 *
 * @example
 * fc.sample(propertyValues(op, { root, isValid }), { seed: 1, numRuns: 3 });
 */
export function propertyValues(operation: Operation, options: PropertyOptions): Arbitrary<PropertyDraw> {
  const params: Record<string, Arbitrary<Drawn>> = {};
  const requiredKeys: string[] = [];
  for (const param of operation.parameters) {
    if (param.in === 'header' && ['accept', 'content-type', 'authorization'].includes(param.name.toLowerCase())) continue;
    const schema = param.schema ?? param.content?.schema;
    const key = paramKey(param);
    params[key] = drawn(schema, options).map((d) => (d.valid && lostOnTheWire(param, d.value) ? { ...d, valid: false } : d));
    if (param.required) requiredKeys.push(key);
  }
  // An optional parameter left out is still a key (value undefined): "leave it out", not "choose for me".
  const optional = Object.keys(params).filter((k) => !requiredKeys.includes(k));
  const paramArb = fc.record(
    Object.fromEntries(Object.entries(params).map(([k, a]) => [k, optional.includes(k) ? fc.option(a, { nil: undefined, freq: 3 }) : a])),
  );
  const media = options.media;
  const required = operation.requestBody?.required === true;
  let bodyArb: Arbitrary<Drawn | null | undefined> = fc.constant(undefined);
  if (media) bodyArb = required ? drawn(media.schema, options) : fc.option(drawn(media.schema, options), { nil: null, freq: 4 });
  return fc.record({ params: paramArb, body: bodyArb }).map(({ params: p, body }) => {
    const values: CaseValues = { params: {} };
    const invalid: string[] = [];
    for (const [key, d] of Object.entries(p as Record<string, Drawn | undefined>)) {
      (values.params as Record<string, unknown>)[key] = d?.value;
      if (d && !d.valid) invalid.push(key);
    }
    if (body === null) values.body = null;
    else if (body !== undefined && media) {
      values.body = { media, value: body.value };
      if (!body.valid) invalid.push('body');
    }
    return { values, invalid };
  });
}

/** One draw: the values, and which of them the validator rejects (the draw is then skipped). */
export interface PropertyDraw {
  values: CaseValues;
  /** `query:limit`, `body`: the parts that are not valid; empty for a valid request. */
  invalid: string[];
}

/** A per-operation seed derived from the run's: operations draw independently, reproducibly. */
export function operationSeed(seed: number, operationId: string): number {
  let h = seed | 0;
  for (let i = 0; i < operationId.length; i++) h = (Math.imul(h, 31) + operationId.charCodeAt(i)) | 0;
  return h;
}
