/**
 * One case, in the stages the gateway and Lambda go through: the gateway's own answers and the
 * authorizer (admission), the function (invocation), the verdict under the run's checks, and the
 * record the reports read. A throw in our code on any stage is the case's `internalError`.
 */
import { withBasis } from '../verify/basis';
import type { CaseResult, ResponseRecord } from './case-result';
import { describeThrown, isErrorLike } from '../errors';
import type { HttpRequest, HttpResponse } from '../gateway/types';
import type { FunctionTarget, TargetInvocation } from '../invoke/target';
import type { AuthorizerRun } from '../invoke/authorize';
import type { Violation } from '../verify/violation';
import type { AuthorizerDecision } from '../gateway/authorizer';
import type { Contract } from '../contract';
import { faultViolation } from '../verify/verify';
import type { RequestCase } from '../requests/cases';
import type { CaseIntent } from '../requests/negative';
import { applyChecks } from './checks';
import type { OperationPlan, RunPlan } from './plan';
import { outboundViolation, type NetworkIsolation, type OutboundAttempt } from '../invoke/isolation';
import { violationsOfGatewayAnswer, type GatewayAnswer } from '../verify/admission';
import type { RunOptions } from './types';

/** What one case's verdict rests on, gathered stage by stage. */
interface Evidence {
  /** The response the client got. */
  response: HttpResponse;
  status: number;
  violations: Violation[];
  event: unknown;
  /** The event as sent (JSON), read back only when someone asks for the case's event. */
  sent?: string;
  error?: CaseResult['error'];
  answer?: GatewayAnswer;
  decision?: AuthorizerDecision;
  /** The network calls the Lambda authorizer tried while deciding (blocked): its own, not the handler's. */
  authorizerCalls?: readonly OutboundAttempt[];
  invocation?: TargetInvocation;
}

/** An authorizer's decision to let the request through. */
type Allowed = Extract<AuthorizerDecision, { allowed: true }>;

/** How a case is sent: its intent, the rule a forbidden request breaks, and who wants its response. */
export interface CaseCall {
  intent: CaseIntent;
  breaks?: string;
  capture?: (response: HttpResponse) => void;
}

/** What the runner shares with the whole run: what it learned about the function and the network. */
export interface RunState {
  /** Every case's result so far, in the order they ran. */
  results: CaseResult[];
  warnings: string[];
  /** Operations whose function timed out: their other cases are not run (each would cost a timeout). */
  timedOut: Set<string>;
  /** Each case's handler faults that may still arrive after it was judged. */
  lateFaults: Map<CaseResult, readonly string[]>;
  isolation: NetworkIsolation | undefined;
}

export class CaseRunner {
  private sequence = 0;
  private readonly invokeOptions: Pick<RunOptions, 'timeout' | 'runtime' | 'context'>;

