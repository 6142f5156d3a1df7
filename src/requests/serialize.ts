/**
 * OpenAPI parameter serialisation (3.x `style`/`explode`/`allowReserved`, 2.0 `collectionFormat`)
 * and body encoding by media type.
 */
import type { ParameterSpec } from '../contract/model';
import { isObject } from '../contract/pointer';

const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

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

/** Encodes a body value for a media type; returns the bytes and the Content-Type header to send. */
export function encodeBody(mediaType: string, value: unknown): { body: Buffer; contentType: string } {
  const type = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json') || type === 'text/json' || type === '*/*' || type === 'application/*') {
    return { body: Buffer.from(JSON.stringify(value), 'utf8'), contentType: type.includes('*') ? 'application/json' : mediaType };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams();
    if (isObject(value)) for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v)) for (const item of v) params.append(k, scalarText(item));
      else params.append(k, scalarText(v));
    }
    return { body: Buffer.from(params.toString(), 'utf8'), contentType: mediaType };
  }
  if (type === 'multipart/form-data') {
    const parts: string[] = [];
    if (isObject(value)) for (const [k, v] of Object.entries(value)) {
      parts.push(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${scalarText(v)}\r\n`);
    }
    return { body: Buffer.from(`${parts.join('')}--${MULTIPART_BOUNDARY}--\r\n`, 'utf8'), contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` };
  }
  if (type.startsWith('text/') || type.endsWith('+xml') || type === 'application/xml') {
    return { body: Buffer.from(scalarText(value), 'utf8'), contentType: mediaType };
  }
  const concrete = type.endsWith('/*') ? `${type.slice(0, -2)}/octet-stream`.replace('image/octet-stream', 'image/png') : mediaType;
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(scalarText(value), 'utf8');
  return { body: bytes, contentType: concrete };
}
