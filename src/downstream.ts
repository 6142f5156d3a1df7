/**
 * `mockDownstream`: the APIs a handler calls, answered from their own OpenAPI documents through nock;
 * each call is checked against the downstream operation, and calls its contract forbids are recorded.
 */
import { Router } from './document/route';
import type { Operation } from './document/model';
import { describeThrown } from './errors';
import { essence } from './gateway/wire';
import type { HttpResponse } from './gateway/types';
import { isJsonMediaType } from './verify/media';
import type { Violation } from './verify/violation';
import { Contract, type ContractOptions } from './contract';
import { loadNock } from './invoke/isolation';

export interface DownstreamOptions extends Pick<ContractOptions, 'allowRemoteRefs'> {
  /** Where the handler reaches the API: `https://api.partner.com/v2` (the path prefix is stripped before routing). */
  baseUrl: string;
  /** Seed for schema-derived answers. */
  seed?: number;
  /** Fixed answers per downstream operationId (status and body), instead of generated ones. */
  answers?: Record<string, { status: number; body?: unknown; headers?: Record<string, string> }>;
}

/** One call the handler made to the downstream API. */
export interface DownstreamCall {
  method: string;
  url: string;
  /** The downstream operation it was routed to. */
  operationId?: string;
  /** The status the mock answered with. */
  status: number;
  violations: Violation[];
}

