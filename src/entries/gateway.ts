/**
 * `lambda-contract/gateway`: the gateway step alone — the event a source sends for a request, what the
 * client receives for a handler's result, and API Gateway's Lambda authorizer calls.
 */
import { sourceFor } from '../gateway/index';
import type { GatewayOptions, GatewayVerdict, HttpRequest, SourceName } from '../gateway/types';
import { isInvocation, serializeResult } from '../invoke/invoke';

export { SOURCE_NAMES } from '../gateway/index';
export { runAuthorizer } from '../invoke/authorize';
export type { Authorizer } from '../invoke/authorize';
export { evaluatePolicy, judgeAuthorizerAnswer } from '../gateway/authorizer';
export type { AuthorizerSettings, AuthorizerDecision } from '../gateway/authorizer';
export type { AuthorizerContext, CorsConfiguration, GatewayFault, GatewayFaultKind, GatewayOptions, GatewayResponses, GatewayResponseSetting, GatewayResponseType, GatewayVerdict, MockAnswer, OperationGateway, RequestValidatorSetting, RestPreflight, HttpRequest, HttpResponse, InvokeOutcome, SourceName } from '../gateway/types';

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
 * What the client receives for a handler's result (an invocation or the raw value), as the source
 * judges it — the gateway step alone, without the contract.
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
