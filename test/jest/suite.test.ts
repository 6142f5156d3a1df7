/**
 * contractSuite() as users run it: a child Jest over the fixture files in test/fixtures/suites, read
 * back through Jest's JSON results (test names, statuses, failure messages).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { loadContract } from '../../src';
import { planRun } from '../../src/run/plan';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = 'test/fixtures/suites/jest.config.js';
const PETSTORE = path.join(ROOT, 'specs/petstore/openapi.yaml');

interface Assertion { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }
interface JestJson { numFailedTests: number; numPassedTests: number; testResults: Array<{ name: string; assertionResults: Assertion[] }> }

async function jest(...args: string[]): Promise<{ code: number; json: JestJson; files: Record<string, Assertion[]> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-suite-'));
  const out = path.join(dir, 'results.json');
  let code = 0;
  try {
    await promisify(execFile)(process.execPath, [require.resolve('jest/bin/jest'), '--config', CONFIG, '--json', `--outputFile=${out}`, '--ci', ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' } });
  } catch (error) {
    code = (error as { code: number }).code;
  }
  const json = JSON.parse(readFileSync(out, 'utf8')) as JestJson;
  rmSync(dir, { recursive: true, force: true });
  const files = Object.fromEntries(json.testResults.map((r) => [path.basename(r.name), r.assertionResults]));
  return { code, json, files };
}

const names = (tests: Assertion[] | undefined): string[] => (tests ?? []).map((t) => [...t.ancestorTitles, t.title].join(' › '));

describe('contractSuite', () => {
  it('makes a describe per operation and a test per case of the run, and passes for a conforming handler', async () => {
    const { code, files } = await jest('petstore.suite.ts');
    expect(code).toBe(0);
    const contract = await loadContract(PETSTORE);
    const plan = planRun(contract, { runs: 5, defaultRuns: 20 });
    const expected = plan.operations.flatMap((op) => op.cases.map((c) => `${op.id} › ${op.method} ${op.path} › ${c}`));
    expect(names(files['petstore.suite.ts'])).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining([
      'getPet › GET /pets/{petId} › schema',
      'createPet › POST /pets › example "cat"',
      'createPet › POST /pets › property ×5',
      'createPet › POST /pets › auth: no credentials',
      'listPets › GET /pets › negative: query parameter "limit" is above its maximum 100',
      // A test per sequence kind, under its root operation (links inferred from the Petstore's shape).
      'createPet › POST /pets › sequence createPet → getPet',
      'createPet › POST /pets › sequence createPet → deletePet → getPet',
      'createPet › POST /pets › sequences from createPet ×5',
    ]));
    expect(files['petstore.suite.ts']?.every((t) => t.status === 'passed')).toBe(true);
  });

  it('fails the sequence kinds a handler breaks, each printed step by step with its seed', async () => {
    const { code, files } = await jest('sequences.suite.ts');
    expect(code).toBe(1);
    const failed = (files['sequences.suite.ts'] ?? []).filter((t) => t.status === 'failed');
    expect(names(failed)).toEqual([
      'createItem › POST /items › sequence createItem → deleteItem → getItem',
      'createItem › POST /items › sequences from createItem ×3',
    ]);
    const [fixed, drawn] = failed.map((t) => t.failureMessages.join('\n'));
    expect(fixed).toContain('createItem (POST /items) sequence createItem → deleteItem → getItem answered 200 behind rest: GET /items/item-');
    expect(fixed).toMatch(/sequence:\n {2}1\. POST \/items \{"name":"hammer","quantity":3\} → 201\n {2}2\. DELETE \/items\/item-\d+ → 204/);
    expect(drawn).toContain('[use_after_free]');
    expect(drawn).toMatch(/sequence \(shrunk: \d+ runs, \d+ shrinks\):/);
    expect(drawn).toContain('reproduce: --seed 1');
  });

  it('fails exactly the broken cases, each with its violations and the request', async () => {
    const { code, files } = await jest('broken.suite.ts');
    expect(code).toBe(1);
    const tests = files['broken.suite.ts'] ?? [];
    const failed = tests.filter((t) => t.status === 'failed');
    expect(names(failed)).toEqual([
      'getPet › GET /pets/{petId} › schema',
      'getPet › GET /pets/{petId} › property ×3',
      'getPet › GET /pets/{petId} › negative: path parameter "petId" does not match /^[0-9]+$/',
    ]);
    const [schema, property, negative] = failed.map((t) => t.failureMessages.join('\n'));
    expect(schema).toContain('getPet (GET /pets/{petId}) schema answered 200 behind rest: body at /name: expected property "name"');
    expect(schema).toContain('[body_schema]');
    expect(schema).toContain('request: GET /pets/1  (seed 1)');
    expect(property).toContain('[status_not_documented] status 418 is not documented for getPet; documented: 200, 404');
    expect(property).toMatch(/smallest failing request \(after \d+ runs?, \d+ shrinks?\)/);
    expect(property).toContain('reproduce: --seed 1');
    expect(negative).toContain('answered 418');
    // Our own stack frames stay out of the user's test output.
    expect(schema).not.toMatch(/at .*src\/jest\/suite/);
  });

  it('shares operations across files with shard K/N, and the shares run under jest --shard on two machines', async () => {
    const all = (await loadContract(PETSTORE)).operations.map((op) => op.id);
    const both = await jest('shard', '-w', '2');
    expect(both.code).toBe(0);
    const ops = (file: string): string[] => [...new Set((both.files[file] ?? []).map((t) => t.ancestorTitles[0] ?? ''))];
    expect(ops('shard1.suite.ts')).toEqual([all[0], all[2]]);
    expect(ops('shard2.suite.ts')).toEqual([all[1], all[3]]);
    // Jest's own sharding deals the files to machines: together they run every operation once.
    const machines = await Promise.all([jest('shard', '--shard=1/2'), jest('shard', '--shard=2/2')]);
    const ran = machines.flatMap((m) => Object.keys(m.files));
    expect(ran.sort()).toEqual(['shard1.suite.ts', 'shard2.suite.ts']);
    expect(machines.map((m) => m.code)).toEqual([0, 0]);
  });

  it('plans a document split over files in a worker thread, with the same tests', async () => {
    const { code, files } = await jest('multifile.suite.ts');
    expect(code).toBe(0);
    const contract = await loadContract(path.join(ROOT, 'test/fixtures/specs/multi/openapi.yaml'));
    expect(contract.operations.map((op) => op.id)).toEqual(['getNode']);
    expect(names(files['multifile.suite.ts'])).toEqual(['getNode › GET /nodes/{id} › schema', 'getNode › GET /nodes/{id} › property ×3']);
  });

  it('over misbehaving handlers, fails each broken operation on its own, keeps the process alive, and ends', async () => {
    const { code, files } = await jest('misbehaving.suite.ts');
    expect(code).toBe(1);
    const tests = files['misbehaving.suite.ts'] ?? [];
    const status = Object.fromEntries(tests.map((t) => [t.ancestorTitles[0], t.status]));
    expect(status).toEqual({
      throwsString: 'failed', rejectsUndefined: 'failed', returnsUndefined: 'failed', returnsNumber: 'failed', returnsCircular: 'failed',
      hugeBody: 'failed', loneSurrogate: 'passed', doubleCallback: 'failed', returnAndCallback: 'passed', neverSettles: 'failed',
      leavesTimer: 'passed', timerThrows: 'failed', exits: 'failed', hugeLogs: 'passed', mutatesEvent: 'passed', unhandledRejection: 'failed', conforms: 'passed',
    });
    const message = (op: string) => tests.find((t) => t.ancestorTitles[0] === op)?.failureMessages.join('\n') ?? '';
    expect(message('exits')).toContain('Runtime.ExitError');
    expect(message('exits')).toContain('about to exit');
    expect(message('neverSettles')).toContain('[timeout]');
    expect(message('hugeBody')).toContain('[payload_too_large]');
    expect(message('timerThrows')).toContain('[handler_failed_later]');
  });

  it('runs and ends in a test file that fakes the clock (jest.useFakeTimers): the run keeps Node\'s own timers', async () => {
    const { code, files } = await jest('fake-timers.suite.ts');
    const tests = files['fake-timers.suite.ts'] ?? [];
    expect(tests.length).toBeGreaterThan(4);
    expect(tests.every((t) => t.status === 'passed')).toBe(true);
    expect(code).toBe(0);
  }, 60_000);

  it('runs a deployment template: every operation through its function, unrouted operations and stray routes failing by name', async () => {
    const ok = await jest('sam.suite.ts');
    expect(ok.code).toBe(0);
    expect(names(ok.files['sam.suite.ts'])).toEqual(expect.arrayContaining(['getNote › GET /notes/{noteId} › schema', 'health › GET /health › schema', 'deployment › every route of the template is an operation of the contract']));
    const bad = await jest('sam-unrouted.suite.ts');
    expect(bad.code).toBe(1);
    const tests = bad.files['sam-unrouted.suite.ts'] ?? [];
    const status = Object.fromEntries(tests.map((t) => [[...t.ancestorTitles, t.title].join(' › '), t.status]));
    expect(status).toEqual({ 'beta › GET /beta › schema': 'passed', 'gamma › GET /gamma › schema': 'failed', 'deployment › every route of the template is an operation of the contract': 'failed' });
    const messages = tests.flatMap((t) => t.failureMessages).join('\n');
    expect(messages).toContain('no function serves GET /gamma');
    expect(messages).toContain('the template routes GET /alpha to AlphaFunction, but the contract documents no such operation');
  });

  it('a contract that cannot load is one failing test naming the file, not a crash of the collection', async () => {
    const { code, files } = await jest('missing.suite.ts');
    expect(code).toBe(1);
    const tests = files['missing.suite.ts'] ?? [];
    expect(names(tests)).toEqual(['lambda-contract › contract suite']);
    expect(tests[0]?.failureMessages.join('\n')).toContain(`cannot read OpenAPI document ${path.join(ROOT, 'specs/nope/openapi.yaml')}`);
  });
});
