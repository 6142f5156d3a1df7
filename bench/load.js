/**
 * Loading the GitHub REST API description (@octokit/openapi, 13 MB, 1,200+ operations): lambda-contract's
 * `loadContract` (parse, validate, dereference, build the operation model) against the floor,
 * `@apidevtools/swagger-parser`'s `dereference` alone, in alternating rounds of the same run. Then the
 * first-call latency: the first verification of an operation (its schemas compiled lazily) against a
 * warm one. Target: load ≤ 1.5× swagger-parser.
 *
 *   npm run build && node bench/load.js [--rounds 5]
 */
'use strict';
const path = require('node:path');
const SwaggerParser = require('@apidevtools/swagger-parser');
const { loadContract } = require('../dist');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function main() {
  const rounds = flag('rounds', 5);
  const file = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const ours = [];
  const floor = [];
  // Cold: the first load in a process also compiles the OpenAPI schema's validator (once per process).
  const cold = await timed(() => loadContract(file));
  let contract = cold.value;
  for (let r = 0; r < rounds; r++) {
    floor.push((await timed(() => SwaggerParser.dereference(file))).ms);
    const t = await timed(() => loadContract(file));
    ours.push(t.ms);
    contract = t.value;
  }
  const o = median(ours);
  const f = median(floor);
  console.log(`GitHub REST API description: ${contract.operations.length} operations`);
  console.log(`  lambda-contract loadContract      ${Math.round(o)} ms (median of ${rounds}; first load in the process ${Math.round(cold.ms)} ms)`);
  console.log(`  swagger-parser dereference (floor) ${Math.round(f)} ms`);
  console.log(`  ratio                              ${(o / f).toFixed(2)}× the floor (target ≤ 1.5×)`);

  // First call: an operation's schemas compile on its first verification, never again. The samples come
  // from one contract (generating them compiles validators); a fresh one is verified.
  const fresh = await loadContract(file);
  const firsts = [];
  const warms = [];
  let measured = 0;
  for (const op of contract.operations) {
    const sample = contract.responses(op.id).find((s) => s.documented.startsWith('2') && s.response.body.length > 200);
    if (!sample) continue;
    const a = performance.now();
    const first = fresh.verify(op.id, sample.response);
    const b = performance.now();
    fresh.verify(op.id, sample.response);
    const c = performance.now();
    if (!first.ok) throw new Error(`${op.id}: sample does not conform`);
    firsts.push(b - a);
    warms.push(c - b);
    if (++measured === 100) break;
  }
  console.log(`  first verification of an operation  ${median(firsts).toFixed(1)} ms median over ${measured} operations (compiles its schemas); then ${(median(warms) * 1000).toFixed(0)} µs`);
  return { ours: o, floor: f, ratio: o / f, firstMs: median(firsts), warmMs: median(warms) };
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
