/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins, CircleCI, Azure): one `<testsuite>` per operation,
 * one `<testcase>` per case; a contract violation is a `<failure>` with the violations as text, a case
 * lambda-contract could not check is an `<error>`. Characters XML 1.0 cannot carry are replaced.
 */
import type { CaseResult, RunReport } from '../run/run';
import { describeFailure } from './text';

/** Escapes text for XML 1.0 content and attributes, replacing characters XML cannot carry. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(r: CaseResult, operationClass: string): string {
  // A deployment's cases group by function in CI viewers: source.Function.operation.
  const className = r.function ? `${r.source}.${r.function.name.replace(/\//g, '.')}.${r.operationId}` : operationClass;
  const open = `    <testcase name="${xmlText(r.case)}" classname="${xmlText(className)}" time="${seconds(r.durationMs)}"`;
  if (r.internalError) return `${open}>\n      <error message="${xmlText(r.internalError)}" type="internal">${xmlText(describeFailure(r))}</error>\n    </testcase>`;
  if (!r.ok) {
    const first = r.violations[0];
    const message = first ? first.message : r.error ? `handler error: ${r.error.message}` : 'failed';
    return `${open}>\n      <failure message="${xmlText(message)}" type="${xmlText(first?.rule ?? 'failure')}">${xmlText(describeFailure(r))}</failure>\n    </testcase>`;
  }
  return `${open}/>`;
}

export function formatJunit(report: RunReport): string {
  const byOperation = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const list = byOperation.get(r.operationId) ?? [];
    list.push(r);
    byOperation.set(r.operationId, list);
  }
  const suites: string[] = [];
  let failures = 0;
  let errors = 0;
  for (const [id, results] of byOperation) {
    const first = results[0] as CaseResult;
    const f = results.filter((r) => !r.ok && !r.internalError).length;
    const e = results.filter((r) => r.internalError).length;
    failures += f;
    errors += e;
    const time = results.reduce((t, r) => t + r.durationMs, 0);
    const className = `${report.source}.${id}`;
    suites.push(
      `  <testsuite name="${xmlText(`${id} ${first.method} ${first.path}`)}" tests="${results.length}" failures="${f}" errors="${e}" skipped="0" time="${seconds(time)}">\n` +
        results.map((r) => testcase(r, className)).join('\n') +
        '\n  </testsuite>',
    );
  }
  if (report.interrupted) {
    // An interrupted run is not a pass, whatever its cases say: CI shows it as an error.
    errors += 1;
    const why = report.warnings.find((w) => w.startsWith('interrupted')) ?? 'interrupted';
    suites.push(`  <testsuite name="lambda-contract" tests="1" failures="0" errors="1" skipped="0" time="0.000">\n    <testcase name="run" classname="lambda-contract.run" time="0.000">\n      <error message="${xmlText(why)}" type="interrupted">${xmlText(why)}</error>\n    </testcase>\n  </testsuite>`);
  }
  const head = `<testsuites name="${xmlText(`lambda-contract ${report.title}`)}" tests="${report.results.length + (report.interrupted ? 1 : 0)}" failures="${failures}" errors="${errors}" time="${seconds(report.durationMs)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`;
}
