/**
 * Contract coverage: which operations, and which documented responses of each (`200`, `4XX`,
 * `default`), a run exercised, and whether what it got there conformed. A response is exercised when a
 * case's status resolves to it as the verifier resolves statuses (exact, then range, then `default`).
 */
import { ContractError } from '../errors';
import type { Operation } from '../document/model';
import { responseFor } from '../verify/verify';
import type { CaseResult } from './case-result';
import type { Link } from '../document/links';

/** What coverage reads of a case or of a sequence's step. */
type Hit = Pick<CaseResult, 'operationId' | 'status' | 'ok'>;

export interface ResponseCoverage {
  /** As documented: `200`, `4XX`, `default`. */
  status: string;
  /** Some case got a status that this response describes. */
  exercised: boolean;
  /** Exercised, and every case that got it conformed. */
  conformed: boolean;
}

export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  /** At least one case reached the handler (or the gateway answered for it). */
  exercised: boolean;
  /** Exercised, and every case conformed. */
  conformed: boolean;
  responses: ResponseCoverage[];
}

export interface CoverageTotals {
  total: number;
  exercised: number;
  conformed: number;
}

export interface Coverage {
  operations: CoverageTotals;
  responses: CoverageTotals;
  /** The links sequences could follow: followed by some step (exercised), and every step along it conformed. Absent when the run had none. */
  links?: CoverageTotals;
  perOperation: OperationCoverage[];
}

/** Coverage of the operations a run selected, from its results (a sequence counts each of its steps for its own operation). */
export function computeCoverage(operations: readonly Operation[], results: readonly CaseResult[], links: readonly Pick<Link, 'name'>[] = []): Coverage {
  // Results by operation first: a big contract has thousands of each.
  const byOperation = new Map<string, Hit[]>();
  const add = (hit: Hit): void => {
    const list = byOperation.get(hit.operationId);
    if (list) list.push(hit);
    else byOperation.set(hit.operationId, [hit]);
  };
  const followed = new Map<string, boolean>();
  for (const r of results) {
    if (!r.sequence) {
      add(r);
      continue;
    }
    for (const step of r.sequence.steps) {
      if (step.status !== undefined) add(step);
      if (step.link !== undefined && step.status !== undefined) followed.set(step.link, (followed.get(step.link) ?? true) && step.ok);
    }
    // Drawn sequences record their last (or shrunk) steps, and the links all of them followed.
    for (const name of r.sequence.followed ?? []) if (!followed.has(name)) followed.set(name, r.ok);
  }
  const perOperation = operations.map((op): OperationCoverage => {
    const all = byOperation.get(op.id) ?? [];
    const mine = all.filter((r) => r.status !== undefined);
    const responses = op.responses.map((spec): ResponseCoverage => {
      const hits = mine.filter((r) => responseFor(op, r.status as number) === spec);
      const status = spec.status === 'DEFAULT' ? 'default' : spec.status;
      return { status, exercised: hits.length > 0, conformed: hits.length > 0 && hits.every((r) => r.ok) };
    });
    return { operationId: op.id, method: op.method, path: op.path, exercised: mine.length > 0, conformed: mine.length > 0 && all.every((r) => r.ok), responses };
  });
  const totals = (items: Array<{ exercised: boolean; conformed: boolean }>): CoverageTotals => ({
    total: items.length,
    exercised: items.filter((i) => i.exercised).length,
    conformed: items.filter((i) => i.conformed).length,
  });
  const coverage: Coverage = { operations: totals(perOperation), responses: totals(perOperation.flatMap((o) => o.responses)), perOperation };
  if (links.length > 0) coverage.links = totals(links.map((l) => ({ exercised: followed.has(l.name), conformed: followed.get(l.name) === true })));
  return coverage;
}

/** Minimum conformed coverage, in percent, for operations and for documented responses. */
export interface CoverageThresholds {
  operations?: number;
  responses?: number;
}

/** The share of conformed items, in percent (100 when there are none). */
export const percent = (t: CoverageTotals): number => (t.total === 0 ? 100 : (100 * t.conformed) / t.total);

/** `operations=100,responses=80` → thresholds; a usage error names what is wrong. */
export function parseThresholds(text: string): CoverageThresholds {
  const out: CoverageThresholds = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=');
    const n = Number(value);
    if ((key !== 'operations' && key !== 'responses') || value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      throw new ContractError('ERR_CONTRACT_USAGE', `--min-coverage: expected operations=N,responses=N with N from 0 to 100, got ${JSON.stringify(part)}`, { option: 'min-coverage' });
    }
    out[key] = n;
  }
  if (Object.keys(out).length === 0) throw new ContractError('ERR_CONTRACT_USAGE', '--min-coverage: expected operations=N,responses=N', { option: 'min-coverage' });
  return out;
}

/** The thresholds a coverage misses, in words (empty when it meets them all). */
export function coverageShortfalls(coverage: Coverage, thresholds: CoverageThresholds): string[] {
  const out: string[] = [];
  for (const key of ['operations', 'responses'] as const) {
    const min = thresholds[key];
    if (min === undefined) continue;
    const got = percent(coverage[key]);
    if (got < min) out.push(`${key} coverage ${formatPercent(got)} (${coverage[key].conformed} of ${coverage[key].total} conformed) is below the minimum ${min}%`);
  }
  return out;
}

export function formatPercent(value: number): string {
  return `${Math.floor(value * 10) / 10}%`;
}
