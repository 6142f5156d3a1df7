import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { editJsConfig, editVitestConfig, init } from '../../src/cli/init';

const PETSTORE = readFileSync(path.resolve(__dirname, '../../specs/petstore/openapi.yaml'), 'utf8');
const HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: "[]" });\n';

let dir = '';
const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};
const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
const json = (file: string): Record<string, any> => JSON.parse(read(file));

/** A project folder: package.json, and the files given. */
function project(files: Record<string, string>, pkg: Record<string, unknown> = { name: 'app', version: '1.0.0', devDependencies: { jest: '30.5.2' } }): void {
  dir = mkdtempSync(path.join(tmpdir(), 'lc-init-'));
  write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) write(file, text);
}

async function run(args: string[], answers?: string[]): Promise<{ code: number; out: string; err: string; asked: string[] }> {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const queue = [...(answers ?? [])];
  const code = await init(args, {
    cwd: dir,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    ...(answers ? { ask: async (q: string) => (asked.push(q), queue.shift() ?? '') } : {}),
  });
  return { code, out, err, asked };
}

describe('lambda-contract init', () => {
  it('sets up a JavaScript project: config, Jest preset, a generated suite, a script; says what it wrote and what to run', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER });
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(json('lambda-contract.config.json')).toEqual({ spec: 'openapi.yaml', handler: 'src/handler.js#handler' });
    expect(read('jest.config.js')).toContain("module.exports = { preset: 'lambda-contract' };");
    expect(read('test/contract.test.js')).toContain("const { contractSuite } = require('lambda-contract/jest');\n\ncontractSuite();");
    expect(json('package.json').scripts).toEqual({ 'test:contract': 'jest test/contract.test.js' });
    expect(json('package.json').devDependencies).toEqual({ jest: '30.5.2' });
    expect(r.out).toContain('spec     openapi.yaml (4 operations)');
    expect(r.out).toContain('wrote    jest.config.js');
    expect(r.out).toContain('Next: npx jest test/contract.test.js');
    // Run again: nothing to change, nothing replaced.
    const again = await run(['--yes']);
    expect([again.code, again.out]).toEqual([0, expect.stringContaining('set up already: nothing to change')]);
  });

  it('writes a TypeScript suite where Jest has a TypeScript transform, and CommonJS files in an ESM package', async () => {
    project({ 'api/openapi.json': JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }), 'src/index.ts': 'export const main = async () => ({ statusCode: 204 });\n' }, { name: 'ts', devDependencies: { jest: '30.5.2', 'ts-jest': '29.0.0' } });
    expect((await run(['--yes'])).code).toBe(0);
    expect(json('lambda-contract.config.json')).toEqual({ spec: 'api/openapi.json', handler: 'src/index.ts#main' });
    expect(read('test/contract.test.ts')).toContain("import { contractSuite } from 'lambda-contract/jest';");

    project({ 'openapi.yaml': PETSTORE, 'handler.mjs': 'export async function handler() { return {}; }\n' }, { name: 'esm', type: 'module' });
    const r = await run(['--yes', '--source', 'http']);
    expect(r.code).toBe(0);
    expect(json('lambda-contract.config.json')).toEqual({ spec: 'openapi.yaml', handler: 'handler.mjs#handler', source: 'http' });
    expect(existsSync(path.join(dir, 'jest.config.cjs'))).toBe(true);
    expect(existsSync(path.join(dir, 'test/contract.test.cjs'))).toBe(true);
    expect(r.out).toContain('Jest is not among the project\'s dependencies yet: npm i -D jest');
  });

  it('puts the preset where the project keeps its Jest config, keeping a preset it already has', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER }, { name: 'a', jest: { testTimeout: 10000 } });
    expect((await run(['--yes'])).code).toBe(0);
    expect(json('package.json').jest).toEqual({ preset: 'lambda-contract', testTimeout: 10000 });
    expect(existsSync(path.join(dir, 'jest.config.js'))).toBe(false);

    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER, 'jest.config.json': '{ "preset": "ts-jest", "setupFilesAfterEnv": ["./setup.js"] }' });
    expect((await run(['--yes'])).code).toBe(0);
    expect(json('jest.config.json')).toEqual({ preset: 'ts-jest', setupFilesAfterEnv: ['lambda-contract/jest/setup', './setup.js'] });

    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER, 'jest.config.ts': "import type { Config } from 'jest';\nconst config: Config = {\n  testEnvironment: 'node',\n};\nexport default config;\n" });
    const r = await run(['--yes']);
    expect(r.code).toBe(0);
    expect(read('jest.config.ts')).toBe("import type { Config } from 'jest';\nconst config: Config = {\n  preset: 'lambda-contract',\n  testEnvironment: 'node',\n};\nexport default config;\n");
    expect(r.out).toContain("updated  jest.config.ts: preset 'lambda-contract'");
  });

  it('leaves a Jest config that splits tests into projects as it is, and gives the suite a config of its own', async () => {
    const theirs = "export default {\n  projects: ['<rootDir>/jest.integration.config.ts', '<rootDir>/jest.unit.config.ts'],\n  testMatch: ['**/tests/**/*.test.ts'],\n};\n";
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER, 'jest.config.ts': theirs });
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(read('jest.config.ts')).toBe(theirs);
    expect(read('jest.contract.config.js')).toContain("module.exports = { preset: 'lambda-contract', testMatch: ['<rootDir>/test/contract.test.js'] };");
    expect(read('test/contract.test.js')).toContain("const { contractSuite } = require('lambda-contract/jest');");
    expect(json('package.json').scripts['test:contract']).toBe('jest --config jest.contract.config.js');
    expect(r.out).toContain('Next: npx jest --config jest.contract.config.js');
  });

  it('puts the suite under the one root Jest searches (cdk init: roots <rootDir>/test, testMatch **/*.test.ts)', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER, 'jest.config.js': "module.exports = {\n  testEnvironment: 'node',\n  roots: ['<rootDir>/test'],\n  testMatch: ['**/*.test.ts'],\n  transform: { '^.+\\\\.tsx?$': 'ts-jest' },\n};\n" });
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(existsSync(path.join(dir, 'test/contract.test.ts'))).toBe(true);
    expect(json('package.json').scripts['test:contract']).toBe('jest test/contract.test.ts');
  });

  it('edits JavaScript configs by their exported object, and gives up on what it cannot place', () => {
    expect(editJsConfig("module.exports = { preset: 'ts-jest' };\n")?.text).toBe("module.exports = {\n  setupFilesAfterEnv: ['lambda-contract/jest/setup'], preset: 'ts-jest' };\n");
    expect(editJsConfig('export default {\n  verbose: true,\n};\n')?.text).toBe("export default {\n  preset: 'lambda-contract',\n  verbose: true,\n};\n");
    expect(editJsConfig("module.exports = { preset: 'ts-jest', setupFilesAfterEnv: ['x'] };")).toBeUndefined();
    expect(editJsConfig('module.exports = require("./base");')).toBeUndefined();
  });

  it('sets up Vitest instead in a project that runs Vitest: the setup entry in a new config, a Vitest suite, a vitest script', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER }, { name: 'app', version: '1.0.0', type: 'module', devDependencies: { vitest: '4.1.12' } });
    const r = await run(['--yes']);
    expect(r.code).toBe(0);
    expect(read('vitest.config.mjs')).toContain("test: { setupFiles: ['lambda-contract/vitest'] }");
    expect(read('test/contract.test.mjs')).toContain("import { contractSuite } from 'lambda-contract/vitest';");
    expect(json('package.json').scripts['test:contract']).toBe('vitest run test/contract.test.mjs');
    expect(existsSync(path.join(dir, 'jest.config.js'))).toBe(false);
    expect(r.out).toContain('Next: npx vitest run test/contract.test.mjs');
    expect(r.out).not.toContain('npm i -D jest');
  });

  it('adds the setup entry to the Vitest config a project has: into setupFiles, test, or defineConfig', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.ts': HANDLER, 'tsconfig.json': '{}', 'vitest.config.ts': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { globals: true } });\n" }, { name: 'app', version: '1.0.0', devDependencies: { vitest: '4.1.12', typescript: '5.9.3' } });
    expect((await run(['--yes'])).code).toBe(0);
    expect(read('vitest.config.ts')).toContain("test: {\n    setupFiles: ['lambda-contract/vitest'], globals: true }");
    expect(read('test/contract.test.ts')).toContain("from 'lambda-contract/vitest'");
    expect(editVitestConfig("defineConfig({ test: { setupFiles: ['./own.ts'] } })")).toBe("defineConfig({ test: { setupFiles: ['lambda-contract/vitest', './own.ts'] } })");
    expect(editVitestConfig("defineConfig({ test: { setupFiles: './own.ts' } })")).toBe("defineConfig({ test: { setupFiles: ['lambda-contract/vitest', './own.ts'] } })");
    expect(editVitestConfig('export default defineConfig({})')).toBe("export default defineConfig({\n  test: { setupFiles: ['lambda-contract/vitest'] },})");
    expect(editVitestConfig('module.exports = make()')).toBeUndefined();
  });

  it('never replaces without --force: names each file and why, and writes nothing', async () => {
    project({ 'openapi.yaml': PETSTORE, 'src/handler.js': HANDLER, 'lambda-contract.config.json': '{ "spec": "other.yaml" }', 'test/contract.test.js': '// mine\n' }, { name: 'a', scripts: { 'test:contract': 'node mine.js' } });
    const r = await run(['--yes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('lambda-contract.config.json: lambda-contract.config.json exists');
    expect(r.err).toContain('test/contract.test.js: test/contract.test.js exists');
    expect(r.err).toContain('package.json: its script "test:contract" is "node mine.js"');
    expect(r.err).toContain('Nothing was written. Run again with --force');
    expect([read('lambda-contract.config.json'), read('test/contract.test.js'), existsSync(path.join(dir, 'jest.config.js'))]).toEqual(['{ "spec": "other.yaml" }', '// mine\n', false]);

    const forced = await run(['--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(json('lambda-contract.config.json').spec).toBe('openapi.yaml');
    expect(json('package.json').scripts['test:contract']).toBe('jest test/contract.test.js');
  });

  it('asks on a terminal: which of several documents, whether to replace, whether to write', async () => {
    project({ 'openapi.yaml': PETSTORE, 'docs/openapi.yml': PETSTORE, 'src/handler.js': HANDLER, 'test/contract.test.js': '// mine\n' });
    const r = await run([], ['2', 'n', 'y']);
    expect(r.asked[0]).toBe('More than one OpenAPI document:\n  1) openapi.yaml\n  2) docs/openapi.yml\nWhich one? [1-2] ');
    expect(r.asked[1]).toBe('test/contract.test.js: test/contract.test.js exists. Replace it? [y/N] ');
    expect(r.asked[2]).toContain('Write these? [Y/n]');
    expect(r.code).toBe(0);
    expect(json('lambda-contract.config.json').spec).toBe('docs/openapi.yml');
    expect(read('test/contract.test.js')).toBe('// mine\n');
    expect(r.out).toContain('kept     test/contract.test.js');

    const declined = await run(['--force'], ['1', 'n']);
    expect([declined.code, declined.out]).toEqual([0, 'lambda-contract init: nothing written.\n']);
  });

  it('fails without a terminal when the choice is not the user\'s to guess, listing the candidates', async () => {
    project({ 'openapi.yaml': PETSTORE, 'spec/openapi.json': '{}', 'src/handler.ts': HANDLER, 'index.js': HANDLER });
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('found more than one OpenAPI document: openapi.yaml, spec/openapi.json; name the one to use with --spec FILE');
    const handlers = await run(['--spec', 'openapi.yaml']);
    expect(handlers.err).toContain('found more than one handler: src/handler.ts, index.js; name the one to use with --handler FILE#export');
    expect(existsSync(path.join(dir, 'lambda-contract.config.json'))).toBe(false);
  });

  it('sets up what sam init lays out (TypeScript hello-world): the function folder with package.json, its testMatch, the template, and says Jest below 27 needs upgrading', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lc-init-sam-'));
    write('template.yaml', [
      'AWSTemplateFormatVersion: "2010-09-09"', 'Transform: AWS::Serverless-2016-10-31', 'Resources:', '  HelloWorldFunction:', '    Type: AWS::Serverless::Function',
      '    Properties:', '      CodeUri: hello-world/', '      Handler: app.lambdaHandler', '      Runtime: nodejs22.x',
      '      Events:', '        HelloWorld: { Type: Api, Properties: { Path: /hello, Method: get } }',
      '    Metadata:', '      BuildMethod: esbuild', '      BuildProperties: { Minify: true, Target: es2020, EntryPoints: [app.ts] }', '',
    ].join('\n'));
    write('openapi.yaml', "openapi: 3.0.3\ninfo: { title: hello, version: '1' }\npaths:\n  /hello:\n    get:\n      operationId: hello\n      responses:\n        '200': { description: ok }\n");
    write('hello-world/app.ts', "export const lambdaHandler = async () => ({ statusCode: 200, body: JSON.stringify({ message: 'hello world' }) });\n");
    write('hello-world/package.json', `${JSON.stringify({ name: 'hello_world', version: '1.0.0', scripts: { unit: 'jest' }, devDependencies: { '@types/jest': '^26.0.0', jest: '^26.6.3', 'ts-jest': '^26.5.6', 'ts-node': '^9.0.0', typescript: '~3.9.7' } }, null, 2)}\n`);
    write('hello-world/jest.config.ts', "/*\n * For a detailed explanation regarding each configuration property and type check, visit:\n * https://jestjs.io/docs/configuration\n */\n\nexport default {\n    transform: {\n        '^.+\\\\.ts?$': 'ts-jest',\n    },\n    clearMocks: true,\n    collectCoverage: true,\n    coverageDirectory: 'coverage',\n    coverageProvider: 'v8',\n    testMatch: ['**/tests/unit/*.test.ts'],\n};\n");
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(json('hello-world/lambda-contract.config.json')).toEqual({ spec: '../openapi.yaml', template: '../template.yaml' });
    expect(read('hello-world/tests/unit/contract.test.ts')).toContain("import { contractSuite } from 'lambda-contract/jest';");
    expect(read('hello-world/jest.config.ts')).toContain("preset: 'lambda-contract'");
    expect(json('hello-world/package.json').scripts['test:contract']).toBe('jest tests/unit/contract.test.ts');
    expect(r.out).toContain('project  hello-world/');
    expect(r.out).toContain('template ../template.yaml');
    expect(r.out).toContain('Jest ^26.6.3 is older than the 27 lambda-contract needs (npm reports that as a peer dependency conflict): npm i -D jest@29 ts-jest@29 @types/jest@29 typescript@4.9 ts-node@10');
    expect(existsSync(path.join(dir, 'lambda-contract.config.json'))).toBe(false);
  });

  it('takes a Serverless service beside the project as its deployment, rather than guessing a handler', async () => {
    project({ 'openapi.yaml': PETSTORE, 'index.js': HANDLER, 'serverless.yml': 'service: pets\nprovider: { name: aws, runtime: nodejs20.x }\nfunctions:\n  api:\n    handler: index.handler\n    events:\n      - httpApi: \'*\'\n' });
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(json('lambda-contract.config.json')).toEqual({ spec: 'openapi.yaml', template: 'serverless.yml' });
    expect(r.out).toContain('template serverless.yml (each operation through the function its route reaches)');
  });

  it('takes a CDK app\'s cloud assembly (cdk.out) beside cdk.json, not the app\'s own index.ts as a handler, and says to synthesize it', async () => {
    project({ 'openapi.yaml': PETSTORE, 'index.ts': 'export function addCorsOptions() {}\n', 'cdk.json': '{ "app": "npx tsx index.ts" }\n' });
    const r = await run(['--yes']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(json('lambda-contract.config.json')).toEqual({ spec: 'openapi.yaml', template: 'cdk.out' });
    expect(r.out).toContain('(cdk.out is what `npx cdk synth` writes: synthesize the app before the suite runs)');
  });

  it('reports a broken document, a missing one, a missing package.json and a bad flag (exit 2)', async () => {
    project({ 'openapi.yaml': 'openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n', 'src/handler.js': HANDLER });
    const broken = await run(['--yes']);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(path.join(dir, 'openapi.yaml'));
    expect(broken.err).toMatch(/version/);
    project({ 'src/handler.js': HANDLER });
    expect((await run(['--yes'])).err).toContain('no OpenAPI document found in the usual places; name it with --spec FILE');
    expect((await run(['--yes', '--spec', 'nope.yaml'])).err).toContain(`--spec: no file ${path.join(dir, 'nope.yaml')}`);
    dir = mkdtempSync(path.join(tmpdir(), 'lc-init-'));
    expect((await run(['--yes'])).err).toContain(`no package.json in ${dir}`);
    const flag = await run(['--nope']);
    expect([flag.code, flag.err]).toEqual([2, expect.stringContaining("Unknown option '--nope'")]);
  });
});
