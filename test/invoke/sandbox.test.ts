/**
 * Each function runs in a sandbox of its own (a child process), checked as a user runs the CLI: plain
 * Node, no test runner around it. A handler that blocks its event loop or never settles is stopped at
 * its Timeout and costs one timeout per operation; running out of memory, process.exit and an unhandled
 * rejection end only their sandbox, in Lambda's words; the next case starts cold and the run goes on.
 * `--cold` finds a handler that only works warm. `serve` gives each request in flight a sandbox, throttles
 * beyond a function's reserved concurrency, and a handler sees Lambda's environment, never the shell's
 * credentials, with a working directory and /tmp of its own.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { RunReport } from '../../src/run/run';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/bin.js');
const DIR = 'test/fixtures/sandbox';
const SPEC = `${DIR}/openapi.yaml`;

async function check(...args: string[]): Promise<{ code: number; report: RunReport; stderr: string }> {
  const run = (): Promise<{ stdout: string; stderr: string }> => promisify(execFile)(process.execPath, [CLI, 'check', '--spec', SPEC, '--format', 'json', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  try {
    const { stdout, stderr } = await run();
    return { code: 0, report: JSON.parse(stdout) as RunReport, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (!e.stdout) throw new Error(`the CLI printed no report (exit ${e.code}): ${e.stderr}`);
    return { code: e.code, report: JSON.parse(e.stdout) as RunReport, stderr: e.stderr };
  }
}

const rules = (report: RunReport): Record<string, string[]> => Object.fromEntries(report.results.map((r) => [r.operationId, r.violations.map((v) => v.rule)]));

describe('a handler that never answers, from the CLI in plain Node', () => {
  it.each([['blocks its event loop', 'blocks.mjs'], ['never settles', 'never.mjs']])('one that %s is stopped at --timeout once per operation, each in Lambda\'s words', async (_what, file) => {
    const { code, report } = await check('--handler', `${DIR}/${file}`, '--timeout', '1000');
    expect(code).toBe(1);
    const ops = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];
    expect(rules(report)).toEqual(Object.fromEntries(ops.map((op) => [op, ['timeout']])));
    for (const r of report.results) expect(r.violations[0]?.received).toContain('Task timed out after 1.00 seconds');
    // The operation's other cases (the property-based one) are not run after its timeout, and say so.
    for (const r of report.results) expect(r.notes.join()).toMatch(/the function timed out: 1 more case of \w+ not run/);
    // One invocation per operation, each in a fresh sandbox (the one before it was stopped).
    expect(report.functions).toEqual([expect.objectContaining({ invocations: 7, timeouts: 7, coldStarts: 7 })]);
  }, 60_000);
});

describe('a sandbox loads a handler as the runtime does', () => {
  it.each([
    ['CommonJS, through Node itself', 'commonjs.cjs'],
    ['ES module syntax in a .js file of a CommonJS package, compiled when Node cannot parse it', 'esm-syntax.js'],
    ['TypeScript, compiled', 'typed.ts'],
  ])('%s', async (_what, file) => {
    const { code, report } = await check('--handler', `${DIR}/loading/${file}`, '--runs', '0');
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(report.functions).toEqual([expect.objectContaining({ coldStarts: 1, crashes: 0 })]);
  }, 60_000);
});

describe('an AWS call with no stand-in, from the CLI in plain Node', () => {
  it('is reported as aws_call_not_emulated, naming the service, the operation and the handler\'s line; never a raw network error', async () => {
    const { code, report } = await check('--handler', `${DIR}/aws-calls.mjs`, '--runs', '0', '--checks', 'conformance', '--operation', 'alpha', '--operation', 'bravo');
    expect(code).toBe(1);
    const aws = (op: string) => report.results.filter((r) => r.operationId === op).flatMap((r) => r.violations).filter((v) => v.rule === 'aws_call_not_emulated');
    expect(aws('alpha').map((v) => v.received)).toEqual([expect.stringMatching(/^secretsmanager GetSecretValue at .*aws-calls\.mjs:\d+:\d+$/)]);
    expect(aws('bravo')[0]?.received).toMatch(/^dynamodb GetItem at .*aws-calls\.mjs:\d+:\d+$/);
    expect(aws('bravo')[0]?.message).toContain('declare the table in the template');
    for (const r of report.results) expect(r.violations.map((v) => v.rule)).not.toContain('outbound_request');
  }, 60_000);
});

describe('faults end only their own sandbox', () => {
  let report: RunReport;
  beforeAll(async () => {
    ({ report } = await check('--handler', `${DIR}/misbehaves.mjs`, '--timeout', '5000', '--checks', 'conformance', '--runs', '0'));
  }, 60_000);
  const result = (op: string) => report.results.find((r) => r.operationId === op);

  it('running out of memory is Lambda\'s "signal: killed", with Max Memory Used at the MemorySize', () => {
    expect(result('alpha')?.error).toMatchObject({ type: 'Runtime.ExitError', message: 'Runtime exited with error: signal: killed' });
    expect(result('alpha')?.status).toBe(502);
    expect(result('alpha')?.logs).toContain('Max Memory Used: 128 MB');
  });

  it('process.exit(3) is "exit status 3"; an unhandled rejection is Runtime.UnhandledPromiseRejection', () => {
    expect(result('bravo')?.error).toMatchObject({ type: 'Runtime.ExitError', message: 'Runtime exited with error: exit status 3' });
    expect(result('charlie')?.violations[0]?.received).toContain('Runtime.UnhandledPromiseRejection: nobody awaits this');
  });

  it('a busy loop is stopped at the Timeout, and the next case starts in a new sandbox that answers', () => {
    expect(result('delta')?.violations.map((v) => v.received)).toEqual([expect.stringContaining('Task timed out after 5.00 seconds')]);
    expect(['echo', 'foxtrot', 'golf'].map((op) => result(op)?.ok)).toEqual([true, true, true]);
    expect(report.functions).toEqual([expect.objectContaining({ invocations: 7, crashes: 3, timeouts: 1, coldStarts: 5, memorySizeMb: 128, maxMemoryUsedMb: 128 })]);
  });
});

describe('--cold', () => {
  it('gives every case a fresh sandbox: a handler that only works warm fails every case, not only the first', async () => {
    const warm = await check('--handler', `${DIR}/warm-only.mjs`, '--checks', 'conformance', '--runs', '0');
    expect(warm.report.results.filter((r) => !r.ok).map((r) => r.operationId)).toEqual(['alpha']);
    expect(warm.report.functions?.[0]).toMatchObject({ invocations: 7, coldStarts: 1 });
    const cold = await check('--handler', `${DIR}/warm-only.mjs`, '--checks', 'conformance', '--runs', '0', '--cold');
    expect(cold.report.results.filter((r) => !r.ok)).toHaveLength(7);
    expect(cold.report.functions?.[0]).toMatchObject({ invocations: 7, coldStarts: 7 });
    expect(cold.code).toBe(1);
  }, 60_000);
});

/** `serve --template` on a free port, until the test ends it with SIGINT. */
async function serving(work: (url: string) => Promise<void>, ...args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', '--template', `${DIR}/template.yaml`, '--spec', SPEC, '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'AKIASHELLSOWNKEY', AWS_SECRET_ACCESS_KEY: 'shell-secret', SHELL_SECRET_MARK: 'visible' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise((resolve) => child.on('close', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /on (http:\/\/[^ ]+) /.exec(out);
        if (m?.[1]) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 20);
      void ended.then(() => reject(new Error(`serve ended: ${out}`)));
    });
    await work(url);
  } finally {
    child.kill('SIGINT');
    await ended;
  }
  return out;
}

