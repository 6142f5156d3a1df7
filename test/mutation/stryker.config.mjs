// StrykerJS over the judging core: gateway verdicts, response verification, request generation, links.
// `npm run mutation` runs all of it; `LC_MUTATION_SCOPE=gateway npm run mutation` (or verify, requests,
// links) one folder against its own tests. Not part of CI: it takes hours on two cores. The scores per
// folder, and what survives, are in docs/testing.md.
const FILES = {
  gateway: ['src/gateway/**/*.ts'],
  verify: ['src/verify/**/*.ts'],
  requests: ['src/requests/**/*.ts'],
  links: ['src/document/links.ts', 'src/run/sequences.ts', 'src/run/checks.ts'],
};
const scope = process.env.LC_MUTATION_SCOPE;

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'test/mutation/jest.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: [...(scope ? FILES[scope] : Object.values(FILES).flat()), '!src/**/*.d.ts'],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${scope ?? 'all'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
