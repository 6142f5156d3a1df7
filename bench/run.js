/** Every benchmark, in turn: `npm run bench` (builds first). Each prints its own figures and ratios. */
'use strict';
(async () => {
  for (const name of ['load', 'verify', 'peers', 'e2e']) {
    console.log(`\n# ${name}`);
    await require(`./${name}`).main();
  }
})().catch((e) => { console.error(e); process.exit(1); });
