/**
 * The contract run: for every operation, its request cases → events → handler → verdict. One
 * operation's failure (a throw in our code included) is recorded and the run goes on.
 */
import { withBasis } from '../verify/basis';
import type { CaseResult } from './case-result';
import { computeCoverage, type Coverage } from './coverage';
import { ContractError, describeThrown, isErrorLike } from '../errors';
import type { HttpRequest, HttpResponse, SourceName } from '../gateway/types';
import { headerValue } from '../gateway/wire';
import type { Operation } from '../document/model';
import { linksFromLocation, summarizeLink, type Link, type LinkSummary } from '../document/links';
import { runRootSequences, sequenceChecksOn, sequencesOf, type SequenceRun } from './sequences';
import type { InvokeOptions, LambdaHandler } from '../invoke/invoke';
import { targetOf, type FunctionTarget } from '../invoke/target';
import type { FunctionUsage } from '../invoke/sandbox/pool';
import type { Violation } from '../verify/violation';
import { SOURCE_NAMES } from '../gateway';
import { acceptsAuthorizer } from '../gateway/authorizer';
import { authorizerForOperation, namesLambdaAuthorizers } from '../document/authorizers';
import type { Authorizer } from '../invoke/authorize';
import type { Contract } from '../contract';
import { faultViolation } from '../verify/verify';
import type { RequestCase, RequestOverrides } from '../requests/cases';
import type { CaseIntent, NegativeCase } from '../requests/negative';
import { applyChecks, CHECK_NAMES, type CheckName } from './checks';
import { propertyCase } from './property-cases';
import { overridesFor, runnableOperations, wantsProperty, type PlannedRequests } from './plan';
import { isolateNetwork, outboundViolation, type NetworkOptions, type OutboundAttempt } from '../invoke/isolation';
import { guarded } from '../invoke/guard';
import { sandboxEnvironment, withEnvironment } from '../invoke/environment';
import { violationsOfGatewayAnswer, type GatewayAnswer } from '../verify/admission';
import { preflightCase, wantsPreflight } from '../requests/preflight';

export type { CaseResult } from './case-result';
export type { LinkSummary } from '../document/links';
export type { FunctionUsage } from '../invoke/sandbox/pool';

export interface RunReport {
  spec: string;
  title: string;
  version: string;
  source: SourceName;
  results: CaseResult[];
  summary: { operations: number; failedOperations: number; cases: number; passed: number; failed: number };
  /** Which operations and documented responses the run exercised, and which conformed. */
  coverage: Coverage;
  /** Document problems that did not stop the run. */
  warnings: string[];
  /** The links the run's sequences could follow (the document's, or inferred ones saying what they assume); absent when there are none. */
  links?: LinkSummary[];
  durationMs: number;
  /** Set when the run was stopped (`signal`) before every case ran. */
  interrupted?: true;
  /** What each function's sandboxes did, as Lambda's REPORT lines sum it up (runs in sandboxes only). */
  functions?: FunctionUsage[];
  /** The checks the run applied, when not all of them: a verdict says what it covers. */
  checks?: CheckName[];
}

