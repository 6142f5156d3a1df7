/**
 * The gateway a contract's operations stand behind: the options every event and verdict starts from
 * (the caller's, else the document's binary media types, gateway responses and CORS), settled once,
 * and the answers the gateway gives itself (preflights, mocks, API keys, the request validator).
 */
import type { Operation } from '../document/model';
import { pickGatewayOptions } from '../gateway/options';
import type { CorsConfiguration, GatewayOptions, GatewayResponses, HttpRequest, OperationGateway, SourceName } from '../gateway/types';
import { corsOfMock } from '../gateway/mock';
import { gatewayAnswer, type AdmissionStage, type GatewayAnswer } from '../verify/admission';
import type { ContractSchemas } from './schemas';

/**
 * Gateway settings from outside the document (a deployment template): per operation (validator, API
 * key, the REST preflight mock) and API-wide (gateway responses, the HTTP API's CORS).
 */
export interface GatewaySettings {
  /** By operation id. */
  operations?: Record<string, OperationGateway>;
  gatewayResponses?: GatewayResponses;
  cors?: CorsConfiguration;
  /** The stage the API is deployed to (a template's): events name it unless the caller's options do. */
  stage?: string;
  /** By operation id: the gateway a template routes it behind, where the document names none. */
  sources?: Record<string, 'rest' | 'http' | 'http-v1'>;
}

/** The document's API-wide gateway settings. */
export interface DocumentGateway {
  binaryMediaTypes?: string[];
  gatewayResponses?: GatewayResponses;
  cors?: CorsConfiguration;
  stage?: string;
}

export class ContractGateway {
  private settled: Readonly<GatewayOptions> | undefined;

  constructor(
    /** The caller's options (a contract's load options; only the gateway's keys are read). */
    private readonly given: object,
    private readonly document: Readonly<DocumentGateway>,
  ) {}

  /** The options every verdict starts from, settled once. */
  settings(): Readonly<GatewayOptions> {
    return (this.settled ??= this.settle());
  }

  /** A fresh copy of the settings, for callers that change it. */
  options(): GatewayOptions {
    return { ...this.settings() };
  }

  /** Whether anything could make the gateway answer `op` itself (most documents configure nothing). */
  mayAnswer(op: Operation): boolean {
    return op.gateway !== undefined || this.settings().cors !== undefined;
  }

  /** The gateway's own answer to a request at a point in its order, or undefined when it reaches the function. */
  answer(op: Operation, request: HttpRequest, stage: AdmissionStage, source: SourceName, schemas: ContractSchemas): GatewayAnswer | undefined {
    if (!this.mayAnswer(op)) return undefined;
    return gatewayAnswer(op, request, stage, { source, gateway: this.options(), problems: (schema, value) => schemas.requestValueProblems(schema, value) });
  }

  /** The CORS configuration the HTTP API applies, for HTTP API sources only. */
  corsFor(source: SourceName): CorsConfiguration | undefined {
    return source === 'http' || source === 'http-v1' ? this.settings().cors : undefined;
  }

  /** What a browser's preflight for `op` is judged against, or undefined when the gateway answers none. */
  preflightFor(op: Operation, source: SourceName): CorsConfiguration | undefined {
    if (op.method === 'OPTIONS') return undefined;
    if (source === 'rest') return op.gateway?.preflight ? corsOfMock(op.gateway.preflight) : undefined;
    return this.corsFor(source);
  }

  /** This gateway with the API-wide settings of a template laid over the document's. */
  overlay(settings: GatewaySettings): ContractGateway {
    return new ContractGateway(this.given, {
      ...this.document,
      ...(settings.gatewayResponses ? { gatewayResponses: { ...this.document.gatewayResponses, ...settings.gatewayResponses } } : {}),
      ...(settings.cors ? { cors: settings.cors } : {}),
      ...(settings.stage ? { stage: settings.stage } : {}),
    });
  }

  private settle(): GatewayOptions {
    const options = pickGatewayOptions(this.given);
    if (options.binaryMediaTypes === undefined && this.document.binaryMediaTypes) options.binaryMediaTypes = this.document.binaryMediaTypes;
    if (options.gatewayResponses === undefined && this.document.gatewayResponses) options.gatewayResponses = this.document.gatewayResponses;
    if (options.cors === undefined && this.document.cors) options.cors = this.document.cors;
    if (options.stage === undefined && this.document.stage) options.stage = this.document.stage;
    return options;
  }
}

/** The operations with a template's per-operation gateway settings laid over their own. */
export function operationsBehind(operations: readonly Operation[], settings: GatewaySettings): Operation[] {
  return operations.map((op) => {
    const own = settings.operations?.[op.id];
    const source = op.integration?.source ? undefined : settings.sources?.[op.id];
    const behind = source ? { ...op, integration: { type: op.integration?.type ?? 'aws_proxy', source } } : op;
    return own ? { ...behind, gateway: { ...behind.gateway, ...own } } : behind;
  });
}
