/**
 * `preset: 'lambda-contract'` — resolved by Jest as `lambda-contract/jest-preset` (see package.json
 * "exports"; Jest 27 reads `jest-preset.js` instead). Paths resolve against the user's rootDir, so
 * files are given absolutely.
 */
module.exports = {
  testEnvironment: 'node',
  setupFilesAfterEnv: [require.resolve('./dist/jest/setup.js')],
  // Jest 27 reads no "exports" map: this resolves packages as Node does there (see the file).
  resolver: require.resolve('./dist/jest/resolver.js'),
};
