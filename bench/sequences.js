/**
 * What a request sent as a sequence step costs against one sent as a single case, in the same run: the
 * Items example (specs/items) against its in-memory handler, once without sequences (the baseline:
 * examples, schema case, property cases) and once with them (the same, plus the fixed sequences and
 * `--runs` drawn ones, shrinking included when a sequence fails). The handler counts its invocations,
 * so the extra time is divided by the extra requests. A step also builds its request from the earlier
 * responses and evaluates the link's expressions; target: a step costs at most 2× a single case.
 *
 *   npm run build && node bench/sequences.js [--rounds 5] [--repeat 10] [--runs 20]
 */
'use strict';
const path = require('node:path');
const { loadContract, runContract } = require('../dist');
const { loadHandler } = require('../dist/invoke/load');
const { flag, median } = require('./common');

async function main() {
  const rounds = flag('rounds', 5);
  const runs = flag('runs', 20);
  const root = path.join(__dirname, '..');
  const contract = await loadContract(path.join(root, 'specs/items/openapi.yaml'));
  const handler = await loadHandler('test/fixtures/handlers/items-memory.mjs#handler', root);
  let calls = 0;
  const counted = async (event, context) => {
    calls++;
    return handler(event, context);
  };
  const single = ['conformance', 'no_server_errors', 'positive_data_acceptance'];
  const measure = async (checks) => {
    calls = 0;
    const t0 = performance.now();
    const report = await runContract(contract, counted, { runs, checks });
    const ms = performance.now() - t0;
    if (report.summary.failed > 0) throw new Error(`the example failed ${report.summary.failed} cases: the benchmark measures a conforming run`);
    return { ms, calls };
  };
  // Warm: compiled schemas, fast-check loaded, the handler's module past its first calls.
  await measure(single);
  await measure([...single, 'ensure_resource_availability', 'use_after_free']);
  // Each round runs both configurations `repeat` times, alternating, so a collection or a slow moment
  // falls on both; a run of this size lasts tens of milliseconds, too short to time alone.
  const repeat = flag('repeat', 10);
  const perCase = [];
  const perStep = [];
  let cases = 0;
  let steps = 0;
  for (let r = 0; r < rounds; r++) {
    let baseMs = 0;
    let baseCalls = 0;
    let seqMs = 0;
    let seqCalls = 0;
    for (let i = 0; i < repeat; i++) {
      const base = await measure(single);
      const withSequences = await measure([...single, 'ensure_resource_availability', 'use_after_free']);
      baseMs += base.ms;
      baseCalls += base.calls;
      seqMs += withSequences.ms;
      seqCalls += withSequences.calls;
    }
    perCase.push(baseMs / baseCalls);
    perStep.push((seqMs - baseMs) / (seqCalls - baseCalls));
    cases = baseCalls / repeat;
    steps = (seqCalls - baseCalls) / repeat;
  }
  const c = median(perCase);
  const s = median(perStep);
  const ratio = s / c;
  console.log(`Items example, in-memory handler, --runs ${runs}: ${cases} single-case requests and ${steps} sequence-step requests a run (median of ${rounds} rounds × ${repeat} runs each)`);
  console.log(`  a single case (baseline)   ${(c * 1000).toFixed(0).padStart(6)} µs a request`);
  console.log(`  a sequence step            ${(s * 1000).toFixed(0).padStart(6)} µs a request`);
  console.log(`  a step costs ${ratio.toFixed(2)}× a single case (target ≤ 2×)${ratio <= 2 ? '' : '  NOT MET'}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
