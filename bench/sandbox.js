/**
 * The cost of running each function in a sandbox of its own (a child process), against running it in
 * this process, measured in one run: `node bench/sandbox.js [--invocations 3000] [--functions 100]`.
 *
 * - per invocation: the median of a trivial handler through callHandler (in-process) and through its
 *   sandbox (event over IPC, the same callHandler inside, the result back); the difference is the
 *   sandbox's own cost
 * - an idle sandbox's memory: resident (RSS, which counts the Node binary's pages every process shares)
 *   and proportional (PSS, shared pages split among the processes sharing them), on Linux
 * - a template of N functions checked with --concurrency 1 and with --concurrency <cores> (at most 8):
 *   the speed-up, and its ratio to the core count
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { callHandler } = require('../dist/invoke/invoke');
const { FunctionSandboxes } = require('../dist/invoke/sandbox/pool');
const { lambdaEnvironment } = require('../dist/invoke/lambda-environment');
const { flag, median } = require('./common');

const INVOCATIONS = flag('invocations', 3000);
const FUNCTIONS = flag('functions', 100);
const CLI = path.join(__dirname, '../dist/cli/bin.js');

const HANDLER = `export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: event.path ?? event.rawPath ?? '/' }) });\n`;
const EVENT = { resource: '/items/{id}', path: '/items/1', httpMethod: 'GET', headers: { accept: 'application/json', host: 'example.com' }, multiValueHeaders: {}, queryStringParameters: null, pathParameters: { id: '1' }, requestContext: { requestId: 'r', stage: 'prod', identity: {} }, body: null, isBase64Encoded: false };

/** Milliseconds per call of `fn`, each timed, the median of `n`. */
async function perCall(fn, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * kB of a process's memory from /proc (Linux): RSS (every page it maps that is in memory, the Node
 * binary's shared ones included), PSS (shared pages split among the processes sharing them) and USS
 * (its private pages: what one more sandbox costs).
 */
function memoryOf(pid) {
  if (!existsSync(`/proc/${pid}/smaps_rollup`)) return undefined;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  return { rss: kb('Rss'), pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
}

const mb = (kb) => (kb / 1024).toFixed(1);
const described = (m) => `RSS ${mb(m.rss)} MB, PSS ${mb(m.pss)} MB, USS ${mb(m.uss)} MB`;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-bench-sandbox-'));
  try {
    writeFileSync(path.join(dir, 'handler.mjs'), HANDLER);
    const { handler } = await import(path.join(dir, 'handler.mjs'));
    const spec = path.join(dir, 'handler.mjs#handler');
    const env = lambdaEnvironment({ name: 'bench', handler: spec, taskRoot: dir, memorySize: 128 });
    const pool = await FunctionSandboxes.start({ name: 'bench', handler: spec, cwd: dir, env, memoryMb: 128 });
    // Warm both up, then measure.
    await perCall(() => callHandler(handler, EVENT, {}), 500);
    await perCall(() => pool.invoke(EVENT, {}), 500);
    const inProcess = await perCall(() => callHandler(handler, EVENT, {}), INVOCATIONS);
    const sandboxed = await perCall(() => pool.invoke(EVENT, {}), INVOCATIONS);
    console.log(`per invocation (median of ${INVOCATIONS}): in-process ${(inProcess * 1000).toFixed(0)} µs, sandbox ${(sandboxed * 1000).toFixed(0)} µs: the sandbox adds ${((sandboxed - inProcess) * 1000).toFixed(0)} µs (${(sandboxed / inProcess).toFixed(2)}×)`);

    // Idle sandboxes: one that answered one invocation, and the one that answered them all; nothing running.
    const fresh = await FunctionSandboxes.start({ name: 'idle', handler: spec, cwd: dir, env, memoryMb: 128 });
    await fresh.invoke(EVENT, {});
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [what, p] of [['after 1 invocation', fresh], [`after ${INVOCATIONS + 500} invocations`, pool]]) {
      const pid = [...p.all][0]?.pid;
      const memory = pid ? memoryOf(pid) : undefined;
      if (memory) console.log(`idle sandbox ${what}: ${described(memory)}`);
      else console.log('idle sandbox: memory not measured (no /proc on this platform)');
    }
    await fresh.close();
    // The floor: a bare Node.js child process doing nothing, with the IPC channel a sandbox has.
    writeFileSync(path.join(dir, 'idle.cjs'), "process.on('message', () => {}); setInterval(() => {}, 1000);\n");
    const bare = require('node:child_process').fork(path.join(dir, 'idle.cjs'), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const floor = memoryOf(bare.pid);
    bare.kill();
    if (floor) console.log(`a bare Node.js child process with an IPC channel, for comparison: ${described(floor)}`);
    await pool.close();

    // A template of FUNCTIONS functions, one route each, checked serially and across the cores.
    const cores = Math.min(8, os.availableParallelism());
    const ops = Array.from({ length: FUNCTIONS }, (_, i) => `op${i}`);
    writeFileSync(path.join(dir, 'openapi.yaml'), ['openapi: 3.0.3', "info: { title: many functions, version: '1' }", 'paths:', ...ops.flatMap((op) => [`  /${op}:`, '    get:', `      operationId: ${op}`, '      responses:', "        '200':", '          description: ok', '          content: { application/json: { schema: { type: object, required: [path], properties: { path: { type: string } } } } }'])].join('\n') + '\n');
    writeFileSync(path.join(dir, 'template.yaml'), ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...ops.flatMap((op) => [`  F${op}:`, '    Type: AWS::Serverless::Function', '    Properties:', '      CodeUri: .', '      Handler: handler.handler', '      Runtime: nodejs22.x', '      Events:', `        E: { Type: Api, Properties: { Path: /${op}, Method: GET } }`])].join('\n') + '\n');
    const timed = (concurrency) => {
      const t = performance.now();
      execFileSync(process.execPath, [CLI, 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--runs', '0', '--concurrency', String(concurrency), '--format', 'json'], { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
      return performance.now() - t;
    };
    const serial = timed(1);
    const parallel = timed(cores);
    const speedup = serial / parallel;
    console.log(`${FUNCTIONS}-function template: --concurrency 1 ${(serial / 1000).toFixed(1)} s, --concurrency ${cores} ${(parallel / 1000).toFixed(1)} s: ${speedup.toFixed(2)}× faster, ${(speedup / cores).toFixed(2)} × the ${cores} cores (goal ≥ 0.7)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
