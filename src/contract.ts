/**
 * The `Contract`: a loaded document with everything a test needs — its operations, valid requests,
 * events for a source, and verdicts on results. Load once, reuse for every check: schemas compile on
 * first use and stay compiled.
 *
 * The class is the door; each concern lives in contract/: its schemas (`schemas.ts`), one operation's
 * request generators (`cases.ts`), its gateway (`gateway.ts`), events and verdicts (`verdicts.ts`),
 * and finding operations (`operations.ts`).
 */
import type { LoadOptions } from './document/load';
import { loadDocument, loadDocumentSync } from './document/load';
import type { Operation, SchemaRef } from './document/model';
import { linkGraph, type LinkGraph } from './document/links';
import type { JsonObject } from './document/pointer';
import type { OpenApiVersion } from './document/schema';
import { ContractError } from './errors';
import { sourceFor } from './gateway';
import type { CorsConfiguration, GatewayOptions, GatewayVerdict, HttpRequest, HttpResponse, SourceName } from './gateway/types';
import type { AdmissionStage, GatewayAnswer } from './verify/admission';
import { isInvocation, serializeResult, type InvokeOptions } from './invoke/invoke';
import { runAuthorizer, type Authorizer, type AuthorizerRun } from './invoke/authorize';
import type { Arbitrary } from './requests/fc';
import type { CaseValues, RequestCase } from './requests/cases';
import type { NegativeCase } from './requests/negative';
import type { PropertyDraw } from './requests/property-values';
import { responseSamples, type ResponseSample } from './requests/responses';
import { verifyResponse } from './verify/verify';
import type { VerifyResult } from './verify/violation';
import type { Judgement } from './verify/judge';
import { ContractSchemas } from './contract/schemas';
import { OperationCases, type RequestOptions } from './contract/cases';
import { ContractGateway, operationsBehind, type GatewaySettings } from './contract/gateway';
import { assertSource, eventForCase, judgeSubject, splitEventOptions, type EventOptions, type JudgeOptions } from './contract/verdicts';
import { OperationIndex, unknownOperationMessage } from './contract/operations';

export type { RequestOptions } from './contract/cases';
export type { OperationCases } from './contract/cases';
export type { GatewaySettings } from './contract/gateway';
export type { EventOptions, JudgeOptions } from './contract/verdicts';
export { unknownOperationMessage } from './contract/operations';

export interface ContractOptions extends LoadOptions, GatewayOptions {
  /** The event source events are built for and results judged as. Default `rest`. */
  source?: SourceName;
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
  private readonly schemas: ContractSchemas;
  private readonly index: OperationIndex;
  private readonly gateway: ContractGateway;
  /** The source the document's first Lambda proxy integration implies, if any. */
  private readonly documentSource: SourceName | undefined;
  private linkCache: LinkGraph | undefined;

  private constructor(loaded: Awaited<ReturnType<typeof loadDocument>>, options: ContractOptions) {
    this.file = loaded.file;
    this.version = loaded.version;
    this.title = loaded.model.title;
    this.operations = loaded.model.operations;
    this.warnings = loaded.model.warnings;
    this.document = loaded.document;
    this.options = options;
    this.schemas = new ContractSchemas(loaded.schemaDocument, loaded.version);
    this.index = new OperationIndex(this.operations);
    const { binaryMediaTypes, gatewayResponses, cors } = loaded.model;
    this.gateway = new ContractGateway(options, { ...(binaryMediaTypes ? { binaryMediaTypes } : {}), ...(gatewayResponses ? { gatewayResponses } : {}), ...(cors ? { cors } : {}) });
    this.documentSource = this.operations.find((op) => op.integration?.source)?.integration?.source;
  }

