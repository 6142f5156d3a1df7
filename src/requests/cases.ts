/**
 * Request cases the contract says are valid: the document's examples first, then values from the
 * schema; required parts always filled, credentials of the scheme, `Accept` naming documented types.
 */
import type { MediaTypeSpec, Operation, ParameterSpec, SchemaRef, SecuritySchemeSpec } from '../document/model';
import type { AuthorizerContext, HttpRequest } from '../gateway/types';
import { sampleValid } from './sample';
import { encodeBody, serializeCookie, serializeHeader, serializePath, serializeQuery } from './serialize';

/** A request the contract allows, with the name a report shows for it. */
export interface RequestCase {
  /** The operation's id (operationId or `METHOD /path`). */
  operationId: string;
  /** `example "cat"`, or `schema` for a schema-derived request. */
  name: string;
  request: HttpRequest;
  /** The seed behind generated values: re-running with it gives the same request. */
  seed: number;
  /** Things the generator noticed (an example that breaks its own schema, a value it could not satisfy). */
  notes: string[];
}

type Scalar = string | number | boolean;

/** Values a caller fixes instead of generated ones. */
export interface RequestOverrides {
  /** Path parameter values by name (raw; they are percent-encoded for the path). */
  pathParameters?: Record<string, Scalar>;
  /** Query parameter values by name; arrays repeat the key. */
  queryStringParameters?: Record<string, Scalar | Scalar[]>;
  /** Extra or replacing headers. */
  headers?: Record<string, string>;
  /** Cookies by name. */
  cookies?: Record<string, string>;
  /** The body: a string or Buffer is sent as is; anything else is encoded for the media type. `null` sends none. */
  body?: unknown;
  /** The request media type to use when several are documented. */
  contentType?: string;
  /** Credentials by security scheme name, or `false` to send none. */
  credentials?: false | Record<string, string>;
  /**
   * What the gateway's authorizer passes the handler for this operation (`requestContext.authorizer`),
   * in place of the contract's `authorizerContext`; ignored when a real authorizer runs.
   */
  authorizerContext?: AuthorizerContext;
}

/** Values chosen by a generator (property-based or negative) instead of the examples and samples. */
export interface CaseValues {
  /**
   * Parameter values by `in:name` (`query:limit`). A key that is present with `undefined` leaves an
   * optional parameter out, or a required one (a negative case).
   */
  params?: Record<string, unknown>;
  /** The body value and its media type; `null` sends no body. */
  body?: { media: MediaTypeSpec; value: unknown } | null | undefined;
  /** Raw body bytes and Content-Type, sent as they are (a malformed body, a wrong Content-Type). */
  rawBody?: { bytes: Buffer; contentType: string };
}

/** The key of a parameter in {@link CaseValues.params}. */
export function paramKey(param: Pick<ParameterSpec, 'in' | 'name'>): string {
  return `${param.in}:${param.name}`;
}

export interface CaseOptions {
  /** The bundled document, for `$ref`s in schemas. */
  root: unknown;
  /** Checks a value against a schema position (request side). */
  isValid: (schema: SchemaRef, value: unknown) => boolean;
  seed?: number;
  overrides?: RequestOverrides;
}

const USER_AGENT = 'lambda-contract';

/** An unsigned JWT: enough for handlers that decode claims without verifying (API Gateway verifies). */
function sampleJwt(scopes: string[]): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { sub: 'lambda-contract-user', iss: 'https://issuer.example.com', aud: 'lambda-contract', iat: 1767268800, exp: 4102444800, ...(scopes.length ? { scope: scopes.join(' ') } : {}) };
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

function credentialFor(scheme: SecuritySchemeSpec, scopes: string[], given: string | undefined): { header?: [string, string]; query?: string; cookie?: string } {
  if (scheme.type === 'http') {
    if (scheme.scheme === 'basic') return { header: ['Authorization', `Basic ${given ?? Buffer.from('lambda-contract:password').toString('base64')}`] };
    return { header: ['Authorization', `${scheme.scheme === 'bearer' ? 'Bearer' : scheme.scheme} ${given ?? sampleJwt(scopes)}`] };
  }
  if (scheme.type === 'apiKey') {
    const value = given ?? 'lambda-contract-api-key';
    if (scheme.in === 'query') return { query: `${encodeURIComponent(scheme.paramName)}=${encodeURIComponent(value)}` };
    if (scheme.in === 'cookie') return { cookie: `${scheme.paramName}=${encodeURIComponent(value)}` };
    return { header: [scheme.paramName, value] };
  }
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return { header: ['Authorization', `Bearer ${given ?? sampleJwt(scopes)}`] };
  return {};
}

