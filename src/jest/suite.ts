/** `contractSuite()` for Jest: the generated suite made with Jest's own `describe`/`test`/`beforeAll`. */
import { ContractError, describeThrown } from '../errors';
import { buildContractSuite, type ContractSuiteOptions, type TestRunnerApi } from '../testing/suite';

export type { ContractSuiteOptions } from '../testing/suite';

/** Jest's functions, required only when a suite is made (the main entry point loads outside Jest too). */
function jestApi(): TestRunnerApi {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@jest/globals') as TestRunnerApi;
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_USAGE', `contractSuite() makes Jest tests: call it at the top level of a Jest test file (${describeThrown(error).message})`, {});
  }
}

/**
 * Generates the Jest suite of the project's contract: `describe(operationId › METHOD /path)` and one
 * `test` per request case. Call it once at the top level of a test file.
 *
 * @example
 * // test/contract.test.ts — spec and handler from lambda-contract.config.json
 * import { contractSuite } from 'lambda-contract/jest';
 * contractSuite();
 *
 * @example
 * // four files, one share each, for big contracts: Jest runs them in parallel
 * import { handler } from '../src/handler';
 * contractSuite({ handler, shard: '1/4' });
 */
export function contractSuite(options: ContractSuiteOptions = {}): void {
  buildContractSuite(jestApi(), options);
}
