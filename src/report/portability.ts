/** The portability report: operation × source, then the failures behind each source that broke. */
import type { PortabilityReport } from '../run/run';
import { toJsonReport, type JsonReport } from './json';
import { formatText } from './text';

const paint = (on: boolean, code: number) => (text: string): string => (on ? `\u001b[${code}m${text}\u001b[39m` : text);

export function formatPortabilityText(p: PortabilityReport, options: { color?: boolean } = {}): string {
  const color = options.color ?? false;
  const green = paint(color, 32);
  const red = paint(color, 31);
  const lines: string[] = [];
  lines.push(`lambda-contract: ${p.spec} (${p.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${p.version}`}${p.title ? `, ${p.title}` : ''}) behind ${p.sources.join(', ')}`);
  for (const w of p.reports[0]?.warnings ?? []) lines.push(`  ! ${w}`);
  lines.push('');
  const first = Math.max('operation'.length, ...p.matrix.map((row) => row.operationId.length));
  const widths = p.sources.map((s) => Math.max(s.length, 1));
  lines.push(`  ${'operation'.padEnd(first)}  ${p.sources.map((s, i) => s.padEnd(widths[i] ?? 1)).join('  ')}`);
  for (const row of p.matrix) {
    const cells = p.sources.map((s, i) => {
      const ok = row.bySource[s];
      const mark = ok === undefined ? '-' : ok ? '✓' : '✗';
      const cell = i === p.sources.length - 1 ? mark : mark.padEnd(widths[i] ?? 1);
      return ok === undefined ? cell : ok ? green(cell) : red(cell);
    });
    lines.push(`  ${row.operationId.padEnd(first)}  ${cells.join('  ')}`);
  }
  for (const report of p.reports) {
    if (report.summary.failed === 0) continue;
    lines.push('');
    lines.push(formatText(report, { color, showPassed: false }).trimEnd());
  }
  lines.push('');
  const passing = p.sources.filter((s) => !p.summary.failedSources.includes(s));
  lines.push(
    p.summary.portable
      ? green(`conforms behind every source (${p.sources.join(', ')}) in ${Math.round(p.durationMs)} ms`)
      : `${passing.length ? `conforms behind ${passing.join(', ')}; ` : ''}${red(`fails behind ${p.summary.failedSources.join(', ')}`)} in ${Math.round(p.durationMs)} ms`,
  );
  return lines.join('\n') + '\n';
}

export interface JsonPortabilityReport extends Omit<PortabilityReport, 'reports'> {
  tool: 'lambda-contract';
  reports: JsonReport[];
}

export function formatPortabilityJson(p: PortabilityReport): string {
  const out: JsonPortabilityReport = { tool: 'lambda-contract', ...p, reports: p.reports.map(toJsonReport) };
  return JSON.stringify(out, null, 2) + '\n';
}
