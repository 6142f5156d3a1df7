/**
 * What a contract run will send, named before anything runs: the operations it judges and the case
 * names of each (examples, schema, the property case, forbidden and credential-less requests). The
 * run and the generated Jest suites share these rules, so a suite's tests are exactly the run's cases.
 */
import type { Operation } from '../document/model';
import { describeThrown } from '../errors';
import type { RequestCase, RequestOverrides } from '../requests/cases';
import type { NegativeCase } from '../requests/negative';
import { CHECK_NAMES, type CheckName } from './checks';
import type { Contract } from '../contract';
import type { SourceName } from '../gateway/types';
import { PREFLIGHT_CASE, wantsPreflight } from '../requests/preflight';
import { fixedSequences, randomSequencesName, sequencesOf } from './sequences';

export interface PlanOptions {
  /** Only these operations (ids or `METHOD /path`). */
  operations?: string[];
  seed?: number;
  /** Property-based cases per operation (0: none). */
  runs?: number;
  checks?: CheckName[];
  overrides?: Record<string, RequestOverrides>;
  /** The source every operation runs behind (default: each operation's own). */
  source?: SourceName;
  /** `false`: no sequences along links. */
  sequences?: boolean;
  /** The operations whose links sequences may follow (default: the planned ones); see `RunOptions.linkScope`. */
  linkScope?: readonly string[];
}

export interface PlannedOperation {
  id: string;
  method: string;
  path: string;
  /** The case names, in the order the run produces them. */
  cases: string[];
  /** @internal The requests generated to name the cases, for a run with the same options to send. */
  requests?: PlannedRequests;
}

/** @internal What a plan generated for one operation: its valid requests and, when wanted, its forbidden ones. */
export interface PlannedRequests {
  valid: RequestCase[];
  negative?: NegativeCase[];
}

/**
 * The operations a run judges: the chosen ones (default all) except those API Gateway does not send to
 * a Lambda proxy (HTTP or AWS-service integrations), which are skipped with a warning. Mock
 * integrations stay: the gateway answers them itself, and its answer must match the contract too.
 */
export function runnableOperations(contract: Contract, chosen: string[] | undefined, warnings: string[], source?: SourceName): Operation[] {
  const selected = chosen ? chosen.map((id) => contract.operation(id)) : contract.operations;
  return selected.filter((op) => {
    if (!op.integration || op.integration.type === 'aws_proxy') return true;
    // A REST API's mock integration is the gateway's own answer (the OPTIONS methods SAM's Cors makes): judged too.
    if (op.gateway?.mock && (source ?? contract.sourceFor(op)) === 'rest') return true;
    warnings.push(`${op.id} (${op.method} ${op.path}) has a "${op.integration.type}" integration, not a Lambda proxy; skipped`);
    return false;
  });
}

/** The overrides for an operation: by id, else by `METHOD /path` for operations without an operationId. */
export function overridesFor(op: Operation, overrides: Record<string, RequestOverrides> | undefined): RequestOverrides | undefined {
  return overrides?.[op.id] ?? (op.operationId === undefined ? undefined : overrides?.[`${op.method} ${op.path}`]);
}

/** The property case's name in a plan; the run names it by its outcome (`property ×20`, `property: smallest failing request …`). */
export function propertyCaseName(runs: number): string {
  return `property ×${runs}`;
}

/** Whether the run makes property cases under these checks. */
export function wantsProperty(runs: number, checks: readonly CheckName[]): boolean {
  return runs > 0 && (checks.includes('conformance') || checks.includes('no_server_errors'));
}

/**
 * The case names the run will produce for each operation, without running anything.
 *
 * @example
 * planRun(contract, { runs: 20 }).operations[0]; // { id: 'listPets', cases: ['example "two"', 'schema', 'property ×20', 'query parameter "limit" is above its maximum 100', …] }
 */
export function planRun(contract: Contract, options: PlanOptions & { defaultRuns: number }): { operations: PlannedOperation[]; warnings: string[] } {
  const warnings: string[] = [];
  const checks = options.checks ?? [...CHECK_NAMES];
  const runs = options.runs ?? options.defaultRuns;
  const seed = options.seed ?? 1;
  const operations = runnableOperations(contract, options.operations, warnings, options.source).map((op): PlannedOperation => {
    const overrides = overridesFor(op, options.overrides);
    const requestOptions = { seed, ...(overrides ? { overrides } : {}) };
    const cases: string[] = [];
    const planned: PlannedOperation = { id: op.id, method: op.method, path: op.path, cases };
    try {
      const valid = contract.requests(op.id, requestOptions);
      planned.requests = { valid };
      cases.push(...valid.map((c) => c.name));
      if (valid.length > 0 && wantsPreflight(op, contract.preflightFor(op.id, options.source ?? contract.sourceFor(op)))) cases.push(PREFLIGHT_CASE);
    } catch (error) {
      warnings.push(`${op.id}: could not generate requests: ${describeThrown(error).message}`);
      cases.push('generate');
      return planned;
    }
    if (wantsProperty(runs, checks)) cases.push(propertyCaseName(runs));
    const wantNegative = checks.includes('negative_data_rejection');
    const wantAuth = checks.includes('auth_enforcement');
    if (wantNegative || wantAuth) {
      try {
        const negative = contract.negativeRequests(op.id, requestOptions);
        planned.requests = { ...planned.requests, valid: planned.requests?.valid ?? [], negative };
        for (const n of negative) {
          if ((n.intent === 'invalid' && wantNegative) || (n.intent === 'unauthenticated' && wantAuth)) cases.push(n.name);
        }
      } catch {
        cases.push('negative');
      }
    }
    return planned;
  });
  // Sequences along the links among the planned operations (or the scope), under their root operation, as the run names them.
  const planned = new Set(operations.map((op) => op.id));
  const { links, roots } = sequencesOf(contract.links.links, new Set(options.linkScope ?? planned), planned, checks, options.sequences);
  for (const root of roots) {
    const cases = operations.find((op) => op.id === root.id)?.cases;
    cases?.push(...fixedSequences(root, links).map((k) => k.name));
    if (runs > 0) cases?.push(randomSequencesName(root, runs));
  }
  return { operations, warnings };
}