  /** Loads a contract (see {@link loadContract}). */
  static async load(spec: string | JsonObject, options: ContractOptions = {}): Promise<Contract> {
    if (options.source !== undefined) assertSource(options.source, 'ERR_CONTRACT_CONFIG');
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
    if (options.source !== undefined) assertSource(options.source, 'ERR_CONTRACT_CONFIG');
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
  authorize(request: HttpRequest, authorizer: Authorizer, options: InvokeOptions & { source?: SourceName; sequence?: number } = {}): Promise<AuthorizerRun> {
    const { source = this.source, sequence, ...invokeOptions } = options;
    const { authorizer: _context, ...gateway } = this.gateway.options();
    return runAuthorizer(authorizer, request, source, { ...gateway, ...(sequence !== undefined ? { sequence } : {}) }, invokeOptions);
  }

  /** The operation with this operationId (or `METHOD /path`), if any. */
  findOperation(id: string): Operation | undefined {
    return this.index.find(id);
  }

  /** The operation with this id; throws ERR_CONTRACT_UNKNOWN_OPERATION listing the ids that exist. */
  operation(id: string): Operation {
    const op = this.index.find(id);
    if (op) return op;
    throw new ContractError('ERR_CONTRACT_UNKNOWN_OPERATION', unknownOperationMessage(this, id), { operationId: id, known: this.operations.map((o) => o.id) });
  }

  /** Whether a value satisfies a schema position as a request value. */
  isValidRequestValue(schema: SchemaRef, value: unknown): boolean {
    return this.schemas.isValidRequestValue(schema, value);
  }

  /** Why a value breaks a schema position as a request value (`/name must be string`); empty when it satisfies it. */
  requestValueProblems(schema: SchemaRef, value: unknown): string[] {
    return this.schemas.requestValueProblems(schema, value);
  }

  /** Whether a value satisfies a schema position as a response value. */
  isValidResponseValue(schema: SchemaRef, value: unknown): boolean {
    return this.schemas.isValidResponseValue(schema, value);
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
      isValid: (schema, value) => this.schemas.isValidResponseValue(schema, value),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
  }

  /**
   * The request generators of one operation under one seed and set of overrides, resolved once: what a
   * run's plan, its property cases and its sequence steps all read.
   *
   * @example
   * const cases = contract.cases('createPet', { seed: 7 });
   * cases.valid().map((c) => c.name); // ['example "cat"', 'schema']
   */
  cases(id: string, options: RequestOptions = {}): OperationCases {
    return new OperationCases(this.operation(id), this.document, this.schemas, options);
  }

  /**
   * Valid requests for an operation, from its examples and schemas.
   *
   * @example
   * const [first] = contract.requests('createPet');
   * first.request.headers; // [['Accept', 'application/json'], …, ['Content-Type', 'application/json']]
   */
  requests(id: string, options: RequestOptions = {}): RequestCase[] {
    return this.cases(id, options).valid();
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
    return this.cases(id, options).negative();
  }

  /**
   * A fast-check arbitrary of values for the operation's parameters and body (property-based cases),
   * each draw marked with the parts the validator rejects: skip those (`fc.pre(draw.invalid.length === 0)`).
   * Internal: kept out of the published types so that consumers never type-check fast-check's
   * declarations, which need `moduleResolution` node16/bundler.
   * @internal
   */
  propertyValues(id: string, options: RequestOptions = {}): Arbitrary<PropertyDraw> {
    return this.cases(id, options).propertyValues();
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
    return this.cases(id, options).property(runs);
  }

  /** The request for chosen values (from {@link propertyValues}), with overrides and credentials applied. */
  buildRequest(id: string, name: string, values: CaseValues, options: RequestOptions = {}): RequestCase {
    return this.cases(id, options).build(name, values);
  }

  /** The values of the operation's first valid request (its body), to build requests that change only some parts. */
  defaultValues(id: string, options: RequestOptions = {}): CaseValues {
    return this.cases(id, options).defaults();
  }

  /**
   * The event the source sends for a valid request to the operation.
   *
   * @example
   * const event = contract.eventFor('getPet', { pathParameters: { petId: '7' } });
   */
  eventFor(id: string, options: EventOptions = {}): unknown {
    const { source = this.sourceFor(this.operation(id)), case: caseName, seed, ...rest } = options;
    assertSource(source);
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
    return eventForCase(op, requestCase, source ?? (op ? this.sourceFor(op) : this.source), this.gateway.settings(), gateway);
  }

  /**
   * What the client receives for a handler's result behind a source, without judging it against an
   * operation (a request no operation describes, passed on by a function URL or an ALB).
   */
  fromResult(subject: unknown, request: HttpRequest, source: SourceName = this.source): GatewayVerdict {
    const outcome = isInvocation(subject) ? subject.outcome : serializeResult(subject);
    return sourceFor(source).fromResult(outcome, request, this.gateway.options());
  }

  /** Judges a response as the client receives it (no gateway step). */
  verify(id: string, response: HttpResponse, options: { method?: string } = {}): VerifyResult {
    const op = this.operation(id);
    return verifyResponse({ compiler: this.schemas.compiler('response'), method: options.method ?? op.method }, op, response);
  }

  /**
   * Judges what a handler produced — an {@link Invocation} from `invoke()` or the raw value it returned —
   * as the gateway does first, then against the contract.
   */
  judge(id: string, subject: unknown, options: JudgeOptions = {}): Judgement {
    const op = this.operation(id);
    return judgeSubject(op, subject, options, { compiler: this.schemas.compiler('response'), gateway: this.gateway.settings(), source: this.sourceFor(op) });
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
    return this.gateway.answer(op, request, stage, options.source ?? this.sourceFor(op), this.schemas);
  }

  /** The CORS configuration the HTTP API applies (the `cors` option, else the document's), for HTTP API sources only. */
  corsFor(source: SourceName): CorsConfiguration | undefined {
    return this.gateway.corsFor(source);
  }

  /**
   * What a browser's preflight for the operation is judged against: the HTTP API's CORS configuration,
   * or behind a REST API what the path's `OPTIONS` mock allows. Undefined when the gateway answers no
   * preflight for it (the run then sends none).
   */
  preflightFor(id: string, source: SourceName): CorsConfiguration | undefined {
    return this.gateway.preflightFor(this.operation(id), source);
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
    const operations = operationsBehind(this.operations, settings);
    // A view sharing everything else (the compiled schemas included); its gateway options settle anew.
    const view = { operations, index: new OperationIndex(operations), gateway: this.gateway.overlay(settings), linkCache: undefined };
    return Object.assign(Object.create(Contract.prototype) as Contract, this, view);
  }

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
