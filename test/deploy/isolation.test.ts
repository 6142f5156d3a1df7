/**
 * Each deployed function has module instances of its own, checked as a user runs the CLI: plain Node,
 * no test runner around it (Jest's own module sandbox would hide a shared module). Two functions built
 * from one file read their role from their environment as the module loads; sharing one module would
 * give the second function the first one's role.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/bin.js');

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout };
  } catch (error) {
    return { code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout };
  }
}

describe.each([['ES module', 'mjs', 'cjs'], ['CommonJS', 'cjs', 'mjs']])('two functions from one %s file, from the CLI in plain Node', (_kind, keep, drop) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lc-twins-'));
    cpSync(path.join(ROOT, 'test/fixtures/deploy/one-file'), dir, { recursive: true });
    rmSync(path.join(dir, 'src', `role.${drop}`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`each loads role.${keep} as a module of its own, with its own environment and state`, async () => {
    const { code, stdout } = await cli(dir, 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--format', 'json');
    const report = JSON.parse(stdout) as { results: Array<{ operationId: string; ok: boolean; function?: { id: string }; violations: Array<{ message: string }> }> };
    expect(report.results.map((r) => [r.operationId, r.function?.id, r.ok, r.violations.map((v) => v.message)])).toEqual([
      ['getA', 'FunctionA', true, []], ['getA', 'FunctionA', true, []],
      ['getB', 'FunctionB', true, []], ['getB', 'FunctionB', true, []],
    ]);
    expect(code).toBe(0);
  });
});
