/**
 * Property-based request values: one fast-check arbitrary per operation, for its parameters and body,
 * every value filtered through the request validator so only valid requests are sent. Shrinking
 * comes with the arbitraries; the seed makes every run reproducible.
 */
import fc from 'fast-check';
import type { MediaTypeSpec, Operation, SchemaRef } from '../contract/model';
import { arbitraryFor } from './arbitrary';
import { paramKey, type CaseValues } from './cases';

export interface PropertyOptions {
  root: unknown;
  isValid: (schema: SchemaRef, value: unknown) => boolean;
  /** The media type the body uses (default: JSON first, as for other cases). */
  media?: MediaTypeSpec;
}

/** An arbitrary that gives only values its schema accepts (or any value when there is no schema). */
function valid(schema: SchemaRef | undefined, options: PropertyOptions): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant('value');
  return arbitraryFor(schema.schema, { root: options.root, side: 'request' }).filter((v) => options.isValid(schema, v));
}

/**
 * Values for every parameter (optional ones sometimes left out) and the body of an operation.
 *
 * @example
 * fc.sample(propertyValues(op, { root, isValid }), { seed: 1, numRuns: 3 });
 */
export function propertyValues(operation: Operation, options: PropertyOptions): fc.Arbitrary<CaseValues> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const param of operation.parameters) {
    if (param.in === 'header' && ['accept', 'content-type', 'authorization'].includes(param.name.toLowerCase())) continue;
    const schema = param.schema ?? param.content?.schema;
    const key = paramKey(param);
    params[key] = valid(schema, options);
    if (param.required) requiredKeys.push(key);
  }
  // An optional parameter left out is still a key (value undefined): "leave it out", not "choose for me".
  const optional = Object.keys(params).filter((k) => !requiredKeys.includes(k));
  const paramArb = fc.record(
    Object.fromEntries(Object.entries(params).map(([k, a]) => [k, optional.includes(k) ? fc.option(a, { nil: undefined, freq: 3 }) : a])),
  );
  const media = options.media;
  const required = operation.requestBody?.required === true;
  let bodyArb: fc.Arbitrary<CaseValues['body']> = fc.constant(undefined);
  if (media) {
    const value = valid(media.schema, options).map((v) => ({ media, value: v }));
    bodyArb = required ? value : fc.option(value, { nil: null, freq: 4 });
  }
  return fc.record({ params: paramArb, body: bodyArb }).map(({ params: p, body }) => {
    const out: CaseValues = { params: p as Record<string, unknown> };
    if (body !== undefined) out.body = body;
    return out;
  });
}
