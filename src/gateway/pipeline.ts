/**
 * The one result pipeline every source runs (timeout, thrown error, payload size, JSON, then the
 * source's own rules), and the profile a source module fills in to join it.
 */
import { parsedOutcome } from './plain-result';
import { faultResponseType, type GatewayErrorContext, type RenderedAnswer } from './responses';
import type { GatewayAdapter, GatewayFault, GatewayFaultKind, GatewayOptions, GatewayResponseType, GatewayVerdict, HttpRequest, HttpResponse, InvokeOutcome, SourceName } from './types';

const MB = 1024 * 1024;

/** The runtime's payload as the gateway reads it: JSON, or text that is not JSON. */
export type Payload = { json: true; value: unknown; text: string } | { json: false; text: string };

/** What a source makes of a returned payload: the client's response, or why it refuses the payload. */
export type Reading = { response: HttpResponse } | { malformed: string } | { undecodable: true };

/** Everything one event source knows: its event, its result rules, its own answers and limits. */
export interface SourceProfile<TEvent = unknown> {
  readonly name: SourceName;
  /** Who answers, as reasons name it: `API Gateway (REST)`, `the HTTP API`, `the function URL`, `ALB`. */
  readonly label: string;
  /** How the service's log starts a malformed-result reason. */
  readonly malformedPrefix: string;
  /** The Content-Type the source adds when a result names none. */
  readonly defaultContentType: string;
  /** The largest request body the source passes on. */
  readonly requestBodyLimit: number;
  /** The largest response JSON the source takes from a function, when below Lambda's 6 MB (ALB: 1 MB). */
  readonly responseLimit?: number;
  /** Whether a Lambda authorizer can stand in front of the source (API Gateway's APIs only). */
  readonly acceptsAuthorizer: boolean;
  /** The answer when no route matches; absent for sources that send every request to the function. */
  noRouteAnswer?(): HttpResponse;
  /** The answer to a request over the body limit (or whose event would exceed Lambda's). */
  tooLargeAnswer(): HttpResponse;
  /** The response a client receives when the source answers for a failed function. */
  faultResponse(kind: GatewayFaultKind): HttpResponse;
  /** Builds the event the source sends for a request. */
  toEvent(request: HttpRequest, options?: GatewayOptions): TEvent;
  /** The source's rules for a payload the function returned. */
  readResult(payload: Payload, request: HttpRequest, options: GatewayOptions): Reading;
  /**
   * The gateway's own answer of a type as the API's configuration shapes it (REST: its gateway
   * responses); absent for sources whose answers cannot be configured.
   */
  shapeAnswer?(type: GatewayResponseType, fallback: HttpResponse, request: HttpRequest, options: GatewayOptions, error?: GatewayErrorContext): RenderedAnswer;
  /** The client's response as the API's configuration finishes it (HTTP APIs: CORS headers). */
  finishResponse?(response: HttpResponse, request: HttpRequest, options: GatewayOptions): HttpResponse;
}

/** A source ready to use: its profile, and `fromResult` through the shared pipeline. */
export type EventSource<TEvent = unknown> = SourceProfile<TEvent> & GatewayAdapter<TEvent>;

/** Joins a source's profile to the shared result pipeline. */
export function defineSource<TEvent>(profile: SourceProfile<TEvent>): EventSource<TEvent> {
  return { ...profile, fromResult: (outcome, request, options) => fromOutcome(profile, outcome, request, options ?? {}) };
}

/** What the client receives for a function's outcome behind the source. */
export function fromOutcome(source: SourceProfile<unknown>, outcome: InvokeOutcome, request: HttpRequest, options: GatewayOptions): GatewayVerdict {
  if (outcome.kind === 'timeout') return faultVerdict(source, 'timeout', `Task timed out after ${(outcome.timeoutMs / 1000).toFixed(2)} seconds; ${answers(source, 'timeout')}`, request, options);
  if (outcome.kind === 'threw') return faultVerdict(source, 'function_error', `the function raised ${outcome.errorType}: ${outcome.errorMessage}; ${answers(source, 'function_error')}`, request, options);
  const plain = parsedOutcome(outcome);
  // A plain value whose JSON is surely under every limit is not written out to be measured.
  if (plain && !outcome.streamed && plain.bound <= LAMBDA_PAYLOAD_LIMIT && (source.responseLimit === undefined || plain.bound <= source.responseLimit)) {
    return readPayload(source, new PlainPayload(plain.value, outcome), request, options);
  }
  const size = Buffer.byteLength(outcome.payload, 'utf8');
  if (outcome.streamed) {
    // A streamed body may reach 20 MB (Lambda's response-streaming limit); the payload here is its base64.
    const bytes = Math.floor((size * 3) / 4);
    if (bytes > LAMBDA_STREAMING_LIMIT) return faultVerdict(source, 'payload_too_large', `the streamed response is about ${bytes} bytes, over Lambda's 20 MB response-streaming limit`, request, options);
  } else if (size > LAMBDA_PAYLOAD_LIMIT) return faultVerdict(source, 'payload_too_large', `the response payload is ${size} bytes, over Lambda's 6 MB limit`, request, options);
  if (source.responseLimit !== undefined && size > source.responseLimit) {
    return faultVerdict(source, 'payload_too_large', `the response JSON is ${size} bytes; ${source.label} accepts at most ${source.responseLimit / MB} MB from a Lambda target and answers ${source.faultResponse('payload_too_large').statusCode}`, request, options);
  }
  let payload: Payload;
  try {
    payload = { json: true, value: plain ? plain.value : (JSON.parse(outcome.payload) as unknown), text: outcome.payload };
  } catch {
    payload = { json: false, text: outcome.payload };
  }
  return readPayload(source, payload, request, options);
}

