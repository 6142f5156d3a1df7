/**
 * The matcher against Jest's own cheapest one, through Jest's `expect` (the package Jest runs, with
 * lambda-contract's matchers registered as the preset registers them): `expect(result).toMatchOperation(id)`
 * on the Petstore example's conforming results against `expect(x).toBe(x)`, in alternating rounds of
 * the same run. `expect()` builds its matcher set on every call, which is most of `toBe`'s cost and
 * ours alike. Target: ≥ 0.5× `toBe`'s rate.
 *
 *   npm run build && node bench/matcher.js [--seconds 1] [--rounds 5]
 */
'use strict';
const path = require('node:path');
const { expect } = require('expect');
const { loadContract, useContract } = require('../dist');
const { matchers } = require('../dist/jest');
const { flag, rate, median } = require('./common');

async function main() {
  const seconds = flag('seconds', 1);
  const rounds = flag('rounds', 5);
  const contract = await loadContract(path.join(__dirname, '../specs/petstore/openapi.yaml'));
  useContract(contract);
  expect.extend(matchers);
  const cases = contract.operations.flatMap((op) => contract.responses(op.id).filter((s) => /^2\d\d$/.test(s.documented)).slice(0, 1).map((s) => ({
    id: op.id, result: { statusCode: s.response.statusCode, headers: Object.fromEntries(s.response.headers), body: s.response.body.toString('utf8') },
  })));
  for (const c of cases) expect(c.result).toMatchOperation(c.id);
  // Past the interpreted first checks, as a suite's hundredth test is.
  for (let i = 0; i < 200; i++) for (const c of cases) expect(c.result).toMatchOperation(c.id);
  const ours = [];
  const floor = [];
  const n = cases.length;
  for (let r = 0; r < rounds; r++) {
    floor.push(rate((i) => expect(cases[i]).toBe(cases[i]), n, seconds));
    ours.push(rate((i) => expect(cases[i].result).toMatchOperation(cases[i].id), n, seconds));
  }
  const o = median(ours);
  const f = median(floor);
  console.log(`Petstore: ${n} conforming results, through Jest's expect (median of ${rounds} × ${seconds} s)`);
  console.log(`  expect(x).toBe(x) (floor)              ${Math.round(f).toLocaleString('en').padStart(9)} /s`);
  console.log(`  expect(result).toMatchOperation(id)    ${Math.round(o).toLocaleString('en').padStart(9)} /s`);
  console.log(`  ratio                                  ${(o / f).toFixed(2)}× toBe's rate (target ≥ 0.50)${o / f >= 0.5 ? '' : '  — NOT MET'}`);
  return { ours: o, floor: f, ratio: o / f };
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
