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
import type { Contract, OperationCases } from '../contract';
import type { CorsConfiguration, SourceName } from '../gateway/types';
import type { Authorizer } from '../invoke/authorize';
import { authorizerForOperation, namesLambdaAuthorizers } from '../document/authorizers';
import { gateProbes, type TokenGate } from '../aws/identity';
import type { DeployedJwtAuthorizer } from '../deploy/model';
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
  /** A template's JWT or Cognito authorizers, by operation id: their refusals are auth cases. */
  tokenAuthorizers?: ReadonlyMap<string, DeployedJwtAuthorizer>;
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
 * A run's options resolved once: the operations it judges, the checks it applies, and for each
 * operation the source, authorizer and request generators every stage reads (its single cases, its
 * property case, the sequence steps through it). Built by {@link resolveRun}; nothing downstream reads
 * the raw options again for these.
 */
export interface RunPlan {
  contract: Contract;
  /** The runnable operations, in the document's (or the chosen) order. */
  operations: readonly OperationPlan[];
  checks: readonly CheckName[];
  /** Property-based cases per operation, and the bound on random sequences per root. */
  runs: number;
  seed: number;
  /** What the checks ask the run to send besides the valid requests. */
  wants: { property: boolean; negative: boolean; auth: boolean };
  /** The plan of any operation, the run's or not (a sequence step may reach beyond the run's operations). */
  of(op: Operation): OperationPlan;
}

/** One operation as the run sends to it. */
export interface OperationPlan {
  operation: Operation;
  source: SourceName;
  overrides: RequestOverrides | undefined;
  /** The Lambda authorizer the gateway runs before the function, if any. */
  authorizer: Authorizer | undefined;
  /** The request generators, under the run's seed and this operation's overrides. */
  cases: OperationCases;
  /** The CORS configuration a browser's preflight is judged against, when the gateway answers one. */
  preflight: CorsConfiguration | undefined;
  /** Requests generated already (by a plan with the same options), if any. */
  generated: PlannedRequests | undefined;
  /** The template's JWT or Cognito authorizer in front of the operation, if any. */
  tokenAuthorizer: DeployedJwtAuthorizer | undefined;
  /** That authorizer as the run enforces it (a run, not a plan, has one). */
  gate: TokenGate | undefined;
}

/** What {@link resolveRun} reads: the plan's options and the run's authorizer. */
export interface ResolveOptions extends PlanOptions {
  defaultRuns: number;
  authorizer?: Authorizer;
  /** Requests generated already, by operation id. */
  planned?: ReadonlyMap<string, PlannedRequests>;
  tokenGates?: ReadonlyMap<string, TokenGate>;
}

/**
 * Resolves a run's options into its plan. Document problems found on the way (operations that are not
 * Lambda proxies) are pushed onto `warnings`.
 */
export function resolveRun(contract: Contract, options: ResolveOptions, warnings: string[]): RunPlan {
  const checks = options.checks ?? [...CHECK_NAMES];
  const runs = options.runs ?? options.defaultRuns;
  const seed = options.seed ?? 1;
  const documentAuthorizers = namesLambdaAuthorizers(contract.operations);
  const plans = new Map<string, OperationPlan>();
  const of = (op: Operation): OperationPlan => {
    let plan = plans.get(op.id);
    if (plan) return plan;
    const own = contract.operation(op.id); // the contract's view (a gateway overlay's settings included)
    const source = options.source ?? contract.sourceFor(own);
    const overrides = overridesFor(own, options.overrides);
    plan = {
      operation: own, source, overrides,
      authorizer: options.authorizer ? authorizerForOperation(own, options.authorizer, documentAuthorizers) : undefined,
      cases: contract.cases(own.id, { seed, ...(overrides ? { overrides } : {}) }),
      preflight: contract.preflightFor(own.id, source),
      generated: options.planned?.get(own.id),
      tokenAuthorizer: options.tokenGates?.get(own.id)?.authorizer ?? options.tokenAuthorizers?.get(own.id),
      gate: options.tokenGates?.get(own.id),
    };
    plans.set(op.id, plan);
    return plan;
  };
  const operations = runnableOperations(contract, options.operations, warnings, options.source).map(of);
  const wants = { property: wantsProperty(runs, checks), negative: checks.includes('negative_data_rejection'), auth: checks.includes('auth_enforcement') };
  return { contract, operations, checks, runs, seed, wants, of };
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

/**
 * How many property cases an operation gets: the run's, or one for an operation that takes no input at
 * all (no parameters, no body, no credentials) — every draw would send the same request again.
 */
export function propertyRuns(op: Operation, runs: number): number {
  const takesInput = op.parameters.length > 0 || op.requestBody !== undefined || op.security.some((requirement) => requirement.length > 0);
  return takesInput ? runs : Math.min(runs, 1);
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
  const plan = resolveRun(contract, options, warnings);
  const operations = plan.operations.map((p) => plannedOperation(plan, p, warnings));
  // Sequences along the links among the planned operations (or the scope), under their root operation, as the run names them.
  const planned = new Set(operations.map((op) => op.id));
  const { links, roots } = sequencesOf(contract.links.links, new Set(options.linkScope ?? planned), planned, plan.checks, options.sequences);
  for (const root of roots) {
    const cases = operations.find((op) => op.id === root.id)?.cases;
    cases?.push(...fixedSequences(root, links).map((k) => k.name));
    if (plan.runs > 0) cases?.push(randomSequencesName(root, plan.runs));
  }
  return { operations, warnings };
}

/** One operation's case names, in the order the run produces them, with the requests generated to name them. */
function plannedOperation(plan: RunPlan, p: OperationPlan, warnings: string[]): PlannedOperation {
  const op = p.operation;
  const cases: string[] = [];
  const planned: PlannedOperation = { id: op.id, method: op.method, path: op.path, cases };
  let valid: RequestCase[];
  try {
    valid = p.cases.valid();
  } catch (error) {
    warnings.push(`${op.id}: could not generate requests: ${describeThrown(error).message}`);
    cases.push('generate');
    return planned;
  }
  planned.requests = { valid };
  cases.push(...valid.map((c) => c.name));
  if (valid.length > 0 && wantsPreflight(op, p.preflight)) cases.push(PREFLIGHT_CASE);
  if (plan.wants.property) cases.push(propertyCaseName(propertyRuns(op, plan.runs)));
  if (!plan.wants.negative && !plan.wants.auth) return planned;
  try {
    const negative = p.cases.negative();
    planned.requests = { valid, negative };
    cases.push(...negative.filter((n) => sends(plan, n)).map((n) => n.name));
  } catch {
    cases.push('negative');
  }
  if (p.tokenAuthorizer && plan.wants.auth) cases.push(...gateProbes(p.tokenAuthorizer).map((g) => g.name));
  return planned;
}

/** Whether the run sends a forbidden request under its checks. */
export function sends(plan: RunPlan, n: NegativeCase): boolean {
  return (n.intent === 'invalid' && plan.wants.negative) || (n.intent === 'unauthenticated' && plan.wants.auth);
}
