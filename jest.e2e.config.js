/**
 * The tier that needs the npm registry (`npm run test:e2e`): the package packed and installed into
 * fresh consumer projects (Jest and Vitest), built from a clone, and run on the Node versions the host
 * is not. `.ci/run` runs it after `npm test`.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
  // Two files at a time: these tests wait on npm and on child processes far more than on the CPU.
  maxWorkers: 2,
};
