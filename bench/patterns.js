/**
 * Judging one conforming response on contracts whose schemas carry `pattern`s: `contract.judge()` (the
 * gateway's rules, then the contract) against raw ajv with `allErrors` and formats and V8's own regular
 * expressions on the same converted schema, parsing the same body — measured in the same run, in
 * alternating rounds. Two contracts: the Petstore example (a few patterns) and a catalogue whose every
 * item carries ISBNs, SKUs, ids, codes and dates (twenty items, eleven patterns each). Also counts which
 * patterns V8 runs (provably linear) and which RE2 runs. Target: ≥ 0.5× raw ajv on both.
 *
 *   npm run build && node bench/patterns.js [--seconds 1] [--rounds 5]
 */
'use strict';
const path = require('node:path');
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;
const { loadContract } = require('../dist');
const { convertDocument } = require('../dist/document/schema');
const { linearRegExp } = require('../dist/verify/regexp');
const { flag, rate, median } = require('./common');

const ITEM_PATTERNS = {
  id: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  isbn: '^97[89][0-9]{10}$',
  sku: '^[A-Z]{3}-[0-9]{6}$',
  slug: '^[a-z0-9]+(-[a-z0-9]+)*$',
  currency: '^[A-Z]{3}$',
  price: '^\\d+(\\.\\d{2})?$',
  published: '^\\d{4}-\\d{2}-\\d{2}$',
  country: '^[A-Z]{2}$',
  colour: '^#[0-9a-fA-F]{6}$',
  phone: '^\\+[1-9]\\d{1,14}$',
  etag: '^W/"[0-9a-f]{16}"$',
};

/** The catalogue contract: GET /catalogue answers twenty items, every property patterned. */
function catalogue() {
  const properties = Object.fromEntries(Object.entries(ITEM_PATTERNS).map(([k, p]) => [k, { type: 'string', pattern: p }]));
  return {
    openapi: '3.0.3',
    info: { title: 'Catalogue (pattern-heavy)', version: '1.0.0' },
    paths: {
      '/catalogue': {
        get: {
          operationId: 'listCatalogue',
          responses: { 200: { description: 'Items', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } } } },
        },
      },
    },
    components: { schemas: { Item: { type: 'object', required: Object.keys(ITEM_PATTERNS), additionalProperties: false, properties } } },
  };
}

function catalogueBody() {
  const items = [];
  for (let i = 0; i < 20; i++) {
    const n = String(i).padStart(2, '0');
    items.push({
      id: `3f2c8a1e-${n}4b-4c2d-9e8f-0a1b2c3d4e${n}`, isbn: `97801359570${n}`, sku: `ABC-1234${n}`, slug: `the-pragmatic-programmer-${i}`,
      currency: 'EUR', price: `${10 + i}.99`, published: `2019-09-${n === '00' ? '01' : String(1 + (i % 28)).padStart(2, '0')}`, country: 'DE',
      colour: '#a0B1c2', phone: `+4930123456${n}`, etag: `W/"0123456789abcd${n}"`,
    });
  }
  return JSON.stringify(items);
}

/** Raw ajv as the issue measures it: allErrors, formats, V8 regular expressions; one validator per response schema. */
function floorFor(contract) {
  const ajv = new Ajv({ strict: false, logger: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addSchema({ ...convertDocument(contract.document, contract.version), $id: 'doc' });
  const enc = (p) => p.split('/').map((s) => encodeURIComponent(s).replace(/%7E/gi, '~')).join('/');
  return (pointer) => ajv.compile({ $ref: `doc#${enc(pointer)}` });
}

async function measure(name, spec, cases, seconds, rounds) {
  const contract = await loadContract(spec);
  const compile = floorFor(contract);
  const runs = cases(contract).map((c) => {
    const op = contract.operation(c.id);
    const schema = op.responses.find((r) => r.status === String(c.result.statusCode))?.content.find((m) => m.mediaType === 'application/json')?.schema;
    return { ...c, validate: compile(schema.pointer) };
  });
  for (const c of runs) {
    const verdict = contract.judge(c.id, c.result);
    if (!verdict.result.ok) throw new Error(`${name} ${c.id}: ${verdict.result.violations[0]?.message}`);
    if (!c.validate(JSON.parse(c.result.body))) throw new Error(`${name} ${c.id}: raw ajv rejects it`);
  }
  // Past the interpreted first checks: once a broken response has loaded ajv, a hundred calls more.
  contract.judge(runs[0].id, { ...runs[0].result, body: '"broken"' });
  for (let i = 0; i < 100; i++) for (const c of runs) contract.judge(c.id, c.result);
  const ours = [];
  const verified = [];
  const floor = [];
  const n = runs.length;
  // verify(): the contract's step alone, on the response as the client receives it.
  const responses = runs.map((c) => contract.judge(c.id, c.result).response);
  for (let r = 0; r < rounds; r++) {
    floor.push(rate((i) => runs[i].validate(JSON.parse(runs[i].result.body)), n, seconds));
    ours.push(rate((i) => contract.judge(runs[i].id, runs[i].result), n, seconds));
    verified.push(rate((i) => contract.verify(runs[i].id, responses[i]), n, seconds));
  }
  const o = median(ours);
  const v = median(verified);
  const f = median(floor);
  const patterns = new Set();
  JSON.stringify(contract.document, (k, v) => (k === 'pattern' && typeof v === 'string' ? (patterns.add(v), v) : v));
  const onV8 = [...patterns].filter((p) => linearRegExp(p, 'u') instanceof RegExp).length;
  console.log(`${name}: ${n} responses, ${patterns.size} patterns (${onV8} on V8's engine, provably linear; ${patterns.size - onV8} on RE2)`);
  const row = (label, value, note = '') => console.log(`  ${label.padEnd(27)}${Math.round(value).toLocaleString('en').padStart(9)} responses/s  ${(value / f).toFixed(2)}× the floor${note}`);
  row('raw ajv, allErrors (floor)', f, ` (median of ${rounds} × ${seconds} s)`);
  row('lambda-contract verify()', v, ` (target ≥ 0.50${v / f >= 0.5 ? '' : ': NOT MET'})`);
  row('lambda-contract judge()', o, ` (target ≥ 0.50${o / f >= 0.5 ? '' : `: NOT MET — the gateway's step costs ${(1e6 / o - 1e6 / v).toFixed(1)} µs a call, ${(100 * (1 - o / v)).toFixed(0)}% of judge() on responses this small`})`);
  return { name, judge: o, verify: v, floor: f };
}

async function main() {
  const seconds = flag('seconds', 1);
  const rounds = flag('rounds', 5);
  const petstore = path.join(__dirname, '../specs/petstore/openapi.yaml');
  const results = [];
  results.push(await measure('Petstore', petstore, (contract) => {
    // Every documented JSON 2xx/4xx sample the contract makes for its operations.
    return contract.operations.flatMap((op) => contract.responses(op.id).filter((s) => s.mediaType === 'application/json' && /^\d+$/.test(s.documented)).slice(0, 2).map((s) => ({
      id: op.id, result: { statusCode: s.response.statusCode, headers: Object.fromEntries(s.response.headers), body: s.response.body.toString('utf8') },
    })));
  }, seconds, rounds));
  const body = catalogueBody();
  results.push(await measure('Catalogue', catalogue(), () => [{ id: 'listCatalogue', result: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body } }], seconds, rounds));
  return results;
}

module.exports = { main, catalogue, catalogueBody };
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
