/** Helpers every event source shares: ids, clocks, query parsing, route matching. */
import { createHash } from 'node:crypto';
import type { AuthorizerContext, GatewayOptions, HttpRequest, HttpResponse } from './types';

/** The instant used when the caller asks for none: events stay byte-identical run to run. */
export const FIXED_NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

export interface ResolvedGatewayOptions {
  /** As given; each source applies its own default (`prod` for REST, `$default` for HTTP APIs). */
  stage: string | undefined;
  stageVariables: Record<string, string> | undefined;
  binaryMediaTypes: string[];
  region: string;
  accountId: string;
  apiId: string;
  sourceIp: string;
  now: Date;
  sequence: number;
  authorizer: AuthorizerContext | undefined;
}

/** Settles every gateway option's default in one place. */
export function resolveGatewayOptions(options: GatewayOptions = {}): ResolvedGatewayOptions {
  const stageVariables = options.stageVariables;
  return {
    stage: options.stage,
    stageVariables: stageVariables && Object.keys(stageVariables).length > 0 ? stageVariables : undefined,
    binaryMediaTypes: options.binaryMediaTypes ?? [],
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    apiId: options.apiId ?? 'lc1a2b3c4d',
    sourceIp: options.sourceIp ?? '203.0.113.10',
    now: options.now ?? FIXED_NOW,
    sequence: options.sequence ?? 0,
    authorizer: options.authorizer,
  };
}