/** The documented response media types, success responses first, wildcards last. */
export function acceptFor(operation: Operation): string | undefined {
  // Asked for every bare result judged: worked out once per operation.
  if (accepts.has(operation)) return accepts.get(operation);
  const accept = acceptOf(operation);
  accepts.set(operation, accept);
  return accept;
}
const accepts = new WeakMap<Operation, string | undefined>();

function acceptOf(operation: Operation): string | undefined {
  const ordered = [...operation.responses].sort((a, b) => rank(a.status) - rank(b.status));
  const types: string[] = [];
  for (const r of ordered) for (const c of r.content) if (!types.includes(c.mediaType)) types.push(c.mediaType);
  types.sort((a, b) => Number(a.includes('*')) - Number(b.includes('*')));
  return types.length > 0 ? types.join(', ') : undefined;
}

function rank(status: string): number {
  if (/^2/.test(status)) return 0;
  if (status === 'DEFAULT') return 2;
  return 1;
}

/** The media type generated bodies of an operation use (`wanted`, else JSON first). */
export function bodyMediaType(operation: Operation, wanted?: string): MediaTypeSpec | undefined {
  return operation.requestBody ? pickMediaType(operation.requestBody.content, wanted) : undefined;
}

/** The media type a generated body uses: JSON first, then form, then what is documented first. */
function pickMediaType(content: readonly MediaTypeSpec[], wanted?: string): MediaTypeSpec | undefined {
  if (wanted) return content.find((c) => c.mediaType.split(';')[0]?.trim() === wanted) ?? content[0];
  const score = (m: string): number => (/json/i.test(m) ? 0 : /form/i.test(m) ? 1 : /^text\//i.test(m) ? 2 : 3);
  return [...content].sort((a, b) => score(a.mediaType) - score(b.mediaType))[0];
}

class CaseBuilder {
  readonly notes: string[] = [];
  constructor(private readonly operation: Operation, private readonly options: CaseOptions) {}

  /** The value for a parameter: an example that satisfies the schema, else a sampled one. */
  paramValue(param: ParameterSpec): unknown {
    const schema = param.schema ?? param.content?.schema;
    for (const ex of param.examples) {
      if (!schema || this.options.isValid(schema, ex.value)) return ex.value;
      this.notes.push(`${param.in} parameter "${param.name}": example "${ex.name}" does not match its schema; using a schema-derived value`);
    }
    return this.sample(schema);
  }

  sample(schema: SchemaRef | undefined): unknown {
    if (!schema) return 'value';
    const { value, valid } = sampleValid(schema.schema, { root: this.options.root, side: 'request', seed: this.options.seed ?? 1 }, (v) => this.options.isValid(schema, v));
    if (!valid) this.notes.push(`could not derive a valid value for the schema at ${schema.pointer ?? '(inline)'}; sent ${JSON.stringify(value)}`);
    return value;
  }

  build(name: string, bodyValue: { media: MediaTypeSpec; value: unknown } | undefined, values: CaseValues = {}): RequestCase {
    const op = this.operation;
    const o = this.options.overrides ?? {};
    let path = op.path;
    const query: string[] = [];
    const headers: Array<[string, string]> = [];
    const cookies: string[] = [];

    for (const param of op.parameters) {
      const overridden = this.overrideFor(param);
      const chosen = values.params !== undefined && Object.hasOwn(values.params, paramKey(param));
      let value: unknown;
      if (overridden !== undefined) value = overridden;
      else if (chosen) {
        value = values.params?.[paramKey(param)];
        if (value === undefined) continue; // left out on purpose
      } else {
        if (!param.required && (param.in !== 'query' || param.examples.length === 0)) continue; // optional parameters: only documented query examples
        value = this.paramValue(param);
      }
      if (param.in === 'path') {
        path = path.split(`{${param.name}}`).join(serializePath(param, value));
        // A greedy `{name+}` (API Gateway) spans segments: each is encoded, the slashes stay.
        if (path.includes(`{${param.name}+}`)) path = path.split(`{${param.name}+}`).join(String(value).split('/').map((seg) => encodeURIComponent(seg)).join('/'));
      }
      else if (param.in === 'query') query.push(...serializeQuery(param, value));
      else if (param.in === 'header') {
        if (!['accept', 'content-type', 'authorization'].includes(param.name.toLowerCase())) headers.push([param.name, serializeHeader(param, value)]);
      } else cookies.push(serializeCookie(param, value));
    }
    // Greedy `{proxy+}`-style variables the contract does not declare still need a value.
    path = path.replace(/\{([^}]+)\}/g, (_m, v: string) => {
      const greedy = v.endsWith('+');
      const given = o.pathParameters?.[greedy ? v.slice(0, -1) : v];
      if (given === undefined) return greedy ? 'any/nested/path' : 'value';
      return greedy ? String(given).split('/').map((seg) => encodeURIComponent(seg)).join('/') : encodeURIComponent(String(given));
    });

    if (o.queryStringParameters) for (const [k, v] of Object.entries(o.queryStringParameters)) {
      if (op.parameters.some((p) => p.in === 'query' && p.name === k)) continue;
      for (const item of Array.isArray(v) ? v : [v]) query.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
    }

    const accept = acceptFor(op);
    if (accept) headers.push(['Accept', accept]);
    headers.push(['User-Agent', USER_AGENT]);

    if (o.credentials !== false) {
      const alternative = op.security[0];
      for (const { scheme, scopes } of alternative ?? []) {
        const c = credentialFor(scheme, scopes, o.credentials?.[scheme.name]);
        if (c.header) headers.push(c.header);
        if (c.query) query.push(c.query);
        if (c.cookie) cookies.push(c.cookie);
      }
    }
    if (o.cookies) for (const [k, v] of Object.entries(o.cookies)) cookies.push(`${k}=${v}`);
    if (cookies.length > 0) headers.push(['Cookie', cookies.join('; ')]);

    let body: Buffer | undefined;
    if (values.rawBody) {
      body = values.rawBody.bytes;
      headers.push(['Content-Type', values.rawBody.contentType]);
    } else if (o.body !== undefined) {
      if (o.body !== null) {
        const media = bodyValue?.media ?? pickMediaType(op.requestBody?.content ?? [], o.contentType);
        if (typeof o.body === 'string' || Buffer.isBuffer(o.body)) {
          body = Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body, 'utf8');
          headers.push(['Content-Type', o.contentType ?? media?.mediaType ?? 'application/json']);
        } else {
          const encoded = encodeBody(o.contentType ?? media?.mediaType ?? 'application/json', o.body);
          body = encoded.body;
          headers.push(['Content-Type', encoded.contentType]);
        }
      }
    } else if (bodyValue) {
      const { media } = bodyValue;
      const encoded = encodeBody(media.mediaType, bodyValue.value, { root: this.options.root, ...(media.encoding ? { encoding: media.encoding } : {}), ...(media.schema ? { schema: media.schema.schema } : {}) });
      body = encoded.body;
      headers.push(['Content-Type', encoded.contentType]);
    }

    if (o.headers) for (const [k, v] of Object.entries(o.headers)) {
      const i = headers.findIndex(([n]) => n.toLowerCase() === k.toLowerCase());
      if (i >= 0) headers.splice(i, 1);
      headers.push([k, v]);
    }

    // An `x-amazon-apigateway-any-method` route answers every method; send the one its body implies.
    const method = op.method === 'ANY' ? (body !== undefined ? 'POST' : 'GET') : op.method;
    const request: HttpRequest = { method, path, route: op.path, rawQuery: query.join('&'), headers };
    if (method !== op.method) request.routeMethod = op.method;
    if (body !== undefined) request.body = body;
    return { operationId: op.id, name, request, seed: this.options.seed ?? 1, notes: [...this.notes] };
  }

  private overrideFor(param: ParameterSpec): unknown {
    const o = this.options.overrides ?? {};
    if (param.in === 'path') return o.pathParameters?.[param.name];
    if (param.in === 'query') return o.queryStringParameters?.[param.name];
    if (param.in === 'header') return Object.entries(o.headers ?? {}).find(([k]) => k.toLowerCase() === param.name.toLowerCase())?.[1];
    return o.cookies?.[param.name];
  }
}

