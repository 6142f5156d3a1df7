/**
 * The test runners our users have: the package's peer ranges say Jest 27 and later and Vitest 1 and
 * later, and here each major that packed.test.ts does not already cover (it uses our own Jest 30 and
 * Vitest 4) gets a fresh consumer project with the packed tarball: the preset or the setup entry, the
 * matcher passing and failing with its explanation, a generated suite, and outbound calls refused.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** The newest release of each older major, pinned so that a new release cannot change the verdict. */
const JEST = ['27.5.1', '28.1.3', '29.7.0'];
const VITEST = ['1.6.1', '2.1.9', '3.2.7'];

const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
const work = mkdtempSync(path.join(tmpdir(), 'lambda-contract-frameworks-'));
const projects = new Map<string, string>();

const BROKEN_RESULT = `{ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '7', name: 'Tom', kind: 'cat', createdAt: 'soon' }) }`;

/** What the user writes in both runners: the matcher on a conforming and on a broken result. */
const matcherTest = (head: string) => `${head}
test('getPet conforms', async () => {
  const result = await invoke(handler, await eventFor('getPet', { pathParameters: { petId: '2' } }));
  expect(result).toMatchOperation('getPet');
  expect(result).toMatchOperation('getPet', { status: 200 });
});
test('a broken result is refused, with its explanation', async () => {
  const result = ${BROKEN_RESULT};
  expect(result).not.toMatchOperation('getPet');
  expect(result).toMatchOperation('getPet');
});
`;

/** A handler that calls out with fetch and with node:https: both refused, in every runner. */
const OUTBOUND = `
const https = require('node:https');
exports.handler = async (event) => {
  if (event.httpMethod === 'GET' && event.resource === '/pets') await fetch('https://prices.example.com/eur').catch(() => undefined);
  else await new Promise((resolve) => https.get('https://audit.example.org/log', resolve).on('error', resolve));
  return { statusCode: 500, body: '' };
};
`;

function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** Runs a command in its own process group; one that outlives `limit` (a runner that never exits) is killed whole. */
function sh(command: string, args: string[], cwd: string, limit = 240_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, detached: true, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' } });
    let out = '';
    const timer = setTimeout(() => {
      out += `\n[killed after ${limit} ms]`;
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone already */ }
    }, limit);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