/** A plain returned value as the payload the gateway parsed: its JSON text written only if read. */
class PlainPayload {
  readonly json = true as const;
  constructor(
    readonly value: unknown,
    private readonly outcome: { payload: string },
  ) {}
  get text(): string {
    return this.outcome.payload;
  }
}

function faultVerdict(source: SourceProfile<unknown>, kind: GatewayFaultKind, reason: string, request: HttpRequest, options: GatewayOptions): GatewayVerdict {
  return { ok: false, fault: configuredFault(source, kind, reason, source.faultResponse(kind), request, options) };
}

const answers = (source: SourceProfile<unknown>, kind: GatewayFaultKind): string => `${source.label} answers ${source.faultResponse(kind).statusCode}`;

function readPayload(source: SourceProfile<unknown>, payload: Payload, request: HttpRequest, options: GatewayOptions): GatewayVerdict {
  const reading = source.readResult(payload, request, options);
  if ('malformed' in reading) return faultVerdict(source, 'malformed_result', `${source.malformedPrefix}${reading.malformed}`, request, options);
  if ('undecodable' in reading) return faultVerdict(source, 'undecodable_body', `isBase64Encoded is true but the body is not valid base64; ${answers(source, 'undecodable_body')}`, request, options);
  return { ok: true, response: source.finishResponse ? source.finishResponse(reading.response, request, options) : reading.response };
}

/** A fault whose answer the API's configuration shapes (REST gateway responses), naming the setting used. */
export function configuredFault(source: SourceProfile<unknown>, kind: GatewayFaultKind, reason: string, fallback: HttpResponse, request: HttpRequest, options: GatewayOptions): GatewayFault {
  if (!source.shapeAnswer || !options.gatewayResponses) return { kind, reason, response: fallback };
  const shaped = source.shapeAnswer(faultResponseType(kind, fallback.statusCode), fallback, request, options);
  if (!shaped.setting) return { kind, reason, response: fallback };
  return { kind, reason: `${reason} (the answer is the gateway response ${shaped.appliedType ?? ''} at ${shaped.setting})`, response: shaped.response, setting: shaped.setting };
}

/** A payload that must be a JSON object: the object, or why not (`the payload is not JSON`). */
export function resultObject(payload: Payload, shape: string): { value: Record<string, unknown> } | { malformed: string } {
  if (!payload.json) return { malformed: 'the payload is not JSON' };
  if (!isPlainObject(payload.value)) return { malformed: `the result must be an object with ${shape}, got ${jsonType(payload.value)}` };
  return { value: payload.value };
}

/** Parses a numeric status as API Gateway and function URLs do: an integer 100–599, or a string of digits. */
export function parseStatusCode(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** The request body limits: API Gateway 10 MB, function URLs 6 MB (Lambda's invocation quota), ALB 1 MB. */
export const REQUEST_BODY_LIMITS = { apiGateway: 10 * MB, functionUrl: 6 * MB, alb: MB } as const;

/** A JSON answer in a gateway's own words, with `x-amzn-ErrorType` when the gateway sends one. */
export function jsonAnswer(statusCode: number, body: string, errorType?: string): HttpResponse {
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  if (errorType) headers.push(['x-amzn-ErrorType', errorType]);
  return { statusCode, headers, body: Buffer.from(body) };
}

/** Strict base64: what AWS accepts when `isBase64Encoded` is true (no line breaks). */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

/** A result's body as the client receives it: decoded when `decode`, undefined when that is not base64. */
export function resultBody(text: string, decode: boolean): Buffer | undefined {
  return decode ? decodeStrictBase64(text) : Buffer.from(text, 'utf8');
}

/** A response in a gateway's own words. */
export function gatewayResponse(statusCode: number, body: string, headers: Array<[string, string]> = []): HttpResponse {
  return { statusCode, headers, body: Buffer.from(body, 'utf8') };
}

/** Describes a JSON value's type for a reason text: `object`, `array`, `null`, `string`. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Lambda's limit on a streamed response (function URLs in RESPONSE_STREAM mode). */
export const LAMBDA_STREAMING_LIMIT = 20 * 1024 * 1024;

/** Lambda's synchronous invocation payload limit, each way. */
export const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;

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
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return `body must be a string, got ${jsonType(r.body)} (serialize it with JSON.stringify)`;
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