/** One request built from chosen values (the rest as {@link requestCases} would choose them). */
export function buildCase(operation: Operation, options: CaseOptions, name: string, values: CaseValues): RequestCase {
  const body = values.body === null ? undefined : values.body;
  return new CaseBuilder(operation, options).build(name, body, values);
}

/**
 * The body an operation's first valid request sends — its first request-body example that satisfies
 * the schema, else a sampled value — as values to build other requests with (a sequence's steps).
 */
export function defaultCaseValues(operation: Operation, options: CaseOptions): CaseValues {
  const body = operation.requestBody;
  const media = body ? pickMediaType(body.content, options.overrides?.contentType) : undefined;
  if (!body || !media || options.overrides?.body !== undefined) return {};
  const example = media.examples.find((e) => !media.schema || options.isValid(media.schema, e.value));
  if (example) return { body: { media, value: example.value } };
  if (!media.schema) return body.required ? { body: { media, value: {} } } : {};
  return { body: { media, value: new CaseBuilder(operation, options).sample(media.schema) } };
}

/**
 * The valid requests for an operation: one per named request-body example that satisfies its schema,
 * then one schema-derived request, then one per further media type its success responses negotiate.
 */
export function requestCases(operation: Operation, options: CaseOptions): RequestCase[] {
  const cases = ownCases(operation, options);
  const last = cases.at(-1);
  return last ? [...cases, ...negotiatedCases(operation, last)] : cases;
}