describe('serve --template', () => {
  it('answers requests in flight side by side, each in a sandbox; beyond ReservedConcurrentExecutions it throttles', async () => {
    const log = await serving(async (url) => {
      const many = await Promise.all([1, 2, 3].map(() => fetch(`${url}/bravo`).then(async (r) => ({ status: r.status, body: (await r.json()) as { pid: number } }))));
      expect(many.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(many.map((r) => r.body.pid)).size).toBe(3);
      const single = await Promise.all([1, 2].map(() => fetch(`${url}/alpha`).then((r) => r.status)));
      // The HTTP API answers a throttled invoke with 500, as it answers a function error.
      expect(single.sort()).toEqual([200, 500]);
    });
    expect(log).toContain('TooManyRequestsException: Rate Exceeded.');
  }, 60_000);

  it('gives a function Lambda\'s environment over the shell\'s, no credentials of the shell, a working directory and a /tmp of its own', async () => {
    let tmp = '';
    await serving(async (url) => {
      const first = (await (await fetch(`${url}/charlie`)).json()) as { cwd: string; tmp: string; files: string[]; count: number; env: Record<string, string>; remaining: number };
      const second = (await (await fetch(`${url}/charlie`)).json()) as { tmp: string; files: string[]; count: number; env: Record<string, string> };
      expect(first.cwd).toBe(path.join(ROOT, DIR));
      expect(path.dirname(first.tmp)).toBe(path.resolve(tmpdir()));
      expect(first.tmp).not.toBe(path.resolve(tmpdir()));
      expect(first.files).toEqual(['written-1']);
      // Warm: the same module and the same /tmp.
      expect([second.count, second.tmp, second.files]).toEqual([2, first.tmp, ['written-1', 'written-2']]);
      tmp = first.tmp;
      expect(first.env).toMatchObject({
        AWS_LAMBDA_FUNCTION_NAME: 'Reporter', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Reporter', AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: path.join(ROOT, DIR), LAMBDA_RUNTIME_DIR: '/var/runtime', _HANDLER: 'environment.handler', TZ: ':UTC',
        AWS_ACCESS_KEY_ID: 'ASIALAMBDACONTRACTFAKE', SHELL_SECRET_MARK: 'visible',
      });
      expect(JSON.stringify(first.env)).not.toContain('shell-secret');
      // Each invocation its own X-Ray trace header, not sampled (so the X-Ray SDK finds its context and sends nothing).
      expect(first.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
      expect(second.env._X_AMZN_TRACE_ID).not.toBe(first.env._X_AMZN_TRACE_ID);
      expect(first.remaining).toBeGreaterThan(1000);
      expect(first.remaining).toBeLessThanOrEqual(2000);
    });
    // The sandbox's /tmp goes with it.
    expect(existsSync(tmp)).toBe(false);
  }, 60_000);
});
