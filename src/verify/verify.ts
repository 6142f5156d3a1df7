/**
 * Judging one response against one operation, gateway first (a fault is reported as what AWS
 * answers), then the contract: status, Content-Type, headers, body. Every violation is collected.
 */
import type { HeaderSpec, Operation, ResponseSpec } from '../document/model';
import { isObject } from '../document/pointer';
import type { GatewayFault, HttpResponse } from '../gateway/types';
import type { SchemaCompiler } from './ajv';
import { preview, schemaViolations } from './explain';
import { bestMediaType, essence, isJsonMediaType, isTextMediaType } from './media';
import { verdict, type VerifyResult, type Violation, type ViolationRule } from './violation';

/** Picks the response entry for a status: exact code, then `2XX`-style range, then `default`. */
export function responseFor(operation: Operation, status: number): ResponseSpec | undefined {
  const code = String(status);
  return (
    operation.responses.find((r) => r.status === code) ??
    operation.responses.find((r) => r.status === `${code[0]}XX`) ??
    operation.responses.find((r) => r.status === 'DEFAULT')
  );
}

function documentedStatuses(operation: Operation): string {
  return operation.responses.map((r) => (r.status === 'DEFAULT' ? 'default' : r.status)).join(', ') || '(none)';
}

const FAULT_RULES: Record<GatewayFault['kind'], ViolationRule> = {
  malformed_result: 'gateway_malformed_result',
  function_error: 'gateway_function_error',
  timeout: 'timeout',
  undecodable_body: 'gateway_undecodable_body',
  payload_too_large: 'payload_too_large',
  unauthorized: 'authorizer_denied',
  authorizer_error: 'authorizer_error',
};

/** A gateway fault as a violation: what AWS answers, and why. */
export function faultViolation(operationId: string, fault: GatewayFault): Violation {
  const body = fault.response.body.toString('utf8');
  return {
    rule: FAULT_RULES[fault.kind],
    operationId,
    status: fault.response.statusCode,
    where: fault.kind === 'unauthorized' || fault.kind === 'authorizer_error' ? 'authorizer' : 'gateway',
    expected: fault.kind === 'unauthorized' ? 'the authorizer allows a valid request' : fault.kind === 'authorizer_error' ? 'an authorizer answer the gateway accepts' : 'a result the gateway accepts',
    received: fault.reason,
    message: `the gateway answers ${fault.response.statusCode} ${body} instead of the handler's response`,
  };
}

function headerLookup(headers: HttpResponse['headers'], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of headers) if (k.length === lower.length && k.toLowerCase() === lower) out.push(v);
  return out;
}

/** Turns a header's text into the value its schema describes (`style: simple`). */
export function parseHeaderValue(text: string, schema: unknown, explode: boolean): unknown {
  const s = isObject(schema) ? schema : {};
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const scalar = (t: string): unknown => {
    if (types.includes('integer') || types.includes('number')) {
      const n = Number(t);
      if (t.trim() !== '' && !Number.isNaN(n)) return n;
    }
    if (types.includes('boolean') && (t === 'true' || t === 'false')) return t === 'true';
    return t;
  };
  if (types.includes('array')) {
    const itemSchema = isObject(s.items) ? s.items : {};
    return text.split(',').map((part) => parseHeaderValue(part.trim(), itemSchema, false));
  }
  if (types.includes('object')) {
    const out: Record<string, unknown> = {};
    const parts = text.split(',').map((p) => p.trim());
    const props = isObject(s.properties) ? s.properties : {};
    // Each property's text becomes the value its own schema describes (`x,1` → {x: 1} for an integer x).
    const put = (k: string, v: string): void => {
      out[k] = parseHeaderValue(v, props[k] ?? {}, false);
    };
    if (explode) for (const p of parts) { const [k, ...v] = p.split('='); put(k ?? '', v.join('=')); }
    else for (let i = 0; i + 1 < parts.length; i += 2) put(parts[i] ?? '', parts[i + 1] ?? '');
    return out;
  }
  return scalar(text.trim());
}

export interface VerifyContext {
  compiler: SchemaCompiler;
  /** The request method: a HEAD response has no body. */
  method?: string;
}

/**
 * Headers every gateway sets on the way to the client whatever the function returns: a documented
 * Content-Length or Date is never missing, and Content-Length is the body's length.
 */
function gatewaySetValue(name: string, response: HttpResponse, method: string | undefined): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'content-length') return method === 'HEAD' ? undefined : String(response.body.length);
  if (lower === 'date') return new Date().toUTCString();
  return undefined;
}