  constructor(
    private readonly plan: RunPlan,
    private readonly target: FunctionTarget,
    private readonly options: RunOptions,
    private readonly state: RunState,
  ) {
    this.invokeOptions = {
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.runtime !== undefined ? { runtime: options.runtime } : {}),
      ...(options.context ? { context: options.context } : {}),
    };
  }

  /** Sends one request through the gateway (and authorizer) and the handler, and judges it under the checks. */
  async run(p: OperationPlan, c: RequestCase, call: CaseCall): Promise<CaseResult> {
    const op = p.operation;
    const t0 = performance.now();
    const seq = this.sequence++;
    const request = this.options.before ? ((await this.options.before(c.request, { operationId: op.id, caseName: c.name })) ?? c.request) : c.request;
    const common = { operationId: op.id, method: op.method, path: op.path, source: p.source, case: c.name, seed: c.seed, request, notes: c.notes };
    this.state.isolation?.take(); // calls left over from earlier cases (stray timers) are not this case's
    try {
      const admission = await this.admit(p, request, call, seq);
      const evidence = 'answered' in admission ? admission.answered : { ...(await this.invoke(p, c, request, seq, admission.allowed)), ...(admission.authorizerCalls ? { authorizerCalls: admission.authorizerCalls } : {}) };
      const told = this.options.onResponse;
      const capture = call.capture ?? (told ? (response: HttpResponse) => told(op.id, c.name, response) : undefined);
      capture?.(evidence.response);
      return this.record(p, { ...common, durationMs: 0 }, call, evidence, t0);
    } catch (e) {
      return { ...common, ok: false, violations: [], event: null, durationMs: performance.now() - t0, internalError: describeThrown(e).message };
    }
  }

  /**
   * The gateway's part before the function: its own answers (a preflight or a mock needs no
   * authorization; an API key and the request validator are checked once the authorizer allowed), and
   * the authorizer's refusal. Else the request reaches the function, with the authorizer's decision.
   */
  private async admit(p: OperationPlan, request: HttpRequest, call: CaseCall, seq: number): Promise<{ answered: Evidence } | { allowed?: Allowed; authorizerCalls?: readonly OutboundAttempt[] }> {
    const { contract } = this.plan;
    const { operation: op, source } = p;
    const early = contract.gatewayAnswer(op.id, request, 'before_authorizer', { source });
    const decision = early ? undefined
      : p.authorizer ? await contract.authorize(request, p.authorizer, { source, sequence: seq, ...this.invokeOptions })
      : p.gate ? await p.gate.check(request, source) : undefined;
    // What an in-process authorizer tried is in the run's isolation; a sandboxed one's comes with its decision.
    const calls = p.authorizer ? [...((decision as AuthorizerRun | undefined)?.outbound ?? []), ...(this.state.isolation?.take() ?? [])] : [];
    const authorizerCalls = calls.length > 0 ? { authorizerCalls: calls } : {};
    const answer = early ?? (decision?.allowed === false ? undefined : contract.gatewayAnswer(op.id, request, 'after_authorizer', { source }));
    if (answer) {
      // The gateway answered itself: the function never ran; its answer is judged like any response.
      for (const w of answer.warnings) if (!this.state.warnings.includes(w)) this.state.warnings.push(w);
      return { answered: { response: answer.response, status: answer.response.statusCode, violations: gatewayAnswerViolations(contract, op.id, call.intent, request, answer), event: null, answer, ...authorizerCalls } };
    }
    if (decision && !decision.allowed) {
      // The gateway refused before the handler ran: its answer is the case's response.
      const { response } = decision.fault;
      return { answered: { response, status: response.statusCode, violations: [faultViolation(op.id, decision.fault)], event: decision.event ?? null, decision, ...authorizerCalls } };
    }
    return decision ? { allowed: decision, ...authorizerCalls } : { ...authorizerCalls };
  }

  /** The function's part: the event built, the function invoked, its result judged as the gateway and the contract do. */
  private async invoke(p: OperationPlan, c: RequestCase, request: HttpRequest, seq: number, decision: Allowed | undefined): Promise<Evidence> {
    const { contract } = this.plan;
    const op = p.operation;
    const authorizer = decision ? decision.authorizer : p.overrides?.authorizerContext;
    const built = contract.eventForCase({ ...c, request }, p.source, { sequence: seq, ...(authorizer ? { authorizer } : {}) });
    const sent = JSON.stringify(built); // the event as sent, even if the handler mutates it (read back when asked for)
    const invocation = await this.target.invoke(built, this.invokeOptions);
    if (invocation.outcome.kind === 'timeout') this.state.timedOut.add(op.id);
    const judgement = contract.judge(op.id, invocation, { source: p.source });
    const status = judgement.response.statusCode;
    const violations: Violation[] = judgement.result.violations;
    if (invocation.outcome.kind === 'threw' && invocation.outcome.errorType === 'Runtime.CallbackHandlerDeprecated') violations.unshift(callbackHandlerViolation(op.id, status, this.options.runtime ?? ''));
    const evidence: Evidence = { response: judgement.response, status, violations, event: null, sent, invocation, ...(decision ? { decision } : {}) };
    if (invocation.error !== undefined) {
      const { type, message } = describeThrown(invocation.error);
      evidence.error = { type, message, ...(isErrorLike(invocation.error) && invocation.error.stack ? { stack: invocation.error.stack } : {}) };
    }
    return evidence;
  }

  /** The case's record: its violations under the run's checks, the network calls it tried, what the handler said. */
  private record(p: OperationPlan, common: Omit<CaseResult, 'ok' | 'violations' | 'event'>, call: CaseCall, evidence: Evidence, t0: number): CaseResult {
    const op = p.operation;
    const { status, invocation } = evidence;
    const notes: string[] = [];
    const outbound: OutboundAttempt[] = [...(invocation?.outbound ?? []), ...(this.state.isolation?.take() ?? [])];
    const counted = applyChecks({
      operation: op, intent: call.intent, status, violations: evidence.violations, refusedByAuthorizer: evidence.decision?.allowed === false, request: common.request, notes,
      ...(call.breaks ? { breaks: call.breaks } : {}), ...(this.options.acceptedStatuses ? { acceptedStatuses: this.options.acceptedStatuses } : {}),
      ...(outbound.length > 0 ? { blocked: [...new Set(outbound.map((a) => a.host))] } : {}),
    }, this.plan.checks);
    // Whatever the checks, a run that reached for the network is not a run on the contract alone.
    for (const attempt of outbound) counted.push(outboundViolation(op.id, status, attempt));
    const authorizerCalls = evidence.authorizerCalls ?? [];
    if (authorizerCalls.length > 0) {
      // An authorizer that could not reach what it needed (a pool's keys) decided without it: its blocked call is the finding.
      const consequences = counted.filter((v) => v.rule === 'authorizer_denied' || v.rule === 'authorizer_error');
      for (const v of consequences) {
        counted.splice(counted.indexOf(v), 1);
        notes.push(`not judged (${v.rule}): the Lambda authorizer answered after the run blocked its call to ${[...new Set(authorizerCalls.map((a) => a.host))].join(', ')}; that call is the finding`);
      }
    }
    for (const attempt of authorizerCalls) counted.push(outboundViolation(op.id, status, attempt, 'authorizer'));
    const inferred = call.intent !== 'unauthenticated' && evidence.decision?.allowed === false ? this.options.inferredTokens?.get(op.id) : undefined;
    if (inferred) {
      // The token was the run's guess at what the authorizer trusts: its refusal is not the handler's fault, nor surely the authorizer's.
      for (const v of counted.filter((x) => x.rule === 'authorizer_denied')) counted.splice(counted.indexOf(v), 1);
      notes.push(`not judged (authorizer_denied): the Lambda authorizer refused ${inferred}, the run's guess at what it trusts; give the claims it wants with "tokenClaims", or the header itself with "overrides"`);
    }
    const r: CaseResult = { ...common, ok: counted.length === 0, status, violations: withBasis(counted, op.pointer), event: evidence.event, durationMs: performance.now() - t0 };
    if (notes.length > 0) r.notes = [...r.notes, ...notes];
    const { answer } = evidence;
    if (answer) r.answeredBy = { rule: answer.rule, setting: answer.setting, reason: answer.reason, ...(answer.shapedBy ? { shapedBy: answer.shapedBy } : {}) };
    if (evidence.sent !== undefined) parsedOnRead(r, 'event', evidence.sent);
    if (evidence.error) r.error = evidence.error;
    if (!r.ok) r.response = responseRecord(evidence.response);
    if (invocation) {
      if (!r.ok && invocation.logs) r.logs = invocation.logs;
      this.state.lateFaults.set(r, invocation.late);
    }
    return r;
  }
}

