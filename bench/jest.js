/**
 * A generated Jest suite against the floor of Jest's own overhead: `contractSuite()` over a contract of
 * N operations (one schema case each: `runs: 0`, conformance) against a bare suite of N trivial tests,
 * each in a fresh Jest process with the same worker count, in alternating rounds. Wall time from
 * process start to exit, so Jest's startup counts on both sides. Target: ≤ 1.5× the bare suite.
 *
 *   npm run build && node bench/jest.js [--operations 200] [--rounds 3]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { flag, median } = require('./common');

function project(n) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-bench-jest-'));
  const paths = {};
  for (let i = 0; i < n; i++) {
    paths[`/things${i}/{id}`] = {
      get: {
        operationId: `getThing${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: { 200: { description: 'a thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
    };
  }
  const spec = {
    openapi: '3.0.3', info: { title: 'bench', version: '1' }, paths,
    components: { schemas: { Thing: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 40 }, tags: { type: 'array', items: { type: 'string' } } } } } },
  };
  writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(spec));
  writeFileSync(path.join(dir, 'handler.js'), `exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: Number(event.pathParameters.id), name: 'thing', tags: ['a'] }) });\n`);
  writeFileSync(path.join(dir, 'generated.test.js'), `require(${JSON.stringify(path.resolve(__dirname, '../dist'))}).contractSuite({ spec: 'openapi.json', handler: require('./handler').handler, runs: 0, checks: ['conformance'] });\n`);
  writeFileSync(path.join(dir, 'bare.test.js'), `for (let i = 0; i < ${n}; i++) describe('getThing' + i, () => describe('GET /things' + i + '/{id}', () => test('schema', () => expect(1).toBe(1))));\n`);
  writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = { rootDir: __dirname, testEnvironment: 'node', transform: {} };\n`);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"bench","private":true}');
  return dir;
}

function jest(dir, file) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '-w', '1', file], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const tests = /Tests:\s+(\d+) passed, (\d+) total/.exec(r.stderr);
  if (r.status !== 0 || !tests) throw new Error(`jest ${file} failed:\n${r.stderr}`);
  return { ms, tests: Number(tests[2]) };
}

async function main() {
  const n = flag('operations', 200);
  const rounds = flag('rounds', 3);
  const dir = project(n);
  try {
    const generated = [];
    const bare = [];
    let counts;
    for (let r = 0; r < rounds; r++) {
      const b = jest(dir, 'bare.test.js');
      const g = jest(dir, 'generated.test.js');
      bare.push(b.ms);
      generated.push(g.ms);
      counts = { bare: b.tests, generated: g.tests };
    }
    const g = median(generated);
    const b = median(bare);
    console.log(`Jest, 1 worker, ${n} operations (${counts.generated} generated tests vs ${counts.bare} bare tests), wall time per process, median of ${rounds}`);
    console.log(`  contractSuite()        ${Math.round(g)} ms`);
    console.log(`  bare suite (floor)     ${Math.round(b)} ms`);
    console.log(`  ratio                  ${(g / b).toFixed(2)}× the bare suite (target ≤ 1.5×)`);
    return { generated: g, bare: b, ratio: g / b };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
