/**
 * Running the user's own Lambda authorizer before the handler, as API Gateway does. What the gateway
 * sends and how it reads the answer is `gateway/authorizer.ts`; this module invokes the function.
 */
import { authorizerEvent, authorizerIdentity, judgeAuthorizerAnswer, type AuthorizerSettings, type AuthorizerDecision } from '../gateway/authorizer';
import { sourceFor } from '../gateway';
import { configuredFault } from '../gateway/pipeline';
import type { GatewayFault, GatewayOptions, HttpRequest, SourceName } from '../gateway/types';
import type { InvokeOptions, LambdaHandler } from './invoke';
import { targetOf, type FunctionTarget } from './target';
import type { OutboundAttempt } from './isolation';

/** A Lambda authorizer: the gateway's settings for it, and the function. */
export interface Authorizer extends AuthorizerSettings {
  /** The authorizer's handler function (run in this process), or its function's sandboxes. */
  handler: LambdaHandler<never> | FunctionTarget;
}

/** An authorizer's decision, with the network calls it tried while deciding (blocked). */
export type AuthorizerRun = AuthorizerDecision & { outbound?: readonly OutboundAttempt[] };

/**
 * Runs the authorizer for a request and interprets its answer as the source's gateway would.
 *
 * @example
 * const verdict = await runAuthorizer({ handler: authorize, identitySource: '$request.header.Authorization' }, request, 'http');
 * if (verdict.allowed) contract.eventFor('getPet', { source: 'http', authorizer: verdict.authorizer });
 */
export async function runAuthorizer(spec: Authorizer, request: HttpRequest, source: SourceName, gateway: GatewayOptions = {}, invokeOptions: InvokeOptions = {}): Promise<AuthorizerRun> {
  // A refusal is the gateway's own answer: the API's gateway responses (UNAUTHORIZED, ACCESS_DENIED, …) shape it.
  const shaped = (fault: GatewayFault): GatewayFault => configuredFault(sourceFor(source), fault.kind, fault.reason, fault.response, request, gateway);
  const identity = authorizerIdentity(spec, request, source, gateway);
  if ('fault' in identity) return { allowed: false, fault: shaped(identity.fault) };
  const event = authorizerEvent(spec, request, source, gateway, identity.identity);
  const invocation = await targetOf(spec.handler).invoke(event, invokeOptions);
  const decision = judgeAuthorizerAnswer(spec, request, source, gateway, invocation.outcome, invocation.durationMs);
  // The calls a sandboxed authorizer tried are its own (an in-process one's the run's isolation sees).
  const outbound = invocation.outbound?.length ? { outbound: invocation.outbound } : {};
  return decision.allowed ? { ...decision, event, ...outbound } : { allowed: false, fault: shaped(decision.fault), event, ...outbound };
}
