/**
 * `lambda-contract/vitest`: as `test.setupFiles: ['lambda-contract/vitest']` in `vitest.config.*`, it
 * registers the matchers and, when the project configures a spec, loads the contract before each test
 * file's tests (the matchers stay synchronous); imported in a test file, it gives `contractSuite()` built
 * on Vitest's own `describe`/`test`/`beforeAll`. An ES module, since Vitest is one; nothing of it loads
 * for Jest users.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findConfig } from '../config/config.js';
import { defaultContract } from '../config/default.js';
import { preloadNock, releaseNock } from '../invoke/isolation.js';
import { installAwsLambdaGlobal } from '../invoke/streaming.js';
import { matchers } from '../testing/matchers.js';
import { buildContractSuite, type ContractSuiteOptions } from '../testing/suite.js';

export type { ContractSuiteOptions } from '../testing/suite.js';
export type { LambdaContractMatchers, MatchOperationOptions } from './types.mjs';

expect.extend(matchers as unknown as Parameters<typeof expect.extend>[0]);
// The Lambda runtime's `awslambda` global, before the test file imports a handler that streams.
installAwsLambdaGlobal();

const { config } = findConfig(process.cwd());
// A project with a contract may mock the APIs its handler calls (mockDownstream): nock before the test
// file imports the handler, so the mocks reach it however it imported node:https (see preloadNock).
if (config.spec) preloadNock();

beforeAll(async () => {
  if (config.spec) await defaultContract(process.cwd());
});

// This file's nock off node:http before the next test file in this worker loads its own.
afterAll(() => releaseNock());

/**
 * Generates the Vitest suite of the project's contract: `describe(operationId › METHOD /path)` and one
 * `test` per request case. Call it once at the top level of a test file.
 *
 * @example
 * // test/contract.test.ts — spec and handler from lambda-contract.config.json
 * import { contractSuite } from 'lambda-contract/vitest';
 * contractSuite();
 *
 * @example
 * // four files, one share each, for big contracts: `vitest --shard` deals them to CI machines
 * import { handler } from '../src/handler';
 * contractSuite({ handler, shard: '1/4' });
 */
export function contractSuite(options: ContractSuiteOptions = {}): void {
  buildContractSuite({ describe, test, beforeAll, afterAll, stack: vitestMajor() < 4 ? 'first line' : 'message' }, options);
}

/**
 * The major version of the Vitest running us. Up to Vitest 3 its stack parser tried every line of a
 * failure's stack against a pattern that backtracks without end on a long line of quotes and colons
 * (the event's JSON); Vitest 4 skips lines without an `@`.
 */
function vitestMajor(): number {
  try {
    // Resolved from the project Vitest runs in (the one that imports this entry).
    const { version } = createRequire(join(process.cwd(), 'package.json'))('vitest/package.json') as { version: string };
    return Number(version.split('.')[0]);
  } catch {
    return 0;
  }
}
