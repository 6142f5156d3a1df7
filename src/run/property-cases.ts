/**
 * One operation's property-based cases: fast-check draws valid requests, each runs through the
 * gateway and the handler, and the first failure is shrunk to the smallest request that still fails.
 * The run's seed (and the operation) fixes every draw, so the same seed reproduces the failure.
 */
import { fc, type RunDetails } from '../requests/fc';
import { describeThrown } from '../errors';
import type { Operation } from '../document/model';
import type { CaseValues, RequestCase } from '../requests/cases';
import { operationSeed, type PropertyDraw } from '../requests/property-values';
import type { Contract, OperationCases } from '../contract';
import type { CaseResult } from './case-result';
import { propertyCaseName } from './plan';

export async function propertyCase(
  contract: Contract,
  op: Operation,
  runs: number,
  cases: OperationCases,
  runCase: (c: RequestCase) => Promise<CaseResult>,
  warnings: string[],
): Promise<CaseResult> {
  const started = performance.now();
  const seed = cases.seed;
  const opSeed = operationSeed(seed, op.id);
  let last: CaseResult | undefined;
  let drawn = 0;
  const build = (values: CaseValues, name: string): RequestCase => ({ ...cases.build(name, values), seed });
  /** The schemas admit no (or almost no) valid request: a document problem, reported, not failed. */
  const unsatisfiable = (reason: string): CaseResult => {
    const why = `${op.id}: no valid request could be generated for property-based cases (${reason.split('\n')[0]})`;
    warnings.push(why);
    return { operationId: op.id, method: op.method, path: op.path, source: contract.sourceFor(op), case: propertyCaseName(runs), seed, ok: true, violations: [], request: { method: op.method, path: op.path, rawQuery: '', headers: [] }, event: null, notes: [why], durationMs: performance.now() - started };
  };
  let details: RunDetails<[PropertyDraw]>;
  try {
    const arbitrary = cases.propertyValues();
    details = await fc.check(
      fc.asyncProperty(arbitrary, async ({ values, invalid }) => {
        fc.pre(invalid.length === 0); // a draw the schema rejects is skipped, never sent
        drawn++;
        last = await runCase(build(values, `property #${drawn}`));
        return last.ok;
      }),
      { seed: opSeed, numRuns: runs, endOnFailure: false },
    );
  } catch (error) {
    return unsatisfiable(describeThrown(error).message);
  }
  if (details.failed && details.counterexample) {
    // The shrunk counterexample, run once more so its verdict is the one reported.
    const shrunk = await runCase(build(details.counterexample[0].values, `property: smallest failing request (after ${details.numRuns} runs, ${details.numShrinks} shrinks)`));
    shrunk.notes = [...shrunk.notes, `reproduce: --seed ${seed} (operation seed ${details.seed}, path ${details.counterexamplePath ?? ''})`];
    shrunk.durationMs = performance.now() - started;
    if (shrunk.ok) {
      // A flaky handler: the failure did not repeat. Report the failing run itself.
      shrunk.ok = false;
      shrunk.internalError = `the shrunk request passed when run again: the handler's answer depends on more than the request (state, time)`;
    }
    return shrunk;
  }
  if (details.failed || !last) return unsatisfiable('too many generated values were invalid');
  // Every draw conformed: one line for all of them, showing the last request sent.
  return { ...last, case: `property ×${details.numRuns}`, seed, notes: [], durationMs: performance.now() - started };
}
