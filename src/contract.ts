/**
 * The `Contract`: a loaded document with everything a test needs — its operations, valid requests,
 * events for a source, and verdicts on results. Load once, reuse for every check: schemas compile on
 * first use and stay compiled.
 */
import type { LoadOptions } from './document/load';
import { loadDocument, loadDocumentSync } from './document/load';
import type { Operation, SchemaRef } from './document/model';
import { linkGraph, type LinkGraph } from './document/links';
import type { JsonObject } from './document/pointer';
import type { OpenApiVersion } from './document/schema';
import { ContractError } from './errors';
import { sourceFor, isSourceName, SOURCE_NAMES } from './gateway';
import { GATEWAY_OPTION_KEYS, pickGatewayOptions } from './gateway/options';
import type { CorsConfiguration, GatewayOptions, GatewayResponses, GatewayVerdict, HttpRequest, HttpResponse, InvokeOutcome, OperationGateway, SourceName } from './gateway/types';
import { corsOfMock } from './gateway/mock';
import { gatewayAnswer, type AdmissionStage, type GatewayAnswer } from './verify/admission';
import { isInvocation, serializeResult, tagEvent, type EventOrigin, type InvokeOptions } from './invoke/invoke';
import { runAuthorizer, type Authorizer } from './invoke/authorize';
import type { AuthorizerDecision } from './gateway/authorizer';
import { fc, type Arbitrary } from './requests/fc';
import { acceptFor, bodyMediaType, buildCase, defaultCaseValues, requestCases, type CaseOptions, type CaseValues, type RequestCase, type RequestOverrides } from './requests/cases';
import { negativeCases, type NegativeCase } from './requests/negative';
import { operationSeed, propertyValues, type PropertyDraw } from './requests/property-values';
import { responseSamples, type ResponseSample } from './requests/responses';
import { SchemaCompiler } from './verify/ajv';
import type { Side } from './verify/interpret';
import { verifyResponse } from './verify/verify';
import type { VerifyResult } from './verify/violation';
import { fromClientResponse, isClientResponse } from './verify/client';
import { judgeOutcome, judgeResponse, type Judgement } from './verify/judge';

export interface ContractOptions extends LoadOptions, GatewayOptions {
  /** The event source events are built for and results judged as. Default `rest`. */
  source?: SourceName;
}

export interface RequestOptions {
  /** Seed for generated values. */
  seed?: number;
  overrides?: RequestOverrides;
}

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

/**
 * Gateway settings from outside the document (a deployment template): per operation (validator, API
 * key, the REST preflight mock) and API-wide (gateway responses, the HTTP API's CORS).
 */
export interface GatewaySettings {
  /** By operation id. */
  operations?: Record<string, OperationGateway>;
  gatewayResponses?: GatewayResponses;
  cors?: CorsConfiguration;
}

export class Contract {
  readonly file: string;
  readonly version: OpenApiVersion;
  readonly title: string;
  readonly operations: readonly Operation[];
  /** Document problems that did not stop loading. */
  readonly warnings: readonly string[];
  readonly options: Readonly<ContractOptions>;
  /** The bundled document (every `$ref` internal). */
  readonly document: JsonObject;
  private readonly schemaDocument: JsonObject;
  private readonly compilers: Partial<Record<Side, SchemaCompiler>> = {};
  private readonly byId = new Map<string, Operation>();
  /** `x-amazon-apigateway-binary-media-types` from the document, used when no option sets them. */
  private readonly documentBinaryMediaTypes: string[] | undefined;
  /** The source the document's first Lambda proxy integration implies, if any. */
  private readonly documentSource: SourceName | undefined;
  /** The document's API-wide gateway settings (gateway responses, CORS). */
  private readonly model: { gatewayResponses?: GatewayResponses; cors?: CorsConfiguration };

  private constructor(loaded: Awaited<ReturnType<typeof loadDocument>>, options: ContractOptions) {
    this.file = loaded.file;
    this.version = loaded.version;
    this.title = loaded.model.title;
    this.operations = loaded.model.operations;
    this.warnings = loaded.model.warnings;
    this.document = loaded.document;
    this.schemaDocument = loaded.schemaDocument;
    this.options = options;
    this.documentBinaryMediaTypes = loaded.model.binaryMediaTypes;
    this.model = { ...(loaded.model.gatewayResponses ? { gatewayResponses: loaded.model.gatewayResponses } : {}), ...(loaded.model.cors ? { cors: loaded.model.cors } : {}) };
    this.documentSource = this.operations.find((op) => op.integration?.source)?.integration?.source;
    for (const op of this.operations) {
      this.byId.set(op.id, op);
      this.byId.set(`${op.method} ${op.path}`, op);
    }
  }

