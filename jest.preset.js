/**
 * `preset: 'lambda-contract'` — resolved by Jest as `lambda-contract/jest-preset` (see package.json
 * "exports"). Paths resolve against the user's rootDir, so the setup file is given absolutely.
 */
module.exports = {
  testEnvironment: 'node',
  setupFilesAfterEnv: [require.resolve('./dist/jest/setup.js')],
};