export interface Downstream {
  /** Every call so far, in order. */
  readonly calls: DownstreamCall[];
  /** The violations of all calls. */
  readonly violations: Violation[];
  /** Forgets the calls so far (between tests). */
  reset(): void;
  /** Removes the mock (and puts nock back as it was found). */
  done(): void;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

interface Incoming {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function violation(op: Operation | undefined, where: string, expected: string, received: string, message: string): Violation {
  return { rule: 'downstream_request', operationId: op?.id ?? '(none)', where, expected, received, message };
}

/** A string parameter as the scalar its schema types it as, for validation. */
function coerce(value: string, type: unknown): unknown {
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function cookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  return out;
}

/** The ways a call breaks the downstream operation's parameters and body. */
function checkCall(contract: Contract, op: Operation, call: Incoming, title: string): Violation[] {
  const out: Violation[] = [];
  const header = (name: string): string | undefined => {
    const v = call.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const jar = cookies(call.headers.cookie);
  for (const p of op.parameters) {
    if (p.in === 'path') continue; // the route matched
    const raw = p.in === 'query' ? call.query.get(p.name) ?? undefined : p.in === 'header' ? header(p.name) : jar.get(p.name);
    const where = `${p.in} parameter ${p.name}`;
    if (raw === undefined) {
      if (p.required) out.push(violation(op, where, 'present (required)', 'absent', `${title} ${op.id}: the ${where} is required but was not sent`));
      continue;
    }
    const schema = p.schema;
    const type = (schema?.schema as { type?: unknown } | undefined)?.type;
    if (!schema || (type !== undefined && typeof type !== 'string') || type === 'array' || type === 'object') continue; // scalar parameters only (styles of arrays and objects are not parsed back)
    const problems = contract.requestValueProblems(schema, coerce(raw, type));
    if (problems.length > 0) out.push(violation(op, where, `a value its schema allows`, JSON.stringify(raw), `${title} ${op.id}: the ${where} ${JSON.stringify(raw)} breaks its schema: ${problems[0]}`));
  }
  const body = op.requestBody;
  if (body) {
    if (call.body === '') {
      if (body.required) out.push(violation(op, 'body', 'a request body (required)', 'none', `${title} ${op.id}: the request body is required but none was sent`));
    } else {
      const type = header('content-type');
      const media = type ? body.content.find((m) => essence(m.mediaType) === essence(type)) ?? body.content.find((m) => m.mediaType.endsWith('/*') && essence(type).startsWith(m.mediaType.slice(0, -1))) : undefined;
      if (!media) {
        out.push(violation(op, 'header Content-Type', body.content.map((m) => m.mediaType).join(', '), type ?? 'none', `${title} ${op.id}: the body's Content-Type ${type ?? '(none)'} is not one the operation accepts (${body.content.map((m) => m.mediaType).join(', ')})`));
      } else if (isJsonMediaType(media.mediaType) && media.schema) {
        let value: unknown;
        try {
          value = JSON.parse(call.body);
        } catch (error) {
          out.push(violation(op, 'body', 'JSON', call.body.slice(0, 80), `${title} ${op.id}: the request body is not valid JSON (${describeThrown(error).message})`));
          return out;
        }
        const problems = contract.requestValueProblems(media.schema, value);
        if (problems.length > 0) out.push(violation(op, 'body', 'a body its schema allows', call.body.slice(0, 80), `${title} ${op.id}: the request body breaks its schema: ${problems.join('; ')}`));
      }
    }
  }
  return out;
}

/** The mock's answer: a fixed one, else the first conforming 2xx sample (examples first), else 204. */
function answerFor(contract: Contract, op: Operation, options: DownstreamOptions): HttpResponse {
  const fixed = options.answers?.[op.id];
  if (fixed) {
    const body = fixed.body === undefined ? '' : typeof fixed.body === 'string' ? fixed.body : JSON.stringify(fixed.body);
    const headers: Array<[string, string]> = Object.entries(fixed.headers ?? (fixed.body !== undefined && typeof fixed.body !== 'string' ? { 'Content-Type': 'application/json' } : {}));
    return { statusCode: fixed.status, headers, body: Buffer.from(body) };
  }
  const samples = contract.responses(op.id, options.seed !== undefined ? { seed: options.seed } : {});
  const success = samples.find((s) => /^2\d\d$/.test(s.documented)) ?? samples.find((s) => s.documented === '2XX') ?? samples[0];
  return success?.response ?? { statusCode: 204, headers: [], body: Buffer.alloc(0) };
}

/**
 * Answers a downstream API's calls from its OpenAPI document, and records calls its contract forbids.
 *
 * @example
 * const payments = await mockDownstream('specs/payments.yaml', { baseUrl: 'https://pay.example.com/v1' });
 * await runContract(contract, handler);   // the handler's calls to pay.example.com get conforming answers
 * expect(payments.violations).toEqual([]);
 * payments.done();
 */
export async function mockDownstream(spec: string | Record<string, unknown>, options: DownstreamOptions): Promise<Downstream> {
  const contract = await Contract.load(spec as string, options.allowRemoteRefs !== undefined ? { allowRemoteRefs: options.allowRemoteRefs } : {});
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const router = new Router(contract.operations);
  const title = contract.title || 'downstream';
  const nock = loadNock();
  const wasActive = nock.isActive();
  if (!wasActive) nock.activate();
  const calls: DownstreamCall[] = [];
  const scope = nock(base.origin).persist();
  const interceptors: Array<ReturnType<typeof scope.intercept>> = [];
  const inScope = (uri: string): boolean => uri === prefix || uri.startsWith(`${prefix}/`) || uri.startsWith(`${prefix}?`) || prefix === '';
  for (const method of METHODS) {
    const interceptor = scope.intercept(inScope, method);
    interceptors.push(interceptor);
    interceptor.reply(function (uri, requestBody) {
      const q = uri.indexOf('?');
      const full = q < 0 ? uri : uri.slice(0, q);
      const call: Incoming = {
        method,
        path: full.slice(prefix.length) || '/',
        query: new URLSearchParams(q < 0 ? '' : uri.slice(q + 1)),
        headers: this.req.headers as Record<string, string | string[] | undefined>,
        body: typeof requestBody === 'string' ? requestBody : requestBody === undefined || requestBody === null ? '' : JSON.stringify(requestBody),
      };
      const url = `${base.origin}${uri}`;
      const op = router.match(method, call.path);
      if (!op) {
        const v = violation(undefined, 'route', `an operation of ${title}`, `${method} ${call.path}`, `${title}: no operation matches ${method} ${call.path}`);
        calls.push({ method, url, status: 404, violations: [v] });
        return [404, JSON.stringify({ message: `no operation of ${title} matches ${method} ${call.path}` }), { 'Content-Type': 'application/json' }];
      }
      const violations = checkCall(contract, op, call, title);
      const answer = answerFor(contract, op, options);
      calls.push({ method, url, operationId: op.id, status: answer.statusCode, violations });
      const headers: Record<string, string> = {};
      for (const [k, v] of answer.headers) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
      return [answer.statusCode, answer.body, headers];
    });
  }
  return {
    calls,
    get violations() {
      return calls.flatMap((c) => c.violations);
    },
    reset() {
      calls.length = 0;
    },
    done() {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      if (!wasActive && nock.activeMocks().length === 0) nock.restore();
    },
  };
}
