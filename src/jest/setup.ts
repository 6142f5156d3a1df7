/**
 * The preset's `setupFilesAfterEnv` entry: registers the matchers and, when the project configures a
 * spec, loads the contract before the first test of each file (matchers stay synchronous).
 */
import { beforeAll, expect } from '@jest/globals';
import { findConfig } from '../config/config';
import { defaultContract } from '../config/default';
import { matchers } from './matchers';

expect.extend(matchers);

beforeAll(async () => {
  const { config } = findConfig(process.cwd());
  if (config.spec) await defaultContract(process.cwd());
});
