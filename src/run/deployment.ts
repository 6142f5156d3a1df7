/**
 * Runs a contract against a deployment: each operation through the function its route reaches, with
 * that function's environment, timeout and memory; routes and operations that do not meet are violations.
 */
import type { Contract, GatewaySettings } from '../contract';
import type { DeployedApi, DeployedFunction, DeployedJwtAuthorizer, DeployedRoute, Deployment } from '../deploy/model';
import type { LocalIssuer, TokenGate } from '../aws/identity';
import { authorizerTokensOf, tokenGatesOf, withToken, type AuthorizerToken } from './token-cases';
import type { Operation } from '../document/model';
import { ContractError, describeThrown } from '../errors';
import { availableParallelism } from 'node:os';
import { sourceFor } from '../gateway';
import type { AuthorizerContext, HttpResponse, MockAnswer, OperationGateway, SourceName } from '../gateway/types';
import type { RequestOverrides } from '../requests/cases';
import type { Authorizer } from '../invoke/authorize';
import { rejectsCallbackHandlers } from '../invoke/invoke';
import { lambdaEnvironment, type LambdaFunctionFacts } from '../invoke/lambda-environment';
import { runtimeSdkOf } from '../invoke/runtime-sdk';
import type { NetworkOptions } from '../invoke/isolation';
import { FunctionSandboxes, type FunctionUsage } from '../invoke/sandbox/pool';
import type { FunctionTarget } from '../invoke/target';
import * as path from 'node:path';
import { checkTableItems, type TableItems } from '../aws/dynamodb';
import { AwsStandIns } from '../aws/stand-ins';
import type { AwsValues } from '../aws/values';
import type { Violation } from '../verify/violation';
import type { CaseResult } from './case-result';
import { computeCoverage } from './coverage';
import { overridesFor } from './plan';
import { DEFAULT_RUNS, runContract, type RunOptions, type RunReport, type StandInsReport } from './run';
import { CHECK_NAMES, type CheckName } from './checks';
import { summarizeLink, type Link } from '../document/links';
import { runRootSequences, sequenceChecksOn, sequencesOf, type SequenceRun } from './sequences';

export interface DeploymentRunOptions extends Omit<RunOptions, 'source' | 'timeout' | 'context'> {
  /** Only the operations these functions serve (logical ids). */
  functions?: string[];
  /** Environment values over the template's: SAM's `--env-vars` shape (per function id, or `Parameters` for all). */
  envVars?: Record<string, Record<string, string>>;
  /** The API whose routes count, when the template has several (logical id). */
  api?: string;
  /** Report routes the contract does not document (default: unless `operations` or `functions` narrow the run). */
  strayRoutes?: boolean;
  /** A fresh sandbox for every invocation (`--cold`): finds handlers that only work warm. */
  cold?: boolean;
  /** Functions run side by side (default: the CPU cores). */
  concurrency?: number;
  /**
   * The local stand-ins for AWS services (default on): DynamoDB for the template's tables, a token
   * issuer and gate for its JWT and Cognito authorizers. `false` (`--no-aws-standins`): none; AWS calls
   * are blocked and reported, and a JWT route's events carry its configured claims unchecked.
   */
  standIns?: boolean;
  /** Items put into the template's tables before the run (`--table-items FILE`), checked first. */
  tableItems?: TableItems;
  /** Secrets and parameters that the local Secrets Manager and Parameter Store answer (`--aws-values`). */
  awsValues?: AwsValues;
}

/** Where an operation goes in the deployment. */
export interface RoutedOperation {
  operation: Operation;
  route?: DeployedRoute;
  /** Set when the route's path parameters are named differently. */
  renamed?: string;
}

/** A path template with its parameter names blanked (`/pets/{}`), remembered: a big template routes each path many times. */
const normalized = new Map<string, string>();
function normalize(p: string): string {
  let n = normalized.get(p);
  if (n === undefined) {
    n = p.replace(/\{[^}/]+\}/g, '{}').replace(/\/+$/, '') || '/';
    if (normalized.size > 10_000) normalized.clear();
    normalized.set(p, n);
  }
  return n;
}
const params = (p: string): string[] => [...p.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1] ?? '');

/** The route that serves an operation: an exact path before a greedy one, the method before `ANY`. */
export function routeFor(op: Operation, routes: readonly DeployedRoute[]): RoutedOperation {
  const methodOk = (r: DeployedRoute): boolean => r.method === op.method || r.method === 'ANY';
  const exact = routes.filter((r) => methodOk(r) && normalize(r.path) === normalize(op.path));
  const route = exact.find((r) => r.method === op.method) ?? exact[0] ?? greedy(op, routes.filter(methodOk));
  if (!route) return { operation: op };
  const a = params(route.path);
  const b = params(op.path);
  if (exact.includes(route) && a.join() !== b.join()) return { operation: op, route, renamed: `the route names ${route.path}, the contract ${op.path}` };
  return { operation: op, route };
}

