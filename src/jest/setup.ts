/**
 * The preset's `setupFilesAfterEnv` entry: registers the matchers and, when the project configures a
 * spec, loads the contract before the first test of each file (matchers stay synchronous).
 */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { findConfig } from '../config/config';
import { defaultContract } from '../config/default';
import { matchers } from '../testing/matchers';
import { preloadNock, releaseNock } from '../invoke/isolation';
import { installAwsLambdaGlobal } from '../invoke/streaming';

expect.extend(matchers);
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
