/**
 * Jest 27 finds a package's preset only as a file named `jest-preset.js` at the package's root (it
 * reads no "exports" map); Jest 28 and later resolve `lambda-contract/jest-preset` through "exports".
 * Both reach the same preset.
 */
module.exports = require('./jest.preset.js');
