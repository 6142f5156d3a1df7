/** Helpers the benchmarks share: flags, timed loops, medians, and raw ajv over a contract's own schemas. */
'use strict';
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;
const { convertDocument } = require('../dist/document/schema');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Runs `fn(i)` for i over [0, n) again and again for `seconds`; returns calls per second. */
function rate(fn, n, seconds) {
  const until = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let calls = 0;
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < n; i++) fn(i);
    calls += n;
  }
  return calls / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The floor: one raw ajv over the contract's converted document, one compiled validator per schema
 * pointer, every format checked. Returns `validatorFor(pointer)`.
 */
function rawAjv(contract) {
  const ajv = new Ajv({ strict: false, logger: false });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addSchema({ ...convertDocument(contract.document, contract.version), $id: 'doc' });
  const enc = (p) => p.split('/').map((s) => encodeURIComponent(s).replace(/%7E/gi, '~')).join('/');
  const validators = new Map();
  return (pointer) => {
    let v = validators.get(pointer);
    if (!v) validators.set(pointer, (v = ajv.compile({ $ref: `doc#${enc(pointer)}` })));
    return v;
  };
}

module.exports = { flag, rate, median, rawAjv };
