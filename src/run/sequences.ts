/**
 * Sequences: requests that follow the contract's links, each step's values carried from the responses
 * before it, against a handler that keeps its state between steps (a warm Lambda container). Two checks
 * need them: `ensure_resource_availability` (created, then not found) and `use_after_free` (deleted, then
 * still served); every step is also judged as a single request is.
 *
 * Per root operation (a link source no link leads to, e.g. the collection's POST) the run makes fixed
 * sequences — create then read, create/delete then read, create/update then read — and one property:
 * fast-check draws sequences along the links with valid data at each step and shrinks a failing one to
 * the shortest that still fails. The run's seed fixes every draw.
 */
import { fc, type Arbitrary, type RunDetails } from '../requests/fc';
import type { Operation } from '../document/model';
import { evaluateLinkValue, matchPath, parseJsonBody, type Link } from '../document/links';
import { bodyPreview } from '../gateway/wire';
import { responseFor } from '../verify/verify';
import type { HttpRequest, HttpResponse } from '../gateway/types';
import type { CaseValues, RequestCase } from '../requests/cases';
import { bodyMediaType, paramKey } from '../requests/cases';
import { operationSeed, type PropertyDraw } from '../requests/property-values';
import type { Contract, OperationCases } from '../contract';
import type { Basis, Violation } from '../verify/violation';
import { describeThrown } from '../errors';
import type { CaseResult, SequenceRecord, SequenceStep } from './case-result';
import type { CheckName } from './checks';

export type { SequenceRecord, SequenceStep } from './case-result';

/** What runs one request of a sequence: the case's verdict and the response the client got. */
export type StepRunner = (operation: Operation, c: RequestCase) => Promise<{ result: CaseResult; response?: HttpResponse }>;

/** One step to take: the first (`link` absent) or one along a link from the latest step its source answered. */
interface StepPlan {
  operation: Operation;
  link?: Link;
  /** Drawn values for the step (random sequences); absent: the operation's default request. */
  draw?: PropertyDraw;
}

interface Taken {
  operation: Operation;
  request: HttpRequest;
  response?: HttpResponse;
  status?: number;
}

/** A named fixed sequence of one root. */
export interface SequenceKind {
  name: string;
  root: Operation;
  steps: StepPlan[];
}

const CREATES = new Set(['POST', 'PUT']);

/** The operations sequences start from: link sources no link leads to (else every POST source). */
export function sequenceRoots(links: readonly Link[]): Operation[] {
  const targets = new Set(links.map((l) => l.target));
  const sources = [...new Set(links.map((l) => l.source))];
  const roots = sources.filter((s) => !targets.has(s));
  return roots.length > 0 ? roots : sources.filter((s) => s.method === 'POST');
}

/** The fixed sequences from a root: create → read, create → delete → read, create → update → read. */
export function fixedSequences(root: Operation, links: readonly Link[]): SequenceKind[] {
  const out: SequenceKind[] = [];
  const from = links.filter((l) => l.source === root && l.target !== root);
  const reads = from.filter((l) => l.target.method === 'GET');
  const name = (ls: Link[]): string => `sequence ${[root.id, ...ls.map((l) => l.target.id)].join(' → ')}`;
  for (const read of reads) out.push({ name: name([read]), root, steps: [{ operation: root }, { operation: read.target, link: read }] });
  for (const change of from.filter((l) => ['DELETE', 'PUT', 'PATCH'].includes(l.target.method))) {
    for (const read of reads) out.push({ name: name([change, read]), root, steps: [{ operation: root }, { operation: change.target, link: change }, { operation: read.target, link: read }] });
  }
  return out;
}

/** The random sequences' case name in a plan (the run names it by its outcome). */
export function randomSequencesName(root: Operation, runs: number): string {
  return `sequences from ${root.id} ×${runs}`;
}

/** Whether sequences are wanted at all: not turned off, and a sequence check is on. */
export function sequenceChecksOn(checks: readonly CheckName[], enabled: boolean | undefined): boolean {
  return enabled !== false && (checks.includes('ensure_resource_availability') || checks.includes('use_after_free'));
}

/**
 * What a run's sequences follow and where they start: the links between operations in `scope`, and
 * the roots among the `selected` operations — none when sequences are not wanted. The run, a
 * deployment's run and the plan decide it here alike.
 */