function greedy(op: Operation, routes: readonly DeployedRoute[]): DeployedRoute | undefined {
  const matches = routes
    .filter((r) => /\{[^}]+\+\}$/.test(r.path))
    .filter((r) => {
      const prefix = r.path.replace(/\{[^}]+\+\}$/, '');
      // A catch-all (a function URL, an HTTP API's $default) takes `/` too; a greedy segment needs one more.
      return op.path.startsWith(prefix) && (op.path.length > prefix.length || r.catchAll === true);
    });
  return matches.sort((x, y) => y.path.length - x.path.length)[0];
}

/**
 * The routes of the deployment that count. Given the contract, those of every API that serves at least
 * one of its operations (an unrelated API of the same template is not the contract's); `api` first, so
 * its routes win where two APIs route the same operation, the others only for what `api` does not
 * route. Without a contract: `api`'s routes, else all.
 */
export function routesOf(deployment: Deployment, api?: string, contract?: Pick<Contract, 'operations'>): DeployedRoute[] {
  if (api && !deployment.apis.some((a) => a.id === api)) {
    throw new ContractError('ERR_CONTRACT_USAGE', `--api ${api}: the template has no such API; its APIs: ${deployment.apis.map((a) => a.id).join(', ') || '(none)'}`, { option: 'api' });
  }
  const chosen = api ? deployment.routes.filter((r) => r.apiId === api) : [];
  if (!contract) return api ? chosen : deployment.routes;
  const rest = deployment.routes.filter((r) => r.apiId !== api);
  const serving = new Set(contract.operations.filter((op) => !routeFor(op, chosen).route).map((op) => routeFor(op, rest).route?.apiId).filter((id) => id !== undefined));
  const routes = [...chosen, ...rest.filter((r) => serving.has(r.apiId))];
  return routes.length > 0 || api ? routes : deployment.routes;
}

/** Which operations a deployment run judges, and where each goes. */
interface DeploymentScope {
  routes: DeployedRoute[];
  /** `--function`: the logical ids of the functions whose operations run (undefined: all). */
  only: string[] | undefined;
  /** `--operation`: the operation ids that run (undefined: all). */
  wanted: Set<string> | undefined;
  routed: RoutedOperation[];
  /** Each function's routed operations, in the template's order. */
  byFunction: Map<string, RoutedOperation[]>;
  /** Operations the REST gateway answers itself, with no function (a CORS mock, the document's mock). */
  gatewayOnly: Record<string, OperationGateway>;
  /** Routes missing and undocumented: violations found before anything runs. */
  results: CaseResult[];
  /** The source a report names when no route says. */
  fallbackSource: SourceName;
}

function scopeOf(contract: Contract, deployment: Deployment, options: DeploymentRunOptions): DeploymentScope {
  const routes = routesOf(deployment, options.api, contract);
  // --function: a logical id or the name reports use (CDK's construct path).
  const only = options.functions?.map((wanted) => {
    const fn = deployment.functions.find((f) => f.id === wanted || f.name === wanted);
    if (!fn) throw new ContractError('ERR_CONTRACT_USAGE', `--function ${wanted}: the template has no such function; its functions: ${deployment.functions.map((f) => f.name).join(', ')}`, { option: 'function' });
    return fn.id;
  });
  const wanted = options.operations ? new Set(options.operations.map((id) => contract.operation(id).id)) : undefined;
  const routed = contract.operations.filter((op) => !wanted || wanted.has(op.id)).map((op) => routeFor(op, routes));
  const scope: DeploymentScope = { routes, only, wanted, routed, byFunction: new Map(), gatewayOnly: {}, results: [], fallbackSource: routes[0]?.source ?? contract.source };
  for (const r of routed) {
    if (!r.route) {
      const mock = gatewayMockFor(r.operation, routes);
      if (mock) scope.gatewayOnly[r.operation.id] = { mock };
      else if (!only) scope.results.push(routeMissing(r.operation, scope.fallbackSource));
      continue;
    }
    if (only && !only.includes(r.route.functionId)) continue;
    scope.byFunction.set(r.route.functionId, [...(scope.byFunction.get(r.route.functionId) ?? []), r]);
  }
  if (options.strayRoutes ?? (!only && !wanted)) {
    const everyRoute = wanted ? contract.operations.map((op) => routeFor(op, routes)) : routed;
    for (const route of routes) {
      if (/\{[^}]+\+\}/.test(route.path)) continue; // a catch-all serves whatever reaches it
      if (!everyRoute.some((r) => r.route === route)) scope.results.push(routeUndocumented(route, deployment));
    }
  }
  return scope;
}

/** Whether the scope runs a routed operation (its function is among `--function`'s). */
const inScope = (scope: DeploymentScope, r: RoutedOperation): boolean => r.route !== undefined && (!scope.only || scope.only.includes(r.route.functionId));

