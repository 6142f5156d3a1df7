/**
 * End to end on the GitHub REST API description: `runContract` over all 1,200+ operations with a handler
 * that answers each with a conforming response (precomputed from the contract), as `lambda-contract
 * check` runs them: events built, handler invoked, results judged by the REST gateway rules and the
 * contract. Prints events per second and the peak RSS of the process (target < 1 GB).
 *
 *   npm run build && node bench/e2e.js [--runs 2]
 */
'use strict';
const path = require('node:path');
const { loadContract, runContract } = require('../dist');
const { flag } = require('./common');

async function main() {
  const runs = flag('runs', 2);
  const file = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const t0 = performance.now();
  const contract = await loadContract(file);
  const loadMs = performance.now() - t0;

  // The answer of each route: its first documented 2xx response (else its first), as a REST proxy result.
  const answers = new Map();
  for (const op of contract.operations) {
    const samples = contract.responses(op.id);
    const s = samples.find((x) => /^2/.test(x.documented)) ?? samples[0];
    if (!s) continue;
    const headers = {};
    for (const [k, v] of s.response.headers) headers[k] = v;
    answers.set(`${op.method} ${op.path}`, { statusCode: s.response.statusCode, headers, body: s.response.body.toString('utf8') });
  }
  const handler = async (event) => answers.get(`${event.httpMethod} ${event.resource}`) ?? { statusCode: 500, body: '' };

  // The first run is a commit's run: every schema met for the first time (interpreted; compiled when a
  // value fails or it is used often). The second finds the same contract warm.
  const t1 = performance.now();
  const report = await runContract(contract, handler, { runs, checks: ['conformance'] });
  const runMs = performance.now() - t1;
  const t2 = performance.now();
  await runContract(contract, handler, { runs, checks: ['conformance'] });
  const warmMs = performance.now() - t2;
  const events = report.results.length + (runs > 0 ? report.results.filter((r) => r.case.startsWith('property')).length * (runs - 1) : 0);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`GitHub REST API description: ${report.summary.operations} operations, ${report.summary.cases} cases (${runs} property runs each), ${report.summary.passed} conform`);
  console.log(`  load ${Math.round(loadMs)} ms, run ${(runMs / 1000).toFixed(1)} s: ${Math.round(events / (runMs / 1000)).toLocaleString('en')} events built, invoked and judged per second (schemas met for the first time)`);
  console.log(`  the same run again, contract warm: ${(warmMs / 1000).toFixed(1)} s, ${Math.round(events / (warmMs / 1000)).toLocaleString('en')} events/s`);
  console.log(`  peak RSS ${Math.round(peakMb)} MB (target < 1024 MB)`);
  return { operations: report.summary.operations, cases: report.summary.cases, events, runMs, warmMs, eventsPerSecond: events / (runMs / 1000), peakMb, conform: report.summary.passed };
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
