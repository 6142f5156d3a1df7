/** The text report: one line per case, every violation under it, and a summary line. */
import { describeBasis } from '../verify/basis';
import { formatPercent, percent, type Coverage, type CoverageTotals } from '../run/coverage';
import type { CaseResult, FunctionUsage, LinkSummary, RunReport } from '../run/run';
import type { Violation } from '../verify/violation';
import type { ResponseRecord, SequenceRecord } from '../run/case-result';
import { describeRequest } from './request';

export interface TextOptions {
  /** ANSI colours (on for a terminal). */
  color?: boolean;
  /** Print passing cases too (default true). */
  showPassed?: boolean;
}

const paint = (on: boolean, code: number) => (text: string): string => (on ? `\u001b[${code}m${text}\u001b[39m` : text);

/** One violation as indented lines: the message, then where / expected / received. */
export function formatViolation(v: Violation, indent = '      '): string {
  const lines = [`${indent}✗ [${v.rule}] ${v.message}`];
  const where = v.pointer !== undefined ? `body ${v.pointer || '(root)'}` : v.where;
  lines.push(`${indent}  where: ${where}${v.keyword ? ` (${v.keyword})` : ''}`);
  lines.push(`${indent}  expected: ${v.expected}`);
  lines.push(`${indent}  received: ${v.received}`);
  if (v.basis && !(v.basis.from === 'document' && v.basis.pointer === v.specPointer)) lines.push(`${indent}  from: ${describeBasis(v.basis)}`);
  // A document pointer (`/paths/…`) reads as `#/paths/…`; a template's setting names its file already (`template.json#/Resources/…`).
  else if (v.specPointer) lines.push(`${indent}  ${v.specPointer.startsWith('/') || v.specPointer === '' ? 'contract: #' : 'set at: '}${v.specPointer}`);
  return lines.join('\n');
}

/** How many lines of a failed case's handler logs the text report shows (JSON and JUnit keep the 8 KB tail). */
const LOG_LINES = 12;

function lastLines(text: string, n: number): string[] {
  const lines = text.trimEnd().split('\n');
  return lines.length <= n ? lines : [`… ${lines.length - n} earlier lines`, ...lines.slice(-n)].map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l));
}

/**
 * A sequence step by step: each request and its status, the link it followed and what it carried.
 *
 * @example
 *   sequence (shrunk: 2 runs, 12 shrinks):
 *     1. POST /items {"name":"a","quantity":0} → 201
 *     2. GET /items/i5 → 404  via createItem 201 → getItem: path.itemId ← $response.body#/id = "i5" (step 1)
 */
export function formatSequence(record: SequenceRecord, indent = '      '): string[] {
  const head = record.shrunk ? `sequence (shrunk: ${record.shrunk.runs} runs, ${record.shrunk.shrinks} shrinks):` : 'sequence:';
  return [`${indent}${head}`, ...record.steps.map((s, i) => {
    const carried = s.unfollowed !== undefined ? [`not followed: ${s.unfollowed}`] : s.carried;
    const via = s.link ? `  via ${s.link}${carried.length ? `: ${carried.join('; ')}` : ''}` : '';
    return `${indent}  ${i + 1}. ${s.method} ${s.path}${s.body !== undefined ? ` ${s.body}` : ''} → ${s.status ?? '---'}${s.ok ? '' : ' ✗'}${s.function ? `  [${s.function}]` : ''}${via}`;
  })];
}

/**
 * Warnings as a reader takes them in: each said once, and the same warning about several routes
 * (`GET /a: …`, `POST /b: …`) said once with the routes listed.
 */
