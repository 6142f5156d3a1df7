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
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { synth, type PetsApp } from '../../specs/cdk-pets/app';

const SPEC = path.resolve(__dirname, '../../specs/cdk-pets/openapi.yaml');
const outs: string[] = [];
let out = '';

/** Synthesizes the example (changed by `customize`) into a new cdk.out, as `cdk synth` would. */
function synthesized(customize?: (app: PetsApp) => void): string {
  const dir = synth(mkdtempSync(path.join(tmpdir(), 'lc-cdk-')), customize);
  outs.push(dir);
  return dir;
}

beforeAll(() => {
  out = synthesized();
}, 60_000);
afterAll(() => {
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
});

async function check(...argv: string[]): Promise<{ code: number; stdout: string }> {
  return checkOut(out, ...argv);
}

async function checkOut(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(['check', '--template', dir, '--spec', SPEC, ...argv], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: process.cwd(), isTTY: false, env: {} });
  return { code, stdout };
}

/** Rewrites the deployed asset of the function whose construct path is `name`. */
function editAsset(dir: string, name: string, change: (text: string) => string): void {
  const fn = loadDeployment(dir).functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  const before = readFileSync(fn.file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${name}'s asset changed nothing`);
  writeFileSync(fn.file, after);
}

test('cdk.out reads as the app was written: two functions from their assets, named by their construct paths, REST and HTTP API routes', () => {
  const d = loadDeployment(out);
  expect(d.functions.map((f) => [f.id.replace(/[0-9A-F]{8}$/, ''), f.name, path.relative(out, f.file).replace(/asset\.[0-9a-f]+/, 'asset.*'), f.timeout, f.environment])).toEqual([
    ['PetsHandler', 'PetsStack/PetsHandler', 'asset.*/index.js', 10, { GREETING: 'hello' }],
    ['OrdersHandler', 'PetsStack/OrdersHandler', 'asset.*/index.js', 3, {}],
  ]);
  expect(d.routes.map((r) => `${r.method} ${r.path} ${r.source} ${r.functionId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
    'GET /pets rest PetsHandler',
    'GET /pets/{petId} rest PetsHandler',
    'POST /orders http OrdersHandler',
  ]);
  expect(d.warnings).toEqual([]);
});

test('routes prints the table: method, path, operation, the function by its construct path, its asset file, source', async () => {
  let stdout = '';
  const code = await main(['routes', '--template', out, '--spec', SPEC], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: out, isTTY: false, env: {} });
  expect(code).toBe(0);
  const rows = stdout.trim().split('\n').map((l) => l.split(/\s{2,}/).map((c) => c.replace(/asset\.[0-9a-f]+/, 'asset.*')));
  expect(rows).toEqual([
    ['METHOD', 'PATH', 'OPERATION', 'FUNCTION', 'HANDLER FILE', 'SOURCE'],
    ['GET', '/pets', 'listPets', 'PetsStack/PetsHandler', 'asset.*/index.js', 'rest'],
    ['GET', '/pets/{petId}', 'getPet', 'PetsStack/PetsHandler', 'asset.*/index.js', 'rest'],
    ['POST', '/orders', 'createOrder', 'PetsStack/OrdersHandler', 'asset.*/index.js', 'http'],
  ]);
});

test('conforms with --spec, and fails naming the function when its deployed asset breaks the contract', async () => {
  const ok = await check('--runs', '2');
  expect(ok.stdout).toContain('conforms');
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('[PetsStack/PetsHandler]');
  const dir = synthesized();
  editAsset(dir, 'PetsStack/PetsHandler', (t) => t.replace("{ id: '1', name: 'Tom' }", "{ id: 1, name: 'Tom' }"));
  const bad = await checkOut(dir, '--runs', '0');
  expect(bad.code).toBe(1);
  expect(bad.stdout).toMatch(/✗ listPets .*\[PetsStack\/PetsHandler\]/);
  expect(bad.stdout).toMatch(/^ {2}✗ PetsStack\/PetsHandler +\d+\/\d+ passed/m); // by function
  expect(readdirSync(dir).some((f) => f.endsWith('.assets.json'))).toBe(true);
});

test('fails, naming the function, when it outlives its Timeout', async () => {
  const dir = synthesized(({ pets }) => ((pets.node.defaultChild as CfnFunction).timeout = 1));
  editAsset(dir, 'PetsStack/PetsHandler', (t) => t.replace('exports.handler = async (event) => {', "exports.handler = async (event) => {\n  if (event.pathParameters?.petId === '1') await new Promise((r) => setTimeout(r, 1500));"));
  const r = await checkOut(dir, '--runs', '0', '--function', 'PetsStack/PetsHandler');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/✗ getPet .*→ 504 {2}\[PetsStack\/PetsHandler\]/);
  expect(r.stdout).toContain('received: Task timed out after 1.00 seconds');
}, 30_000);

test('fails when a function is routed to a path the contract lacks, and when no function serves an operation', async () => {
  const dir = synthesized(({ api, pets, http }) => {
    api.root.getResource('pets')?.addResource('search').addMethod('GET', new LambdaIntegration(pets));
    http.node.tryRemoveChild('POST--orders');
  });
  const r = await checkOut(dir, '--runs', '0');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('[route_undocumented] the template routes GET /pets/search to PetsStack/PetsHandler, but the contract documents no such operation');
  expect(r.stdout).toMatch(/\[route_missing\] no function serves POST \/orders: the gateway answers 403/);
}, 30_000);

test('fails every operation of a callback handler on nodejs24.x, naming the function', async () => {
  const dir = synthesized(({ orders }) => ((orders.node.defaultChild as CfnFunction).runtime = 'nodejs24.x'));
  editAsset(dir, 'PetsStack/OrdersHandler', () => "exports.handler = (event, context, callback) => callback(null, { statusCode: 201, body: '{}' });\n");
  const r = await checkOut(dir, '--runs', '0');
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('[runtime_unsupported_handler] PetsStack/OrdersHandler runs on nodejs24.x, which no longer runs callback-style handlers');
  expect(r.stdout).not.toMatch(/✗ (listPets|getPet) /);
}, 30_000);
