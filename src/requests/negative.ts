/**
 * Requests the contract forbids, each breaking exactly one rule of an otherwise valid request (and, for
 * secured operations, credentials missing or malformed); a conforming handler answers a documented 4xx.
 */
import type { MediaTypeSpec, Operation, ParameterSpec, SchemaRef } from '../document/model';
import { follow, isObject, type JsonObject } from '../document/pointer';
import { buildCase, paramKey, type CaseOptions, type CaseValues, type RequestCase } from './cases';
import { mergeAllOf, sampleValid } from './sample';

/** What a case expects of the handler beyond the contract: reject the request. */
export type CaseIntent =
  /** A valid request: the response must conform and not be a server error. */
  | 'valid'
  /** A request that breaks the contract: a 4xx is expected. */
  | 'invalid'
  /** A secured operation without (valid) credentials: 401 or 403 is expected. */
  | 'unauthenticated';

export interface NegativeCase extends RequestCase {
  intent: Exclude<CaseIntent, 'valid'>;
  /** The rule the request breaks, in words: `query parameter "limit" above its maximum 100`. */
  breaks: string;
}

function resolved(root: unknown, node: unknown): JsonObject {
  const s = follow(root, node, '').value;
  if (!isObject(s)) return {};
  return Array.isArray(s.allOf) ? mergeAllOf(root, s) : s;
}

function typeOf(schema: JsonObject): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  if (isObject(schema.properties)) return 'object';
  return undefined;
}

/** Values that break one keyword of a scalar schema each, labelled. */
function brokenValues(schema: JsonObject): Array<{ value: unknown; breaks: string }> {
  const out: Array<{ value: unknown; breaks: string }> = [];
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number') out.push({ value: 'not-a-number', breaks: `is not ${type === 'integer' ? 'an integer' : 'a number'}` });
  if (type === 'boolean') out.push({ value: 'maybe', breaks: 'is not a boolean' });
  if (type === 'object' || type === 'array') out.push({ value: 'not-structured', breaks: `is not an ${type}` });
  if (Array.isArray(schema.enum) && schema.enum.length > 0) out.push({ value: typeof schema.enum[0] === 'number' ? 987654321 : 'not-in-the-enum', breaks: 'is outside its enum' });
  if (typeof schema.minimum === 'number') out.push({ value: schema.minimum - (type === 'integer' ? 1 : 0.5), breaks: `is below its minimum ${schema.minimum}` });
  if (typeof schema.maximum === 'number') out.push({ value: schema.maximum + (type === 'integer' ? 1 : 0.5), breaks: `is above its maximum ${schema.maximum}` });
  if (typeof schema.maxLength === 'number') out.push({ value: 'x'.repeat(schema.maxLength + 1), breaks: `is longer than ${schema.maxLength}` });
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push({ value: 'x'.repeat(schema.minLength - 1), breaks: `is shorter than ${schema.minLength}` });
  if (typeof schema.pattern === 'string') out.push({ value: '\u0000!~', breaks: `does not match /${schema.pattern}/` });
  return out;
}

/**
 * Broken values for a parameter as the wire carries them. A lone value in a query, header, path or
 * cookie *is* an array of one item, and an object has no one-string form: there, structures are broken
 * through their items, and a whole structure is replaced only in a parameter sent as JSON (`content`).
 */
function brokenParamValues(param: ParameterSpec, schema: JsonObject, root: unknown): Array<{ value: unknown; breaks: string }> {
  const type = typeOf(schema);
  if (param.content || (type !== 'array' && type !== 'object')) return brokenValues(schema);
  if (type === 'object') return [];
  const items = isObject(schema.items) ? resolved(root, schema.items) : {};
  return brokenValues(items).filter((b) => typeof b.value !== 'object').map(({ value, breaks }) => ({ value: [value], breaks: `has an item that ${breaks}` }));
}

const where = (param: ParameterSpec): string => `${param.in} parameter "${param.name}"`;

/** The valid values every negative case starts from: what the first valid request would send. */
function baseValues(operation: Operation, options: CaseOptions, media: MediaTypeSpec | undefined): { params: Record<string, unknown>; body: CaseValues['body'] } {
  const params: Record<string, unknown> = {};
  for (const param of operation.parameters) {
    if (!param.required) continue;
    const schema = param.schema ?? param.content?.schema;
    params[paramKey(param)] = schema ? sampleValid(schema.schema, { root: options.root, side: 'request', seed: options.seed ?? 1 }, (v) => options.isValid(schema, v)).value : 'value';
  }
  let body: CaseValues['body'];
  if (media?.schema) {
    const schema: SchemaRef = media.schema;
    const example = media.examples.find((e) => options.isValid(schema, e.value));
    body = { media, value: example ? example.value : sampleValid(schema.schema, { root: options.root, side: 'request', seed: options.seed ?? 1 }, (v) => options.isValid(schema, v)).value };
  } else if (media) body = { media, value: {} };
  return { params, body };
}