export function sequencesOf(links: readonly Link[], scope: ReadonlySet<string>, selected: ReadonlySet<string>, checks: readonly CheckName[], enabled: boolean | undefined): { links: Link[]; roots: Operation[] } {
  const followed = links.filter((l) => scope.has(l.source.id) && scope.has(l.target.id));
  if (followed.length === 0 || !sequenceChecksOn(checks, enabled)) return { links: [], roots: [] };
  const roots = sequenceRoots(followed).filter((root) => selected.has(root.id));
  return roots.length > 0 ? { links: followed, roots } : { links: [], roots: [] };
}

/**
 * Whether a step's status is one its link starts from: the status resolves (exact, range, `default`) to
 * the documented response the link hangs on, as the verifier resolves it; a link a `Location` header
 * taught (an undocumented status) starts from the very status that taught it.
 */
function startsLink(link: Link, status: number | undefined): boolean {
  if (status === undefined) return false;
  const response = responseFor(link.source, status);
  if (!response) return String(status) === link.status;
  // `default` answers errors too; a link on it starts from a success only.
  return response.status === 'DEFAULT' ? link.status === 'default' && status >= 200 && status < 300 : response.status === link.status;
}

export interface SequenceRun {
  contract: Contract;
  links: readonly Link[];
  checks: readonly CheckName[];
  /** The request generators of an operation, as the run resolved them (its seed and overrides). */
  cases: (op: Operation) => OperationCases;
  seed: number;
  step: StepRunner;
}

/**
 * Runs one sequence: each step's request built (carried values over drawn or default ones), sent, and
 * judged; the sequence stops at the first failing step. Steps whose link has no answered source yet are
 * skipped (a drawn sequence may name them). Returns the failing (or last) step's verdict with the record.
 */
async function runSequence(run: SequenceRun, name: string, kind: string, plan: readonly StepPlan[]): Promise<{ result: CaseResult; record: SequenceRecord } | undefined> {
  const walk = new SequenceWalk(run);
  for (const [index, p] of plan.entries()) {
    const values: CaseValues = p.draw ? { ...p.draw.values, params: { ...p.draw.values.params } } : { ...run.cases(p.operation).defaults(), params: {} };
    const followed = p.link ? walk.follow(p.link, values, p.draw !== undefined) : { carried: [] };
    if ('skip' in followed) continue;
    if ('stop' in followed) {
      if (!walk.last) return undefined;
      break;
    }
    const built = run.cases(p.operation).build(`${name} step ${index + 1}`, values);
    const { result, response } = await run.step(p.operation, { ...built, seed: run.seed });
    walk.judge(p, result, followed.from);
    walk.record(p, result, response, followed);
    if (!result.ok) break;
  }
  const { last } = walk;
  if (!last) return undefined;
  if (walk.skipped.length > 0 || walk.notes.length > 0) last.notes = [...last.notes, ...walk.skipped, ...walk.notes];
  return { result: last, record: { kind, steps: walk.steps } };
}

/** How a step reached along a link starts: what it carried, from which earlier step. */
interface Followed {
  carried: string[];
  from?: Taken;
  linkName?: string;
}

/** One sequence as it runs: the steps taken, what was deleted, and what the record and notes say. */
class SequenceWalk {
  readonly taken: Taken[] = [];
  readonly steps: SequenceStep[] = [];
  readonly notes: string[] = [];
  last: CaseResult | undefined;
  private readonly deleted = new Set<string>();
  /** The fixed sequence's links that had nothing to start from (said before the other notes). */
  readonly skipped: string[] = [];

  constructor(private readonly run: SequenceRun) {}

  /**
   * Carries the link's values from the latest step its source answered into `values`. `skip`: nothing
   * answered yet that the link starts from (a drawn sequence just goes on; a fixed one says so). `stop`:
   * the link cannot be followed from what that step answered, said on the sequence.
   */
  follow(link: Link, values: CaseValues, drawn: boolean): Followed | { skip: true } | { stop: true } {
    const fromIndex = this.taken.findLastIndex((t) => t.operation === link.source && startsLink(link, t.status));
    if (fromIndex < 0) {
      if (!drawn) {
        const from = this.taken.filter((t) => t.operation === link.source).map((t) => t.status ?? 'no status');
        this.skipped.push(`${link.name} not followed: ${link.source.id} answered ${from.join(', ') || 'nothing'}, not ${link.status}`);
      }
      return { skip: true };
    }
    const from = this.taken[fromIndex] as Taken;
    const { carried, missing } = carryValues(link, from, fromIndex, values);
    if (!missing) return { carried, from, linkName: link.name };
    // A link the document declares fails the sequence (link_not_followed); one the tool inferred was an
    // assumption, so not following it is a note that names what was assumed.
    if (this.last) {
      this.steps.push({ operationId: link.target.id, method: link.target.method, path: link.target.path, ok: link.inferred !== undefined, link: link.name, carried: [], unfollowed: missing });
      if (link.inferred !== undefined) this.notes.push(`inferred link ${link.name} not followed: ${missing} (assumed: ${link.inferred})`);
    }
    return { stop: true };
  }

