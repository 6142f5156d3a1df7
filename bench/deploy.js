/**
 * A big deployment: a SAM template of 100 functions and 500 routes (and its 500-operation contract),
 * loaded and planned — the template read and resolved, every operation routed to its function — against
 * the floor, js-yaml parsing the same template alone. Then one run over every function, counting module
 * loads: functions load lazily (none while planning) and once each. Target: load and plan < 1 s.
 *
 *   npm run build && node bench/deploy.js [--rounds 5]
 */
'use strict';
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const yaml = require('js-yaml');
const { loadContract, loadDeployment, runDeployment } = require('../dist');
const { routeFor } = require('../dist/run/deployment');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The floor parses the same text with the one tag it uses, and nothing else.
const SUB_ONLY = yaml.DEFAULT_SCHEMA.extend([new yaml.Type('!Sub', { kind: 'scalar', construct: (d) => ({ 'Fn::Sub': d }) })]);
const FUNCTIONS = 100;
const ROUTES_PER_FUNCTION = 5;

function project(dir) {
  const resources = [];
  const paths = {};
  for (let f = 0; f < FUNCTIONS; f++) {
    writeFileSync(path.join(dir, `fn${f}.js`), `globalThis.__lcLoads = (globalThis.__lcLoads || 0) + 1;\nexports.handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fn: ${f}, table: process.env.TABLE }) });\n`);
    const events = [];
    for (let r = 0; r < ROUTES_PER_FUNCTION; r++) {
      const route = `/r${f}/items${r}/{id}`;
      events.push(`        E${r}:\n          Type: ${r % 2 ? 'HttpApi' : 'Api'}\n          Properties: { Path: '${route}', Method: get }`);
      paths[route] = { get: { operationId: `op${f}x${r}`, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'a' }], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['fn'], properties: { fn: { const: f }, table: { type: 'string' } } } } } } } } };
    }
    resources.push(`  Fn${f}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: fn${f}.handler\n      Environment: { Variables: { TABLE: !Sub '\${Stage}-table-${f}' } }\n      Events:\n${events.join('\n')}`);
  }
  const template = `Transform: AWS::Serverless-2016-10-31\nParameters:\n  Stage: { Type: String, Default: dev }\nGlobals:\n  Function: { Runtime: nodejs20.x, CodeUri: ., Timeout: 3 }\nResources:\n${resources.join('\n')}\n`;
  writeFileSync(path.join(dir, 'template.yaml'), template);
  writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.1.0', info: { title: 'big', version: '1' }, paths }));
}

async function main() {
  const rounds = flag('rounds', 5);
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-bench-deploy-'));
  try {
    project(dir);
    const file = path.join(dir, 'template.yaml');
    const contract = await loadContract(path.join(dir, 'openapi.json'));
    const ours = [];
    const floor = [];
    let deployment;
    for (let r = 0; r < rounds; r++) {
      const a = performance.now();
      yaml.load(readFileSync(file, 'utf8'), { schema: SUB_ONLY });
      const b = performance.now();
      deployment = loadDeployment(file);
      const routed = contract.operations.map((op) => routeFor(op, deployment.routes));
      const c = performance.now();
      if (routed.some((x) => !x.route)) throw new Error('an operation has no route');
      floor.push(b - a);
      ours.push(c - b);
    }
    const loadsWhilePlanning = globalThis.__lcLoads || 0;
    console.log(`SAM template: ${deployment.functions.length} functions, ${deployment.routes.length} routes, ${contract.operations.length} operations`);
    console.log(`  load and plan (read, resolve, route)  ${median(ours).toFixed(1)} ms (median of ${rounds}; target < 1000 ms)`);
    console.log(`  js-yaml parse alone (floor)           ${median(floor).toFixed(1)} ms`);
    console.log(`  ratio                                 ${(median(ours) / median(floor)).toFixed(2)}× the floor`);
    const t = performance.now();
    const report = await runDeployment(contract, deployment, { runs: 0, checks: ['conformance'] });
    const runMs = performance.now() - t;
    console.log(`  handler modules loaded while planning: ${loadsWhilePlanning}; after a run of every function: ${globalThis.__lcLoads} (one per function)`);
    console.log(`  that run: ${report.summary.cases} cases, ${report.summary.failed} failed, ${Math.round(runMs)} ms`);
    if (median(ours) >= 1000 || loadsWhilePlanning !== 0 || globalThis.__lcLoads !== FUNCTIONS || report.summary.failed !== 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
