/**
 * The project's own tests (`npm test`): TypeScript through @swc/jest (type-checking is `npm run
 * typecheck`). No network: what needs the npm registry — the packed tarball installed into consumer
 * projects, the package built and installed from a clone, other Node versions — is in test/e2e and
 * runs with `npm run test:e2e` (jest.e2e.config.js).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/fixtures/vitest is a Vitest project that test/vitest runs in a child Vitest.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fixtures/vitest/', '<rootDir>/test/e2e/'],
  // The real-project corpus is data for test/e2e/corpus.test.ts (run in child processes): its packages
  // (four SAM apps name theirs hello_world) are not modules of this project.
  modulePathIgnorePatterns: ['<rootDir>/test/corpus/'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  // openapi-backend (the independent request judge in test/requests) ships an ESM-only ref parser that
  // Jest cannot require on Node 20; the CommonJS one swagger-parser uses has the same API.
  moduleNameMapper: { '^@apidevtools/json-schema-ref-parser$': '<rootDir>/node_modules/@apidevtools/json-schema-ref-parser' },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  testTimeout: 30000,
};
