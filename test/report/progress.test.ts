import { main } from '../../src/cli/main';
import { progressBar } from '../../src/report/progress';
import type { CaseResult } from '../../src/run/run';

const result = (operationId: string, ok: boolean): CaseResult => ({
  operationId, method: 'GET', path: `/${operationId}`, source: 'rest', case: 'schema', seed: 1, ok, violations: [],
  request: { method: 'GET', path: `/${operationId}`, rawQuery: '', headers: [] }, event: null, notes: [], durationMs: 1,
});

describe('progress', () => {
  it('redraws one line in place, counting finished operations, cases and failures, and clears it at the end', () => {
    let out = '';
    let clock = 0;
    const bar = progressBar((t) => (out += t), { total: 3, interval: 10, now: () => clock });
    bar.onResult(result('a', true));
    clock = 5;
    bar.onResult(result('a', false)); // within the interval: not drawn
    clock = 20;
    bar.onResult(result('b', true));
    bar.done();
    const frames = out.split('\r\u001b[2K').filter(Boolean);
    expect(frames).toEqual([
      '▕░░░░░░░░░░░░░░░░░░░░▏ 0/3 operations · 1 case · 0 failed · a GET /a',
      '▕███████░░░░░░░░░░░░░▏ 1/3 operations · 3 cases · 1 failed · b GET /b',
    ]);
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
    expect(out).not.toContain('\n');
  });

  it('fits the terminal width', () => {
    let out = '';
    const bar = progressBar((t) => (out += t), { total: 1, columns: 40, interval: 0, now: () => 0 });
    bar.onResult(result('aVeryLongOperationIdThatDoesNotFit', true));
    expect(out.replace('\r\u001b[2K', '').length).toBeLessThanOrEqual(39);
  });

  const check = async (env: Record<string, string>, stderrIsTTY: boolean): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await main(['check', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--runs', '2', '--format', 'json'], {
      stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: `${__dirname}/../..`, isTTY: false, stderrIsTTY, env, columns: 120,
    });
    return { code, stdout, stderr };
  };

  it('the CLI shows the bar on a terminal and plain lines in CI, never mixed into the report on stdout', async () => {
    const tty = await check({}, true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('operations · ');
    expect(tty.stderr).not.toContain('\n');
    expect(tty.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(() => JSON.parse(tty.stdout)).not.toThrow();

    const ci = await check({ CI: 'true' }, true);
    expect(ci.stderr).not.toContain('\u001b[');
    expect(ci.stderr).toMatch(/^rest +✓ listPets {2}GET \/pets {2}schema {2}→ 200/m);
    expect(() => JSON.parse(ci.stdout)).not.toThrow();
  });
});