function project(name: string, type: 'commonjs' | 'module'): string {
  const dir = path.join(work, name);
  write(dir, 'package.json', JSON.stringify({ name: `consumer-${name}`, private: true, version: '1.0.0', type }));
  copyFileSync(path.join(ROOT, 'specs/petstore/openapi.yaml'), path.join(dir, 'openapi.yaml'));
  const handler = readFileSync(path.join(ROOT, 'specs/petstore/handler.ts'), 'utf8');
  write(dir, 'src/handler.cjs', ts.transpileModule(handler, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
  write(dir, 'src/outbound.cjs', OUTBOUND);
  write(dir, 'lambda-contract.config.json', JSON.stringify({ spec: 'openapi.yaml', handler: 'src/handler.cjs#handler', source: 'rest' }));
  return dir;
}

beforeAll(async () => {
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  const tarball = path.join(work, name);
  for (const version of JEST) {
    const dir = project(`jest-${version}`, 'commonjs');
    write(dir, 'jest.config.js', `module.exports = { preset: 'lambda-contract', testMatch: ['**/test/**/*.test.js'] };\n`);
    write(dir, 'test/pets.test.js', matcherTest(`const { eventFor, invoke } = require('lambda-contract');\nconst { handler } = require('../src/handler.cjs');`));
    write(dir, 'test/contract.test.js', `require('lambda-contract/jest').contractSuite();\n`);
    write(dir, 'outbound/outbound.test.js', `require('lambda-contract/jest').contractSuite({ handler: require('../src/outbound.cjs').handler, operations: ['listPets', 'getPet'], runs: 0, checks: ['conformance'] });\n`);
    projects.set(`jest@${version}`, dir);
  }
  for (const version of VITEST) {
    const dir = project(`vitest-${version}`, 'module');
    write(dir, 'vitest.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['lambda-contract/vitest'], include: ['test/**/*.test.ts'] } });\n`);
    write(dir, 'vitest.outbound.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['lambda-contract/vitest'], include: ['outbound/**/*.test.ts'] } });\n`);
    write(dir, 'test/pets.test.ts', matcherTest(`import { expect, test } from 'vitest';\nimport { eventFor, invoke } from 'lambda-contract';\nimport { handler } from '../src/handler.cjs';`));
    write(dir, 'test/contract.test.ts', `import { contractSuite } from 'lambda-contract/vitest';\ncontractSuite();\n`);
    write(dir, 'outbound/outbound.test.ts', `import { contractSuite } from 'lambda-contract/vitest';\nimport { handler } from '../src/outbound.cjs';\ncontractSuite({ handler, operations: ['listPets', 'getPet'], runs: 0, checks: ['conformance'] });\n`);
    projects.set(`vitest@${version}`, dir);
  }
  // One install per project, side by side: npm waits on the registry far more than on the CPU.
  const installs = await Promise.all([...projects].map(async ([runner, dir]) => ({
    runner,
    ...(await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, runner], dir)),
  })));
  const failed = installs.filter((i) => i.code !== 0);
  if (failed.length > 0) throw new Error(failed.map((i) => `npm install ${i.runner} failed:\n${i.out}`).join('\n'));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('declares the runners it is tested with in its peer ranges', () => {
  const major = (versions: string[]): string => `>=${versions[0]?.split('.')[0]}`;
  expect([own.peerDependencies.jest, own.peerDependencies['@jest/globals'], own.peerDependencies.expect, own.peerDependencies.vitest])
    .toEqual([major(JEST), major(JEST), major(JEST), major(VITEST)]);
});

describe.each(JEST)('Jest %s', (version) => {
  const dir = (): string => projects.get(`jest@${version}`) as string;

  it('runs the preset: the matcher passes and fails with its explanation, and the generated suite passes', async () => {
    const r = await sh('npx', ['jest', '--ci', 'test/'], dir());
    expect(r.out).toMatch(/Tests: +1 failed, 30 passed, 31 total/);
    expect(r.out).toContain('● a broken result is refused, with its explanation');
    expect(r.out).toContain('getPet (GET /pets/{petId}) answered 200 behind rest with 2 contract violations:');
    expect(r.out).toContain('body at /id: expected type integer, received string "7"');
    expect(r.code).toBe(1);
  });

  it('refuses and names the handler\'s outbound calls, through fetch and node:https', async () => {
    const r = await sh('npx', ['jest', '--ci', '--testMatch', '**/outbound/*.test.js'], dir());
    expect(r.code).toBe(1);
    expect(r.out).toContain('[outbound_request] the handler tried to reach prices.example.com: GET https://prices.example.com/eur');
    expect(r.out).toContain('[outbound_request] the handler tried to reach audit.example.org: GET https://audit.example.org/log');
  });
});

describe.each(VITEST)('Vitest %s', (version) => {
  const dir = (): string => projects.get(`vitest@${version}`) as string;

  it('runs the setup entry: the matcher passes and fails with its explanation, and the generated suite passes', async () => {
    const r = await sh('npx', ['vitest', 'run'], dir());
    expect(r.out).toMatch(/Tests +1 failed \| 30 passed \(31\)/);
    expect(r.out).toContain('a broken result is refused, with its explanation');
    expect(r.out).toContain('getPet (GET /pets/{petId}) answered 200 behind rest with 2 contract violations:');
    expect(r.out).toContain('body at /id: expected type integer, received string "7"');
    expect(r.code).toBe(1);
  });

  it('refuses and names the handler\'s outbound calls, through fetch and node:https', async () => {
    // Up to Vitest 3 a failure whose stack holds the event's JSON line hung the runner for good.
    const r = await sh('npx', ['vitest', 'run', '--config', 'vitest.outbound.config.ts'], dir(), 60_000);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the handler tried to reach prices.example.com: GET https://prices.example.com/eur');
    expect(r.out).toContain('the handler tried to reach audit.example.org: GET https://audit.example.org/log');
  });
});
