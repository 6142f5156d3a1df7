/**
 * lambda-contract: contract tests for AWS Lambda HTTP handlers. Load an OpenAPI document, build the
 * events a gateway sends for each operation, run the handler in-process, and judge each result as
 * the gateway does and as the contract says.
 *
 * @example
 * import { eventFor, invoke } from 'lambda-contract';
 * const res = await invoke(handler, await eventFor('getPet', { pathParameters: { petId: '7' } }));
 * expect(res.statusCode).toBe(200);
 * expect(res).toMatchOperation('getPet');
 */
import { defaultContract } from './config/default';
import { sourceFor } from './gateway';
import type { GatewayOptions, GatewayVerdict, HttpRequest, SourceName } from './gateway/types';
import { isInvocation, serializeResult } from './invoke/invoke';
import type { EventOptions } from './contract';

export { loadContract, Contract } from './contract';
export type { ContractOptions, EventOptions, JudgeOptions, RequestOptions } from './contract';
export type { Judgement } from './verify/judge';
export { runContract, runPortability } from './run/run';
export type { CaseResult, RunOptions, RunReport, PortabilityReport } from './run/run';
export { runAuthorizer } from './invoke/authorize';
export type { Authorizer } from './invoke/authorize';
export { authorizerEvent, evaluatePolicy, judgeAuthorizerAnswer } from './gateway/authorizer';
export type { AuthorizerSettings, AuthorizerDecision } from './gateway/authorizer';
export { invoke } from './invocation';
export type { Invocation, InvokeOptions } from './invocation';
export { isInvocation } from './invoke/invoke';
export type { RuntimeInvocation, LambdaHandler, EventOrigin } from './invoke/invoke';
export { createContext } from './invoke/context';
export type { ContextOptions } from './invoke/context';
export { loadHandler, parseHandlerSpec } from './invoke/load';
export { useContract, resetContract, currentContract, defaultContract } from './config/default';
export { findConfig } from './config/config';
export type { LambdaContractConfig } from './config/config';
export { ContractError, isContractError } from './errors';
export type { ContractErrorCode } from './errors';
export type { Violation, ViolationRule, VerifyResult } from './verify/violation';
export type { HttpRequest, HttpResponse, InvokeOutcome, GatewayFault, GatewayFaultKind, GatewayVerdict, GatewayOptions, SourceName, GatewayAdapter, AuthorizerContext } from './gateway/types';
export { SOURCE_NAMES } from './gateway';
export type { Operation, ParameterSpec, ResponseSpec, MediaTypeSpec, HeaderSpec, RequestBodySpec, SecurityRequirement, SecuritySchemeSpec, SchemeAuthorizer, SchemaRef } from './document/model';
export type { OpenApiVersion } from './document/schema';
export type { RequestCase, RequestOverrides } from './requests/cases';
export { formatText, formatViolation } from './report/text';
export { formatJson, toJsonReport } from './report/json';
export type { JsonReport } from './report/json';
export { formatPortabilityText, formatPortabilityJson } from './report/portability';
export type { JsonPortabilityReport } from './report/portability';
export { matchers } from './jest/matchers';
export type { LambdaContractMatchers, MatchOperationOptions } from './jest/types';

/**
 * The event for a valid request to an operation of the project's contract (from
 * `lambda-contract.config.json` or the one set with `useContract`).
 *
 * @example
 * const event = await eventFor('getPet', { pathParameters: { petId: '7' } });
 */
export async function eventFor<TEvent = import('aws-lambda').APIGatewayProxyEvent>(operationId: string, options: EventOptions = {}): Promise<TEvent> {
  const contract = await defaultContract();
  return contract.eventFor(operationId, options) as TEvent;
}

/**
 * The event a source sends for a neutral HTTP request.
 *
 * @example
 * toEvent({ method: 'GET', path: '/pets/7', route: '/pets/{petId}', rawQuery: '', headers: [] });
 */
export function toEvent(request: HttpRequest, options: GatewayOptions & { source?: SourceName } = {}): unknown {
  const { source = 'rest', ...gateway } = options;
  return sourceFor(source).toEvent(request, gateway);
}

/**
 * What the client receives for a handler's result (an invocation or the raw value), as the source judges it.
 *
 * @example
 * const verdict = fromResult({ statusCode: 200, body: {} }, request);
 * verdict.ok; // false: a REST proxy result's body must be a string (502)
 */
export function fromResult(result: unknown, request: HttpRequest, options: GatewayOptions & { source?: SourceName } = {}): GatewayVerdict {
  const { source = 'rest', ...gateway } = options;
  const outcome = isInvocation(result) ? result.outcome : serializeResult(result);
  return sourceFor(source).fromResult(outcome, request, gateway);
}
export { contractSuite } from './jest/suite';
export type { ContractSuiteOptions } from './jest/suite';
export { planRun } from './run/plan';
export type { PlanOptions, PlannedOperation } from './run/plan';
export { createServer } from './server/server';
export type { ServerOptions, Exchange } from './server/server';
export type { ClientResponseLike } from './verify/client';
export { mockDownstream } from './invoke/downstream';
export type { Downstream, DownstreamCall, DownstreamOptions } from './invoke/downstream';
export { isolateNetwork, hostAllowed } from './invoke/isolation';
export type { NetworkOptions, NetworkIsolation, OutboundAttempt } from './invoke/isolation';
