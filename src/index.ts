/**
 * `lambda-contract`: load an OpenAPI document, build the events a gateway sends, run the handler
 * in-process, judge each result as the gateway does and as the contract says (docs/api.md).
 */
import { defaultContract } from './config/default';
import type { EventOptions } from './contract';

export { loadContract, Contract } from './contract';
export type { ContractOptions, EventOptions, GatewaySettings, JudgeOptions, OperationCases, RequestOptions } from './contract';
export type { Judgement } from './verify/judge';
export { invoke } from './invocation';
export type { Invocation, InvokeOptions } from './invocation';
export type { LambdaHandler, EventOrigin } from './invoke/invoke';
export { runContract, runPortability } from './run/run';
export type { CaseResult, RunOptions, RunReport, PortabilityReport, LinkSummary, StandInsReport } from './run/run';
export type { ResponseRecord, SequenceRecord, SequenceStep } from './run/case-result';
export type { Link, LinkGraph, LinkParameter, LinkValue } from './document/links';
export type { Coverage } from './run/coverage';
export type { CheckName } from './run/checks';
export { loadDeployment } from './deploy/cloudformation';
export type { TemplateOptions } from './deploy/cloudformation';
export type { Deployment, DeployedApi, DeployedFunction, DeployedRoute } from './deploy/model';
export { runDeployment } from './run/deployment';
export type { DeploymentRunOptions } from './run/deployment';
export { createDeploymentServer, createServer } from './server/server';
export type { DeploymentServerOptions, ServerOptions, ServerTarget, Exchange } from './server/server';
export { mockDownstream } from './downstream';
export type { Downstream, DownstreamCall, DownstreamOptions } from './downstream';
export { isolateNetwork } from './invoke/isolation';
export type { NetworkOptions, NetworkIsolation, OutboundAttempt } from './invoke/isolation';
export { useContract } from './config/default';
export type { LambdaContractConfig } from './config/config';
export { ContractError, isContractError } from './errors';
export type { ContractErrorCode } from './errors';
export type { Basis, Violation, ViolationRule, VerifyResult } from './verify/violation';
export type { ClientResponseLike } from './verify/client';
export type { HttpRequest, HttpResponse, InvokeOutcome, GatewayFault, GatewayFaultKind, GatewayVerdict, GatewayOptions, SourceName, AuthorizerContext, CorsConfiguration, GatewayResponses, GatewayResponseSetting, GatewayResponseType, RestPreflight } from './gateway/types';
export type { GatewayAnswer, GatewayRule, AdmissionStage } from './verify/admission';
export type { OperationGateway, RequestValidatorSetting, MockAnswer } from './document/gateway-settings';
export type { AuthorizerSettings, AuthorizerDecision } from './gateway/authorizer';
export type { Authorizer } from './invoke/authorize';
export type { Operation, ParameterSpec, ResponseSpec, MediaTypeSpec, HeaderSpec, RequestBodySpec, SecurityRequirement, SecuritySchemeSpec, SchemeAuthorizer, SchemaRef } from './document/model';
export type { OpenApiVersion } from './document/schema';
export type { RequestCase, RequestOverrides } from './requests/cases';
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
