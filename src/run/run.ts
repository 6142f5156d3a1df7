/**
 * The contract run: for every operation, its request cases → events → handler → verdict. One
 * operation's failure (a throw in our code included) is recorded and the run goes on.
 */
import type { CaseResult } from './case-result';
import { computeCoverage } from './coverage';
import { ContractError } from '../errors';
import type { HttpResponse, SourceName } from '../gateway/types';
import { headerValue } from '../gateway/wire';
import { linksFromLocation, summarizeLink, type Link } from '../document/links';
import { runRootSequences, sequenceChecksOn, sequencesOf, type SequenceRun } from './sequences';
import type { LambdaHandler } from '../invoke/invoke';
import { targetOf, type FunctionTarget } from '../invoke/target';
import { SOURCE_NAMES } from '../gateway';
import { acceptsAuthorizer } from '../gateway/authorizer';
import type { Contract } from '../contract';
import { CHECK_NAMES } from './checks';
import { resolveRun, type OperationPlan, type RunPlan } from './plan';
import { isolateNetwork } from '../invoke/isolation';
import { guarded } from '../invoke/guard';
import { sandboxEnvironment, withEnvironment } from '../invoke/environment';
import { CaseRunner, type RunState } from './case-runner';
import { runOperation, type OperationRun } from './operation';

export type { CaseResult } from './case-result';
export type { RunOptions, RunReport, StandInsReport } from './types';
import type { RunOptions, RunReport } from './types';
export type { LinkSummary } from '../document/links';
export type { FunctionUsage } from '../invoke/sandbox/pool';

/** Property-based cases per operation when none is asked for: enough to find edge cases, fast enough for every commit. */
export const DEFAULT_RUNS = 20;

/**
 * Runs the whole contract against a handler.
 *
 * @example
 * const report = await runContract(await loadContract('openapi.yaml'), handler);
 * report.summary.failed; // 0 when every case conforms
 */
export async function runContract(contract: Contract, handler: LambdaHandler<never> | FunctionTarget, options: RunOptions = {}): Promise<RunReport> {
  // The whole run under one guard: handler logs, exits and stray errors are caught for every case, and
  // errors thrown by a handler's timers between cases are still attributed to the case that started them.
  // What the test file set in its sandbox's process.env is what the handler sees (see invoke/environment.ts).
  const { value: report, orphans } = await withEnvironment(sandboxEnvironment(), () => guarded(() => runGuarded(contract, targetOf(handler), options)));
  for (const o of orphans) report.warnings.push(`the handler's code raised ${o}`);
  return report;
}

/**
 * The run's stages: the options resolved into a plan; each operation's single cases; the sequences
 * along the links; the faults the handler raised late landed on their cases; the report.
 */
async function runGuarded(contract: Contract, target: FunctionTarget, options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  if (options.authorizer && options.source !== undefined && !acceptsAuthorizer(options.source)) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `a Lambda authorizer stands in front of REST and HTTP APIs only; source "${options.source}" has none`, { option: 'authorizer', source: options.source });
  }
  const warnings = [...contract.warnings];
  const plan = resolveRun(contract, { ...options, defaultRuns: DEFAULT_RUNS }, warnings);
  const isolation = options.network === false ? undefined : isolateNetwork(options.network ?? {});
  const state: RunState = { results: [], warnings, timedOut: new Set(), lateFaults: new Map(), isolation };
  const emit = (r: CaseResult): void => {
    state.results.push(r);
    options.onResult?.(r);
  };
  const runner = new CaseRunner(plan, target, options, state);
  const learning = linkLearning(plan, options);
  let links: Link[] = [];
  try {
    const run: OperationRun = { plan, runner, state, emit, signal: options.signal, learn: learning.learn };
    for (const p of plan.operations) {
      if (options.signal?.aborted) break;
      await runOperation(run, p);
    }
    links = await runSequences(run, options, learning.learned);
    // Faults of work the handler left (callbacks, timers due now) land on their cases.
    await target.settle();
  } finally {
    isolation?.restore();
  }
  landLateFaults(state);
  if (options.signal?.aborted) warnings.push(`interrupted: the run was stopped after ${state.results.length} cases; this report covers those only`);
  return reportOf(plan, options, state, links, started);
}

/**
 * With no links of its own, a document's links are inferred, and a Location header a valid request
 * gets back teaches more: its operation leads to the operations whose path the header points at.
 */
function linkLearning(plan: RunPlan, options: RunOptions): { learned: Link[]; learn: OperationRun['learn'] } {
  const { contract } = plan;
  const graph = contract.links;
  const learned: Link[] = options.learnedLinks ?? [];
  const learning = graph.inferred && (options.learnedLinks !== undefined || sequenceChecksOn(plan.checks, options.sequences));
  if (!learning) return { learned, learn: undefined };
  const learn = (p: OperationPlan) => (response: HttpResponse): void => {
    const location = response.statusCode >= 200 && response.statusCode < 300 ? headerValue(response.headers, 'location') : undefined;
    // Every link taught is kept (a deployment's sequences cross functions); the sequences pick those in scope.
    if (location) learned.push(...linksFromLocation(p.operation, response.statusCode, location, contract.operations, [...graph.links, ...learned]));
  };
  return { learned, learn };
}

/**
 * Sequences along the links, once every operation ran alone: the handler keeps its state (a warm
 * container). Not through an operation whose function timed out: each step there would wait for the
 * Timeout again. Returns the links the sequences could follow.
 */