/**
 * The forbidden requests for an operation. Only values the validator really rejects are kept, so each
 * case is invalid by the contract, not by guess.
 */
export function negativeCases(operation: Operation, options: CaseOptions, media: MediaTypeSpec | undefined): NegativeCase[] {
  const out: NegativeCase[] = [];
  const base = baseValues(operation, options, media);
  // Each breaks one rule and keeps valid credentials: the rejection must be about the data.
  const add = (breaks: string, values: CaseValues): void => {
    out.push({ ...buildCase(operation, options, `negative: ${breaks}`, values), intent: 'invalid', breaks });
  };

  for (const param of operation.parameters) {
    if (param.in === 'header' && ['accept', 'content-type', 'authorization'].includes(param.name.toLowerCase())) continue;
    const key = paramKey(param);
    if (param.required && param.in !== 'path') add(`${where(param)} is missing`, { params: { ...base.params, [key]: undefined }, body: base.body });
    const schema = param.schema ?? param.content?.schema;
    if (!schema) continue;
    for (const { value, breaks } of brokenParamValues(param, resolved(options.root, schema.schema), options.root)) {
      if (options.isValid(schema, value)) continue;
      // A path segment is never empty: no gateway matches `/items/` to `/items/{id}`, so the function
      // never sees such a request (nor one missing a path parameter, above).
      if (param.in === 'path' && value === '') continue;
      add(`${where(param)} ${breaks}`, { params: { ...base.params, [key]: value }, body: base.body });
    }
  }

  const body = operation.requestBody;
  if (body && media) {
    if (body.required) add('the required body is missing', { params: base.params, body: null });
    const json = /json/i.test(media.mediaType);
    if (json) {
      add('the body is not valid JSON', { params: base.params, rawBody: { bytes: Buffer.from('{"lambda-contract": ', 'utf8'), contentType: media.mediaType } });
      if (!body.content.some((c) => /^(text\/plain|\*\/\*|text\/\*)/i.test(c.mediaType))) {
        add('the body is sent as text/plain, which the operation does not accept', { params: base.params, rawBody: { bytes: Buffer.from(JSON.stringify(base.body?.value ?? {}), 'utf8'), contentType: 'text/plain' } });
      }
    }
    const value = base.body?.value;
    const schema = media.schema;
    if (schema && isObject(value)) {
      const s = resolved(options.root, schema.schema);
      const required = Array.isArray(s.required) ? s.required.map(String) : [];
      const props = isObject(s.properties) ? s.properties : {};
      const missing = required.find((k) => k in value);
      const tryBody = (breaks: string, broken: unknown): void => {
        if (!options.isValid(schema, broken)) add(breaks, { params: base.params, body: { media, value: broken } });
      };
      if (missing !== undefined) {
        const { [missing]: _gone, ...rest } = value;
        tryBody(`body property "${missing}" is missing`, rest);
      }
      for (const [name, prop] of Object.entries(props)) {
        if (!(name in value)) continue;
        const first = brokenValues(resolved(options.root, prop))[0];
        if (!first) continue;
        tryBody(`body property "${name}" ${first.breaks}`, { ...value, [name]: first.value });
        break;
      }
      if (s.additionalProperties === false) tryBody('the body has a property the schema does not allow', { ...value, lambdaContractUnexpected: true });
    }
  }

  // Credentials: none at all, and malformed ones of each scheme of the first requirement.
  if (operation.security.length > 0 && !operation.securityOptional) {
    out.push({ ...buildCase(operation, { ...options, overrides: { ...options.overrides, credentials: false } }, 'auth: no credentials', { params: base.params, body: base.body }), intent: 'unauthenticated', breaks: 'sends no credentials' });
    const malformed: Record<string, string> = {};
    for (const { scheme } of operation.security[0] ?? []) malformed[scheme.name] = scheme.type === 'http' && scheme.scheme === 'basic' ? '%%%' : '';
    out.push({ ...buildCase(operation, { ...options, overrides: { ...options.overrides, credentials: malformed } }, 'auth: malformed credentials', { params: base.params, body: base.body }), intent: 'unauthenticated', breaks: 'sends malformed (empty) credentials' });
  }
  return out;
}