  /** Loads a contract (see {@link loadContract}). */
  static async load(spec: string | JsonObject, options: ContractOptions = {}): Promise<Contract> {
    if (options.source !== undefined && !isSourceName(options.source)) {
      throw new ContractError('ERR_CONTRACT_CONFIG', `unknown source ${JSON.stringify(options.source)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
    }
    return new Contract(await loadDocument(spec, options), options);
  }

  /**
   * Loads a one-file OpenAPI 3.x document synchronously; undefined when it needs {@link Contract.load}
   * (`$ref`s to other files or URLs, Swagger 2.0). For code that cannot await, such as Jest's collection.
   *
   * @example
   * const contract = Contract.loadSync('openapi.yaml') ?? (await Contract.load('openapi.yaml'));
   */
  static loadSync(spec: string, options: ContractOptions = {}): Contract | undefined {
    if (options.source !== undefined && !isSourceName(options.source)) {
      throw new ContractError('ERR_CONTRACT_CONFIG', `unknown source ${JSON.stringify(options.source)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
    }
    const loaded = loadDocumentSync(spec, options);
    return loaded ? new Contract(loaded, options) : undefined;
  }

  /**
   * The default source of this contract: the `source` option, else the one the document's
   * `x-amazon-apigateway-integration` implies, else `rest`.
   */
  get source(): SourceName {
    return this.options.source ?? this.documentSource ?? 'rest';
  }

  /** The source an operation is judged behind by default: the `source` option, else its own integration's. */
  sourceFor(operation: Operation): SourceName {
    return this.options.source ?? operation.integration?.source ?? this.source;
  }

  /**
   * Runs a Lambda authorizer for a request as the source's gateway would (see {@link runAuthorizer}),
   * with this contract's stage, ids and clock.
   */
  authorize(request: HttpRequest, authorizer: Authorizer, options: InvokeOptions & { source?: SourceName; sequence?: number } = {}): Promise<AuthorizerDecision> {
    const { source = this.source, sequence, ...invokeOptions } = options;
    const { authorizer: _context, ...gateway } = this.gatewayOptions();
    return runAuthorizer(authorizer, request, source, { ...gateway, ...(sequence !== undefined ? { sequence } : {}) }, invokeOptions);
  }

  /** The operation with this operationId (or `METHOD /path`), if any. */
  findOperation(id: string): Operation | undefined {
    const direct = this.byId.get(id);
    if (direct) return direct;
    const m = /^([a-z]+)\s+(\/.*)$/i.exec(id.trim());
    return m ? this.byId.get(`${(m[1] ?? '').toUpperCase()} ${m[2] ?? ''}`) : undefined;
  }

  /** The operation with this id; throws ERR_CONTRACT_UNKNOWN_OPERATION listing the ids that exist. */
  operation(id: string): Operation {
    const op = this.findOperation(id);
    if (op) return op;
    throw new ContractError('ERR_CONTRACT_UNKNOWN_OPERATION', unknownOperationMessage(this, id), { operationId: id, known: this.operations.map((o) => o.id) });
  }

  private compiler(side: Side): SchemaCompiler {
    return (this.compilers[side] ??= new SchemaCompiler(this.schemaDocument, this.version, side));
  }

  /** Whether a value satisfies a schema position as a request value. */
  isValidRequestValue(schema: SchemaRef, value: unknown): boolean {
    const validate = this.compiler('request').validator(schema);
    return !(validate instanceof Error) && withinStack(() => validate(value) === true);
  }

  /** Why a value breaks a schema position as a request value (`/name must be string`); empty when it satisfies it. */
  requestValueProblems(schema: SchemaRef, value: unknown): string[] {
    const validate = this.compiler('request').validator(schema);
    if (validate instanceof Error) return [`the schema cannot be used: ${validate.message}`];
    let ok: boolean;
    try {
      ok = validate(value) === true;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return ['the value nests too deep to be checked'];
    }
    if (ok) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  }

  /** Whether a value satisfies a schema position as a response value. */
  isValidResponseValue(schema: SchemaRef, value: unknown): boolean {
    const validate = this.compiler('response').validator(schema);
    return !(validate instanceof Error) && withinStack(() => validate(value) === true);
  }

  /**
   * Conforming responses for an operation, one per documented status, media type and valid example
   * (plus a schema-derived one), as the client would receive them.
   *
   * @example
   * for (const s of contract.responses('getPet')) contract.verify('getPet', s.response).ok; // true
   */
  responses(id: string, options: { seed?: number } = {}): ResponseSample[] {
    return responseSamples(this.operation(id), {
      root: this.document,
      isValid: (schema, value) => this.isValidResponseValue(schema, value),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
  }

  /**
   * Valid requests for an operation, from its examples and schemas.
   *
   * @example
   * const [first] = contract.requests('createPet');
   * first.request.headers; // [['Accept', 'application/json'], …, ['Content-Type', 'application/json']]
   */
  requests(id: string, options: RequestOptions = {}): RequestCase[] {
    return requestCases(this.operation(id), this.caseOptions(options));
  }

  /**
   * Requests the contract forbids, one broken rule each (missing or ill-typed parameters and body
   * properties, malformed JSON, a wrong Content-Type), and for secured operations requests without or
   * with malformed credentials.
   *
   * @example
   * contract.negativeRequests('listPets').map((c) => c.breaks); // ['query parameter "limit" is above its maximum 100', …]
   */
  negativeRequests(id: string, options: RequestOptions = {}): NegativeCase[] {
    const op = this.operation(id);
    return negativeCases(op, this.caseOptions(options), bodyMediaType(op, options.overrides?.contentType));
  }

  /**
   * A fast-check arbitrary of values for the operation's parameters and body (property-based cases),
   * each draw marked with the parts the validator rejects: skip those (`fc.pre(draw.invalid.length === 0)`).
   * Internal: kept out of the published types so that consumers never type-check fast-check's
   * declarations, which need `moduleResolution` node16/bundler.
   * @internal
   */
  propertyValues(id: string, options: RequestOptions = {}): Arbitrary<PropertyDraw> {
    const op = this.operation(id);
    const media = bodyMediaType(op, options.overrides?.contentType);
    return propertyValues(op, { root: this.document, isValid: (schema, value) => this.isValidRequestValue(schema, value), ...(media ? { media } : {}) });
  }

  /**
   * Property-based requests: `runs` valid requests drawn as the run's property cases draw them (the
   * same seed gives the same requests), named `property #1`, `property #2`, …. Fewer when the schemas
   * admit few valid values.
   *
   * @example
   * contract.propertyRequests('listPets', 3, { seed: 7 }).map((c) => c.request.rawQuery); // ['limit=17', 'limit=1', '']
   */
  propertyRequests(id: string, runs: number, options: RequestOptions = {}): RequestCase[] {
    const op = this.operation(id);
    const seed = options.seed ?? 1;
    const draws = fc.sample(this.propertyValues(id, options), { seed: operationSeed(seed, op.id), numRuns: runs * 4 });
    return draws
      .filter((draw) => draw.invalid.length === 0)
      .slice(0, runs)
      .map((draw, i) => ({ ...this.buildRequest(id, `property #${i + 1}`, draw.values, options), seed }));
  }

  /** The request for chosen values (from {@link propertyValues}), with overrides and credentials applied. */
  buildRequest(id: string, name: string, values: CaseValues, options: RequestOptions = {}): RequestCase {
    return buildCase(this.operation(id), this.caseOptions(options), name, values);
  }

  /** The values of the operation's first valid request (its body), to build requests that change only some parts. */
  defaultValues(id: string, options: RequestOptions = {}): CaseValues {
    return defaultCaseValues(this.operation(id), this.caseOptions(options));
  }

  private caseOptions(options: RequestOptions): CaseOptions {
    return {
      root: this.document,
      isValid: (schema, value) => this.isValidRequestValue(schema, value),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
    };
  }

  /**
   * The event the source sends for a valid request to the operation.
   *
   * @example
   * const event = contract.eventFor('getPet', { pathParameters: { petId: '7' } });
   */
  eventFor(id: string, options: EventOptions = {}): unknown {
    const { source = this.sourceFor(this.operation(id)), case: caseName, seed, ...rest } = options;
    if (!isSourceName(source)) throw new ContractError('ERR_CONTRACT_USAGE', `unknown source ${JSON.stringify(source)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
    const { overrides, gateway } = splitEventOptions(rest);
    const cases = this.requests(id, { ...(seed !== undefined ? { seed } : {}), overrides });
    const chosen = caseName === undefined ? cases[0] : cases.find((c) => c.name === caseName || c.name === `example "${caseName}"`);
    if (!chosen) {
      throw new ContractError('ERR_CONTRACT_USAGE', `${id} has no request case ${JSON.stringify(caseName)}; cases: ${cases.map((c) => c.name).join(', ')}`, { operationId: id });
    }
    return this.eventForCase(chosen, source, gateway);
  }

  /** The event for a request case, tagged with its origin so verdicts can name the request. */
  eventForCase(requestCase: RequestCase, source?: SourceName, gateway: GatewayOptions = {}): unknown {
    const op = this.findOperation(requestCase.operationId);
    source ??= op ? this.sourceFor(op) : this.source;
    const defaults = this.gatewayOptions();
    // The contract-wide authorizer context applies where the gateway runs an authorizer: secured operations.
    if (op && (op.security.length === 0 || op.securityOptional)) delete defaults.authorizer;
    const settings = { ...defaults, ...gateway };
    const event = sourceFor(source).toEvent(requestCase.request, settings) as object;
    const origin: EventOrigin = { source, operationId: requestCase.operationId, request: requestCase.request, caseName: requestCase.name, seed: requestCase.seed, gateway: settings };
    return tagEvent(event, origin);
  }

  /**
   * What the client receives for a handler's result behind a source, without judging it against an
   * operation (a request no operation describes, passed on by a function URL or an ALB).
   */
  fromResult(subject: unknown, request: HttpRequest, source: SourceName = this.source): GatewayVerdict {
    const outcome = isInvocation(subject) ? subject.outcome : serializeResult(subject);
    return sourceFor(source).fromResult(outcome, request, this.gatewayOptions());
  }

  /** Judges a response as the client receives it (no gateway step). */
  verify(id: string, response: HttpResponse, options: { method?: string } = {}): VerifyResult {
    const op = this.operation(id);
    return verifyResponse({ compiler: this.compiler('response'), method: options.method ?? op.method }, op, response);
  }

  /**
   * Judges what a handler produced — an {@link Invocation} from `invoke()` or the raw value it returned —
   * as the gateway does first, then against the contract.
   */
  judge(id: string, subject: unknown, options: JudgeOptions = {}): Judgement {
    const op = this.operation(id);
    const status = options.status !== undefined ? { status: options.status } : {};
    const compiler = this.compiler('response');
    if (isClientResponse(subject)) {
      const { response, request } = fromClientResponse(subject);
      const judged = judgeResponse(op, response, { compiler, request, source: options.source ?? this.sourceFor(op), ...status });
      return { ...judged, request: options.request ?? request, overHttp: true };
    }
    const origin: EventOrigin | undefined = isInvocation(subject) ? subject.origin : undefined;
    const outcome: InvokeOutcome = isInvocation(subject) ? subject.outcome : serializeResult(subject);
    const source = options.source ?? origin?.source ?? this.sourceFor(op);
    if (!isSourceName(source)) throw new ContractError('ERR_CONTRACT_USAGE', `unknown source ${JSON.stringify(source)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
    const request = options.request ?? origin?.request ?? defaultRequest(op);
    const own = pickGatewayOptions(options);
    const gateway = Object.keys(own).length === 0 ? this.gatewaySettings() : { ...this.gatewaySettings(), ...own };
    return judgeOutcome(op, outcome, gateway, { compiler, request, source, ...status });
  }

  /**
   * The gateway's own answer to a request for the operation at a point in its order (see
   * {@link gatewayAnswer}): a CORS preflight, a mock integration, a missing API key, a request the
   * validator refuses — or undefined when the request reaches the function.
   *
   * @example
   * contract.gatewayAnswer('createPet', request, 'after_authorizer')?.response.statusCode; // 400 for a body the model refuses
   */
  gatewayAnswer(id: string, request: HttpRequest, stage: AdmissionStage, options: { source?: SourceName } = {}): GatewayAnswer | undefined {
    const op = this.operation(id);
    // Asked before every case: most documents configure nothing, and then there is nothing to settle.
    if (!op.gateway && this.options.cors === undefined && this.model.cors === undefined) return undefined;
    const source = options.source ?? this.sourceFor(op);
    return gatewayAnswer(op, request, stage, { source, gateway: this.gatewayOptions(), problems: (schema, value) => this.requestValueProblems(schema, value) });
  }

  /** The CORS configuration the HTTP API applies (the `cors` option, else the document's), for HTTP API sources only. */
  corsFor(source: SourceName): CorsConfiguration | undefined {
    return source === 'http' || source === 'http-v1' ? this.gatewayOptions().cors : undefined;
  }

  /**
   * What a browser's preflight for the operation is judged against: the HTTP API's CORS configuration,
   * or behind a REST API what the path's `OPTIONS` mock allows. Undefined when the gateway answers no
   * preflight for it (the run then sends none).
   */
  preflightFor(id: string, source: SourceName): CorsConfiguration | undefined {
    const op = this.operation(id);
    if (op.method === 'OPTIONS') return undefined;
    if (source === 'rest') return op.gateway?.preflight ? corsOfMock(op.gateway.preflight) : undefined;
    return this.corsFor(source);
  }

  /**
   * The same contract behind a gateway configured elsewhere — a deployment template's request
   * validators, API keys, CORS and gateway responses (see {@link GatewaySettings}). The overlay's settings
   * win over the document's; schemas stay compiled once, shared with this contract.
   *
   * @example
   * const behind = contract.withGateway({ operations: { createPet: { apiKey: { header: 'x-api-key', setting: 'template.yaml#/…' } } } });
   */
  withGateway(settings: GatewaySettings): Contract {
    const operations = this.operations.map((op) => {
      const own = settings.operations?.[op.id];
      return own ? { ...op, gateway: { ...op.gateway, ...own } } : op;
    });
    const byId = new Map<string, Operation>();
    for (const op of operations) {
      byId.set(op.id, op);
      byId.set(`${op.method} ${op.path}`, op);
    }
    const model = {
      ...this.model,
      ...(settings.gatewayResponses ? { gatewayResponses: { ...this.model.gatewayResponses, ...settings.gatewayResponses } } : {}),
      ...(settings.cors ? { cors: settings.cors } : {}),
    };
    // A view sharing everything else (the compiled schemas included); its gateway options settle anew.
    return Object.assign(Object.create(Contract.prototype) as Contract, this, { operations, byId, model, settledGateway: undefined, linkCache: undefined });
  }

  /** The gateway options every verdict starts from, settled once (a fresh copy for callers that change it). */
  private gatewayOptions(): GatewayOptions {
    return { ...this.gatewaySettings() };
  }

  private settledGateway: Readonly<GatewayOptions> | undefined;
  private linkCache: LinkGraph | undefined;

  /**
   * The links between operations sequences follow: the document's own OpenAPI `links` when it has any,
   * else links inferred from its shape (a collection's POST to its item's operations), each saying what
   * it assumed.
   *
   * @example
   * contract.links.links.map((l) => l.name); // ['createItem 201 → getItem', 'createItem 201 → deleteItem']
   */
  get links(): LinkGraph {
    return (this.linkCache ??= linkGraph(this.operations, this.document));
  }

  private gatewaySettings(): Readonly<GatewayOptions> {
    return (this.settledGateway ??= this.settleGatewayOptions());
  }

  private settleGatewayOptions(): GatewayOptions {
    const options = pickGatewayOptions(this.options);
    if (options.binaryMediaTypes === undefined && this.documentBinaryMediaTypes) options.binaryMediaTypes = this.documentBinaryMediaTypes;
    if (options.gatewayResponses === undefined && this.model.gatewayResponses) options.gatewayResponses = this.model.gatewayResponses;
    if (options.cors === undefined && this.model.cors) options.cors = this.model.cors;
    return options;
  }
}

function splitEventOptions(options: Omit<EventOptions, 'source' | 'case' | 'seed'>): { overrides: RequestOverrides; gateway: GatewayOptions } {
  const gateway = pickGatewayOptions(options);
  const overrides: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!(GATEWAY_OPTION_KEYS as readonly string[]).includes(k) && v !== undefined) overrides[k] = v;
  return { overrides: overrides as RequestOverrides, gateway };
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

/** "unknown operation getPett; did you mean getPet? operations: …" */
export function unknownOperationMessage(contract: Contract, id: string): string {
  const ids = contract.operations.map((o) => o.id);
  const near = ids.filter((k) => k.toLowerCase() === id.toLowerCase() || levenshtein(k.toLowerCase(), id.toLowerCase()) <= 2);
  const list = ids.length > 30 ? `${ids.slice(0, 30).join(', ')}, … (${ids.length} in all)` : ids.join(', ');
  return `unknown operation ${JSON.stringify(id)} in ${contract.file}${near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : ''}; operations: ${list || '(none)'}`;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * Loads an OpenAPI 2.0 / 3.0 / 3.1 document (YAML or JSON, multi-file) as a {@link Contract}.
 *
 * @example
 * const contract = await loadContract('openapi.yaml', { source: 'rest', stage: 'prod' });
 */
export function loadContract(spec: string | JsonObject, options: ContractOptions = {}): Promise<Contract> {
  return Contract.load(spec, options);
}

/** A check's verdict, false when the value nests too deep to be checked (the stack ran out). */
function withinStack(check: () => boolean): boolean {
  try {
    return check();
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
