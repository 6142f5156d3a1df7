/**
 * One operation's single cases, in the order a plan names them: its valid requests, the browser's
 * preflight, the property case, then the requests the contract forbids. After the function times out
 * on the operation, its other cases are skipped and the timed-out case says how many.
 */
import type { CaseResult } from './case-result';
import { describeThrown } from '../errors';
import type { HttpRequest, HttpResponse } from '../gateway/types';
import type { RequestCase } from '../requests/cases';
import type { NegativeCase } from '../requests/negative';
import { preflightCase, wantsPreflight } from '../requests/preflight';
import { propertyCase } from './property-cases';
import { propertyRuns, sends, type OperationPlan, type RunPlan } from './plan';
import type { CaseRunner, RunState } from './case-runner';
import { withToken } from './token-cases';

/** What running an operation's cases needs besides its plan. */
export interface OperationRun {
  plan: RunPlan;
  runner: CaseRunner;
  state: RunState;
  emit: (result: CaseResult) => void;
  signal: AbortSignal | undefined;
  /** Told each valid response (a Location header teaches links), when the run learns links. */
  learn: ((p: OperationPlan) => (response: HttpResponse) => void) | undefined;
}

export async function runOperation(run: OperationRun, p: OperationPlan): Promise<void> {
  const { runner, emit } = run;
  const cases = generate(run, p, 'generate', () => p.generated?.valid ?? p.cases.valid());
  if (!cases) return;
  let skipped = 0;
  const goOn = (): boolean => {
    if (run.signal?.aborted) return false;
    if (!run.state.timedOut.has(p.operation.id)) return true;
    skipped++; // each would cost the function's Timeout again
    return false;
  };
  const capture = run.learn?.(p);
  for (const c of cases) if (goOn()) emit(await runner.run(p, c, { intent: 'valid', ...(capture ? { capture } : {}) }));
  // A browser asks the HTTP API before calling a CORS-enabled route: the gateway answers that preflight.
  const first = cases[0];
  if (first && p.preflight && wantsPreflight(p.operation, p.preflight) && goOn()) emit(await runner.run(p, preflightCase(p.operation, first, p.preflight), { intent: 'valid' }));
  if (run.plan.wants.property && goOn()) {
    emit(await propertyCase(run.plan.contract, p.operation, propertyRuns(p.operation, run.plan.runs), p.cases, (c) => runner.run(p, c, { intent: 'valid' }), run.state.warnings));
  }
  if (run.plan.wants.negative || run.plan.wants.auth) {
    const negatives = generate(run, p, 'negative', () => p.generated?.negative ?? p.cases.negative());
    for (const n of negatives ?? []) if (sends(run.plan, n) && goOn()) emit(await runner.run(p, n, { intent: n.intent, breaks: n.breaks }));
  }
  const gate = p.gate;
  if (gate && run.plan.wants.auth) {
    // The template's JWT or Cognito authorizer refuses these itself: the function never sees them.
    const probes = generate(run, p, 'negative', () => gate.probes.map((probe) => {
      const overrides = withToken(p.operation, p.overrides, gate.authorizer.header, probe.token);
      return { ...run.plan.contract.cases(p.operation.id, { seed: run.plan.seed, overrides }).build(probe.name, p.cases.defaults()), intent: 'unauthenticated' as const, breaks: probe.breaks };
    }));
    for (const c of probes ?? []) if (goOn()) emit(await runner.run(p, c, { intent: c.intent, breaks: c.breaks }));
  }
  if (skipped > 0) noteSkipped(run.state.results, p.operation.id, skipped);
}

/** The operation's requests of one kind, or undefined after reporting that they could not be generated. */
function generate<T extends RequestCase | NegativeCase>(run: OperationRun, p: OperationPlan, kind: 'generate' | 'negative', make: () => T[]): T[] | undefined {
  try {
    return make();
  } catch (error) {
    const op = p.operation;
    const bare: HttpRequest = { method: op.method, path: op.path, rawQuery: '', headers: [] };
    const what = kind === 'generate' ? 'requests' : 'forbidden requests';
    run.emit({
      operationId: op.id, method: op.method, path: op.path, source: p.source, case: kind, seed: run.plan.seed, ok: false, violations: [],
      request: bare, event: null, notes: [], durationMs: 0, internalError: `could not generate ${what}: ${describeThrown(error).message}`,
    });
    return undefined;
  }
}

/** Says on an operation's timed-out case how many of its cases were not run after it. */
function noteSkipped(results: readonly CaseResult[], operationId: string, skipped: number): void {
  const timedOut = results.find((r) => r.operationId === operationId && r.violations.some((v) => v.rule === 'timeout'));
  if (!timedOut) return;
  timedOut.notes = [...timedOut.notes, `the function timed out: ${skipped} more case${skipped === 1 ? '' : 's'} of ${operationId} not run (each would wait for the Timeout again)`];
}
