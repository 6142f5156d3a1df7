/**
 * The README's "In your project", word for word, in the folders users start from: one `sam init` lays
 * out (the Hello World template the SAM CLI renders, as test/corpus/sam-hello-nodejs22 keeps it) and
 * one `cdk init app --language typescript` writes, given a NodejsFunction behind a RestApi. The one
 * change to the README's commands: `npm i -D lambda-contract` installs the packed tarball, as the
 * package is not on the registry under test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** The CDK CLI that `cdk init` is run with (users run the current one). */
const CDK_CLI = 'aws-cdk@2.1149.0';
const work = mkdtempSync(path.join(tmpdir(), 'lambda-contract-in-project-'));
let tarball = '';

/** The README's shell blocks under "In your project", each a list of commands (comments dropped). */
function readmeCommands(): string[][] {
  const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('In your project')) ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean));
}

/** Runs one README line in a shell, with the tarball standing in for the published package. */
function sh(line: string, cwd: string): { code: number; out: string } {
  const command = line.replace(/^npm i -D lambda-contract\b/, `npm i -D --no-audit --no-fund --prefer-offline --loglevel=error ${tarball}`);
  const r = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' }, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function must(line: string, cwd: string): string {
  const r = sh(line, cwd);
  if (r.code !== 0) throw new Error(`${line} (in ${cwd}) exited ${r.code}:\n${r.out.slice(-4000)}`);
  return r.out;
}

beforeAll(() => {
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  tarball = path.join(work, name);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('the README has the commands this test runs', () => {
  const [deployed, single] = readmeCommands();
  expect(deployed).toEqual([
    'npm i -D lambda-contract',
    'npx lambda-contract check --template template.yaml',
    'npx cdk synth && npx lambda-contract check --template cdk.out --spec openapi.yaml',
    'npx lambda-contract routes --template template.yaml',
  ]);
  expect(single).toEqual(['npm i -D lambda-contract jest', 'npx lambda-contract init', 'npx jest', 'npx lambda-contract check']);
});

it('works in a folder sam init made, with the contract beside the template', () => {
  const dir = path.join(work, 'sam-app');
  cpSync(path.join(ROOT, 'test/corpus/sam-hello-nodejs22'), dir, { recursive: true, filter: (src) => !['lambda-contract.config.json', 'corpus.json', 'SOURCE.md'].includes(path.basename(src)) });
  const [deployed = [], single = []] = readmeCommands();
  for (const line of deployed.filter((l) => !l.includes('cdk'))) {
    const out = must(line, dir);
    if (line.includes(' check ')) expect(out).toMatch(/ 0 failed — conforms/);
    if (line.includes(' routes ')) expect(out).toMatch(/GET\s+\/hello\s+hello\s+HelloWorldFunction\s+hello-world\/app\.mjs\s+rest/);
  }
  for (const line of single) {
    const out = must(line, dir);
    if (line.includes(' init')) expect(out).toContain('template template.yaml');
    if (line === 'npx jest') expect(out).toMatch(/Tests: +\d+ passed, \d+ total/);
    if (line.includes(' check')) expect(out).toMatch(/ 0 failed — conforms/);
  }
}, 900_000);

it('works in a folder cdk init made, given a NodejsFunction behind a RestApi', () => {
  const dir = path.join(work, 'hello');
  mkdirSync(dir);
  must(`npx --yes ${CDK_CLI} init app --language typescript --generate-only`, dir);
  must('npm install --no-audit --no-fund --prefer-offline --loglevel=error', dir);
  // What the user adds: a function, its API, the contract; esbuild, with which NodejsFunction bundles without Docker.
  writeFileSync(path.join(dir, 'lib/hello-stack.ts'), `import * as cdk from 'aws-cdk-lib/core';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import * as path from 'path';

export class HelloStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const hello = new NodejsFunction(this, 'Hello', { runtime: lambda.Runtime.NODEJS_22_X, entry: path.join(__dirname, '../lambda/hello.ts') });
    const api = new apigateway.RestApi(this, 'HelloApi');
    api.root.addResource('hello').addMethod('GET', new apigateway.LambdaIntegration(hello));
  }
}
`);
  mkdirSync(path.join(dir, 'lambda'));
  writeFileSync(path.join(dir, 'lambda/hello.ts'), `export const handler = async (event: { queryStringParameters?: Record<string, string> | null }) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ message: \`hello \${event.queryStringParameters?.name ?? 'world'}\` }),
});
`);
  writeFileSync(path.join(dir, 'openapi.yaml'), `openapi: 3.0.3
info: { title: hello, version: '1' }
paths:
  /hello:
    get:
      operationId: hello
      parameters:
        - { name: name, in: query, schema: { type: string, maxLength: 40 } }
      responses:
        '200':
          description: a greeting
          content:
            application/json:
              schema: { type: object, required: [message], properties: { message: { type: string } } }
`);
  must('npm i -D --no-audit --no-fund --prefer-offline --loglevel=error esbuild', dir);
  const [deployed = [], single = []] = readmeCommands();
  for (const line of deployed.filter((l) => !l.includes('template.yaml'))) {
    const out = must(line, dir);
    if (line.includes(' check ')) expect(out).toMatch(/ 0 failed — conforms/);
  }
  for (const line of single) {
    const out = must(line, dir);
    if (line.includes(' init')) expect(out).toContain('template cdk.out');
    if (line === 'npx jest') expect(out).toMatch(/Tests: +\d+ passed, \d+ total/);
    if (line.includes(' check')) expect(out).toMatch(/ 0 failed — conforms/);
  }
}, 900_000);
