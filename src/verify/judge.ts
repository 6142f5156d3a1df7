/**
 * `judge`: the gateway's step first (the source's result rules: a result AWS refuses is a fault), then
 * the contract's on what the client receives. `verify` (verify.ts) is the contract's step alone.
 */
import type { Operation } from '../document/model';
import { sourceFor } from '../gateway';
import type { GatewayFault, GatewayOptions, HttpRequest, HttpResponse, InvokeOutcome, SourceName } from '../gateway/types';
import type { SchemaCompiler } from './ajv';
import { faultViolation, verifyResponse } from './verify';
import { verdict, type VerifyResult, type Violation } from './violation';

/** The full verdict on one result: what the client gets, and every violation. */
export interface Judgement {
  result: VerifyResult;
  /** The response the client receives (the gateway's own error response when it faults). */
  response: HttpResponse;
  /** Set when the gateway would not pass the result through. */
  fault?: GatewayFault;
  /** The request judged against (the source's binary rules and the HEAD rule need it). */
  request: HttpRequest;
  source: SourceName;
  /** The subject was an HTTP client's response (supertest): judged as received, with no gateway step. */
  overHttp?: boolean;
}

/** What a judgement needs besides the subject. */
export interface JudgeContext {
  compiler: SchemaCompiler;
  request: HttpRequest;
  source: SourceName;
  /** The status the test expects; any other is a violation. */
  status?: number;
}

/** Judges a handler's outcome behind `source`: the gateway's verdict, then the contract on the client's response. */
export function judgeOutcome(op: Operation, outcome: InvokeOutcome, gateway: GatewayOptions, ctx: JudgeContext): Judgement {
  const { request, source } = ctx;
  const delivered = sourceFor(source).fromResult(outcome, request, gateway);
  if (!delivered.ok) {
    return { result: verdict([faultViolation(op.id, delivered.fault)]), response: delivered.fault.response, fault: delivered.fault, request, source };
  }
  return { ...judgeResponse(op, delivered.response, ctx) };
}

/** Judges a response as the client received it (an HTTP client's response: no gateway step to apply). */
export function judgeResponse(op: Operation, response: HttpResponse, ctx: JudgeContext): Judgement {
  const checked = verifyResponse({ compiler: ctx.compiler, method: ctx.request.method }, op, response);
  const violations: Violation[] = [...checked.violations];
  if (ctx.status !== undefined && response.statusCode !== ctx.status) violations.unshift(statusMismatch(op.id, ctx.status, response.statusCode));
  return { result: verdict(violations), response, request: ctx.request, source: ctx.source };
}

function statusMismatch(operationId: string, expected: number, received: number): Violation {
  return {
    rule: 'status_unexpected', operationId, status: received, where: 'status',
    expected: String(expected), received: String(received),
    message: `expected status ${expected}, received ${received}`,
  };
}
