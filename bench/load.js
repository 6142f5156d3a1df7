/**
 * Loading the GitHub REST API description (@octokit/openapi, 13 MB, 1,200+ operations): lambda-contract's
 * `loadContract` (parse, validate, dereference, build the operation model) against the floor,
 * `@apidevtools/swagger-parser`'s `dereference` alone, in alternating rounds of the same run. Then the
 * first-call latency: the first verification of an operation (interpreted), the second, one after its
 * schema is compiled, and the first of a response that breaks the contract (ajv compiles the schema to
 * explain it). Target: load ≤ 1.5× swagger-parser.
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

  // First calls. A schema's first checks are interpreted (no compile); a response that breaks it is
  // explained by ajv, which compiles the schema then; a schema checked often is compiled too. The
  // samples come from one contract (sampling checks values); fresh contracts are verified.
  const fresh = await loadContract(file);
  const failing = await loadContract(file);
  const firsts = [];
  const seconds = [];
  const hot = [];
  const broken = [];
  let measured = 0;
  for (const op of contract.operations) {
    const sample = contract.responses(op.id).find((s) => s.documented.startsWith('2') && s.response.body.length > 200 && /^[[{]/.test(s.response.body.toString('utf8')));
    if (!sample) continue;
    const a = performance.now();
    const first = fresh.verify(op.id, sample.response);
    const b = performance.now();
    fresh.verify(op.id, sample.response);
    const c = performance.now();
    if (!first.ok) throw new Error(`${op.id}: sample does not conform`);
    for (let i = 0; i < 100; i++) fresh.verify(op.id, sample.response);
    const d = performance.now();
    fresh.verify(op.id, sample.response);
    const e = performance.now();
    const bad = failing.verify(op.id, { ...sample.response, body: Buffer.from('"not the documented body"') });
    const f = performance.now();
    if (bad.ok) throw new Error(`${op.id}: a string body conforms`);
    firsts.push(b - a);
    seconds.push(c - b);
    hot.push(e - d);
    broken.push(f - e);
    if (++measured === 100) break;
  }
  console.log(`  first verification of an operation  ${median(firsts).toFixed(2)} ms median over ${measured} operations (interpreted); the second ${(median(seconds) * 1000).toFixed(0)} µs; compiled after 100, ${(median(hot) * 1000).toFixed(0)} µs`);
  console.log(`  first verification of a response that breaks the contract  ${median(broken).toFixed(1)} ms (ajv compiles the schema to explain it)`);
  return { ours: o, floor: f, ratio: o / f, firstMs: median(firsts), secondMs: median(seconds), hotMs: median(hot), brokenMs: median(broken) };
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