/** Runs `contract` against the functions of `deployment`. */
export async function runDeployment(contract: Contract, deployment: Deployment, options: DeploymentRunOptions = {}): Promise<RunReport> {
  const started = performance.now();
  const { functions: _named, envVars, api: _api, strayRoutes: _stray, ...run } = options;
  const scope = scopeOf(contract, deployment, options);
  const { results } = scope;
  const warnings = [...deployment.warnings];
  if (run.tableItems) checkTableItems(deployment.tables ?? [], run.tableItems); // before anything runs
  const functions = new DeployedFunctions(deployment, envVars, { ...(run.cold ? { cold: true } : {}), ...(run.network !== undefined ? { network: run.network } : {}), ...(run.standIns === false ? { standIns: false } : {}), ...(run.tableItems ? { tableItems: run.tableItems } : {}), ...(run.awsValues ? { awsValues: run.awsValues } : {}) });
  try {
    // A JWT or Cognito authorizer of the template: the gateway checks the token the run's issuer minted.
    const issuer = (): Promise<LocalIssuer> => (functions.standIns as AwsStandIns).issuer();
    const gates = functions.standIns ? await tokenGatesOf(scope.routed, issuer, run.tokenClaims) : new Map<string, TokenGate>();
    // A Lambda authorizer whose function trusts a Cognito pool: valid requests carry a token of the run's issuer for it.
    const authorizerTokens = functions.standIns ? await authorizerTokensOf(scope.routed, (id) => environmentOfId(functions, id), issuer, run.tokenClaims) : new Map<string, AuthorizerToken>();
    const overrides = run.standIns === false ? claimsOverrides(scope.routed, run.overrides) : withAuthorizerTokens(scope.routed, tokenOverrides(scope.routed, run.overrides, gates), authorizerTokens);
    const shared: FunctionRunShared = { contract, deployment, functions, run, overrides, gates, inferred: new Map([...authorizerTokens].map(([id, t]) => [id, t.why])), steps: new Map(), learned: [], learnLinks: sequenceChecksOn(run.checks ?? [...CHECK_NAMES], run.sequences), warnings };
    // Functions side by side, each in its own sandboxes; their results in the template's order.
    const perFunction = await inParallel([...scope.byFunction], run.concurrency ?? availableParallelism(), ([functionId, ops]) => runFunction(shared, functionId, ops));
    for (const r of perFunction) results.push(...r);
    // Not through an operation whose function timed out: each step there would wait for the Timeout again.
    for (const r of results) if (r.violations.some((v) => v.rule === 'timeout')) shared.steps.delete(r.operationId);
    const sequences = await deploymentSequences(contract, shared.steps, run, scope.routed.filter((r) => inScope(scope, r)).map((r) => r.operation.id), shared.learned);
    results.push(...sequences.results);
    if (sequences.links.length > 0) for (const w of contract.links.warnings) if (!warnings.includes(w)) warnings.push(w);
    if (!scope.only) results.push(...(await runGatewayOnly(contract, scope.gatewayOnly, { ...run, overrides: shared.overrides }, warnings)));
    const operations = scope.routed.filter((r) => !scope.only || inScope(scope, r)).map((r) => r.operation);
    const failedOps = new Set(results.filter((r) => !r.ok).map((r) => r.operationId));
    return {
      spec: contract.file, title: contract.title, version: contract.version, source: scope.fallbackSource, results,
      summary: { operations: operations.length, failedOperations: failedOps.size, cases: results.length, passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length },
      coverage: computeCoverage(operations, results, sequences.links), warnings, durationMs: performance.now() - started,
      ...(sequences.links.length > 0 ? { links: sequences.links.map(summarizeLink) } : {}),
      functions: await functions.usage(),
      ...(await standInsOf(functions, [...new Set([...gates.values()].map((g) => g.authorizer.name).concat([...authorizerTokens.values()].map((t) => t.authorizer)))], run.awsValues)),
      ...(run.checks && run.checks.length < CHECK_NAMES.length ? { checks: run.checks } : {}),
    };
  } finally {
    await functions.close();
  }
}

/** What the stand-ins did: the tables' items at the end, the tokens minted, the keys and values served. Empty when none ran. */
async function standInsOf(functions: DeployedFunctions, authorizers: string[], values: AwsValues | undefined): Promise<{ standIns?: StandInsReport }> {
  const did = await functions.standIns?.report();
  const minted = (await functions.standIns?.issuerIfStarted())?.minted ?? 0;
  const sdk = functions.sdkVersions();
  const report: StandInsReport = {
    ...(did?.tables ? { dynamodb: { tables: did.tables } } : {}),
    ...(did?.buckets ? { s3: { buckets: did.buckets } } : {}),
    ...(authorizers.length > 0 || minted > 0 ? { tokens: { authorizers, minted } } : {}),
    ...(did?.keySets ? { keySets: did.keySets } : {}),
    ...(values && did ? { values: { file: values.file, secrets: did.secrets, parameters: did.parameters } } : {}),
    ...(sdk.length > 0 ? { sdk } : {}),
  };
  return Object.keys(report).length > 0 ? { standIns: report } : {};
}

