/**
 * `lambda-contract/jest`: the matchers and their typings, for projects that register them by hand
 * (`expect.extend(matchers)`) instead of using the preset, and the generated suite.
 */
export { matchers } from '../testing/matchers';
export type { LambdaContractMatchers, MatchOperationOptions } from './types';
export { contractSuite } from './suite';
export type { ContractSuiteOptions } from './suite';