  /** The stateful checks on a step: what was deleted must be gone, what was created must be found. */
  judge(p: StepPlan, result: CaseResult, source: Taken | undefined): void {
    const { run } = this;
    const { status } = result;
    const path = result.request.path;
    const method = p.operation.method;
    const own: Violation[] = [];
    const base = { operationId: p.operation.id, ...(status !== undefined ? { status } : {}), where: 'sequence' as const };
    const ground = statefulGround(p.link);
    const found = (rule: 'use_after_free' | 'ensure_resource_availability', expected: string, message: string): void => {
      if (ground.fails) own.push({ ...base, rule, expected, received: String(status), message: message + ground.says, ...(ground.basis ? { basis: ground.basis } : {}) });
      else this.notes.push(`not judged (${rule}): ${message}, but ${ground.why}`);
    };
    const succeeded = status !== undefined && status >= 200 && status < 300;
    if (run.checks.includes('use_after_free') && this.deleted.has(path) && ['GET', 'HEAD', 'PATCH'].includes(method) && succeeded) {
      const message = `${method} ${path} answered ${status} after DELETE ${path} succeeded earlier in the sequence: what was deleted is still served`;
      // Gone is a status the operation must be able to answer: one that documents neither 404 nor 410 says nothing about it.
      const gone = p.operation.responses.some((r) => ['404', '410', '4XX', 'DEFAULT'].includes(r.status.toUpperCase()));
      if (gone) found('use_after_free', '404 or 410: the resource was deleted', message);
      else this.notes.push(`not judged (use_after_free): ${message}, but ${p.operation.id} documents no 404 or 410 to answer it with`);
    }
    // A 202 accepts work that may not exist yet (only the status monitor its Location names must); what lies
    // beneath a created item (its cover) need not exist with it.
    if (run.checks.includes('ensure_resource_availability') && source && CREATES.has(source.operation.method) && (source.status !== 202 || readsLocation(p.link)) && method === 'GET' && status === 404 && !this.deleted.has(path) && !p.link?.beneath) {
      found('ensure_resource_availability', `the resource ${source.operation.method} ${source.request.path} created (${source.status}) found`, `${source.operation.method} ${source.request.path} answered ${source.status}, but ${method} ${path} cannot find what it created`);
    }
    if (own.length > 0) {
      result.violations.unshift(...own);
      result.ok = false;
    }
    if (method === 'DELETE' && succeeded) this.deleted.add(path);
    if (CREATES.has(method) && succeeded) this.deleted.delete(path);
  }

  /** The step as the record shows it, and as later links read it. */
  record(p: StepPlan, result: CaseResult, response: HttpResponse | undefined, followed: Followed): void {
    const { status, request } = result;
    this.taken.push({ operation: p.operation, request, ...(response ? { response } : {}), ...(status !== undefined ? { status } : {}) });
    const body = bodyPreview(request.body);
    this.steps.push({
      operationId: p.operation.id, method: p.operation.method, path: request.path + (request.rawQuery ? `?${request.rawQuery}` : ''), ...(body !== undefined ? { body } : {}),
      ...(result.function ? { function: result.function.name } : {}), ...(status !== undefined ? { status } : {}), ok: result.ok, ...(followed.linkName ? { link: followed.linkName } : {}), carried: followed.carried,
    });
    this.last = result;
  }
}

/** The link's parameters and body evaluated on the step it starts from, set into `values`; `missing` names what was not found. */
function carryValues(link: Link, from: Taken, fromIndex: number, values: CaseValues): { carried: string[]; missing?: string } {
  const carried: string[] = [];
  const context = { request: from.request, requestBody: parseJsonBody(from.request.body), pathParameters: matchPath(from.operation.path, from.request.path) ?? {}, response: from.response ?? { statusCode: from.status ?? 0, headers: [], body: Buffer.alloc(0) } };
  for (const param of link.parameters) {
    const v = evaluateLinkValue(param.value, context, param.name);
    if ('missing' in v) return { carried, missing: `${param.in}.${param.name}: ${v.missing}` };
    (values.params as Record<string, unknown>)[paramKey(param)] = v.value;
    carried.push(`${param.in}.${param.name} ← ${describeValue(param.value)} = ${typeof v.value === 'bigint' ? String(v.value) : JSON.stringify(v.value)} (step ${fromIndex + 1})`);
  }
  if (!link.requestBody) return { carried };
  const v = evaluateLinkValue(link.requestBody, context, '');
  if ('missing' in v) return { carried, missing: `body: ${v.missing}` };
  const media = bodyMediaType(link.target);
  if (media) {
    values.body = { media, value: v.value };
    carried.push(`body ← ${describeValue(link.requestBody)} (step ${fromIndex + 1})`);
  }
  return { carried };
}