/** With no stand-ins, a JWT route's events carry the claims its configuration implies, unchecked. */
function claimsOverrides(routed: readonly RoutedOperation[], given: Record<string, RequestOverrides> | undefined): Record<string, RequestOverrides> {
  const overrides = { ...(given ?? {}) };
  for (const r of routed) {
    const own = overridesFor(r.operation, given);
    if (r.route?.jwt && !own?.authorizerContext) overrides[r.operation.id] = { ...(own ?? {}), authorizerContext: jwtContext(r.route.jwt) };
  }
  return overrides;
}

/** A function's environment as its sandbox gets it, by logical id. */
function environmentOfId(functions: DeployedFunctions, id: string): Record<string, string> | undefined {
  const fn = functions.deployment.functions.find((f) => f.id === id);
  return fn ? functions.environmentOf(fn) : undefined;
}

/** Valid requests through a Lambda authorizer that trusts a Cognito pool carry the pool's token, bare, unless the run's overrides set that header. */
function withAuthorizerTokens(routed: readonly RoutedOperation[], overrides: Record<string, RequestOverrides>, tokens: ReadonlyMap<string, AuthorizerToken>): Record<string, RequestOverrides> {
  const out = { ...overrides };
  for (const r of routed) {
    const t = tokens.get(r.operation.id);
    const own = overridesFor(r.operation, overrides);
    if (!t || Object.keys(own?.headers ?? {}).some((h) => h.toLowerCase() === t.header.toLowerCase())) continue;
    out[r.operation.id] = withToken(r.operation, own, t.header, t.token, true);
  }
  return out;
}

/** Valid requests through a token gate carry a token it accepts. */
function tokenOverrides(routed: readonly RoutedOperation[], given: Record<string, RequestOverrides> | undefined, gates: ReadonlyMap<string, TokenGate>): Record<string, RequestOverrides> {
  const overrides = { ...(given ?? {}) };
  for (const r of routed) {
    const gate = gates.get(r.operation.id);
    if (gate) overrides[r.operation.id] = withToken(r.operation, overridesFor(r.operation, given), gate.authorizer.header, gate.token);
  }
  return overrides;
}

/** The template's JWT and Cognito authorizers in front of the contract's operations, by operation id (for a plan's case names). */
export function tokenAuthorizersOf(contract: Contract, deployment: Deployment, api?: string): Map<string, DeployedJwtAuthorizer> {
  const routes = routesOf(deployment, api, contract);
  const out = new Map<string, DeployedJwtAuthorizer>();
  for (const op of contract.operations) {
    const jwt = routeFor(op, routes).route?.jwt;
    if (jwt) out.set(op.id, jwt);
  }
  return out;
}

/** The operations the REST gateway answers itself (its mocks), judged like any other. */
async function runGatewayOnly(contract: Contract, gatewayOnly: Record<string, OperationGateway>, run: DeploymentRunOptions, warnings: string[]): Promise<CaseResult[]> {
  if (Object.keys(gatewayOnly).length === 0) return [];
  const unreachable = async (): Promise<never> => {
    throw new Error('the gateway answers this operation itself; no function is called');
  };
  const { functions: _f, envVars: _e, api: _a, strayRoutes: _s, cold: _c, concurrency: _n, ...options } = run;
  const report = await runContract(contract.withGateway({ operations: gatewayOnly }), unreachable, { ...options, source: 'rest', operations: Object.keys(gatewayOnly) });
  for (const w of report.warnings) if (!warnings.includes(w)) warnings.push(w);
  return report.results;
}

/** What every function's run shares: the contract, the deployment, its sandboxes, and what the runs teach. */
interface FunctionRunShared {
  contract: Contract;
  deployment: Deployment;
  functions: DeployedFunctions;
  run: Omit<DeploymentRunOptions, 'functions' | 'envVars' | 'api' | 'strayRoutes'>;
  overrides: Record<string, RequestOverrides>;
  /** The token gates of the template's JWT and Cognito authorizers, by operation id. */
  gates: ReadonlyMap<string, TokenGate>;
  /** Operations whose requests carry a token the run inferred for their Lambda authorizer, with what it is. */
  inferred: ReadonlyMap<string, string>;
  steps: Map<string, DeploymentStep>;
  learned: Link[];
  learnLinks: boolean;
  warnings: string[];
}

/** Runs `work` on each item, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

/** One function's operations, behind each API, source and authorizer its routes have. */
async function runFunction(shared: FunctionRunShared, functionId: string, ops: RoutedOperation[]): Promise<CaseResult[]> {
  const { contract, deployment, functions } = shared;
  const fn = deployment.functions.find((f) => f.id === functionId);
  if (!fn) return [];
  const file = { id: fn.id, name: fn.name, file: fn.file };
  let target: FunctionTarget;
  try {
    target = await functions.targetOf(fn);
  } catch (error) {
    // A function that does not load fails its own operations; the others run.
    const why = describeThrown(error).message;
    return ops.map((r) => ({ ...base(r.operation, r.route?.source ?? contract.source), case: 'load', ok: false, violations: [], internalError: `function ${fn.name} did not load: ${why}`, function: file }));
  }
  warnInvokeMode(fn, ops, target, shared.warnings);
  const results: CaseResult[] = [];
  for (const group of routeGroups(ops)) results.push(...(await runGroup(shared, fn, target, group)));
  return results;
}