function checkHeaders(ctx: VerifyContext, operation: Operation, spec: ResponseSpec, response: HttpResponse, out: Violation[]): void {
  for (const header of spec.headers) {
    if (header.name.toLowerCase() === 'content-type') continue; // OpenAPI: Content-Type is described by `content`
    let values = headerLookup(response.headers, header.name);
    if (values.length === 0) {
      const fromGateway = gatewaySetValue(header.name, response, ctx.method);
      if (fromGateway !== undefined) values = [fromGateway];
      else if (ctx.method === 'HEAD' && header.name.toLowerCase() === 'content-length') continue; // the GET body's length: unknowable here
    }
    if (header.name.toLowerCase() === 'set-cookie') {
      // Each Set-Cookie line is its own value (cookies may hold commas: never joined).
      for (const value of values) checkHeaderValue(ctx, operation, header, value, response.statusCode, out);
      if (values.length > 0) continue;
    }
    if (values.length === 0) {
      if (header.required) {
        out.push({
          rule: 'header_missing', operationId: operation.id, status: response.statusCode, where: `header ${header.name}`,
          expected: `header ${header.name} (required)`, received: 'no such header',
          message: `header ${header.name} is required for ${spec.status === 'DEFAULT' ? 'default' : spec.status} but absent`, specPointer: header.pointer,
        });
      }
      continue;
    }
    checkHeaderValue(ctx, operation, header, values.join(', '), response.statusCode, out);
  }
}

function checkHeaderValue(ctx: VerifyContext, operation: Operation, header: HeaderSpec, text: string, status: number, out: Violation[]): void {
  if (!header.schema) return;
  const validate = ctx.compiler.validator(header.schema);
  if (validate instanceof Error) {
    out.push(unusable(operation, status, `header ${header.name}`, header.schema.pointer, validate));
    return;
  }
  const value = parseHeaderValue(text, header.schema.schema, header.explode);
  if (!validate(value)) {
    const vs = schemaViolations(validate.errors ?? [], value, { rule: 'header_schema', operationId: operation.id, status, where: `header ${header.name}`, specPointer: header.pointer });
    for (const v of vs) {
      if (v.where !== `header ${header.name}`) continue; // an item or property: its own value is shown
      v.received = preview(text); // the whole header: as sent, not as parsed
      v.message = `header ${header.name}: expected ${v.expected}, received ${v.received}`;
    }
    out.push(...vs);
  }
}

function unusable(operation: Operation, status: number, where: string, pointer: string | undefined, error: Error): Violation {
  return {
    rule: 'schema_unusable', operationId: operation.id, status, where,
    expected: 'a schema ajv can compile', received: error.message.split('\n')[0] ?? 'compile error',
    message: `the schema at ${pointer ?? '(inline)'} cannot be used: ${error.message.split('\n')[0]}`,
    ...(pointer !== undefined ? { specPointer: pointer } : {}),
  };
}

/**
 * An empty body is the empty string of a text media type: it conforms when the response says it is text
 * the contract documents (`text/plain`), and that media type's schema takes `""` (or it has none).
 * JSON and the rest have no empty form.
 */
function emptyTextConforms(ctx: VerifyContext, spec: ResponseSpec, response: HttpResponse): boolean {
  const contentType = headerLookup(response.headers, 'content-type')[0];
  if (contentType === undefined || !isTextMediaType(contentType) || isJsonMediaType(contentType)) return false;
  const media = bestMediaType(spec.content, contentType);
  if (!media) return false;
  if (!media.schema) return true;
  const validate = ctx.compiler.validator(media.schema);
  return !(validate instanceof Error) && validate('') === true;
}