function ownCases(operation: Operation, options: CaseOptions): RequestCase[] {
  const builder = new CaseBuilder(operation, options);
  const body = operation.requestBody;
  const overrides = options.overrides ?? {};
  const media = body ? pickMediaType(body.content, overrides.contentType) : undefined;
  if (!body || !media || overrides.body !== undefined) return [builder.build(overrides.body !== undefined ? 'given' : 'schema', undefined)];

  const cases: RequestCase[] = [];
  for (const ex of media.examples) {
    if (media.schema && !options.isValid(media.schema, ex.value)) {
      builder.notes.push(`request body example "${ex.name}" (${media.mediaType}) does not match its schema; skipped`);
      continue;
    }
    cases.push(builder.build(`example "${ex.name}"`, { media, value: ex.value }));
  }
  if (!media.schema) {
    if (cases.length === 0) cases.push(body.required ? builder.build('schema', { media, value: {} }) : builder.build('schema', undefined));
    return cases;
  }
  cases.push(builder.build('schema', { media, value: builder.sample(media.schema) }));
  return cases;
}

/**
 * Content negotiation: for an operation whose success responses document several media types
 * (`application/json` and `text/csv`), one more request for each type after the first, asking for that
 * type first (`Accept: text/csv, application/problem+json`), so every documented representation is
 * produced and judged. Each is `base` with its `Accept` header replaced.
 */
function negotiatedCases(operation: Operation, base: RequestCase): RequestCase[] {
  const success = operation.responses.filter((r) => /^2/.test(r.status));
  const types = [...new Set(success.flatMap((r) => r.content.map((c) => c.mediaType)))].filter((t) => !t.includes('*'));
  if (types.length < 2) return [];
  const others = [...new Set(operation.responses.filter((r) => !/^2/.test(r.status)).flatMap((r) => r.content.map((c) => c.mediaType)))].filter((t) => !types.includes(t));
  return types.slice(1).map((type) => ({
    ...base,
    name: `accept ${type}`,
    request: { ...base.request, headers: base.request.headers.map(([n, v]): [string, string] => (n.toLowerCase() === 'accept' ? [n, [type, ...others].join(', ')] : [n, v])) },
  }));
}