/** A response as a failed case keeps it: its text cut at 2 KB, or the size of a body that is not text. */
export function responseRecord(response: HttpResponse): ResponseRecord {
  const { body } = response;
  let text: string | undefined;
  if (body.length > 0) {
    const decoded = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, 2048));
    text = decoded.includes('\uFFFD') ? `<${body.length} bytes>` : body.length > 2048 ? `${decoded}…` : decoded;
  }
  return { status: response.statusCode, headers: response.headers.map(([k, v]) => [k, v] as [string, string]), ...(text !== undefined ? { body: text } : {}) };
}

/**
 * Gives `target[key]` the value `text` holds as JSON, parsed the first time it is read: a passing case's
 * event is rarely looked at, and parsing every one cost more than building it. The key keeps its place.
 */
function parsedOnRead(target: object, key: string, text: string): void {
  const settle = (value: unknown): unknown => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(JSON.parse(text)), set: settle });
}

/**
 * The violations of a case the gateway answered itself. A preflight: whether the browser may go on. Any
 * other answer is judged against the contract like a function's (the gateway's default `{"message": …}`
 * against a documented error format), and a request the contract allows must not be refused.
 */
function gatewayAnswerViolations(contract: Contract, operationId: string, intent: CaseIntent, request: HttpRequest, answer: GatewayAnswer): Violation[] {
  const status = answer.response.statusCode;
  if (answer.rule === 'cors_preflight') {
    if (answer.refused === undefined) return [];
    return [{
      rule: 'cors_preflight_refused', operationId, status, where: 'gateway', expected: 'the preflight allowed (origin, method and request headers in the CORS configuration)', received: answer.reason,
      message: `a browser cannot call ${request.path}: ${answer.reason} (${answer.setting})`, specPointer: answer.setting.replace(/^#/, ''),
    }];
  }
  const judged = violationsOfGatewayAnswer(answer, contract.verify(operationId, answer.response, { method: request.method }).violations);
  if (intent === 'valid' && (answer.rule === 'request_validator' || answer.rule === 'api_key')) {
    judged.unshift({
      rule: 'request_refused_by_gateway', operationId, status, where: 'gateway', expected: 'the request passed to the function', received: `${status}: ${answer.reason}`,
      message: `the contract allows this request, but the gateway refuses it (${answer.setting}): ${answer.reason}`, specPointer: answer.setting.replace(/^#/, ''),
    });
  }
  return judged;
}

/** The violation of a callback handler on a runtime that no longer runs them. */
function callbackHandlerViolation(operationId: string, status: number, runtime: string): Violation {
  return {
    rule: 'runtime_unsupported_handler', operationId, status, where: 'handler', expected: 'an async handler (event, context)', received: 'a callback handler (event, context, callback)',
    message: `${runtime} no longer runs callback-style handlers: Lambda fails every invocation with Runtime.CallbackHandlerDeprecated`,
  };
}