/** A function's operations that share an API, a source and an authorizer: they run as one contract run. */
interface RouteGroup {
  source: SourceName;
  authorizer: DeployedRoute['authorizer'];
  apiId: string;
  list: RoutedOperation[];
}

function routeGroups(ops: readonly RoutedOperation[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const r of ops) {
    if (!r.route) continue;
    const key = `${r.route.apiId}\u0000${r.route.source}\u0000${r.route.authorizer?.name ?? ''}`;
    const g = groups.get(key) ?? { source: r.route.source, authorizer: r.route.authorizer, apiId: r.route.apiId, list: [] };
    g.list.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A function URL streams only in RESPONSE_STREAM mode, and only a streamified handler streams. */
function warnInvokeMode(fn: DeployedFunction, ops: readonly RoutedOperation[], target: FunctionTarget, warnings: string[]): void {
  const mode = ops.find((r) => r.route?.source === 'url' && r.route.invokeMode)?.route?.invokeMode;
  if (!mode || target.shape.streaming === (mode === 'RESPONSE_STREAM')) return;
  const w = mode === 'BUFFERED'
    ? `function ${fn.name} streams its response (awslambda.streamifyResponse) but its function URL's InvokeMode is BUFFERED: Lambda buffers the stream and the 6 MB limit applies`
    : `function ${fn.name}'s function URL has InvokeMode RESPONSE_STREAM but its handler is not wrapped in awslambda.streamifyResponse: its answer is buffered`;
  if (!warnings.includes(w)) warnings.push(w);
}

/** One group's contract run through the function, behind its API's gateway settings and authorizer. */
async function runGroup(shared: FunctionRunShared, fn: DeployedFunction, target: FunctionTarget, group: RouteGroup): Promise<CaseResult[]> {
  const { contract, deployment, functions, run, warnings } = shared;
  const file = { id: fn.id, name: fn.name, file: fn.file };
  const { source, list } = group;
  const authorizer = group.authorizer ? await functions.authorizerOf(group.authorizer).catch(() => undefined) : undefined;
  if (group.authorizer && !authorizer) {
    warnings.push(`authorizer ${group.authorizer.name} names function ${group.authorizer.functionId}, which is not deployed here (or did not load): ${fn.name}'s routes run without it`);
  }
  if (fn.runtime !== undefined && rejectsCallbackHandlers(fn.runtime) && target.shape.arity >= 3 && !target.shape.streaming) {
    return list.map((r) => ({ ...unsupported(r.operation, source, fn), function: file }));
  }
  const behind = gatewayBehind(contract, list, deployment.apis.find((a) => a.id === group.apiId));
  // Requests planned before the template was read carry no API key: those operations generate theirs again (same seed, same cases).
  // So do those behind a token gate: their requests carry its token.
  const keyed = new Set([...behind.apiKeys.keys()].map((op) => op.id).concat(list.filter((r) => shared.gates.has(r.operation.id) || shared.inferred.has(r.operation.id)).map((r) => r.operation.id)));
  const planned = run.planned && keyed.size > 0 ? new Map([...run.planned].filter(([id]) => !keyed.has(id))) : run.planned;
  const { cold: _cold, concurrency: _concurrency, ...runOnly } = run;
  const groupOptions: RunOptions = {
    ...runOnly, overrides: withApiKeys(shared.overrides, behind.apiKeys), source,
    ...(shared.gates.size > 0 ? { tokenGates: shared.gates } : {}),
    ...(shared.inferred.size > 0 ? { inferredTokens: shared.inferred } : {}),
    ...(authorizer ? { authorizer } : {}),
    timeout: fn.timeout * 1000,
    // The function's own runtime decides its rules (callbacks, the event loop); else the run's.
    ...((fn.runtime ?? run.runtime) !== undefined ? { runtime: fn.runtime ?? run.runtime } : {}),
    context: { functionName: fn.id, memoryLimitInMB: fn.memorySize, timeoutMs: fn.timeout * 1000 },
  };
  for (const r of list) shared.steps.set(r.operation.id, { contract: behind.contract, target, options: groupOptions, file });
  // Sequences cross functions: they run once every function ran its own cases.
  const report = await runContract(behind.contract, target, { ...groupOptions, ...(planned ? { planned } : {}), operations: list.map((r) => r.operation.id), sequences: false, ...(shared.learnLinks ? { learnedLinks: shared.learned } : {}) });
  for (const w of report.warnings) if (!warnings.includes(w)) warnings.push(w);
  return report.results.map((c) => {
    const renamed = list.find((r) => r.operation.id === c.operationId)?.renamed;
    if (renamed) {
      c.violations.push({ rule: 'route_parameter_names', operationId: c.operationId, where: 'route', expected: c.path, received: renamed, message: `path parameters named differently: ${renamed}` });
      c.ok = false;
    }
    return { ...c, function: file };
  });
}

/** One routed operation as a sequence step runs it: through its function, as that function's run does. */
interface DeploymentStep {
  contract: Contract;
  target: FunctionTarget;
  options: RunOptions;
  file: NonNullable<CaseResult['function']>;
}

/** What a sequence step may check: the single-request verdicts of a valid request. */
const STEP_CHECKS: ReadonlySet<CheckName> = new Set(['conformance', 'no_server_errors', 'positive_data_acceptance']);

/**
 * Sequences across a deployment's functions: each step through the function its route reaches, with
 * that function's environment and warm module (the one its own cases ran in), so each function keeps
 * its state from step to step as Lambda keeps a warm container's.
 */
async function deploymentSequences(contract: Contract, steps: ReadonlyMap<string, DeploymentStep>, run: Omit<RunOptions, 'source' | 'timeout' | 'context'>, served: readonly string[], learned: readonly Link[]): Promise<{ results: CaseResult[]; links: Link[] }> {
  const checks = run.checks ?? [...CHECK_NAMES];
  const scope = new Set(run.linkScope ?? served);
  // A function's run knows its operations by its own view of the contract: its links are matched by id.
  const byId = (op: Operation): Operation => contract.operation(op.id);
  const taught = learned.map((l) => ({ ...l, source: byId(l.source), target: byId(l.target) })).filter((l, i, all) => all.findIndex((o) => o.source === l.source && o.target === l.target) === i);
  const routedScope = new Set([...scope].filter((id) => steps.has(id))); // a step needs a function to run in
  const { links, roots } = sequencesOf([...contract.links.links, ...taught], routedScope, new Set(served), checks, run.sequences);
  if (roots.length === 0) return { results: [], links: [] };
  const seed = run.seed ?? 1;
  const stepChecks = checks.filter((c) => STEP_CHECKS.has(c));
  const sequenceRun: SequenceRun = {
    contract, links, checks, seed,
    cases: (op) => {
      const overrides = overridesFor(op, steps.get(op.id)?.options.overrides);
      return contract.cases(op.id, { seed, ...(overrides ? { overrides } : {}) });
    },
    step: async (op, c) => {
      const step = steps.get(op.id) as DeploymentStep;
      let response: HttpResponse | undefined;
      const report = await runContract(step.contract, step.target, {
        ...step.options, operations: [op.id], planned: new Map([[op.id, { valid: [c] }]]), runs: 0, checks: stepChecks, sequences: false,
        onResponse: (_id, name, r) => {
          if (name === c.name) response = r;
        },
      });
      const result: CaseResult = report.results.find((r) => r.case === c.name)
        ?? { ...base(op, step.options.source ?? contract.sourceFor(op)), case: c.name, ok: false, violations: [], internalError: `the step ${c.name} produced no verdict${report.warnings.length ? `: ${report.warnings.join('; ')}` : ''}` };
      return { result: { ...result, function: step.file }, ...(response ? { response } : {}) };
    },
  };
  const out: CaseResult[] = [];
  for (const root of roots) {
    if (run.signal?.aborted) break;
    out.push(...(await runRootSequences(sequenceRun, root, run.runs ?? DEFAULT_RUNS, run.signal)));
  }
  return { results: out, links };
}

/**
 * The mock a REST gateway answers an operation with when no function serves it: for `OPTIONS`, the CORS
 * mock the template puts on that path; else the document's own mock integration.
 */
function gatewayMockFor(op: Operation, routes: readonly DeployedRoute[]): MockAnswer | undefined {
  if (op.method === 'OPTIONS') {
    const preflight = routes.find((r) => r.source === 'rest' && normalize(r.path) === normalize(op.path) && r.gateway?.preflight)?.gateway?.preflight;
    if (preflight) {
      const { apiKeyRequired: _key, authorizer: _authorizer, ...mock } = preflight;
      return mock;
    }
  }
  return op.gateway?.mock && routes.some((r) => r.source === 'rest') ? op.gateway.mock : undefined;
}

/**
 * The contract behind the gateway the template configures for these routes: each route's validator, API
 * key and preflight mock on its operation, the API's gateway responses and CORS over the document's;
 * and the operations whose valid requests must carry an API key the document does not ask for.
 */
export function gatewayBehind(contract: Contract, routed: readonly RoutedOperation[], api: DeployedApi | undefined): { contract: Contract; apiKeys: Map<Operation, string> } {
  const operations: Record<string, OperationGateway> = {};
  const apiKeys = new Map<Operation, string>();
  const sources: Record<string, 'rest' | 'http' | 'http-v1'> = {};
  for (const r of routed) {
    const source = r.route?.source;
    if (source === 'rest' || source === 'http' || source === 'http-v1') sources[r.operation.id] = source;
    const gateway = r.route?.gateway;
    if (!gateway) continue;
    operations[r.operation.id] = gateway;
    // The contract's own credentials send the key when its security names an apiKey scheme in that header.
    const header = gateway.apiKey?.header.toLowerCase();
    const documented = r.operation.security.some((alt) => alt.some(({ scheme }) => scheme.type === 'apiKey' && scheme.in === 'header' && scheme.paramName.toLowerCase() === header));
    if (gateway.apiKey && !documented) apiKeys.set(r.operation, gateway.apiKey.header);
  }
  const settings: GatewaySettings = {
    ...(Object.keys(operations).length ? { operations } : {}),
    ...(api?.gatewayResponses ? { gatewayResponses: api.gatewayResponses } : {}),
    ...(api?.cors ? { cors: api.cors } : {}),
    ...(api?.stage ? { stage: api.stage } : {}),
    ...(Object.keys(sources).length ? { sources } : {}),
  };
  return { contract: Object.keys(settings).length ? contract.withGateway(settings) : contract, apiKeys };
}

/**
 * The contract behind a whole deployment's gateway (for plans and the local server, which see every
 * operation at once): each operation's route settings, and the gateway responses and CORS of `api`, else
 * of the API the first route belongs to.
 */
export function contractBehindDeployment(contract: Contract, deployment: Deployment, api?: string, routes: readonly DeployedRoute[] = routesOf(deployment, api, contract)): Contract {
  const main = deployment.apis.find((a) => a.id === (api ?? routes[0]?.apiId));
  return gatewayBehind(contract, contract.operations.map((op) => routeFor(op, routes)), main).contract;
}

/**
 * A key the gateway takes (any non-blank value) in each valid request of an operation that needs one,
 * over the operation's own overrides (by id or `METHOD /path`), unless they set that header already.
 */
export function withApiKeys(overrides: Record<string, RequestOverrides>, apiKeys: ReadonlyMap<Operation, string>): Record<string, RequestOverrides> {
  if (apiKeys.size === 0) return overrides;
  const out = { ...overrides };
  for (const [op, header] of apiKeys) {
    const own = overridesFor(op, overrides) ?? {};
    if (Object.keys(own.headers ?? {}).some((h) => h.toLowerCase() === header.toLowerCase())) continue;
    out[op.id] = { ...own, headers: { ...own.headers, [header]: 'lambda-contract-api-key' } };
  }
  return out;
}

/** How a deployment's functions run: each in sandboxes of its own. */
export interface SandboxOptions {
  /** A fresh sandbox for every invocation (`--cold`). */
  cold?: boolean;
  /** Outbound isolation inside each sandbox (the run's `network`). */
  network?: NetworkOptions | false;
  /** `false`: no local DynamoDB for the template's tables. */
  standIns?: boolean;
  /** Items the tables start with. */
  tableItems?: TableItems;
  /** The secrets and parameters Secrets Manager and Parameter Store answer. */
  awsValues?: AwsValues;
}

/**
 * The functions of a deployment as Lambda keeps them: each in sandboxes of its own (started when first
 * needed, kept warm), with its own environment; an authorizer runs in its own function's sandboxes.
 */
export class DeployedFunctions {
  private readonly started = new Map<string, Promise<FunctionSandboxes>>();
  /** The run's AWS stand-ins (none with `standIns: false`), started with the first function. */
  readonly standIns: AwsStandIns | undefined;

  constructor(
    readonly deployment: Deployment,
    private readonly envVars?: Record<string, Record<string, string>>,
    private readonly options: SandboxOptions = {},
  ) {
    this.standIns = options.standIns === false ? undefined : new AwsStandIns({ tables: deployment.tables ?? [], ...(deployment.buckets ? { buckets: deployment.buckets } : {}), ...(options.tableItems ? { tableItems: options.tableItems } : {}), ...(options.awsValues ? { values: options.awsValues } : {}) });
  }

  /** Lambda's variables, the template's, then `--env-vars` (`Parameters` for all, then the function's own). */
  environmentOf(fn: DeployedFunction): Record<string, string> {
    return lambdaEnvironment(factsOf(fn), { ...fn.environment, ...(this.envVars?.Parameters ?? {}), ...(this.envVars?.[fn.id] ?? {}) });
  }

  /** The function's sandboxes (its module loaded in the first): a handler that does not load is an ERR_CONTRACT_HANDLER naming the function. */
  targetOf(fn: DeployedFunction): Promise<FunctionSandboxes> {
    let t = this.started.get(fn.id);
    if (!t) {
      t = (this.standIns?.redirect() ?? Promise.resolve(undefined)).then((aws) => {
        const spec = { name: fn.name, handler: fn.handler, cwd: taskRootOf(fn), env: this.environmentOf(fn), memoryMb: fn.memorySize, ...(this.options.network !== undefined ? { network: this.options.network } : {}), ...(aws ? { aws } : {}), ...(fn.runtime ? { runtime: fn.runtime } : {}) };
        return FunctionSandboxes.start(spec, { ...(this.options.cold ? { cold: true } : {}), ...(fn.reservedConcurrency !== undefined ? { reservedConcurrency: fn.reservedConcurrency } : {}) });
      });
      this.started.set(fn.id, t);
    }
    return t;
  }

  /** The route's authorizer, its function's sandboxes in place; undefined when that function is not deployed here. */
  async authorizerOf(route: NonNullable<DeployedRoute['authorizer']>): Promise<Authorizer | undefined> {
    const fn = this.deployment.functions.find((f) => f.id === route.functionId);
    if (!fn) return undefined;
    return { ...route.settings, handler: await this.targetOf(fn) };
  }

  /** What each started function's sandboxes did (Lambda's REPORT lines), in the template's order. */
  async usage(): Promise<FunctionUsage[]> {
    const out: FunctionUsage[] = [];
    for (const fn of this.deployment.functions) {
      const t = this.started.get(fn.id);
      if (t) out.push((await t.catch(() => undefined))?.report() ?? { name: fn.name, invocations: 0, coldStarts: 0, initDurationMs: 0, maxInitDurationMs: 0, memorySizeMb: fn.memorySize, maxMemoryUsedMb: 0, timeouts: 0, crashes: 0, throttles: 0 });
    }
    return out;
  }

  /** The runtime SDKs the started functions' sandboxes were given (`@aws-sdk/client-dynamodb@3.1169.0`). */
  sdkVersions(): string[] {
    const out = new Set<string>();
    for (const fn of this.deployment.functions) {
      if (!this.started.has(fn.id)) continue;
      const sdk = runtimeSdkOf(fn.runtime);
      if (sdk) out.add(sdk.version);
    }
    return [...out];
  }

  /** Stops every sandbox. */
  async close(): Promise<void> {
    await Promise.all([...this.started.values()].map((t) => t.then((p) => p.close(), () => undefined)));
    await this.standIns?.close();
  }
}

/** The folder a function's code is deployed from: its working directory, as the task folder is on Lambda. */
export function taskRootOf(fn: DeployedFunction): string {
  return fn.codeRoot ?? path.dirname(fn.file);
}

function factsOf(fn: DeployedFunction): LambdaFunctionFacts {
  return { name: fn.id, handler: fn.handler, taskRoot: taskRootOf(fn), memorySize: fn.memorySize, ...(fn.runtime ? { runtime: fn.runtime } : {}) };
}

/** What a template's JWT authorizer passes the function: the claims of a valid token and its scopes. */
export function jwtContext(jwt: NonNullable<DeployedRoute['jwt']>): AuthorizerContext {
  return { type: 'jwt', claims: jwt.claims, scopes: jwt.scopes };
}

function base(op: Operation, source: SourceName): Omit<CaseResult, 'ok' | 'violations'> {
  return { operationId: op.id, method: op.method, path: op.path, source, case: 'route', seed: 0, request: { method: op.method, path: op.path, rawQuery: '', headers: [] }, event: null, notes: [], durationMs: 0 };
}

function routeMissing(op: Operation, source: SourceName): CaseResult {
  const answer = sourceFor(source).noRouteAnswer?.();
  const status = answer?.statusCode;
  const v: Violation = {
    rule: 'route_missing', operationId: op.id, where: 'route', expected: `a route ${op.method} ${op.path} to a function`, received: 'no route',
    message: `no function serves ${op.method} ${op.path}${status ? `: the gateway answers ${status} ${answer?.body.toString('utf8') ?? ''}` : ''}`,
    ...(status ? { status } : {}),
  };
  return { ...base(op, source), ok: false, violations: [v], ...(status ? { status } : {}) };
}

function routeUndocumented(route: DeployedRoute, deployment: Deployment): CaseResult {
  const fn = deployment.functions.find((f) => f.id === route.functionId);
  const id = `${route.method} ${route.path}`;
  const v: Violation = {
    rule: 'route_undocumented', operationId: id, where: 'route', expected: 'an operation of the contract', received: `${id} → ${fn?.name ?? route.functionId}`,
    message: `the template routes ${id} to ${fn?.name ?? route.functionId}, but the contract documents no such operation`,
  };
  return {
    operationId: id, method: route.method, path: route.path, source: route.source, case: 'route', seed: 0, ok: false, violations: [v],
    request: { method: route.method, path: route.path, rawQuery: '', headers: [] }, event: null, notes: [], durationMs: 0,
    ...(fn ? { function: { id: fn.id, name: fn.name, file: fn.file } } : {}),
  };
}

function unsupported(op: Operation, source: SourceName, fn: DeployedFunction): CaseResult {
  const v: Violation = {
    rule: 'runtime_unsupported_handler', operationId: op.id, where: 'handler', expected: 'an async handler (event, context)', received: 'a callback handler (event, context, callback)',
    message: `${fn.name} runs on ${fn.runtime ?? ""}, which no longer runs callback-style handlers: every invocation fails`,
  };
  return { ...base(op, source), ok: false, violations: [v] };
}
