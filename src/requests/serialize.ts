/**
 * OpenAPI parameter serialization (3.x `style`/`explode`/`allowReserved`, 2.0 `collectionFormat`)
 * and body encoding by media type.
 */
import type { ParameterSpec } from '../document/model';
import { follow, isObject, type JsonObject } from '../document/pointer';
import { stringify as stringifyLossless } from 'lossless-json';

const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

/** JSON text of a value; an exact int64 a link carried (a BigInt) is written as its digits. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return stringifyLossless(value) ?? 'null';
  }
}

/** Percent-encodes a value; with `allowReserved`, RFC 3986 reserved characters stay as they are. */
export function encodeValue(value: string, allowReserved = false): string {
  if (!allowReserved) return encodeURIComponent(value);
  return [...value].map((ch) => (RESERVED.test(ch) ? ch : encodeURIComponent(ch))).join('');
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const COLLECTION_SEPARATORS: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };

/** A path parameter's text for the URL (encoded), by style: `simple`, `label`, `matrix`. */
export function serializePath(param: ParameterSpec, value: unknown): string {
  const enc = (v: unknown): string => encodeValue(scalarText(v));
  const { style, explode, name } = param;
  if (param.collectionFormat && Array.isArray(value)) return value.map(enc).join(encodeURIComponent(COLLECTION_SEPARATORS[param.collectionFormat] ?? ','));
  if (Array.isArray(value)) {
    if (style === 'label') return '.' + value.map(enc).join(explode ? '.' : ',');
    if (style === 'matrix') return explode ? value.map((v) => `;${name}=${enc(v)}`).join('') : `;${name}=${value.map(enc).join(',')}`;
    return value.map(enc).join(',');
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    const pairs = explode ? entries.map(([k, v]) => `${enc(k)}=${enc(v)}`) : entries.flatMap(([k, v]) => [enc(k), enc(v)]);
    if (style === 'label') return '.' + pairs.join(explode ? '.' : ',');
    if (style === 'matrix') return explode ? pairs.map((p) => `;${p}`).join('') : `;${name}=${pairs.join(',')}`;
    return pairs.join(',');
  }
  if (style === 'label') return `.${enc(value)}`;
  if (style === 'matrix') return `;${name}=${enc(value)}`;
  return enc(value);
}

/** A query parameter as `name=value` pieces (encoded), by style: form, spaceDelimited, pipeDelimited, deepObject. */
export function serializeQuery(param: ParameterSpec, value: unknown): string[] {
  const enc = (v: unknown): string => encodeValue(scalarText(v), param.allowReserved);
  const name = encodeURIComponent(param.name);
  if (param.collectionFormat && Array.isArray(value)) {
    if (param.collectionFormat === 'multi') return value.map((v) => `${name}=${enc(v)}`);
    return [`${name}=${value.map(enc).join(encodeURIComponent(COLLECTION_SEPARATORS[param.collectionFormat] ?? ','))}`];
  }
  if (Array.isArray(value)) {
    if (param.style === 'spaceDelimited') return [`${name}=${value.map(enc).join('%20')}`];
    if (param.style === 'pipeDelimited') return [`${name}=${value.map(enc).join('|')}`];
    return param.explode ? value.map((v) => `${name}=${enc(v)}`) : [`${name}=${value.map(enc).join(',')}`];
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (param.style === 'deepObject') return entries.map(([k, v]) => `${name}%5B${encodeURIComponent(k)}%5D=${enc(v)}`);
    return param.explode ? entries.map(([k, v]) => `${encodeURIComponent(k)}=${enc(v)}`) : [`${name}=${entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(',')}`];
  }
  return [`${name}=${enc(value)}`];
}

/** A header parameter's value (`style: simple`). */
export function serializeHeader(param: ParameterSpec, value: unknown): string {
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  if (isObject(value)) {
    const entries = Object.entries(value);
    return (param.explode ? entries.map(([k, v]) => `${k}=${scalarText(v)}`) : entries.flatMap(([k, v]) => [k, scalarText(v)])).join(',');
  }
  return scalarText(value);
}

/** A cookie parameter as `name=value` (`style: form`). */
export function serializeCookie(param: ParameterSpec, value: unknown): string {
  if (Array.isArray(value)) return `${param.name}=${value.map((v) => encodeURIComponent(scalarText(v))).join(',')}`;
  if (isObject(value)) return `${param.name}=${Object.entries(value).flatMap(([k, v]) => [k, encodeURIComponent(scalarText(v))]).join(',')}`;
  return `${param.name}=${encodeURIComponent(scalarText(value))}`;
}

/** The boundary of generated multipart bodies: fixed, so events are deterministic. */
export const MULTIPART_BOUNDARY = 'lambda-contract-boundary-7MA4YWxkTrZu0gW';

/** How a body is encoded beyond its media type: the media type's `encoding` and its schema (3.x). */
export interface BodyEncoding {
  /** Per-property `encoding` (contentType, style, explode, allowReserved, headers). */
  encoding?: JsonObject;
  /** The body schema, to tell files (`format: binary`/`base64`, `contentMediaType`) from fields. */
  schema?: unknown;
  /** The document, for `$ref`s in the schema. */
  root?: unknown;
}

