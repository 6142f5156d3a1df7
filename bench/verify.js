/**
 * Verifications per second on the GitHub REST API description (@octokit/openapi, 1,200+ operations):
 * lambda-contract's `contract.verify()` (status, media type, headers, body, violations as data) against
 * the floor — raw ajv validating the same bodies against the same converted schemas — measured in the
 * same run, in alternating rounds. Target: at least half of raw ajv's rate.
 *
 *   npm run build && node bench/verify.js [--seconds 2] [--rounds 5]
 */
'use strict';
const path = require('node:path');
const { loadContract } = require('../dist');
const { isJsonMediaType } = require('../dist/verify/media');
const { flag, rate, median, rawAjv } = require('./common');

async function main() {
  const seconds = flag('seconds', 2);
  const rounds = flag('rounds', 5);
  const file = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const t0 = performance.now();
  const contract = await loadContract(file);
  const loadMs = performance.now() - t0;

  // The same conforming JSON responses for both sides.
  const cases = [];
  for (const op of contract.operations) {
    for (const s of contract.responses(op.id)) {
      if (!s.mediaType || !isJsonMediaType(s.mediaType)) continue;
      const spec = op.responses.find((r) => (r.status === 'DEFAULT' ? 'default' : r.status) === s.documented);
      const pointer = spec && spec.content.find((m) => m.mediaType === s.mediaType)?.schema?.pointer;
      if (pointer) cases.push({ id: op.id, response: s.response, pointer, text: s.response.body.toString('utf8') });
    }
  }

  // The floor: raw ajv over the same converted document, one compiled validator per schema.
  const validatorFor = rawAjv(contract);
  const raw = cases.map((c) => validatorFor(c.pointer));

  const ours = (i) => {
    const c = cases[i];
    if (!contract.verify(c.id, c.response).ok) throw new Error(`${c.id} does not conform`);
  };
  const floor = (i) => {
    if (!raw[i](JSON.parse(cases[i].text))) throw new Error(`${cases[i].id} does not conform (raw ajv)`);
  };
  // Warm-up: every schema compiled on both sides, JITs settled. Ours interprets a schema's first checks:
  // a failing response loads ajv, after which no schema is interpreted for more than 100 checks.
  if (contract.verify(cases[0].id, { ...cases[0].response, body: Buffer.from('"not the body"') }).ok) throw new Error('a string body conforms');
  for (let pass = 0; pass < 101; pass++) for (let i = 0; i < cases.length; i++) ours(i);
  for (let i = 0; i < cases.length; i++) floor(i);

  const oursRates = [];
  const floorRates = [];
  for (let r = 0; r < rounds; r++) {
    oursRates.push(rate(ours, cases.length, seconds));
    floorRates.push(rate(floor, cases.length, seconds));
  }
  const o = median(oursRates);
  const f = median(floorRates);
  console.log(`GitHub REST API description: ${contract.operations.length} operations, ${cases.length} JSON responses (loaded in ${Math.round(loadMs)} ms)`);
  console.log(`  lambda-contract verify  ${Math.round(o).toLocaleString('en')} verifications/s (median of ${rounds} × ${seconds} s)`);
  console.log(`  raw ajv (floor)         ${Math.round(f).toLocaleString('en')} validations/s`);
  console.log(`  ratio                   ${(o / f).toFixed(2)} of raw ajv's rate (target ≥ 0.50)`);
  return { ours: o, floor: f, ratio: o / f };
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
