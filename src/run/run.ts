/**
 * The contract run: for every operation, its request cases → events → handler → verdict. One
 * operation's failure (a throw in our code included) is recorded and the run goes on.
 */
import { describeThrown, isErrorLike } from '../errors';
import type { HttpRequest, SourceName } from '../gateway/types';
import { invoke, type InvokeOptions, type LambdaHandler } from '../invoke/invoke';
import type { Violation } from '../verify/violation';
import type { Contract } from './contract';

/** The verdict on one request case. */
export interface CaseResult {
  operationId: string;
  method: string;
  /** The path template. */
  path: string;
  source: SourceName;
  /** `example "cat"`, `schema`. */
  case: string;
  seed: number;
  ok: boolean;
  /** The status the client received (the gateway's own on a fault). */
  status?: number;
  violations: Violation[];
  /** The request that was sent. */
  request: HttpRequest;
  /** The event the handler received. */
  event: unknown;
  /** What the generator noticed about this case. */
  notes: string[];
  durationMs: number;
  /** The handler's error, when it threw. */
  error?: { type: string; message: string; stack?: string };
  /** A failure of lambda-contract itself on this case (reported, not thrown). */
  internalError?: string;
}

export interface RunReport {
  spec: string;
  title: string;
  version: string;
  source: SourceName;
  results: CaseResult[];
  summary: { operations: number; failedOperations: number; cases: number; passed: number; failed: number };
  /** Document problems that did not stop the run. */
  warnings: string[];
  durationMs: number;
}

export interface RunOptions extends InvokeOptions {
  /** Only these operations (ids or `METHOD /path`). */
  operations?: string[];
  source?: SourceName;
  seed?: number;
  /** Called after each case (progress output). */
  onResult?: (result: CaseResult) => void;
}

/**
 * Runs the whole contract against a handler.
 *
 * @example
 * const report = await runContract(await loadContract('openapi.yaml'), handler);
 * report.summary.failed; // 0 when every case conforms
 */
export async function runContract(contract: Contract, handler: LambdaHandler<never>, options: RunOptions = {}): Promise<RunReport> {
  const started = performance.now();
  const source = options.source ?? contract.source;
  const operations = options.operations ? options.operations.map((id) => contract.operation(id)) : contract.operations;
  const results: CaseResult[] = [];
  let sequence = 0;
  for (const op of operations) {
    let cases;
    try {
      cases = contract.requests(op.id, options.seed !== undefined ? { seed: options.seed } : {});
    } catch (error) {
      const r: CaseResult = {
        operationId: op.id, method: op.method, path: op.path, source, case: 'generate', seed: options.seed ?? 1, ok: false, violations: [],
        request: { method: op.method, path: op.path, rawQuery: '', headers: [] }, event: null, notes: [], durationMs: 0,
        internalError: `could not generate requests: ${describeThrown(error).message}`,
      };
      results.push(r);
      options.onResult?.(r);
      continue;
    }
    for (const c of cases) {
      const t0 = performance.now();
      let result: CaseResult;
      try {
        const event = contract.eventForCase(c, source, { sequence: sequence++ });
        const snapshot = JSON.parse(JSON.stringify(event)) as unknown; // the event as sent, even if the handler mutates it
        const invocation = await invoke(handler, event as never, {
          ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
          ...(options.context ? { context: options.context } : {}),
        });
        const judgement = contract.judge(op.id, invocation, { source });
        result = {
          operationId: op.id, method: op.method, path: op.path, source, case: c.name, seed: c.seed,
          ok: judgement.result.ok, status: judgement.response.statusCode, violations: judgement.result.violations,
          request: c.request, event: snapshot, notes: c.notes, durationMs: performance.now() - t0,
        };
        if (invocation.error !== undefined) {
          const { type, message } = describeThrown(invocation.error);
          result.error = { type, message, ...(isErrorLike(invocation.error) && invocation.error.stack ? { stack: invocation.error.stack } : {}) };
        }
      } catch (error) {
        result = {
          operationId: op.id, method: op.method, path: op.path, source, case: c.name, seed: c.seed, ok: false, violations: [],
          request: c.request, event: null, notes: c.notes, durationMs: performance.now() - t0,
          internalError: describeThrown(error).message,
        };
      }
      results.push(result);
      options.onResult?.(result);
    }
  }
  const failedOps = new Set(results.filter((r) => !r.ok).map((r) => r.operationId));
  const passed = results.filter((r) => r.ok).length;
  return {
    spec: contract.file,
    title: contract.title,
    version: contract.version,
    source,
    results,
    summary: { operations: operations.length, failedOperations: failedOps.size, cases: results.length, passed, failed: results.length - passed },
    warnings: [...contract.warnings],
    durationMs: performance.now() - started,
  };
}