/**
 * Whether a stateful check may fail a step reached along `link`: on the document's own link, yes; on an
 * inferred one only when the id was read back for certain (a Location header, a field named like the
 * parameter), and then the failure says it was inferred and how. Otherwise the finding is a note.
 */
function statefulGround(link: Link | undefined): { fails: true; says: string; basis?: Basis } | { fails: false; why: string } {
  if (link?.inferred === undefined) return { fails: true, says: '', ...(link?.pointer !== undefined ? { basis: { from: 'document', pointer: link.pointer } } : {}) };
  if (!link.certain) return { fails: false, why: `the link ${link.name} was inferred from a guess (${link.inferred})` };
  return { fails: true, says: ` (link ${link.name} inferred: ${link.inferred})`, basis: { from: 'inference', assumed: link.inferred } };
}

const readsLocation = (link: Link | undefined): boolean => link?.parameters.some((p) => p.value.kind === 'location' || (p.value.kind === 'expression' && /^\$response\.header\.location$/i.test(p.value.expression))) ?? false;

function describeValue(v: Link['parameters'][number]['value']): string {
  return v.kind === 'expression' ? v.expression : v.kind === 'location' ? 'Location header' : 'constant';
}

/** A sequence's verdict as a case of the root operation, named and carrying its steps. */
function sequenceCase(links: readonly Link[], root: Operation, name: string, seed: number, outcome: { result: CaseResult; record: SequenceRecord }, started: number): CaseResult {
  const { result, record } = outcome;
  const failedStep = record.steps.find((s) => !s.ok);
  const ok = failedStep === undefined && result.ok && result.internalError === undefined;
  const r: CaseResult = { ...result, operationId: root.id, method: root.method, path: root.path, case: name, seed, ok, sequence: record, durationMs: performance.now() - started };
  if (failedStep?.unfollowed !== undefined && result.ok) {
    const pointer = links.find((l) => l.name === failedStep.link)?.pointer;
    r.violations = [{ operationId: failedStep.operationId, where: 'sequence', rule: 'link_not_followed', expected: `a value for ${failedStep.link ?? 'the link'}`, received: `not followed: ${failedStep.unfollowed}`, message: `${failedStep.link ?? 'a link'} could not be followed: ${failedStep.unfollowed}`, ...(pointer !== undefined ? { basis: { from: 'document', pointer } } : {}) }];
  }
  return r;
}

/** Runs a root's fixed sequences and its random ones; returns one case per sequence kind. */
export async function runRootSequences(run: SequenceRun, root: Operation, runs: number, signal?: AbortSignal): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const kind of fixedSequences(root, run.links)) {
    if (signal?.aborted) return out;
    const started = performance.now();
    const outcome = await runSequence(run, kind.name, kind.name, kind.steps);
    if (outcome) out.push(sequenceCase(run.links, root, kind.name, run.seed, outcome, started));
  }
  if (runs > 0 && !signal?.aborted) {
    const started = performance.now();
    const random = await randomSequences(run, root, runs);
    if (random) out.push(sequenceCase(run.links, root, random.name, run.seed, random, started));
    else {
      // Nothing could be drawn from the root (its schemas admit no value fast-check finds): say so, as a case the plan named.
      const kind = randomSequencesName(root, runs);
      out.push({
        operationId: root.id, method: root.method, path: root.path, source: run.contract.sourceFor(root), case: kind, seed: run.seed, ok: false, violations: [],
        request: { method: root.method, path: root.path, rawQuery: '', headers: [] }, event: null, notes: [], durationMs: performance.now() - started,
        internalError: `no sequence could be drawn from ${root.id}: its requests admit no value the generator finds`, sequence: { kind, steps: [] },
      });
    }
  }
  return out;
}

/** The links reachable from a root, breadth first. */
function reachable(root: Operation, links: readonly Link[]): Link[] {
  const seen = new Set<Operation>([root]);
  const out: Link[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const op = queue.shift() as Operation;
    for (const l of links) {
      if (l.source !== op || out.includes(l)) continue;
      out.push(l);
      if (!seen.has(l.target)) {
        seen.add(l.target);
        queue.push(l.target);
      }
    }
  }
  return out;
}