export interface RunOptions extends InvokeOptions {
  /** Only these operations (ids or `METHOD /path`). */
  operations?: string[];
  /** The source for every operation (default: each operation's own, see `Contract.sourceFor`). */
  source?: SourceName;
  /**
   * A Lambda authorizer to run before the handler on every secured operation, as API Gateway does.
   * A refusal (401/403) or a broken answer (500) is reported as the case's violation.
   */
  authorizer?: Authorizer;
  /** Seed for generated values and property-based cases (default 1): the same seed, the same requests. */
  seed?: number;
  /** Property-based cases per operation (fast-check, shrunk on failure). Default 20; 0 turns them off. */
  runs?: number;
  /** The checks to apply (default: all). */
  checks?: CheckName[];
  /**
   * The statuses that count as accepting a valid request, for `positive_data_acceptance`: exact (`404`)
   * or classes (`2xx`). Default 2xx, 401, 403, 404, 409.
   */
  acceptedStatuses?: string[];
  /**
   * Sequences along the contract's links (explicit or inferred): on by default when the document has
   * links and a sequence check (`ensure_resource_availability`, `use_after_free`) is on; `false` turns
   * them off. `runs` bounds the random sequences per root operation.
   */
  sequences?: boolean;
  /** Fixed request values per operation (operationId or `METHOD /path`): real ids, real tokens. */
  overrides?: Record<string, RequestOverrides>;
  /** Changes each request before it is sent (sign it, point it at a fixture); return the new request or nothing. */
  before?: (request: HttpRequest, context: { operationId: string; caseName: string }) => HttpRequest | void | Promise<HttpRequest | void>;
  /**
   * Outbound isolation (default on): the handler's real network calls are blocked and each one is
   * reported as an `outbound_request` violation naming host and path. `{ allow: ['host'] }` lets named
   * hosts through (loopback always is); `false` turns isolation off.
   */
  network?: NetworkOptions | false;
  /** Called after each case (progress output). */
  onResult?: (result: CaseResult) => void;
  /**
   * Stops the run after the case in progress; the report then holds the cases run so far and says it
   * was interrupted (the CLI aborts on Ctrl-C and still writes every report).
   */
  signal?: AbortSignal;
  /**
   * @internal The operations whose links sequences may follow (default: the run's). A suite shard runs
   * its roots' sequences along links to operations of other shards; a deployment's steps run elsewhere.
   */
  linkScope?: readonly string[];
  /**
   * @internal Where links a `Location` header teaches go when this run makes no sequences itself (a
   * deployment's function runs: its sequences cross functions afterwards).
   */
  learnedLinks?: Link[];
  /** @internal Told each case's response as the client got it (a deployment's sequence steps). */
  onResponse?: (operationId: string, caseName: string, response: HttpResponse) => void;
  /** @internal Requests a plan with the same seed, overrides and checks generated already, by operation id. */
  planned?: ReadonlyMap<string, PlannedRequests>;
}

/**
 * Gives `target[key]` the value `text` holds as JSON, parsed the first time it is read: a passing case's
 * event is rarely looked at, and parsing every one cost more than building it. The key keeps its place.
 */
function parsedOnRead(target: object, key: string, text: string): void {
  const settle = (value: unknown): unknown => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(JSON.parse(text)), set: settle });
}

/**
 * The violations of a case the gateway answered itself. A preflight: whether the browser may go on. Any
 * other answer is judged against the contract like a function's (the gateway's default `{"message": …}`
 * against a documented error format), and a request the contract allows must not be refused.
 */