function checkBody(ctx: VerifyContext, operation: Operation, spec: ResponseSpec, response: HttpResponse, out: Violation[]): void {
  const status = response.statusCode;
  const base = { operationId: operation.id, status };
  const hasBody = response.body.length > 0;
  const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200) || ctx.method === 'HEAD';

  if (spec.content.length === 0) {
    if (hasBody && ctx.method !== 'HEAD') {
      out.push({
        ...base, rule: 'body_unexpected', where: 'body', expected: 'no body (the contract documents no content for this status)',
        received: `${response.body.length} bytes: ${preview(response.body.toString('utf8'), 80)}`,
        message: `the contract documents no content for ${status} but the response has a ${response.body.length}-byte body`, specPointer: spec.pointer,
      });
    }
    return;
  }
  if (!hasBody) {
    if (!bodyless && !emptyTextConforms(ctx, spec, response)) {
      out.push({
        ...base, rule: 'body_missing', where: 'body', expected: `a body of ${spec.content.map((c) => c.mediaType).join(', ')}`, received: 'an empty body',
        message: `the contract documents ${spec.content.map((c) => c.mediaType).join(', ')} content for ${status} but the body is empty`, specPointer: spec.pointer,
      });
    }
    return;
  }
  const contentType = headerLookup(response.headers, 'content-type')[0];
  const documented = spec.content.map((c) => c.mediaType).join(', ');
  if (contentType === undefined) {
    out.push({ ...base, rule: 'content_type_missing', where: 'header Content-Type', expected: `one of ${documented}`, received: 'no Content-Type', message: `the response has a body but no Content-Type; documented: ${documented}`, specPointer: spec.pointer });
    return;
  }
  const media = bestMediaType(spec.content, contentType);
  if (!media) {
    out.push({
      ...base, rule: 'content_type_not_documented', where: 'header Content-Type', expected: `one of ${documented}`, received: contentType,
      message: `Content-Type ${essence(contentType)} is not documented for ${status}; documented: ${documented}`, specPointer: spec.pointer,
    });
    return;
  }
  if (!media.schema) return;
  let data: unknown;
  const text = response.body.toString('utf8');
  if (isJsonMediaType(contentType)) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      out.push({
        ...base, rule: 'body_not_parseable', where: 'body', expected: `JSON (${essence(contentType)})`, received: preview(text, 80),
        message: `the body is not valid JSON: ${(error as Error).message}`, specPointer: media.schema.pointer ?? spec.pointer,
      });
      return;
    }
  } else if (isTextMediaType(contentType) && !essence(contentType).includes('form-urlencoded') && !essence(contentType).includes('xml')) {
    // Text is the value when the schema describes a string or a scalar (`text/plain` + `type: integer`);
    // a text body documented with an object or array schema (Swagger 2.0 `produces: [text/html]` sharing
    // the JSON schema) cannot be parsed into one: the media type is what we check.
    const parsed = textValue(text, media.schema.schema);
    if (parsed === undefined) return;
    data = parsed.value;
  } else {
    return; // binary, XML and form bodies: the media type is the contract we check
  }
  const validate = ctx.compiler.validator(media.schema);
  if (validate instanceof Error) {
    out.push(unusable(operation, status, 'body', media.schema.pointer, validate));
    return;
  }
  let valid: boolean;
  try {
    valid = validate(data) === true;
  } catch (error) {
    // A recursive schema follows the value down, a frame per level: a body nested thousands deep ends the stack.
    if (!(error instanceof RangeError)) throw error;
    const levels = nestingDepth(data);
    out.push({
      rule: 'body_unverifiable', ...base, where: 'body',
      expected: 'a body the schema can be checked against', received: `a value nested ${levels} levels deep`,
      message: `the body nests ${levels} levels deep, deeper than its schema can be checked against; it was not checked`,
      ...(media.schema.pointer !== undefined ? { specPointer: media.schema.pointer } : {}),
    });
    return;
  }
  if (!valid) {
    out.push(...schemaViolations(validate.errors ?? [], data, { rule: 'body_schema', ...base, where: 'body', ...(media.schema.pointer !== undefined ? { specPointer: media.schema.pointer } : {}) }));
  }
}

/** How deep a parsed JSON value nests (without recursion: the value may be too deep for that). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A text body as the value its schema describes, or undefined when the schema wants a structure. */
function textValue(text: string, schema: unknown): { value: unknown } | undefined {
  const s = isObject(schema) ? schema : {};
  const types = Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0 || types.includes('string')) return { value: text };
  if (types.every((t) => t === 'object' || t === 'array')) return undefined;
  return { value: parseHeaderValue(text, s, false) };
}

/** Judges a response (as the client receives it) against an operation. */
export function verifyResponse(ctx: VerifyContext, operation: Operation, response: HttpResponse): VerifyResult {
  const out: Violation[] = [];
  const spec = responseFor(operation, response.statusCode);
  if (!spec) {
    out.push({
      rule: 'status_not_documented', operationId: operation.id, status: response.statusCode, where: 'status',
      expected: `one of ${documentedStatuses(operation)}`, received: String(response.statusCode),
      message: `status ${response.statusCode} is not documented for ${operation.id}; documented: ${documentedStatuses(operation)}`,
      specPointer: `${operation.pointer}/responses`,
    });
    return verdict(out);
  }
  checkHeaders(ctx, operation, spec, response, out);
  checkBody(ctx, operation, spec, response, out);
  return verdict(out);
}
