/**
 * The package builds itself: packed from a fresh clone with no prior build, or installed straight from
 * a checkout's folder, it carries dist/ and its CLI runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cleanCopy, pack } from './clean-copy';

const run = (command: string, args: string[], cwd: string): { code: number; stdout: string; stderr: string } => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe('built from source', () => {
  it('npm pack in a fresh clone builds dist/ into the tarball', () => {
    const clone = cleanCopy('linked');
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    const out = mkdtempSync(path.join(tmpdir(), 'lambda-contract-pack-'));
    const tarball = pack(clone, out);
    const listed = execFileSync('tar', ['-tzf', path.join(out, tarball)], { encoding: 'utf8' }).split('\n');
    for (const file of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli/bin.js', 'package/dist/jest/index.js', 'package/dist/jest/setup.js', 'package/jest.preset.js', 'package/dist/document/openapi-3.1.validate.js']) {
      expect([file, listed.includes(file)]).toEqual([file, true]);
    }
    expect(listed.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);
  }, 300_000);

  it('npm i /path/to/a/fresh/clone gives a package that loads and a CLI that runs', () => {
    const clone = cleanCopy('none');
    const consumer = mkdtempSync(path.join(tmpdir(), 'lambda-contract-consumer-'));
    writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', clone], consumer);
    expect([install.code, install.stderr.includes('ERR!')]).toEqual([0, false]);
    const loaded = run('node', ['-e', `const lc = require('lambda-contract'); console.log(typeof lc.loadContract, typeof lc.invoke, typeof require('lambda-contract/jest').contractSuite)`], consumer);
    expect([loaded.code, loaded.stdout.trim()]).toEqual([0, 'function function function']);
    const cli = run('npx', ['lambda-contract', 'check', '--spec', path.join(clone, 'specs/petstore/openapi.yaml'), '--handler', path.join(clone, 'specs/petstore/handler.ts')], consumer);
    expect([cli.code, cli.stdout.trim().split('\n').pop()]).toEqual([0, expect.stringMatching(/cases: \d+ passed, 0 failed — conforms in \d+ ms$/)]);
  }, 300_000);
});
