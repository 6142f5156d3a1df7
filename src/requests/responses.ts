/**
 * Valid responses for an operation, from its documented examples (when they satisfy their schemas) or
 * derived from the schemas: the other side of request generation. Used to prove the verifier never
 * fails a conforming response, and by anything that stands in for a handler.
 */
import type { MediaTypeSpec, Operation, ResponseSpec, SchemaRef } from '../document/model';
import { follow, isObject } from '../document/pointer';
import type { HttpResponse } from '../gateway/types';
import { isJsonMediaType, isTextMediaType } from '../verify/media';
import { sampleValid, sampleValue } from './sample';
import { serializeHeader } from './serialize';

export interface ResponseSample {
  /** The documented status it stands for: `200`, `4XX`, `default`. */
  documented: string;
  mediaType?: string;
  /** `example "name"` or `schema`. */
  name: string;
  response: HttpResponse;
}

export interface ResponseSampleOptions {
  root: unknown;
  /** Whether a value satisfies a schema as a response value. */
  isValid: (schema: SchemaRef, value: unknown) => boolean;
  seed?: number;
}

/** A concrete status for a documented one: `2XX` → 200, `default` → 500 unless another fits better. */
function concreteStatus(status: string, operation: Operation): number {
  if (/^\d{3}$/.test(status)) return Number(status);
  const range = /^([1-5])XX$/.exec(status);
  if (range) {
    const first = Number(range[1]) * 100;
    for (let code = first; code < first + 100; code++) if (!operation.responses.some((r) => r.status === String(code))) return code;
  }
  // default: a status no other entry claims.
  for (const code of [500, 400, 422, 503, 418]) {
    if (!operation.responses.some((r) => r.status === String(code) || r.status === `${String(code)[0]}XX`)) return code;
  }
  return 599;
}

/** Where a concrete media type for a documented one (`image/*` → `image/png`, `*\/*` → `application/octet-stream`). */
function concreteMediaType(mediaType: string): string {
  const [type, rest] = mediaType.split('/');
  if (type === '*') return 'application/octet-stream';
  if (rest?.startsWith('*')) return `${type}/${type === 'text' ? 'plain' : type === 'application' ? 'octet-stream' : 'x-sample'}`;
  return mediaType;
}

function encode(mediaType: string, value: unknown): Buffer {
  if (isJsonMediaType(mediaType)) return Buffer.from(JSON.stringify(value), 'utf8');
  if (typeof value === 'string') return Buffer.from(value, isTextMediaType(mediaType) ? 'utf8' : 'latin1');
  return Buffer.from(JSON.stringify(value ?? ''), 'utf8');
}

function headersFor(spec: ResponseSpec, options: ResponseSampleOptions): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  for (const header of spec.headers) {
    if (!header.required || header.name.toLowerCase() === 'content-type') continue;
    const value = header.schema ? sampleValue(header.schema.schema, { root: options.root, side: 'response', seed: options.seed ?? 1 }) : 'value';
    lines.push([header.name, serializeHeader({ name: header.name, in: 'header', required: true, style: 'simple', explode: header.explode, allowReserved: false, examples: [], pointer: header.pointer }, value)]);
  }
  return lines;
}

function bodyValues(media: MediaTypeSpec, options: ResponseSampleOptions): Array<{ name: string; value: unknown }> {
  const out: Array<{ name: string; value: unknown }> = [];
  for (const ex of media.examples) {
    if (!media.schema || options.isValid(media.schema, ex.value)) out.push({ name: `example "${ex.name}"`, value: ex.value });
  }
  const schema = media.schema;
  if (schema) out.push({ name: 'schema', value: schemaSample(schema, options) });
  else if (out.length === 0) out.push({ name: 'schema', value: isJsonMediaType(media.mediaType) ? {} : 'sample' });
  return out;
}

/**
 * Operations share response schemas (`{$ref: Error}` under every operation): the sample of a schema for
 * a seed is the same wherever it is referenced, so it is drawn once per document.
 */
const samplesByTarget = new WeakMap<object, Map<number, unknown>>();

function schemaSample(schema: SchemaRef, options: ResponseSampleOptions): unknown {
  const seed = options.seed ?? 1;
  const node = schema.schema;
  // A bare `{$ref}` means its target; anything else (a `$ref` with 3.1 siblings, an inline schema) only itself.
  const bare = isObject(node) && typeof node.$ref === 'string' && Object.keys(node).length === 1;
  const target = bare ? follow(options.root, node, '').value : node;
  const draw = (): unknown => sampleValid(schema.schema, { root: options.root, side: 'response', seed }, (v) => options.isValid(schema, v)).value;
  if (typeof target !== 'object' || target === null) return draw();
  let bySeed = samplesByTarget.get(target);
  if (!bySeed) samplesByTarget.set(target, (bySeed = new Map()));
  if (!bySeed.has(seed)) bySeed.set(seed, draw());
  return structuredClone(bySeed.get(seed));
}

/** Every documented response of the operation, once per media type and named example, as a client would receive it. */
export function responseSamples(operation: Operation, options: ResponseSampleOptions): ResponseSample[] {
  const out: ResponseSample[] = [];
  for (const spec of operation.responses) {
    const statusCode = concreteStatus(spec.status, operation);
    const headers = headersFor(spec, options);
    if (spec.content.length === 0) {
      out.push({ documented: spec.status === 'DEFAULT' ? 'default' : spec.status, name: 'no content', response: { statusCode, headers, body: Buffer.alloc(0) } });
      continue;
    }
    for (const media of spec.content) {
      const mediaType = concreteMediaType(media.mediaType);
      for (const { name, value } of bodyValues(media, options)) {
        out.push({
          documented: spec.status === 'DEFAULT' ? 'default' : spec.status,
          mediaType,
          name,
          response: { statusCode, headers: [...headers, ['Content-Type', mediaType]], body: encode(mediaType, value) },
        });
      }
    }
  }
  return out;
}