export function groupWarnings(warnings: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const w of warnings) {
    const m = /^([A-Z]+ \/\S*): (.+)$/s.exec(w);
    const key = m ? `route\u0000${m[2]}` : `plain\u0000${w}`;
    const list = groups.get(key) ?? [];
    if (m && !list.includes(m[1] as string)) list.push(m[1] as string);
    groups.set(key, list);
  }
  return [...groups].map(([key, routes]) => {
    const text = key.slice(key.indexOf('\u0000') + 1);
    if (routes.length === 0) return text;
    const shown = routes.length > 5 ? `${routes.slice(0, 5).join(', ')} and ${routes.length - 5} more` : routes.join(', ');
    return `${shown}: ${text}`;
  });
}

/** A failed case's response in one line: status, Content-Type and the body's first 300 characters. */
export function describeResponse(response: ResponseRecord): string {
  const type = response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const body = response.body === undefined ? '(no body)' : response.body.length > 300 ? `${response.body.slice(0, 299)}…` : response.body;
  return `${response.status}${type ? ` ${type}` : ''} ${body.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * Everything that explains a failed case, unindented and uncoloured: why it could not be checked, each
 * violation, the handler's error, the notes and the request (for JUnit and Markdown reports).
 */
export function describeFailure(r: CaseResult): string {
  const lines: string[] = [];
  if (r.internalError) lines.push(`lambda-contract could not check this case: ${r.internalError}`);
  if (r.function) lines.push(`function: ${r.function.name} (${r.function.file})`);
  if (r.answeredBy) lines.push(describeGatewayAnswer(r.answeredBy));
  if (r.sequence) lines.push(...formatSequence(r.sequence, ''));
  for (const v of r.violations) lines.push(formatViolation(v, ''));
  if (r.error) lines.push(`handler error: ${r.error.type}: ${r.error.message}`);
  if (r.logs) lines.push('handler logs:', r.logs.trimEnd());
  for (const note of r.notes) lines.push(`note: ${note}`);
  lines.push(`request: ${describeRequest(r.request)}  (seed ${r.seed})`);
  if (r.response) lines.push(`response: ${describeResponse(r.response)}`);
  if (r.event !== null && r.event !== undefined) lines.push(`event: ${JSON.stringify(r.event)}`);
  return lines.join('\n');
}

/**
 * Coverage per operation, one row each: every documented response marked ✓ (exercised, conformed),
 * ✗ (exercised, broken) or · (not exercised).
 *
 * @example
 *   ✓ getPet     GET /pets/{petId}   200 ✓  404 ✓
 */
export function formatCoverageTable(coverage: Coverage): string[] {
  const rows = coverage.perOperation.map((o) => ({
    mark: o.conformed ? '✓' : o.exercised ? '✗' : '·',
    id: o.operationId,
    route: `${o.method} ${o.path}`,
    responses: o.responses.map((r) => `${r.status} ${r.conformed ? '✓' : r.exercised ? '✗' : '·'}`).join('  '),
  }));
  const idWidth = Math.max(0, ...rows.map((r) => r.id.length));
  const routeWidth = Math.max(0, ...rows.map((r) => r.route.length));
  return rows.map((r) => `  ${r.mark} ${r.id.padEnd(idWidth)}  ${r.route.padEnd(routeWidth)}  ${r.responses}`.trimEnd());
}

/** The line for one case. */
export function formatCaseLine(r: CaseResult, color = false): string {
  const green = paint(color, 32);
  const red = paint(color, 31);
  const dim = paint(color, 2);
  const mark = r.ok ? green('✓') : red('✗');
  const status = r.status !== undefined ? String(r.status) : '---';
  const fn = r.function ? `  ${dim(`[${r.function.name}]`)}` : '';
  const gateway = r.answeredBy ? `  ${dim('by the gateway')}` : '';
  return `  ${mark} ${r.operationId}  ${dim(`${r.method} ${r.path}`)}  ${r.case}  → ${status}${gateway}${fn}  ${dim(`${Math.round(r.durationMs)} ms`)}`;
}

/** `answered by the gateway (request validator): … — set at #/…`: who answered a case the function never saw. */
export function describeGatewayAnswer(answer: NonNullable<CaseResult['answeredBy']>): string {
  const shaped = answer.shapedBy ? `; its answer is the gateway response at ${answer.shapedBy}` : '';
  return `answered by the gateway (${answer.rule.replace(/_/g, ' ')}, set at ${answer.setting}): ${answer.reason}${shaped}`;
}

/** A deployment's cases by the function that served them (in run order), with their tallies. */
export function byFunction(results: readonly CaseResult[]): Array<{ name: string; file: string; cases: number; passed: number; failed: number }> {
  const out = new Map<string, { name: string; file: string; cases: number; passed: number; failed: number }>();
  for (const r of results) {
    if (!r.function) continue;
    const f = out.get(r.function.id) ?? { name: r.function.name, file: r.function.file, cases: 0, passed: 0, failed: 0 };
    f.cases++;
    if (r.ok) f.passed++;
    else f.failed++;
    out.set(r.function.id, f);
  }
  return [...out.values()];
}

/** The whole text report. */
/** The AWS stand-ins a deployment run used, and what they hold at its end. */
export function formatStandIns(report: RunReport): string[] {
  const s = report.standIns;
  if (!s) return [];
  const lines = ['AWS stand-ins:'];
  if (s.dynamodb) lines.push(`  DynamoDB (local): ${s.dynamodb.tables.map((t) => `${t.name} ${t.items} item${t.items === 1 ? '' : 's'}`).join(', ') || 'no tables'}`);
  if (s.s3) lines.push(`  S3 (in memory): ${s.s3.buckets.map((b) => `${b.name} ${b.objects} object${b.objects === 1 ? '' : 's'}`).join(', ')}`);
  if (s.tokens) lines.push(`  tokens: ${s.tokens.minted} minted by the run's issuer for ${s.tokens.authorizers.join(', ')}`);
  if (s.keySets) lines.push(`  Cognito signing keys: served ${s.keySets} time${s.keySets === 1 ? '' : 's'} from the run's issuer`);
  if (s.values) lines.push(`  Secrets Manager / Parameter Store (${s.values.file}): ${s.values.secrets} secret${s.values.secrets === 1 ? '' : 's'}, ${s.values.parameters} parameter${s.values.parameters === 1 ? '' : 's'} served`);
  if (s.sdk && s.sdk.length > 0) lines.push(`  runtime SDK: ${s.sdk.join(', ')}`);
  return [...lines, ''];
}

/** One function's sandboxes in the words of Lambda's REPORT line: Init Duration, Max Memory Used of Memory Size. */
export function formatUsage(f: FunctionUsage): string {
  const extra = [
    f.timeouts ? `${f.timeouts} timed out` : '',
    f.crashes ? `${f.crashes} crashed` : '',
    f.throttles ? `${f.throttles} throttled` : '',
  ].filter(Boolean);
  return `${f.name}: Invocations: ${f.invocations}  Cold starts: ${f.coldStarts}  Init Duration: ${f.initDurationMs.toFixed(2)} ms  Memory Size: ${f.memorySizeMb} MB  Max Memory Used: ${f.maxMemoryUsedMb} MB${extra.length ? `  (${extra.join(', ')})` : ''}`;
}

export function formatText(report: RunReport, options: TextOptions = {}): string {
  const color = options.color ?? false;
  const red = paint(color, 31);
  const green = paint(color, 32);
  const lines: string[] = [];
  lines.push(`lambda-contract: ${report.spec} (${report.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${report.version}`}${report.title ? `, ${report.title}` : ''}) behind ${report.source}`);
  for (const w of groupWarnings(report.warnings)) lines.push(`  ! ${w}`);
  lines.push(...formatLinks(report.links ?? []));
  lines.push('');
  for (const r of report.results) {
    if (r.ok && options.showPassed === false) continue;
    lines.push(formatCaseLine(r, color));
    for (const note of r.notes) lines.push(`      note: ${note}`);
    if (r.ok) continue;
    if (r.function) lines.push(`      function: ${r.function.name} (${r.function.file})`);
    if (r.answeredBy) lines.push(`      ${describeGatewayAnswer(r.answeredBy)}`);
    if (r.internalError) lines.push(red(`      ✗ lambda-contract could not check this case: ${r.internalError}`));
    if (r.sequence) lines.push(...formatSequence(r.sequence));
    for (const v of r.violations) lines.push(formatViolation(v));
    if (r.error) lines.push(`      handler error: ${r.error.type}: ${r.error.message}`);
    if (r.logs) lines.push('      handler logs (last lines):', ...lastLines(r.logs, LOG_LINES).map((l) => `        ${l}`));
    lines.push(`      request: ${describeRequest(r.request)}  (seed ${r.seed})`);
    if (r.response) lines.push(`      response: ${describeResponse(r.response)}`);
  }
  const s = report.summary;
  lines.push('');
  const functions = byFunction(report.results);
  if (functions.length > 0) {
    lines.push('by function:');
    const width = Math.max(...functions.map((f) => f.name.length));
    for (const f of functions) lines.push(`  ${f.failed ? red('✗') : green('✓')} ${f.name.padEnd(width)}  ${f.passed}/${f.cases} passed  ${f.file}`);
    lines.push('');
  }
  if (report.functions?.length) {
    lines.push('sandboxes (as Lambda\'s REPORT line):');
    for (const f of report.functions) lines.push(`  ${formatUsage(f)}`);
    lines.push('');
  }
  lines.push(...formatStandIns(report));
  lines.push(...formatCoverageTable(report.coverage));
  lines.push(describeCoverage(report.coverage));
  const missing = report.coverage.perOperation.flatMap((o) => o.responses.filter((r) => !r.exercised).map((r) => `${o.operationId} ${r.status}`));
  if (missing.length > 0) lines.push(`  not exercised: ${missing.join(', ')}`);
  // Without the conformance check, passing says nothing of the contract: the verdict names what was checked.
  const judged = !report.checks || report.checks.includes('conformance');
  const verdict = s.failed === 0 ? green(judged ? 'conforms' : `passes ${report.checks?.join(', ')} (conformance not checked)`) : red(`${s.failed} failed`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(s.operations, 'operation')}, ${plural(s.cases, 'case')}: ${s.passed} passed, ${s.failed} failed — ${verdict}${s.failedOperations ? ` (${s.failedOperations} of ${s.operations} operations)` : ''} in ${Math.round(report.durationMs)} ms`);
  return lines.join('\n') + '\n';
}

/** `operations 4/4 (100%), documented responses 9/11 (81.8%), links 3/3 (100%)`, counting conformed ones. */
export function describeCoverage(coverage: Coverage): string {
  const part = (t: CoverageTotals): string => `${t.conformed}/${t.total} (${formatPercent(percent(t))})`;
  return `coverage: operations ${part(coverage.operations)}, documented responses ${part(coverage.responses)}${coverage.links ? `, links ${part(coverage.links)}` : ''}`;
}

/**
 * The links sequences follow, one line each; inferred ones say so and what was assumed.
 *
 * @example
 *   links (inferred: the document has none):
 *     ↪ createItem 201 → getItem  itemId ← $response.body#/id  (POST /items creates what GET /items/{itemId} addresses; …)
 */
export function formatLinks(links: readonly LinkSummary[], indent = '  '): string[] {
  if (links.length === 0) return [];
  const inferred = links.some((l) => l.inferred !== undefined);
  return [
    `${indent}links${inferred ? ' (inferred: the document has none; check what they assume)' : ''}:`,
    ...links.map((l) => `${indent}  ↪ ${l.name}  ${l.carries}${l.inferred ? `  (${l.inferred})` : ''}`),
  ];
}
