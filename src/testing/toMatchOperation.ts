/**
 * `toMatchOperation(operationId, options?)`: the gateway's verdict, then the contract's, on a
 * handler's result. Synchronous by design (an async matcher never matches asymmetrically): the
 * contract is loaded before the test body (preset setup, `useContract`, or the `contract` option).
 */
import type { MatcherContext, MatcherFunction } from 'expect';
import { currentContract } from '../config/default';
import { describeThrown, isContractError } from '../errors';
import { isInvocation } from '../invoke/invoke';
import { describeRequest } from '../report/request';
import { unknownOperationMessage, type Contract } from '../contract';
import type { Judgement } from '../verify/judge';
import type { Violation } from '../verify/violation';
import type { MatchOperationOptions } from './types';

const NAME = 'toMatchOperation';

function hint(ctx: MatcherContext, withOptions = false): string {
  return ctx.utils.matcherHint(NAME, 'received', 'operationId', {
    isNot: Boolean(ctx.isNot),
    promise: ctx.promise ?? '',
    ...(withOptions ? { secondArgument: 'options' } : {}),
  });
}

function formatViolations(ctx: MatcherContext, violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const where = v.pointer !== undefined ? `body ${v.pointer || '(root)'}` : v.where;
      const lines = [
        `  ✗ ${v.message}`,
        `      rule:     ${v.rule}${v.keyword ? ` (${v.keyword})` : ''}`,
        `      where:    ${where}`,
        `      Expected: ${ctx.utils.EXPECTED_COLOR(v.expected)}`,
        `      Received: ${ctx.utils.RECEIVED_COLOR(v.received)}`,
      ];
      const diff = v.diff ? shortDiff(ctx, v.diff.expected, v.diff.received) : undefined;
      if (diff) lines.push('', ...diff.split('\n').map((line) => `      ${line}`.trimEnd()));
      return lines.join('\n');
    })
    .join('\n');
}

const DIFF_LINES = 12;

/** Jest's diff of two values that should have been equal, cut to a few lines; none when it says nothing. */
function shortDiff(ctx: MatcherContext, expected: unknown, received: unknown): string | undefined {
  const text = ctx.utils.diff(expected, received, { contextLines: 1, expand: false, omitAnnotationLines: false });
  if (!text || text.includes('Compared values have no visual difference')) return undefined;
  const lines = text.split('\n');
  return lines.length > DIFF_LINES ? [...lines.slice(0, DIFF_LINES), `… ${lines.length - DIFF_LINES} more lines`].join('\n') : text;
}

function misuse(ctx: MatcherContext, text: string): { pass: boolean; message: () => string } {
  // Fails with or without `.not`: a typo must never pass silently.
  return { pass: Boolean(ctx.isNot), message: () => `${hint(ctx)}\n\n${text}` };
}

export const toMatchOperation: MatcherFunction<[operationId: unknown, options?: unknown]> = function (received, operationId, options) {
  if (typeof operationId !== 'string' || operationId === '') {
    return misuse(this, `operationId must be a non-empty string, got ${this.utils.printReceived(operationId)}`);
  }
  const opts = (typeof options === 'object' && options !== null ? options : {}) as MatchOperationOptions;
  const contract: Contract | undefined = opts.contract ?? currentContract();
  if (!contract) {
    return misuse(this, 'no contract is loaded. Use `preset: \'lambda-contract\'` with "spec" in lambda-contract.config.json (or "lambdaContract" in package.json), call useContract(await loadContract(file)) in beforeAll, or pass { contract }.');
  }
  const op = contract.findOperation(operationId);
  if (!op) return misuse(this, unknownOperationMessage(contract, operationId));

  let judgement: Judgement;
  try {
    judgement = contract.judge(op.id, received, {
      ...(opts.source !== undefined ? { source: opts.source } : {}),
      ...(opts.status !== undefined ? { status: opts.status } : {}),
    });
  } catch (error) {
    const text = isContractError(error) ? error.message : `lambda-contract could not judge the result: ${describeThrown(error).message}`;
    return misuse(this, text);
  }

  const pass = judgement.result.ok;
  const { response, request, source } = judgement;
  const subject = judgement.overHttp ? 'the HTTP response' : isInvocation(received) ? 'the handler\'s result' : 'the result';
  const behind = judgement.overHttp ? 'over HTTP' : `behind ${source}`;
  const origin = isInvocation(received) && received.origin ? ` (request case ${received.origin.caseName}, seed ${received.origin.seed})` : '';
  const requestLine = `Request: ${this.utils.DIM_COLOR(describeRequest(request))}${origin}`;
  const contentType = response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];

  const message = pass
    ? () =>
        `${hint(this)}\n\n` +
        `Expected ${subject} not to match ${op.id} (${op.method} ${op.path}) ${behind}, but it conforms:\n` +
        `  status ${this.utils.printReceived(response.statusCode)}${contentType ? `, Content-Type ${this.utils.printReceived(contentType)}` : ''}\n\n${requestLine}`
    : () => {
        const n = judgement.result.violations.length;
        const head = judgement.fault
          ? `${op.id} (${op.method} ${op.path}): behind ${source} the gateway answers ${response.statusCode} instead of the handler's response:`
          : `${op.id} (${op.method} ${op.path}) answered ${response.statusCode} ${behind} with ${n} contract violation${n === 1 ? '' : 's'}:`;
        return `${hint(this)}\n\n${head}\n\n${formatViolations(this, judgement.result.violations)}\n\n${requestLine}`;
      };
  return { pass, message };
};
