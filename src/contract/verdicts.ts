/**
 * Events for request cases and verdicts on what handlers produced: the two ends of a case, each
 * with the contract's gateway settings and compiled response schemas.
 */
import type { Operation } from '../document/model';
import { ContractError } from '../errors';
import { sourceFor, isSourceName, SOURCE_NAMES } from '../gateway';
import { GATEWAY_OPTION_KEYS, pickGatewayOptions } from '../gateway/options';
import type { GatewayOptions, HttpRequest, InvokeOutcome, SourceName } from '../gateway/types';
import { isInvocation, serializeResult, tagEvent, type EventOrigin } from '../invoke/invoke';
import { acceptFor, type RequestCase, type RequestOverrides } from '../requests/cases';
import type { SchemaCompiler } from '../verify/ajv';
import { fromClientResponse, isClientResponse } from '../verify/client';
import { judgeOutcome, judgeResponse, type Judgement } from '../verify/judge';

export interface EventOptions extends RequestOverrides, GatewayOptions {
  /** The source to build the event for (default: the contract's). */
  source?: SourceName;
  /** Pick the request case by name (`example "cat"`); default the first. */
  case?: string;
  seed?: number;
}

export interface JudgeOptions extends GatewayOptions {
  source?: SourceName;
  /** The status the test expects; any other is a violation. */
  status?: number;
  /** The request that produced the result, when the subject does not carry it. */
  request?: HttpRequest;
}

/** Throws the usage error for a source name that is not one. */
export function assertSource(source: string, kind: 'ERR_CONTRACT_USAGE' | 'ERR_CONTRACT_CONFIG' = 'ERR_CONTRACT_USAGE'): asserts source is SourceName {
  if (!isSourceName(source)) throw new ContractError(kind, `unknown source ${JSON.stringify(source)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
}

/**
 * The event `source` sends for a request case, tagged with its origin so verdicts can name the request:
 * the contract's gateway settings (`defaults`) under the case's own (`given`).
 */
export function eventForCase(op: Operation | undefined, requestCase: RequestCase, source: SourceName, defaults: Readonly<GatewayOptions>, given: GatewayOptions): unknown {
  const settings = { ...defaults };
  // The contract-wide authorizer context applies where the gateway runs an authorizer: secured operations.
  if (op && (op.security.length === 0 || op.securityOptional)) delete settings.authorizer;
  return tagged(requestCase, source, { ...settings, ...given });
}

function tagged(requestCase: RequestCase, source: SourceName, settings: GatewayOptions): unknown {
  const event = sourceFor(source).toEvent(requestCase.request, settings) as object;
  const origin: EventOrigin = { source, operationId: requestCase.operationId, request: requestCase.request, caseName: requestCase.name, seed: requestCase.seed, gateway: settings };
  return tagEvent(event, origin);
}

/** `eventFor`'s options parted into request overrides and gateway settings. */
export function splitEventOptions(options: Omit<EventOptions, 'source' | 'case' | 'seed'>): { overrides: RequestOverrides; gateway: GatewayOptions } {
  const gateway = pickGatewayOptions(options);
  const overrides: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!(GATEWAY_OPTION_KEYS as readonly string[]).includes(k) && v !== undefined) overrides[k] = v;
  return { overrides: overrides as RequestOverrides, gateway };
}

/** What judging needs from the contract: its response schemas, gateway settings and default source. */
export interface JudgeContext {
  compiler: SchemaCompiler;
  gateway: Readonly<GatewayOptions>;
  source: SourceName;
}

/**
 * Judges what a handler produced (an invocation, the raw value it returned, or a client's response)
 * as the gateway does first, then against the operation.
 */
export function judgeSubject(op: Operation, subject: unknown, options: JudgeOptions, context: JudgeContext): Judgement {
  const status = options.status !== undefined ? { status: options.status } : {};
  const { compiler } = context;
  if (isClientResponse(subject)) {
    const { response, request } = fromClientResponse(subject);
    const judged = judgeResponse(op, response, { compiler, request, source: options.source ?? context.source, ...status });
    return { ...judged, request: options.request ?? request, overHttp: true };
  }
  const origin: EventOrigin | undefined = isInvocation(subject) ? subject.origin : undefined;
  const outcome: InvokeOutcome = isInvocation(subject) ? subject.outcome : serializeResult(subject);
  const source = options.source ?? origin?.source ?? context.source;
  assertSource(source);
  const request = options.request ?? origin?.request ?? defaultRequest(op);
  const own = pickGatewayOptions(options);
  const gateway = Object.keys(own).length === 0 ? context.gateway : { ...context.gateway, ...own };
  return judgeOutcome(op, outcome, gateway, { compiler, request, source, ...status });
}

/**
 * A request for judging a bare result: the operation's method and path, and the documented Accept. Made
 * once per operation and frozen: every bare result of the operation is judged against the same one.
 */
function defaultRequest(op: Operation): HttpRequest {
  let request = defaultRequests.get(op);
  if (!request) defaultRequests.set(op, (request = deepFreeze(buildDefaultRequest(op))));
  return request;
}
const defaultRequests = new WeakMap<Operation, HttpRequest>();

function deepFreeze(request: HttpRequest): HttpRequest {
  for (const h of request.headers) Object.freeze(h);
  Object.freeze(request.headers);
  return Object.freeze(request);
}

function buildDefaultRequest(op: Operation): HttpRequest {
  const accept = acceptFor(op);
  const request: HttpRequest = { method: op.method === 'ANY' ? 'GET' : op.method, path: op.path, route: op.path, rawQuery: '', headers: accept ? [['Accept', accept]] : [] };
  if (op.method === 'ANY') request.routeMethod = 'ANY';
  return request;
}
