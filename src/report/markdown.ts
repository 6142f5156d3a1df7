/**
 * A Markdown summary for a pull-request comment or a CI job summary (`$GITHUB_STEP_SUMMARY`): the
 * verdict, a table per operation, coverage, and each failure with its violations and request folded
 * under `<details>`.
 */
import { describeCoverage } from './text';
import type { CaseResult, RunReport } from '../run/run';
import { byFunction, describeFailure } from './text';

/** Text safe inside a Markdown table cell or heading. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fenced block that no backtick run in the text can close. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

export function formatMarkdown(report: RunReport): string {
  const s = report.summary;
  const lines: string[] = [];
  const verdict = s.failed === 0 ? '✅ conforms' : `❌ ${s.failed} of ${s.cases} cases failed`;
  lines.push(`## lambda-contract: ${cell(report.title || report.spec)} — ${verdict}`, '');
  lines.push(`OpenAPI ${report.version} behind \`${report.source}\`: ${s.operations} operations, ${s.cases} cases, ${s.passed} passed, ${s.failed} failed in ${Math.round(report.durationMs)} ms.`, '');
  lines.push(`${describeCoverage(report.coverage).replace(/^coverage/, 'Coverage')}.`, '');
  for (const w of report.warnings) lines.push(`> ⚠️ ${cell(w)}`, '');
  if (report.links && report.links.length > 0) {
    const inferred = report.links.some((l) => l.inferred !== undefined);
    lines.push(`Sequences followed ${report.links.length} link${report.links.length === 1 ? '' : 's'}${inferred ? ' inferred from the document\'s shape (it has none of its own)' : ' of the document'}:`, '');
    for (const l of report.links) lines.push(`- \`${cell(l.name)}\`: ${cell(l.carries)}${l.inferred ? ` — ${cell(l.inferred)}` : ''}`);
    lines.push('');
  }
  lines.push('| operation | cases | passed | failed | responses not exercised |', '| --- | ---: | ---: | ---: | --- |');
  for (const op of report.coverage.perOperation) {
    const mine = report.results.filter((r) => r.operationId === op.operationId);
    const failed = mine.filter((r) => !r.ok).length;
    const missing = op.responses.filter((r) => !r.exercised).map((r) => r.status).join(', ');
    lines.push(`| ${failed ? '❌' : '✅'} \`${cell(op.operationId)}\` ${op.method} \`${cell(op.path)}\` | ${mine.length} | ${mine.length - failed} | ${failed} | ${cell(missing)} |`);
  }
  const functions = byFunction(report.results);
  if (functions.length > 0) {
    lines.push('', '| function | cases | passed | failed | handler file |', '| --- | ---: | ---: | ---: | --- |');
    for (const f of functions) lines.push(`| ${f.failed ? '❌' : '✅'} \`${cell(f.name)}\` | ${f.cases} | ${f.passed} | ${f.failed} | \`${cell(f.file)}\` |`);
  }
  const failures = report.results.filter((r) => !r.ok);
  if (failures.length > 0) {
    lines.push('', '### Failures', '');
    for (const r of failures) lines.push(...failure(r), '');
  }
  return lines.join('\n').trimEnd() + '\n';
}

function failure(r: CaseResult): string[] {
  const out = [`<details><summary><code>${escapeHtml(r.operationId)}</code> ${escapeHtml(r.method)} ${escapeHtml(r.path)} — ${escapeHtml(r.case)} → ${r.status ?? 'no response'}</summary>`, ''];
  out.push(fence(describeFailure(r)), '', '</details>');
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