function gatewayAnswerViolations(contract: Contract, operationId: string, intent: CaseIntent, request: HttpRequest, answer: GatewayAnswer): Violation[] {
  const status = answer.response.statusCode;
  if (answer.rule === 'cors_preflight') {
    if (answer.refused === undefined) return [];
    return [{
      rule: 'cors_preflight_refused', operationId, status, where: 'gateway', expected: 'the preflight allowed (origin, method and request headers in the CORS configuration)', received: answer.reason,
      message: `a browser cannot call ${request.path}: ${answer.reason} (${answer.setting})`, specPointer: answer.setting.replace(/^#/, ''),
    }];
  }
  const judged = violationsOfGatewayAnswer(answer, contract.verify(operationId, answer.response, { method: request.method }).violations);
  if (intent === 'valid' && (answer.rule === 'request_validator' || answer.rule === 'api_key')) {
    judged.unshift({
      rule: 'request_refused_by_gateway', operationId, status, where: 'gateway', expected: 'the request passed to the function', received: `${status}: ${answer.reason}`,
      message: `the contract allows this request, but the gateway refuses it (${answer.setting}): ${answer.reason}`, specPointer: answer.setting.replace(/^#/, ''),
    });
  }
  return judged;
}

/** The violation of a callback handler on a runtime that no longer runs them. */
function callbackHandlerViolation(operationId: string, status: number, runtime: string): Violation {
  return {
    rule: 'runtime_unsupported_handler', operationId, status, where: 'handler', expected: 'an async handler (event, context)', received: 'a callback handler (event, context, callback)',
    message: `${runtime} no longer runs callback-style handlers: Lambda fails every invocation with Runtime.CallbackHandlerDeprecated`,
  };
}

/** Says on an operation's timed-out case how many of its cases were not run after it. */
function noteSkipped(results: CaseResult[], operationId: string, skipped: number): void {
  const timedOut = results.find((r) => r.operationId === operationId && r.violations.some((v) => v.rule === 'timeout'));
  if (!timedOut) return;
  timedOut.notes = [...timedOut.notes, `the function timed out: ${skipped} more case${skipped === 1 ? '' : 's'} of ${operationId} not run (each would wait for the Timeout again)`];
}

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

async function runGuarded(contract: Contract, target: FunctionTarget, options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  if (options.authorizer && options.source !== undefined && !acceptsAuthorizer(options.source)) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `a Lambda authorizer stands in front of REST and HTTP APIs only; source "${options.source}" has none`, { option: 'authorizer', source: options.source });
  }
  const reportSource = options.source ?? contract.source;
  const warnings = [...contract.warnings];
  const operations = runnableOperations(contract, options.operations, warnings, options.source);
  const invokeOptions = {
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    ...(options.runtime !== undefined ? { runtime: options.runtime } : {}),
    ...(options.context ? { context: options.context } : {}),
  };
  const results: CaseResult[] = [];
  const checks = options.checks ?? [...CHECK_NAMES];
  const runs = options.runs ?? DEFAULT_RUNS;
  const seed = options.seed ?? 1;
  let sequence = 0;
  const documentAuthorizers = namesLambdaAuthorizers(contract.operations);
  const emit = (r: CaseResult): void => {
    results.push(r);
    options.onResult?.(r);
  };
  /** Operations whose function timed out: their other cases are not run (each would cost a timeout). */
  const timedOut = new Set<string>();
  /** Each case's handler faults that may still arrive after it was judged. */
  const lateFaults = new Map<CaseResult, readonly string[]>();

  const graph = contract.links;
  const selected = new Set(operations.map((op) => op.id));
  const scope = options.linkScope ? new Set(options.linkScope) : selected;
  // With no links of its own, a document's links are inferred, and a Location header a valid request
  // gets back teaches more: its operation leads to the operations whose path the header points at.
  const learned: Link[] = options.learnedLinks ?? [];
  const learning = graph.inferred && (options.learnedLinks !== undefined || sequenceChecksOn(checks, options.sequences));
  const learnFrom = (op: Operation) => (response: HttpResponse): void => {
    const location = response.statusCode >= 200 && response.statusCode < 300 ? headerValue(response.headers, 'location') : undefined;
    // Every link taught is kept (a deployment's sequences cross functions); the sequences pick those in scope.
    if (location) learned.push(...linksFromLocation(op, response.statusCode, location, contract.operations, [...graph.links, ...learned]));
  };

  let links: Link[] = [];
  let roots: Operation[] = [];

  const isolation = options.network === false ? undefined : isolateNetwork(options.network ?? {});
  try {
    /** What runs the cases of one operation: its source, authorizer, overrides, and the case runner. */
    const runnerFor = (op: Operation) => {
      const source = options.source ?? contract.sourceFor(op);
      const authorizerSpec = options.authorizer ? authorizerForOperation(op, options.authorizer, documentAuthorizers) : undefined;
      const overrides = overridesFor(op, options.overrides);
      const requestOptions = { seed, ...(overrides ? { overrides } : {}) };
      const failed = (name: string, request: HttpRequest, why: string): CaseResult => ({
        operationId: op.id, method: op.method, path: op.path, source, case: name, seed, ok: false, violations: [],
        request, event: null, notes: [], durationMs: 0, internalError: why,
      });

      /** Sends one request through the gateway (and authorizer) and the handler, and judges it under the checks. */
      const runCase = async (c: RequestCase, intent: CaseIntent, breaks?: string, captured?: (response: HttpResponse) => void): Promise<CaseResult> => {
        const told = options.onResponse;
        const capture = captured ?? (told ? (response: HttpResponse) => told(op.id, c.name, response) : undefined);
        const t0 = performance.now();
        const seq = sequence++;
        const request = options.before ? ((await options.before(c.request, { operationId: op.id, caseName: c.name })) ?? c.request) : c.request;
        const common = { operationId: op.id, method: op.method, path: op.path, source, case: c.name, seed: c.seed, request, notes: c.notes };
        isolation?.take(); // calls left over from earlier cases (stray timers) are not this case's
        let invoked: { logs: string; late: readonly string[] } | undefined;
        const outbound: OutboundAttempt[] = [];
        try {
          // The gateway's own answers come first where it gives them: a preflight or a mock needs no
          // authorization; an API key and the request validator are checked once the authorizer allowed.
          const early = contract.gatewayAnswer(op.id, request, 'before_authorizer', { source });
          const decision = !early && authorizerSpec ? await contract.authorize(request, authorizerSpec, { source, sequence: seq, ...invokeOptions }) : undefined;
          const answer = early ?? (decision?.allowed === false ? undefined : contract.gatewayAnswer(op.id, request, 'after_authorizer', { source }));
          let status: number;
          let violations: Violation[];
          let event: unknown;
          let sent: string | undefined;
          let error: CaseResult['error'];
          if (answer) {
            // The gateway answered itself: the function never ran; its answer is judged like any response.
            status = answer.response.statusCode;
            capture?.(answer.response);
            violations = gatewayAnswerViolations(contract, op.id, intent, request, answer);
            event = null;
            for (const w of answer.warnings) if (!warnings.includes(w)) warnings.push(w);
          } else if (decision && !decision.allowed) {
            // The gateway refused before the handler ran: its answer is the case's response.
            status = decision.fault.response.statusCode;
            capture?.(decision.fault.response);
            violations = [faultViolation(op.id, decision.fault)];
            event = decision.event ?? null;
          } else {
            const authorizer = decision ? decision.authorizer : overrides?.authorizerContext;
            const built = contract.eventForCase({ ...c, request }, source, { sequence: seq, ...(authorizer ? { authorizer } : {}) });
            sent = JSON.stringify(built); // the event as sent, even if the handler mutates it (read back when asked for)
            const invocation = await target.invoke(built, invokeOptions);
            invoked = invocation;
            if (invocation.outcome.kind === 'timeout') timedOut.add(op.id);
            outbound.push(...(invocation.outbound ?? []));
            const judgement = contract.judge(op.id, invocation, { source });
            status = judgement.response.statusCode;
            capture?.(judgement.response);
            violations = judgement.result.violations;
            if (invocation.error !== undefined) {
              const { type, message } = describeThrown(invocation.error);
              error = { type, message, ...(isErrorLike(invocation.error) && invocation.error.stack ? { stack: invocation.error.stack } : {}) };
            }
            if (invocation.outcome.kind === 'threw' && invocation.outcome.errorType === 'Runtime.CallbackHandlerDeprecated') violations.unshift(callbackHandlerViolation(op.id, status, options.runtime ?? ''));
          }
          const notes: string[] = [];
          const counted = applyChecks({ operation: op, intent, status, violations, refusedByAuthorizer: decision?.allowed === false, request, notes, ...(breaks ? { breaks } : {}), ...(options.acceptedStatuses ? { acceptedStatuses: options.acceptedStatuses } : {}) }, checks);
          // Whatever the checks, a run that reached for the network is not a run on the contract alone.
          for (const attempt of [...outbound, ...(isolation?.take() ?? [])]) counted.push(outboundViolation(op.id, status, attempt));
          const r: CaseResult = { ...common, ok: counted.length === 0, status, violations: withBasis(counted, op.pointer), event, durationMs: performance.now() - t0 };
          if (notes.length > 0) r.notes = [...r.notes, ...notes];
          if (answer) r.answeredBy = { rule: answer.rule, setting: answer.setting, reason: answer.reason, ...(answer.shapedBy ? { shapedBy: answer.shapedBy } : {}) };
          if (sent !== undefined) parsedOnRead(r, 'event', sent);
          if (error) r.error = error;
          if (invoked) {
            if (!r.ok && invoked.logs) r.logs = invoked.logs;
            lateFaults.set(r, invoked.late);
          }
          return r;
        } catch (e) {
          return { ...common, ok: false, violations: [], event: null, durationMs: performance.now() - t0, internalError: describeThrown(e).message };
        }
      };
      return { source, requestOptions, failed, runCase };
    };
    /** Each operation's runner, made once: its single cases and the sequence steps through it share it. */
    const runners = new Map<string, ReturnType<typeof runnerFor>>();
    const runner = (op: Operation): ReturnType<typeof runnerFor> => {
      let r = runners.get(op.id);
      if (!r) runners.set(op.id, (r = runnerFor(contract.operation(op.id))));
      return r;
    };

    for (const op of operations) {
      if (options.signal?.aborted) break;
      const { source, requestOptions, failed, runCase } = runner(op);
      const bare: HttpRequest = { method: op.method, path: op.path, rawQuery: '', headers: [] };
      let cases: RequestCase[];
      try {
        cases = options.planned?.get(op.id)?.valid ?? contract.requests(op.id, requestOptions);
      } catch (error) {
        emit(failed('generate', bare, `could not generate requests: ${describeThrown(error).message}`));
        continue;
      }
      // After a timeout the operation's other cases are skipped: each would cost the function's Timeout again.
      let skipped = 0;
      const goOn = (): boolean => {
        if (options.signal?.aborted) return false;
        if (timedOut.has(op.id)) skipped++;
        return !timedOut.has(op.id);
      };
      for (const c of cases) if (goOn()) emit(await runCase(c, 'valid', undefined, learning ? learnFrom(op) : undefined));

      // A browser asks the HTTP API before calling a CORS-enabled route: the gateway answers that preflight.
      const cors = contract.preflightFor(op.id, source);
      const first = cases[0];
      if (wantsPreflight(op, cors) && first && goOn()) emit(await runCase(preflightCase(op, first, cors), 'valid'));

      if (wantsProperty(runs, checks) && goOn()) {
        emit(await propertyCase(contract, op, runs, seed, requestOptions, (c) => runCase(c, 'valid'), warnings));
      }

      const wantNegative = checks.includes('negative_data_rejection');
      const wantAuth = checks.includes('auth_enforcement');
      if (wantNegative || wantAuth) {
        let negatives: NegativeCase[];
        try {
          negatives = options.planned?.get(op.id)?.negative ?? contract.negativeRequests(op.id, requestOptions);
        } catch (error) {
          emit(failed('negative', bare, `could not generate forbidden requests: ${describeThrown(error).message}`));
          continue;
        }
        for (const n of negatives) {
          if ((n.intent === 'invalid' && wantNegative) || (n.intent === 'unauthenticated' && wantAuth)) if (goOn()) emit(await runCase(n, n.intent, n.breaks));
        }
      }
      if (skipped > 0) noteSkipped(results, op.id, skipped);
    }
    // Sequences along the links, once every operation ran alone: the handler keeps its state (a warm container).
    // Not through an operation whose function timed out: each step there would wait for the Timeout again.
    const throughLive = [...graph.links, ...learned].filter((l) => !timedOut.has(l.source.id) && !timedOut.has(l.target.id));
    if (timedOut.size > 0 && throughLive.length < graph.links.length + learned.length) warnings.push(`no sequences through ${[...timedOut].join(', ')}: the function timed out there`);
    ({ links, roots } = sequencesOf(throughLive, scope, selected, checks, options.sequences));
    if (roots.length > 0) for (const w of graph.warnings) if (!warnings.includes(w)) warnings.push(w);
    if (roots.length > 0 && !options.signal?.aborted) {
      const sequenceRun: SequenceRun = {
        contract, links, checks, seed,
        requestOptions: (op) => runner(op).requestOptions,
        step: async (op, c) => {
          let response: HttpResponse | undefined;
          const result = await runner(op).runCase(c, 'valid', undefined, (r) => (response = r));
          return { result, ...(response ? { response } : {}) };
        },
      };
      for (const root of roots) {
        if (options.signal?.aborted) break;
        for (const r of await runRootSequences(sequenceRun, root, runs, options.signal)) emit(r);
      }
    }
    // Faults of work the handler left (callbacks, timers due now) land on their cases.
    await target.settle();
  } finally {
    isolation?.restore();
  }
  for (const [r, late] of lateFaults) {
    if (late.length === 0) continue;
    for (const message of late) {
      r.violations.push({ rule: 'handler_failed_later', operationId: r.operationId, ...(r.status !== undefined ? { status: r.status } : {}), where: 'handler', expected: 'nothing raised once the handler has answered', received: message.replace(/^after it answered, the handler's code /, ''), message });
    }
    r.ok = false;
  }
  // A sequence's case shares its failing (or last) step's violations: a fault that arrived late there fails the sequence too.
  for (const r of results) if (r.sequence && r.ok && r.violations.length > 0) r.ok = false;
  if (options.signal?.aborted) warnings.push(`interrupted: the run was stopped after ${results.length} cases; this report covers those only`);
  const failedOps = new Set(results.filter((r) => !r.ok).map((r) => r.operationId));
  const passed = results.filter((r) => r.ok).length;
  return {
    spec: contract.file,
    title: contract.title,
    version: contract.version,
    source: reportSource,
    results,
    summary: { operations: operations.length, failedOperations: failedOps.size, cases: results.length, passed, failed: results.length - passed },
    coverage: computeCoverage(operations, results, links),
    warnings,
    ...(links.length > 0 ? { links: links.map(summarizeLink) } : {}),
    durationMs: performance.now() - started,
    ...(options.signal?.aborted ? { interrupted: true as const } : {}),
    ...(checks.length < CHECK_NAMES.length ? { checks } : {}),
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
