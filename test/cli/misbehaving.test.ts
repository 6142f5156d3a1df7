/**
 * `lambda-contract check` against a handler that misbehaves in every way Lambda handlers do
 * (test/fixtures/handlers/misbehaving.cjs, one misbehaviour per operation): each is reported as AWS
 * would answer it, with the handler's error and logs, the event and the seed; the run goes on and its
 * reports stay clean. And Ctrl-C still writes every report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '../..');
const SPEC = 'test/fixtures/specs/misbehaving.json';
const HANDLER = 'test/fixtures/handlers/misbehaving.cjs';

interface Result { operationId: string; ok: boolean; seed: number; status?: number; event: { path: string; headers: unknown; httpMethod: string } | null; logs?: string; error?: { type: string; message: string }; violations: Array<{ rule: string; received: string }> }

async function check(argv: string[], interrupted?: (outputSoFar: () => string) => Promise<unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', '--spec', SPEC, '--handler', HANDLER, ...argv], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: ROOT,
    isTTY: false,
    env: {},
    ...(interrupted ? { interrupted: () => interrupted(() => stdout + stderr) } : {}),
  });
  return { code, stdout, stderr };
}

describe('check against misbehaving handlers', () => {
  let run: { code: number; stdout: string; stderr: string };
  let results: Map<string, Result>;
  const reports: Record<'junit' | 'markdown' | 'text', string> = { junit: '', markdown: '', text: '' };
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-misbehaving-'));
    try {
      const files = { junit: path.join(dir, 'junit.xml'), markdown: path.join(dir, 'summary.md'), text: path.join(dir, 'report.txt') };
      run = await check(['--runs', '0', '--checks', 'conformance', '--timeout', '300', '--format', 'json', ...Object.entries(files).flatMap(([format, file]) => ['--format', `${format}=${file}`])]);
      for (const [format, file] of Object.entries(files)) reports[format as keyof typeof reports] = readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    results = new Map((JSON.parse(run.stdout) as { results: Result[] }).results.map((r) => [r.operationId, r]));
  }, 60_000);

  it('reports every operation, exits 1, and keeps the handler\'s output out of the report on stdout', () => {
    expect(run.code).toBe(1);
    expect(results.size).toBe(17);
    expect(run.stdout).not.toContain('log line');
    expect([...results.values()].filter((r) => r.ok).map((r) => r.operationId).sort()).toEqual(['conforms', 'hugeLogs', 'leavesTimer', 'loneSurrogate', 'mutatesEvent', 'returnAndCallback']);
  });

  it('answers each misbehaviour as the gateway would', () => {
    const verdict = (op: string) => [results.get(op)?.status, results.get(op)?.violations.map((v) => v.rule)];
    expect(verdict('throwsString')).toEqual([502, ['gateway_function_error']]);
    expect(results.get('throwsString')?.error).toEqual({ type: 'string', message: 'plain string thrown' });
    expect(verdict('rejectsUndefined')).toEqual([502, ['gateway_function_error']]);
    expect(verdict('returnsUndefined')).toEqual([502, ['gateway_malformed_result']]);
    expect(verdict('returnsNumber')).toEqual([502, ['gateway_malformed_result']]);
    expect(verdict('returnsCircular')).toEqual([502, ['gateway_function_error']]);
    expect(results.get('returnsCircular')?.violations[0]?.received).toContain('Runtime.SerializationError');
    expect(verdict('hugeBody')).toEqual([502, ['payload_too_large']]);
    expect(verdict('neverSettles')).toEqual([504, ['timeout']]);
    // The runtime holds a callback's answer until the event loop is empty (callbackWaitsForEmptyEventLoop);
    // the returned promise settles first and its answer is the one sent, as the Node.js runtime does.
    expect(verdict('returnAndCallback')).toEqual([200, []]);
    // Called twice while the answer waits for the event loop: the later call's answer is the one sent.
    expect(verdict('doubleCallback')).toEqual([500, ['status_not_documented']]);
    expect(verdict('timerThrows')).toEqual([200, ['handler_failed_later']]);
    expect(verdict('unhandledRejection')).toEqual([200, ['handler_failed_later']]);
    expect(results.get('unhandledRejection')?.violations[0]?.received).toContain('nobody awaited me');
  });

  it('ends a process.exit as Lambda does, with the handler\'s logs attached, and goes on', () => {
    const exits = results.get('exits');
    expect(exits?.error).toMatchObject({ type: 'Runtime.ExitError', message: 'Runtime exited with error: exit status 3' });
    expect(exits?.logs).toContain('about to exit');
    expect(results.get('hugeLogs')?.ok).toBe(true);
  });

  it('puts the handler\'s logs, the event and the seed of a failed case into the JUnit, Markdown and text reports too', () => {
    const junit = new XMLParser({ ignoreAttributes: false }).parse(reports.junit) as { testsuites: { testsuite: Array<{ '@_name': string; testcase: { failure?: { '#text': string } } }> } };
    const exits = junit.testsuites.testsuite.find((s) => s['@_name'].startsWith('exits'))?.testcase.failure?.['#text'] ?? '';
    expect(exits).toContain('Runtime.ExitError');
    expect(exits).toMatch(/handler logs:\s+about to exit/);
    expect(exits).toContain('"path":"/exits"');
    expect(exits).toContain('seed 1');
    expect(reports.markdown).toContain('about to exit');
    expect(reports.markdown).toContain('"path":"/exits"');
    expect(reports.text).toContain('handler logs (last lines):');
    expect(reports.text).toContain('about to exit');
  });

  it('carries the event as it was sent and the seed on every failed result, even when the handler changed the event', () => {
    for (const r of results.values()) {
      expect([r.operationId, r.seed]).toEqual([r.operationId, 1]);
      expect(r.event).toMatchObject({ httpMethod: 'GET', path: `/${r.operationId}` });
    }
    expect(results.get('mutatesEvent')?.event?.headers).toEqual(expect.objectContaining({ Accept: 'application/json' }));
  });
});

describe('check interrupted by Ctrl-C', () => {
  it('stops after the case in progress, writes every report marked interrupted, and exits 130', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-interrupt-'));
    try {
      const junit = path.join(dir, 'junit.xml');
      // Interrupted as soon as the first case is reported (a line on stderr); neverSettles takes 200 ms to time out.
      const r = await check(['--runs', '0', '--checks', 'conformance', '--timeout', '200', '--operation', 'conforms', '--operation', 'neverSettles', '--operation', 'throwsString', '--format', 'json', '--format', `junit=${junit}`], async (output) => {
        while (!/[✓✗]/.test(output())) await new Promise((resolve) => setTimeout(resolve, 5));
      });
      expect(r.code).toBe(130);
      const report = JSON.parse(r.stdout) as { interrupted?: boolean; results: unknown[]; warnings: string[] };
      expect(report.interrupted).toBe(true);
      expect(report.results.length).toBeGreaterThan(0);
      expect(report.results.length).toBeLessThan(3);
      expect(report.warnings).toContainEqual(expect.stringMatching(/^interrupted: the run was stopped after \d cases/));
      const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8')) as { testsuites: { testsuite: Array<{ testcase: { error?: { '@_type': string } } | unknown[] }> } };
      const suites = Array.isArray(xml.testsuites.testsuite) ? xml.testsuites.testsuite : [xml.testsuites.testsuite];
      expect(suites.some((s) => !Array.isArray(s.testcase) && (s.testcase as { error?: { '@_type': string } }).error?.['@_type'] === 'interrupted')).toBe(true);
      expect(r.stderr).toMatch(/lambda-contract: interrupted after \d cases/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