/** A property's schema, references followed (for form and multipart encoding defaults). */
function propertySchema(options: BodyEncoding, name: string): JsonObject {
  const schema = follow(options.root, options.schema, '').value;
  const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const prop = follow(options.root, props[name], '').value;
  return isObject(prop) ? prop : {};
}

function isFile(schema: JsonObject): boolean {
  const items = isObject(schema.items) ? schema.items : {};
  return [schema, items].some((s) => s.format === 'binary' || s.format === 'base64' || typeof s.contentMediaType === 'string' || s.type === 'file');
}

/**
 * `application/x-www-form-urlencoded` (OpenAPI 3 §4.8.15): each property as a query parameter of its
 * `encoding` style (form, exploded by default), or as text of its `encoding.contentType` (JSON).
 */
function formUrlEncoded(value: unknown, options: BodyEncoding): string {
  if (!isObject(value)) return encodeURIComponent(scalarText(value));
  const pieces: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const enc = isObject(options.encoding?.[name]) ? (options.encoding[name] as JsonObject) : {};
    if (typeof enc.contentType === 'string' && /json/i.test(enc.contentType)) {
      pieces.push(`${encodeURIComponent(name)}=${encodeURIComponent(JSON.stringify(v))}`);
      continue;
    }
    const style = typeof enc.style === 'string' ? enc.style : 'form';
    const param: ParameterSpec = { name, in: 'query', required: false, style, explode: typeof enc.explode === 'boolean' ? enc.explode : style === 'form', allowReserved: enc.allowReserved === true, examples: [], pointer: '' };
    pieces.push(...serializeQuery(param, v));
  }
  return pieces.join('&');
}

/**
 * `multipart/form-data` (OpenAPI 3 §4.8.14, RFC 7578): one part per property, one per item for arrays;
 * files (binary) with a filename, objects as JSON, each part's Content-Type from `encoding` when given.
 */
function multipart(value: unknown, options: BodyEncoding): Buffer {
  const chunks: Buffer[] = [];
  const part = (name: string, item: unknown, schema: JsonObject, enc: JsonObject): void => {
    const file = isFile(schema) || Buffer.isBuffer(item);
    const declared = typeof enc.contentType === 'string' ? enc.contentType.split(',')[0]!.trim() : undefined;
    const contentType = declared ?? (file ? 'application/octet-stream' : isObject(item) || Array.isArray(item) ? 'application/json' : undefined);
    const head = [`--${MULTIPART_BOUNDARY}`, `Content-Disposition: form-data; name="${name.replace(/"/g, '%22')}"${file ? `; filename="${name.replace(/"/g, '%22')}.bin"` : ''}`];
    if (contentType) head.push(`Content-Type: ${contentType}`);
    if (isObject(enc.headers)) for (const header of Object.keys(enc.headers)) if (header.toLowerCase() !== 'content-type') head.push(`${header}: lambda-contract`);
    const data = Buffer.isBuffer(item) ? item : Buffer.from(contentType && /json/i.test(contentType) ? JSON.stringify(item) : scalarText(item), 'utf8');
    chunks.push(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), data, Buffer.from('\r\n', 'utf8'));
  };
  if (isObject(value)) {
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const schema = propertySchema(options, name);
      const enc = isObject(options.encoding?.[name]) ? (options.encoding[name] as JsonObject) : {};
      const items = isObject(schema.items) ? (follow(options.root, schema.items, '').value as JsonObject) : {};
      if (Array.isArray(v) && !(typeof enc.contentType === 'string' && /json/i.test(enc.contentType))) for (const item of v) part(name, item, items, enc);
      else part(name, v, schema, enc);
    }
  }
  chunks.push(Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`, 'utf8'));
  return Buffer.concat(chunks);
}

/** Encodes a body value for a media type; returns the bytes and the Content-Type header to send. */
export function encodeBody(mediaType: string, value: unknown, options: BodyEncoding = {}): { body: Buffer; contentType: string } {
  const type = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json') || type === 'text/json' || type === '*/*' || type === 'application/*') {
    return { body: Buffer.from(jsonText(value), 'utf8'), contentType: type.includes('*') ? 'application/json' : mediaType };
  }
  if (type === 'application/x-www-form-urlencoded') return { body: Buffer.from(formUrlEncoded(value, options), 'utf8'), contentType: mediaType };
  if (type === 'multipart/form-data') return { body: multipart(value, options), contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` };
  if (type.startsWith('text/') || type.endsWith('+xml') || type === 'application/xml') {
    return { body: Buffer.from(scalarText(value), 'utf8'), contentType: mediaType };
  }
  const concrete = type.endsWith('/*') ? `${type.slice(0, -2)}/octet-stream`.replace('image/octet-stream', 'image/png') : mediaType;
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(scalarText(value), 'utf8');
  return { body: bytes, contentType: concrete };
}
