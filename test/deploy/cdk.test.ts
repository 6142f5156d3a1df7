/**
 * The CDK example (specs/cdk-pets) synthesized here with aws-cdk-lib, as `cdk synth` would, then
 * checked from its cdk.out: the REST API's Resource/Method tree and the HTTP API's routes, each
 * operation through its asset function; a broken asset fails naming its function.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { loadDeployment } from '../../src/deploy/cloudformation';
import { synth } from '../../specs/cdk-pets/app';

const SPEC = path.resolve(__dirname, '../../specs/cdk-pets/openapi.yaml');
let out = '';

beforeAll(() => {
  out = synth(mkdtempSync(path.join(tmpdir(), 'lc-cdk-')));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function check(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(['check', '--template', out, '--spec', SPEC, ...argv], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: process.cwd(), isTTY: false, env: {} });
  return { code, stdout };
}

test('cdk.out reads as the app was written: two functions from their assets, REST and HTTP API routes', () => {
  const d = loadDeployment(out);
  expect(d.functions.map((f) => [f.id.replace(/[0-9A-F]{8}$/, ''), path.relative(out, f.file).replace(/asset\.[0-9a-f]+/, 'asset.*'), f.timeout, f.environment])).toEqual([
    ['PetsHandler', 'asset.*/index.js', 10, { GREETING: 'hello' }],
    ['OrdersHandler', 'asset.*/index.js', 3, {}],
  ]);
  expect(d.routes.map((r) => `${r.method} ${r.path} ${r.source} ${r.functionId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
    'GET /pets rest PetsHandler',
    'GET /pets/{petId} rest PetsHandler',
    'POST /orders http OrdersHandler',
  ]);
  expect(d.warnings).toEqual([]);
});

test('conforms with --spec, and fails naming the function when its deployed asset breaks the contract', async () => {
  const ok = await check('--runs', '2');
  expect(ok.stdout).toContain('conforms');
  expect(ok.code).toBe(0);
  const pets = loadDeployment(out).functions.find((f) => f.id.startsWith('PetsHandler'));
  if (!pets) throw new Error('no pets function');
  writeFileSync(pets.file, readFileSync(pets.file, 'utf8').replace("{ id: '1', name: 'Tom' }", "{ id: 1, name: 'Tom' }"));
  const bad = await check('--runs', '0');
  expect(bad.code).toBe(1);
  expect(bad.stdout).toMatch(new RegExp(`✗ listPets .*\\[${pets.id}\\]`));
  expect(readdirSync(out).some((f) => f.endsWith('.assets.json'))).toBe(true);
});
