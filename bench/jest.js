/**
 * A generated Jest suite against the floor of Jest's own overhead: `contractSuite()` over a contract of
 * N operations (one schema case each: `runs: 0`, conformance) against a bare suite of N trivial tests,
 * each in a fresh Jest process with the same worker count, in alternating rounds. Wall time from
 * process start to exit, so Jest's startup counts on both sides. Target: ≤ 1.5× the bare suite.
 * The project has lambda-contract installed (a link in node_modules), as a user's has; its cache of
 * documents that passed the OpenAPI schema (node_modules/.cache/lambda-contract) is emptied before
 * every generated run but the warm ones, which are measured apart.
 *
 *   npm run build && node bench/jest.js [--operations 200] [--resources 20] [--rounds 3]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { flag, median } = require('./common');

/**
 * N operations over `resources` resource schemas (N / resources operations each, as REST contracts reuse
 * their schemas); `resources = N` gives every operation a schema of its own, the worst case.
 */
function project(n, resources = n) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-bench-jest-'));
  const paths = {};
  const schemas = {};
  for (let r = 0; r < resources; r++) {
    schemas[`Thing${r}`] = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 40 + r }, tags: { type: 'array', items: { type: 'string' } } } };
  }
  for (let i = 0; i < n; i++) {
    paths[`/things${i}/{id}`] = {
      get: {
        operationId: `getThing${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: { 200: { description: 'a thing', content: { 'application/json': { schema: { $ref: `#/components/schemas/Thing${i % resources}` } } } } },
      },
    };
  }
  const spec = { openapi: '3.0.3', info: { title: 'bench', version: '1' }, paths, components: { schemas } };
  writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(spec));
  writeFileSync(path.join(dir, 'handler.js'), `exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: Number(event.pathParameters.id), name: 'thing', tags: ['a'] }) });\n`);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(path.resolve(__dirname, '..'), path.join(dir, 'node_modules', 'lambda-contract'), 'dir');
  writeFileSync(path.join(dir, 'generated.test.js'), `require('lambda-contract/jest').contractSuite({ spec: 'openapi.json', handler: require('./handler').handler, runs: 0, checks: ['conformance'] });\n`);
  writeFileSync(path.join(dir, 'bare.test.js'), `for (let i = 0; i < ${n}; i++) describe('getThing' + i, () => describe('GET /things' + i + '/{id}', () => test('schema', () => expect(1).toBe(1))));\n`);
  writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = { rootDir: __dirname, testEnvironment: 'node', transform: {} };\n`);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"bench","private":true}');
  // CPU time of the Jest process, printed as it exits: steadier than wall time on a shared machine.
  writeFileSync(path.join(dir, 'cpu.js'), `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('cpu-ms=' + (u.user + u.system) / 1000 + '\\n'); });\n`);
  return dir;
}

function jest(dir, file) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', path.join(dir, 'cpu.js'), require.resolve('jest/bin/jest'), '--ci', '-w', '1', file], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const tests = /Tests:\s+(\d+) passed, (\d+) total/.exec(r.stderr);
  const cpu = /cpu-ms=([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !tests || !cpu) throw new Error(`jest ${file} failed:\n${r.stderr}`);
  return { ms, cpuMs: Number(cpu[1]), tests: Number(tests[2]) };
}

/**
 * One contract shape: bare suite, generated suite with an empty cache (a fresh clone, a CI job) and with
 * a warm one (the next run on a developer's machine), in alternating rounds; medians and ratios.
 */
function measure(n, resources, rounds) {
  const dir = project(n, resources);
  const cache = path.join(dir, 'node_modules', '.cache');
  try {
    const generated = [];
    const warm = [];
    const bare = [];
    let counts;
    for (let r = 0; r < rounds; r++) {
      const b = jest(dir, 'bare.test.js');
      rmSync(cache, { recursive: true, force: true });
      const g = jest(dir, 'generated.test.js');
      const w = jest(dir, 'generated.test.js');
      bare.push(b);
      generated.push(g);
      warm.push(w);
      counts = { bare: b.tests, generated: g.tests };
    }
    const of = (runs, key) => median(runs.map((x) => x[key]));
    return { generated: of(generated, 'ms'), warm: of(warm, 'ms'), bare: of(bare, 'ms'), generatedCpu: of(generated, 'cpuMs'), warmCpu: of(warm, 'cpuMs'), bareCpu: of(bare, 'cpuMs'), counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const n = flag('operations', 200);
  const rounds = flag('rounds', 3);
  const resources = flag('resources', Math.max(1, Math.round(n / 10)));
  // The worst case again at 1,000 operations (unless the run asked for a size): per-operation costs show there.
  const large = process.argv.includes('--operations') ? undefined : 1000;
  const shapes = [
    [`${resources} resource schemas`, n, resources],
    ['a schema per operation (worst case)', n, n],
    ...(large ? [[`${large} operations, a schema per operation (worst case)`, large, large]] : []),
  ];
  console.log(`Jest, 1 worker, ${n} operations${large ? ` (and ${large})` : ''}; per process, start to exit: wall time and CPU time (steadier on a shared machine), medians of ${rounds}; bare = as many trivial tests in the same describe tree. Target ≤ 1.5×.`);
  const out = {};
  const ms = (x) => `${String(Math.round(x)).padStart(5)} ms`;
  for (const [label, size, r] of shapes) {
    const m = measure(size, r, rounds);
    const ratio = m.generated / m.bare;
    const cpuRatio = m.generatedCpu / m.bareCpu;
    const warmRatio = m.warm / m.bare;
    const warmCpuRatio = m.warmCpu / m.bareCpu;
    console.log(`  ${label} (${m.counts.generated} generated tests vs ${m.counts.bare} bare)`);
    console.log(`    wall  contractSuite() ${ms(m.generated)}   bare ${ms(m.bare)}   ${ratio.toFixed(2)}×   cache warm ${ms(m.warm)}   ${warmRatio.toFixed(2)}×`);
    console.log(`    CPU   contractSuite() ${ms(m.generatedCpu)}   bare ${ms(m.bareCpu)}   ${cpuRatio.toFixed(2)}×   cache warm ${ms(m.warmCpu)}   ${warmCpuRatio.toFixed(2)}×`);
    out[size !== n ? 'large' : r === n ? 'distinct' : 'shared'] = { ...m, ratio, cpuRatio, warmRatio, warmCpuRatio };
  }
  return out;
}

module.exports = { main, project };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
