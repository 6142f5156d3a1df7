/**
 * lambda-contract/vitest as users run it: a child Vitest over the project in test/fixtures/vitest (the
 * setup entry in setupFiles, files importing `lambda-contract/vitest`), read back through Vitest's JSON
 * reporter — under each of Vitest's pools.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const PROJECT = path.join(ROOT, 'test/fixtures/vitest');

interface Assertion { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }
interface VitestJson { numFailedTests: number; numPassedTests: number; testResults: Array<{ name: string; assertionResults: Assertion[] }> }

async function vitest(...args: string[]): Promise<{ code: number; files: Record<string, Assertion[]>; json: VitestJson }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-vitest-'));
  const out = path.join(dir, 'results.json');
  let code = 0;
  try {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${out}`, ...args], { cwd: PROJECT, env: { ...process.env, CI: 'true' } });
  } catch (error) {
    code = (error as { code: number }).code;
  }
  const json = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  rmSync(dir, { recursive: true, force: true });
  return { code, json, files: Object.fromEntries(json.testResults.map((r) => [path.relative(PROJECT, r.name), r.assertionResults])) };
}

const failures = (tests: Assertion[] | undefined): Record<string, string> =>
  Object.fromEntries((tests ?? []).filter((t) => t.status !== 'passed').map((t) => [[...t.ancestorTitles, t.title].join(' › '), t.failureMessages.join('\n')]));

describe.each(['forks', 'threads', 'vmThreads'])('under Vitest’s %s pool', (pool) => {
  it('registers the matcher from setupFiles, loads the contract, and passes the generated suite (fake timers too)', async () => {
    const { code, files } = await vitest('tests', '--pool', pool);
    expect(Object.keys(files).sort()).toEqual(['tests/fake-timers.test.ts', 'tests/matcher.test.ts', 'tests/suite.test.ts']);
    expect(Object.values(files).flat().filter((t) => t.status !== 'passed')).toEqual([]);
    expect((files['tests/suite.test.ts'] ?? []).map((t) => [...t.ancestorTitles, t.title].join(' › '))).toContain('getPet › GET /pets/{petId} › schema');
    expect(code).toBe(0);
  }, 120_000);

  it('fails each misbehaving operation on its own — a stray rejection fails its case, not the file — and ends', async () => {
    const { code, files } = await vitest('failing/misbehaving', '--pool', pool);
    expect(code).toBe(1);
    const status = Object.fromEntries((files['failing/misbehaving.test.ts'] ?? []).map((t) => [t.ancestorTitles[0], t.status]));
    expect(status).toEqual({
      throwsString: 'failed', rejectsUndefined: 'failed', returnsUndefined: 'failed', returnsNumber: 'failed', returnsCircular: 'failed',
      hugeBody: 'failed', loneSurrogate: 'passed', doubleCallback: 'failed', returnAndCallback: 'passed', neverSettles: 'failed',
      leavesTimer: 'passed', timerThrows: 'failed', exits: 'failed', hugeLogs: 'passed', mutatesEvent: 'passed', unhandledRejection: 'failed', conforms: 'passed',
    });
  }, 120_000);

  it('refuses a handler’s call to the network, failing its case with the host it tried', async () => {
    const { code, files } = await vitest('failing/outbound', '--pool', pool);
    expect(code).toBe(1);
    expect(Object.values(failures(files['failing/outbound.test.ts'])).join('\n')).toContain('[outbound_request] the handler tried to reach partner.example.net: GET https://partner.example.net/v2/pets/1');
  }, 120_000);
});

describe('the generated suite under Vitest', () => {
  it('fails the broken operation’s test, naming it, with the violation, request and event — no frames of ours', async () => {
    const { code, files } = await vitest('failing/broken');
    expect(code).toBe(1);
    const failed = failures(files['failing/broken.test.ts']);
    // The broken getPet fails its own case, and the sequence that reads back a created pet through it.
    expect(Object.keys(failed)).toEqual(['createPet › POST /pets › sequence createPet → getPet', 'getPet › GET /pets/{petId} › schema']);
    expect(failed['createPet › POST /pets › sequence createPet → getPet']).toMatch(/2\. GET \/pets\/\d+ → 200 ✗ {2}via createPet 201 → getPet/);
    const message = failed['getPet › GET /pets/{petId} › schema'] ?? '';
    expect(message).toContain('getPet (GET /pets/{petId}) schema answered 200 behind rest: body at /id: expected type integer, received string "seven"');
    expect(message).toContain('request: GET /pets/1  (seed 1)');
    expect(message).not.toMatch(/\n\s+at .*(dist|src)\/(testing|run|invoke)\//);
  }, 120_000);

  it('spreads a contract over files with shard: each share once, every operation in one of them', async () => {
    const one = await vitest('shard/one');
    const two = await vitest('shard/two');
    const ops = (r: typeof one) => new Set(Object.values(r.files).flat().map((t) => t.ancestorTitles[0]));
    expect([one.code, two.code]).toEqual([0, 0]);
    expect([...ops(one)].filter((op) => ops(two).has(op))).toEqual([]);
    expect(new Set([...ops(one), ...ops(two)])).toEqual(new Set(['listPets', 'createPet', 'getPet', 'deletePet']));
  }, 120_000);

  it('lets vitest --shard deal the share files to machines: each machine runs one of them', async () => {
    const first = await vitest('shard', '--shard', '1/2');
    const second = await vitest('shard', '--shard', '2/2');
    expect([Object.keys(first.files).length, Object.keys(second.files).length]).toEqual([1, 1]);
    expect(new Set([...Object.keys(first.files), ...Object.keys(second.files)])).toEqual(new Set(['shard/one.test.ts', 'shard/two.test.ts']));
  }, 120_000);
});