async function runSequences(run: OperationRun, options: RunOptions, learned: readonly Link[]): Promise<Link[]> {
  const { plan, state } = run;
  const graph = plan.contract.links;
  const selected = new Set(plan.operations.map((p) => p.operation.id));
  const scope = options.linkScope ? new Set(options.linkScope) : selected;
  const all = [...graph.links, ...learned];
  const throughLive = all.filter((l) => !state.timedOut.has(l.source.id) && !state.timedOut.has(l.target.id));
  if (throughLive.length < all.length) state.warnings.push(`no sequences through ${[...state.timedOut].join(', ')}: the function timed out there`);
  const { links, roots } = sequencesOf(throughLive, scope, selected, plan.checks, options.sequences);
  if (roots.length > 0) for (const w of graph.warnings) if (!state.warnings.includes(w)) state.warnings.push(w);
  const sequenceRun: SequenceRun = {
    contract: plan.contract, links, checks: plan.checks, seed: plan.seed,
    cases: (op) => plan.of(op).cases,
    step: async (op, c) => {
      let response: HttpResponse | undefined;
      const result = await run.runner.run(plan.of(op), c, { intent: 'valid', capture: (r) => (response = r) });
      return { result, ...(response ? { response } : {}) };
    },
  };
  for (const root of roots) {
    if (options.signal?.aborted) break;
    for (const r of await runRootSequences(sequenceRun, root, plan.runs, options.signal)) run.emit(r);
  }
  return links;
}

/** The faults a handler's leftover work raised after its case was judged: each fails the case that started it. */
function landLateFaults(state: RunState): void {
  for (const [r, late] of state.lateFaults) {
    if (late.length === 0) continue;
    for (const message of late) {
      r.violations.push({ rule: 'handler_failed_later', operationId: r.operationId, ...(r.status !== undefined ? { status: r.status } : {}), where: 'handler', expected: 'nothing raised once the handler has answered', received: message.replace(/^after it answered, the handler's code /, ''), message });
    }
    r.ok = false;
  }
  // A sequence's case shares its failing (or last) step's violations: a fault that arrived late there fails the sequence too.
  for (const r of state.results) if (r.sequence && r.ok && r.violations.length > 0) r.ok = false;
}

function reportOf(plan: RunPlan, options: RunOptions, state: RunState, links: readonly Link[], started: number): RunReport {
  const { contract, checks } = plan;
  const { results } = state;
  const operations = plan.operations.map((p) => p.operation);
  const failedOps = new Set(results.filter((r) => !r.ok).map((r) => r.operationId));
  const passed = results.filter((r) => r.ok).length;
  return {
    spec: contract.file,
    title: contract.title,
    version: contract.version,
    source: options.source ?? contract.source,
    results,
    summary: { operations: operations.length, failedOperations: failedOps.size, cases: results.length, passed, failed: results.length - passed },
    coverage: computeCoverage(operations, results, links),
    warnings: state.warnings,
    ...(links.length > 0 ? { links: links.map(summarizeLink) } : {}),
    durationMs: performance.now() - started,
    ...(options.signal?.aborted ? { interrupted: true as const } : {}),
    ...(checks.length < CHECK_NAMES.length ? { checks: [...checks] } : {}),
  };
}

/** The same contract run behind several sources: where the handler works, and where it breaks. */
export interface PortabilityReport {
  spec: string;
  title: string;
  version: string;
  sources: SourceName[];
  /** One run per source, in the order of `sources`. */
  reports: RunReport[];
  /** For each operation, per source: whether every case conformed. */
  matrix: Array<{ operationId: string; method: string; path: string; bySource: Partial<Record<SourceName, boolean>> }>;
  summary: { sources: number; portable: boolean; failedSources: SourceName[] };
  durationMs: number;
}

/**
 * Runs the contract behind every given source (default: all of them).
 *
 * @example
 * const p = await runPortability(contract, handler);
 * p.summary.failedSources; // ['alb', 'alb-multi'] for a handler that only answers API Gateway
 */
export async function runPortability(contract: Contract, handler: LambdaHandler<never> | FunctionTarget, options: Omit<RunOptions, 'source'> & { sources?: SourceName[] } = {}): Promise<PortabilityReport> {
  const started = performance.now();
  const { sources = [...SOURCE_NAMES], ...rest } = options;
  const reports: RunReport[] = [];
  for (const source of sources) {
    // An authorizer only stands in front of API Gateway; behind a function URL or an ALB there is none.
    const { authorizer, ...others } = rest;
    reports.push(await runContract(contract, handler, { ...others, ...(authorizer && acceptsAuthorizer(source) ? { authorizer } : {}), source }));
  }
  const matrix: PortabilityReport['matrix'] = [];
  const index = new Map<string, PortabilityReport['matrix'][number]>();
  reports.forEach((report, i) => {
    const source = sources[i] as SourceName;
    for (const r of report.results) {
      let row = index.get(r.operationId);
      if (!row) {
        row = { operationId: r.operationId, method: r.method, path: r.path, bySource: {} };
        index.set(r.operationId, row);
        matrix.push(row);
      }
      row.bySource[source] = (row.bySource[source] ?? true) && r.ok;
    }
  });
  const failedSources = sources.filter((_s, i) => (reports[i]?.summary.failed ?? 0) > 0);
  return {
    spec: contract.file,
    title: contract.title,
    version: contract.version,
    sources,
    reports,
    matrix,
    summary: { sources: sources.length, portable: failedSources.length === 0, failedSources },
    durationMs: performance.now() - started,
  };
}
