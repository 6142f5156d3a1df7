/**
 * Every benchmark, in turn, each in its own Node process (so memory figures are its own): `npm run bench`
 * (builds first). Each prints its own figures and ratios against a baseline measured in the same run.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

let failed = false;
for (const name of ['load', 'verify', 'patterns', 'matcher', 'peers', 'e2e', 'deploy', 'sequences', 'sandbox', 'dynamodb', 'jest']) {
  console.log(`\n# ${name}`);
  const r = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
