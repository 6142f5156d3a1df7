/**
 * Runs in a worker thread for {@link planSync}: loads the contract and names every case of the run.
 * Kept apart so the worker loads only what planning needs.
 */
import { Contract } from '../contract';
import { planRun, type PlanOptions, type PlannedOperation } from '../run/plan';
import { DEFAULT_RUNS } from '../run/run';

export interface PlanInput {
  spec: string;
  allowRemoteRefs: boolean;
  allowRefsFrom: string[];
  plan: PlanOptions;
}

export interface SuitePlan {
  operations: PlannedOperation[];
  warnings: string[];
}

export async function computePlan(input: PlanInput): Promise<SuitePlan> {
  const contract = await Contract.load(input.spec, { allowRemoteRefs: input.allowRemoteRefs, allowRefsFrom: input.allowRefsFrom });
  const { operations, warnings } = planRun(contract, { ...input.plan, defaultRuns: DEFAULT_RUNS });
  // The generated requests stay here: only the names cross to the test file.
  return { operations: operations.map(({ requests: _requests, ...named }) => named), warnings: [...contract.warnings, ...warnings] };
}
