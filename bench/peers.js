/**
 * Response verification against the tools users would pick instead, on the same conforming responses
 * (the Petstore example's operations and 40 GitHub operations): lambda-contract's `contract.verify()`,
 * raw ajv on the same schemas (the floor), openapi-backend's `validateResponse`, and jest-openapi's
 * validator (`openapi-validator`, the package behind its `toSatisfyApiSpec` matcher) outside Jest.
 * Every contender checks each response once before timing (lambda-contract, which interprets a schema's
 * first checks, a hundred times: until it has compiled it), and must accept it.
 *
 *   npm run build && node bench/peers.js [--seconds 1] [--rounds 3]
 */
'use strict';
const path = require('node:path');
const OpenAPIBackend = require('openapi-backend').default;
const { makeApiSpec, makeResponse } = require('openapi-validator');
const { loadContract } = require('../dist');
const { isJsonMediaType } = require('../dist/verify/media');
const { flag, rate, median, rawAjv } = require('./common');

/** Conforming JSON 2xx responses of up to `limit` operations, with the request path each answers. */
function casesOf(contract, limit, basePath) {
  const cases = [];
  for (const op of contract.operations) {
    if (cases.length >= limit) break;
    const sample = contract.responses(op.id).find((s) => /^2\d\d$/.test(s.documented) && s.mediaType && isJsonMediaType(s.mediaType));
    const request = contract.requests(op.id)[0]?.request;
    if (!sample || !request || op.method === 'ANY') continue;
    const spec = op.responses.find((r) => r.status === sample.documented);
    const pointer = spec && spec.content.find((m) => m.mediaType === sample.mediaType)?.schema?.pointer;
    if (!pointer) continue;
    const text = sample.response.body.toString('utf8');
    cases.push({ id: op.id, operationId: op.operationId, status: sample.response.statusCode, response: sample.response, pointer, text, body: JSON.parse(text), method: op.method, path: basePath + request.path });
  }
  return cases;
}

async function contenders(file, limit, basePath) {
  const contract = await loadContract(file);
  const cases = casesOf(contract, limit, basePath);
  const validatorFor = rawAjv(contract);
  // quick: validators compiled on use. Its eager mode cannot start on the GitHub description at all
  // (ajv: "nullable" cannot be used without "type").
  const backend = new OpenAPIBackend({ definition: structuredClone(contract.document), quick: true, customizeAjv: (ajv) => ((ajv.opts.logger = false), ajv) });
  await backend.init();
  const jestOpenapi = makeApiSpec(structuredClone(contract.document));
  const superagentLike = cases.map((c) => ({ status: c.status, body: c.body, text: c.text, req: { method: c.method, path: c.path } }));
  const must = (ok, who, c) => {
    if (!ok) throw new Error(`${who} rejects a conforming response of ${c.id}`);
  };
  const checks = {
    'lambda-contract': (c) => contract.verify(c.id, c.response).ok,
    'raw ajv (floor)': (c) => validatorFor(c.pointer)(JSON.parse(c.text)),
    'openapi-backend': (c) => backend.validateResponse(JSON.parse(c.text), c.operationId, c.status).valid,
    'jest-openapi': (c, i) => jestOpenapi.validateResponse(makeResponse({ ...superagentLike[i], body: JSON.parse(c.text) })) === null,
  };
  // Only responses every contender can check count: a peer that cannot compile a schema (openapi-backend
  // and OpenAPI 3.0's nullable without type) or rejects a conforming response is reported, not timed.
  const skipped = [];
  const dropped = [];
  // A peer that cannot check most of the contract at all leaves this set (said so), rather than shrink it to nothing.
  for (const [who, check] of Object.entries(checks)) {
    if (who === 'lambda-contract') continue;
    let failures = 0;
    let reason = '';
    cases.forEach((c, i) => {
      try {
        if (!check(c, i)) failures++;
      } catch (error) {
        failures++;
        reason ||= String(error.message).split('\n')[0];
      }
    });
    if (failures > cases.length / 2) {
      dropped.push(`${who} cannot check this contract (${failures} of ${cases.length} responses${reason ? `: ${reason}` : ''})`);
      delete checks[who];
    }
  }
  const kept = cases.filter((c, i) => {
    for (const [who, check] of Object.entries(checks)) {
      let ok;
      try {
        ok = check(c, i);
      } catch (error) {
        ok = false;
        skipped.push(`${c.id}: ${who} throws (${String(error.message).split('\n')[0]})`);
        return false;
      }
      if (!ok) {
        skipped.push(`${c.id}: ${who} rejects it`);
        return false;
      }
    }
    return true;
  });
  const keptAgent = kept.map((c) => superagentLike[cases.indexOf(c)]);
  cases.splice(0, cases.length, ...kept);
  superagentLike.splice(0, superagentLike.length, ...keptAgent);
  const run = {
    'lambda-contract': (i) => must(contract.verify(cases[i].id, cases[i].response).ok, 'lambda-contract', cases[i]),
    'raw ajv (floor)': (i) => must(validatorFor(cases[i].pointer)(JSON.parse(cases[i].text)), 'raw ajv', cases[i]),
    'openapi-backend': (i) => must(backend.validateResponse(JSON.parse(cases[i].text), cases[i].operationId, cases[i].status).valid, 'openapi-backend', cases[i]),
    'jest-openapi': (i) => must(jestOpenapi.validateResponse(makeResponse({ ...superagentLike[i], body: JSON.parse(cases[i].text) })) === null, 'jest-openapi', cases[i]),
  };
  for (const who of Object.keys(run)) if (!checks[who]) delete run[who];
  return {
    skipped,
    dropped,
    run,
    loadAjv: () => {
      if (contract.verify(cases[0].id, { ...cases[0].response, body: Buffer.from('"not the body"') }).ok) throw new Error('a string body conforms');
    },
    name: path.basename(path.dirname(file)) === 'generated' ? `GitHub (${kept.length} operations)` : `Petstore (${kept.length} operations)`,
    n: kept.length,
  };
}

async function main() {
  const seconds = flag('seconds', 1);
  const rounds = flag('rounds', 3);
  const github = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
  const sets = [await contenders(path.join(__dirname, '../specs/petstore/openapi.yaml'), 10, '/v1'), await contenders(github, 40, '')];
  const results = [];
  for (const set of sets) {
    for (const fn of Object.values(set.run)) for (let i = 0; i < set.n; i++) fn(i); // compile and check once
    // lambda-contract interprets a schema's first checks; once a failing response has loaded ajv, for 100
    // checks at most: past those too
    set.loadAjv();
    for (let pass = 0; pass < 100; pass++) for (let i = 0; i < set.n; i++) set.run['lambda-contract'](i);
    const rates = Object.fromEntries(Object.keys(set.run).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(set.run)) rates[k].push(rate(fn, set.n, seconds));
    const m = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
    console.log(`${set.name}: responses/s, median of ${rounds} × ${seconds} s${set.skipped.length ? ` (${set.skipped.length} responses left out: ${set.skipped.slice(0, 3).join('; ')}${set.skipped.length > 3 ? '; …' : ''})` : ''}`);
    for (const why of set.dropped) console.log(`  (${why})`);
    for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(16)} ${Math.round(v).toLocaleString('en').padStart(10)}   ×${(m['lambda-contract'] / v).toFixed(2)} lambda-contract's rate against it`);
    results.push({ set: set.name, rates: m });
  }
  return results;
}

module.exports = { main };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
