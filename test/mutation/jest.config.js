/**
 * The tests StrykerJS runs against each mutant of the judging core (`npm run mutation`): for a folder
 * of src/ (LC_MUTATION_SCOPE=gateway, verify, requests or links), the tests that exercise it; without
 * one, all of them.
 */
const base = require('../../jest.config.js');

const TESTS = {
  gateway: ['test/gateway'],
  verify: ['test/verify'],
  requests: ['test/requests'],
  links: ['test/run'],
};
const scope = process.env.LC_MUTATION_SCOPE;
const roots = scope ? TESTS[scope] : Object.values(TESTS).flat();
if (!roots) throw new Error(`LC_MUTATION_SCOPE must be one of ${Object.keys(TESTS).join(', ')}; got ${scope}`);

module.exports = {
  ...base,
  rootDir: '../..',
  roots: roots.map((r) => `<rootDir>/${r}`),
  testMatch: scope === 'links' ? ['**/sequences.test.ts', '**/false-alarms.test.ts'] : ['**/*.test.ts'],
  // Runs that take minutes and add no test of these folders' own (the 4,300-response GitHub sweep, the
  // differential judge over every example document, the DynamoDB server).
  testPathIgnorePatterns: ['/node_modules/', 'dynamodb', 'octokit', 'differential'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
