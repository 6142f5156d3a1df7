/** HTTP as it travels: query strings, paths, headers, media types and cookies, read the gateways' way. */

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

/** A body as a report shows it: its text, cut at 200 characters; undefined when there is none. */
export function bodyPreview(body: Buffer | undefined): string | undefined {
  if (body === undefined || body.length === 0) return undefined;
  const text = body.toString('utf8');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** The first value of a header, names compared case-insensitively. */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The `type/subtype` of a Content-Type or Accept entry, lower-cased, parameters dropped. */
export function essence(mediaType: string): string {
  // Asked several times for every response judged, of the same few media types: remembered.
  let known = essences.get(mediaType);
  if (known === undefined) {
    known = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
    if (essences.size > 1000) essences.clear();
    essences.set(mediaType, known);
  }
  return known;
}
const essences = new Map<string, string>();

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

/** Whether a media type matches a `binaryMediaTypes` entry: exact, `type/*` or `*\/*` (GATEWAYS.md §2.6). */
export function matchesBinaryMediaType(mediaType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (mediaType === undefined) return false;
  const type = essence(mediaType);
  return binaryMediaTypes.some((entry) => {
    const e = essence(entry);
    if (e === '*/*' || e === type) return true;
    return e.endsWith('/*') && type.startsWith(e.slice(0, -1));
  });
}

/** JWT claims as HTTP APIs pass them: every value a string, arrays as `[a b]` (GATEWAYS.md §3.2). */
export function jwtClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = flattenValue(v);
  return out;
}