function digest(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID derived from the request, so the same request always gets the same id. */
export function stableUuid(...parts: Array<string | number>): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 16-character id in the shape of API Gateway's `extendedRequestId` (`ZhDrKF5dDoEEHfA=`). */
export function stableShortId(...parts: Array<string | number>): string {
  return Buffer.from(digest(...parts).slice(0, 22), 'hex').toString('base64').slice(0, 15) + '=';
}

/** A lower-case alphanumeric id of `length` characters (resource ids, deployment ids). */
export function stableAlnum(length: number, ...parts: Array<string | number>): string {
  return BigInt('0x' + digest(...parts)).toString(36).slice(0, length).padStart(length, '0');
}

/** An X-Ray trace header value: `Root=1-<8 hex epoch>-<24 hex>`. */
export function traceId(now: Date, ...parts: Array<string | number>): string {
  const epoch = Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${digest(...parts).slice(0, 24)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** AWS's request time: CLF `dd/MMM/yyyy:HH:mm:ss +0000`, always UTC. */
export function clfTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`
  );
}

/** Decodes a query component as API Gateway does: `+` is a space, bad escapes are kept verbatim. */
export function decodeQueryComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Splits a raw query string into `[name, value]` pairs in order, without decoding. */
export function splitQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

/** Escapes a string for use inside a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A route template taken apart once: by segment when every variable is a whole one, else as a regex. */
type CompiledRoute =
  | { kind: 'segments'; parts: Array<string | { name: string }>; greedy?: string }
  | { kind: 'regex'; regex: RegExp; names: string[] };

const templateCache = new Map<string, CompiledRoute>();

function compileRoute(template: string): CompiledRoute {
  const parts = template.split('/');
  const segmentsOnly = parts.every((p, i) => !/[{}]/.test(p) || (/^\{[^{}]+\}$/.test(p) && (!p.endsWith('+}') || i === parts.length - 1)));
  if (segmentsOnly) {
    const last = parts[parts.length - 1] ?? '';
    const greedy = last.endsWith('+}') ? last.slice(1, -2) : undefined;
    const fixed = (greedy === undefined ? parts : parts.slice(0, -1)).map((p) => (p.startsWith('{') ? { name: p.slice(1, -1) } : p));
    return greedy === undefined ? { kind: 'segments', parts: fixed } : { kind: 'segments', parts: fixed, greedy };
  }
  const names: string[] = [];
  let source = '';
  let lastIndex = 0;
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    source += escapeRegExp(template.slice(lastIndex, m.index));
    const raw = m[1] ?? '';
    const isGreedy = raw.endsWith('+');
    names.push(isGreedy ? raw.slice(0, -1) : raw);
    source += isGreedy ? '(.+?)' : '([^/]+)';
    lastIndex = m.index + m[0].length;
  }
  source += escapeRegExp(template.slice(lastIndex));
  return { kind: 'regex', regex: new RegExp(`^${source}/?$`), names };
}

/**
 * Matches a concrete (encoded) path against a route template, returning the raw values of its
 * variables. `{proxy+}` is greedy and may span slashes; one trailing slash is allowed, as
 * `^template/?$` would.
 */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  let compiled = templateCache.get(template);
  if (!compiled) templateCache.set(template, (compiled = compileRoute(template)));
  const values: Record<string, string> = {};
  if (compiled.kind === 'regex') {
    const match = compiled.regex.exec(path);
    if (!match) return undefined;
    compiled.names.forEach((name, i) => {
      values[name] = match[i + 1] ?? '';
    });
    return values;
  }
  const { parts, greedy } = compiled;
  const segs = path.split('/');
  if (greedy === undefined) {
    if (segs.length === parts.length + 1 && segs[segs.length - 1] === '') segs.pop(); // the trailing slash
    if (segs.length !== parts.length) return undefined;
  } else if (segs.length <= parts.length) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | { name: string };
    const seg = segs[i] as string;
    if (typeof part === 'string') {
      if (part !== seg) return undefined;
    } else {
      if (seg === '') return undefined;
      values[part.name] = seg;
    }
  }
  if (greedy !== undefined) {
    let rest = segs.slice(parts.length).join('/');
    if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
    if (rest === '') return undefined;
    values[greedy] = rest;
  }
  return values;
}

/** The first value of a header, names compared case-insensitively. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The `type/subtype` of a Content-Type or Accept entry, lower-cased, parameters dropped. */
export function essence(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Strict base64: what AWS accepts when `isBase64Encoded` is true (no line breaks). */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

/** A JSON error response in a gateway's own words. */
export function gatewayResponse(statusCode: number, body: string, headers: Array<[string, string]> = []): HttpResponse {
  return { statusCode, headers, body: Buffer.from(body, 'utf8') };
}

/** Describes a JSON value's type for a reason text: `object`, `array`, `null`, `string`. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Lambda's synchronous invocation payload limit, each way. */
export const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

/** A request's identity for deriving stable ids (request id, trace id): same request and sequence, same ids. */
export function requestKey(request: HttpRequest, sequence: number): string {
  return `${request.method} ${request.path}?${request.rawQuery}#${sequence}`;
}

/**
 * Whether HTTP APIs, function URLs and ALB pass a request body of this type as text; every other type,
 * and a body without a Content-Type, arrives base64-encoded (GATEWAYS.md §3.1, §5, §6.1).
 */
export function isTextForGateway(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = essence(contentType);
  return type.startsWith('text/') || type === 'application/json' || type === 'application/xml' || type === 'application/javascript';
}

/** Percent-decodes a path as HTTP APIs do for `rawPath`; invalid escapes stay as sent. */
export function decodePath(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Java's `Date.toString()` in UTC (`Tue Jun 18 15:00:04 UTC 2024`): how Cognito authorizers render `exp`/`iat`. */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A claim or context value as text, the way API Gateway flattens it: arrays become `[a b]`, objects JSON. */
export function flattenValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(flattenValue).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Splits `Cookie` header values into the 2.0 `cookies` array: `a=1; b=2` → `['a=1', 'b=2']`, name-less ones dropped. */
export function splitCookies(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(';')) {
      const c = part.trim();
      if (c === '' || c.startsWith('=')) continue;
      out.push(c);
    }
  }
  return out;
}

/** The caller's scopes: the ones given, else the whitespace-split `scope` claim, else `null`. */
export function scopesOf(claims: Record<string, unknown>, scopes: string[] | undefined): string[] | null {
  if (scopes) return scopes;
  const scope = claims.scope ?? claims.scp;
  if (typeof scope === 'string' && scope.trim() !== '') return scope.trim().split(/\s+/);
  if (Array.isArray(scope)) return scope.map(String);
  return null;
}

/** A JSON value check used by every result parser: a plain object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A proxy-result header value as API Gateway renders it: strings as is, booleans and finite numbers as text. */
export function renderHeaderValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return undefined;
}

/** What is wrong with a proxy result's `body` / `isBase64Encoded` (null and absent are fine), if anything. */
export function bodyFieldsProblem(r: Record<string, unknown>): string | undefined {
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return `body must be a string, got ${jsonType(r.body)} (serialise it with JSON.stringify)`;
  if (r.isBase64Encoded !== undefined && r.isBase64Encoded !== null && typeof r.isBase64Encoded !== 'boolean') return `isBase64Encoded must be a boolean, got ${jsonType(r.isBase64Encoded)}`;
  return undefined;
}

/**
 * Reads a proxy result's single-value `headers` map (absent or null: none) into header lines, or says
 * what is wrong with it. `arrayHint` is appended when a value is an array.
 */
export function readHeaderMap(value: unknown, arrayHint = ''): { lines: Array<[string, string]> } | { problem: string } {
  const lines: Array<[string, string]> = [];
  if (value === undefined || value === null) return { lines };
  if (!isPlainObject(value)) return { problem: `headers must be an object, got ${jsonType(value)}` };
  for (const [name, v] of Object.entries(value)) {
    const text = renderHeaderValue(v);
    if (text === undefined) return { problem: `header ${JSON.stringify(name)} must be a string, number or boolean, got ${jsonType(v)}${Array.isArray(v) ? arrayHint : ''}` };
    lines.push([name, text]);
  }
  return { lines };
}