/** Draws of an operation's valid values, or its default request when none can be drawn. */
function drawsOf(run: SequenceRun, op: Operation): Arbitrary<PropertyDraw> {
  try {
    return run.cases(op).propertyValues();
  } catch {
    return fc.constant({ values: {}, invalid: [] });
  }
}

/**
 * fast-check's sequences from a root: the root, then up to five steps along the reachable links, each
 * with drawn values under the carried ones. A failing sequence is shrunk (fewer steps, smaller values)
 * and run once more, so the reported steps are the shrunk sequence's.
 */
async function randomSequences(run: SequenceRun, root: Operation, runs: number): Promise<{ name: string; result: CaseResult; record: SequenceRecord } | undefined> {
  const links = reachable(root, run.links);
  if (links.length === 0) return undefined;
  const rootDraws = drawsOf(run, root);
  const stepArb = fc.oneof(...links.map((link) => fc.record({ link: fc.constant(link), draw: drawsOf(run, link.target) })));
  const arb = fc.tuple(rootDraws, fc.array(stepArb, { minLength: 1, maxLength: 5 }));
  const planOf = ([first, rest]: [PropertyDraw, Array<{ link: Link; draw: PropertyDraw }>]): StepPlan[] => [
    { operation: root, draw: first },
    ...rest.map(({ link, draw }) => ({ operation: link.target, link, draw: withoutCarried(draw, link) })),
  ];
  const base = randomSequencesName(root, runs);
  let last: { result: CaseResult; record: SequenceRecord } | undefined;
  const followed = new Set<string>();
  let firstFailing: number | undefined;
  let details: RunDetails<[[PropertyDraw, Array<{ link: Link; draw: PropertyDraw }>]]>;
  try {
    details = await fc.check(
      fc.asyncProperty(arb, async (drawn) => {
        fc.pre(drawn[0].invalid.length === 0);
        const plan = planOf(drawn).filter((p) => !p.draw || p.draw.invalid.length === 0);
        const outcome = await runSequence(run, base, base, plan);
        if (outcome) last = outcome;
        if (firstFailing === undefined && outcome && !outcome.record.steps.every((s) => s.ok)) firstFailing = plan.length;
        for (const step of outcome?.record.steps ?? []) if (step.link !== undefined && step.status !== undefined) followed.add(step.link);
        return outcome === undefined || outcome.record.steps.every((s) => s.ok);
      }),
      { seed: operationSeed(run.seed, `sequences ${root.id}`), numRuns: runs, endOnFailure: false },
    );
  } catch (error) {
    const message = describeThrown(error).message.split('\n')[0] ?? '';
    return last ? { name: base, result: { ...last.result, ok: false, internalError: `the sequences could not be drawn: ${message}` }, record: last.record } : undefined;
  }
  if (details.failed && details.counterexample) {
    const plan = planOf(details.counterexample[0]).filter((p) => !p.draw || p.draw.invalid.length === 0);
    const name = `sequence from ${root.id}: shortest failing (after ${details.numRuns} runs, ${details.numShrinks} shrinks)`;
    const again = await runSequence(run, name, base, plan);
    if (!again) return undefined;
    again.record.shrunk = { runs: details.numRuns, shrinks: details.numShrinks, path: details.counterexamplePath ?? '', from: firstFailing ?? again.record.steps.length };
    again.record.followed = [...followed];
    again.result.notes = [...again.result.notes, `reproduce: --seed ${run.seed} (sequence seed ${details.seed}, path ${details.counterexamplePath ?? ''})`];
    if (again.record.steps.every((s) => s.ok)) {
      again.result.ok = false;
      again.result.internalError = 'the shrunk sequence passed when run again: the handler\'s answers depend on more than the sequence (earlier state, time)';
    }
    return { name, ...again };
  }
  if (!last) return undefined;
  if (details.failed) last.result.notes = [...last.result.notes, `fast-check stopped after ${details.numRuns} sequences: too many drawn requests were invalid`];
  last.record.followed = [...followed];
  return { name: base, ...last };
}

/** A drawn step's values without the parameters its link fills (they are carried, whatever was drawn). */
function withoutCarried(draw: PropertyDraw, link: Link): PropertyDraw {
  const carried = new Set(link.parameters.map((p) => paramKey(p)));
  return { values: draw.values, invalid: draw.invalid.filter((k) => !carried.has(k) && !(k === 'body' && link.requestBody)) };
}
