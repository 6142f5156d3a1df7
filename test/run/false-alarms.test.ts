/**
 * The false-alarm corpus (test/fixtures/shapes): contract shapes real APIs have, each with a conforming
 * handler that keeps state the way a service does, and one broken handler. Every conforming handler
 * passes `check` with every default check on, behind every event source, from the CLI — with its
 * document alone, and deployed through a SAM template (REST API and HTTP API) — and from the generated
 * Jest and Vitest suites. Every broken one fails, and the failure names the operation it broke.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { dump as toYaml, load as parseYaml } from 'js-yaml';
import { App, Stack } from 'aws-cdk-lib';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { runIn } from '../cli/in-process';
import type { PortabilityReport, RunReport } from '../../src/run/run';
import type { CaseResult } from '../../src/run/case-result';

const ROOT = path.resolve(__dirname, '../..');
const SHAPES = path.join(ROOT, 'test/fixtures/shapes');

interface Shape { name: string; breaks: string; covers: string }
const shapes: Shape[] = readdirSync(SHAPES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(SHAPES, d.name, 'shape.json')))
  .map((d) => ({ name: d.name, ...(JSON.parse(readFileSync(path.join(SHAPES, d.name, 'shape.json'), 'utf8')) as { breaks: string; covers: string }) }));

const rel = (shape: string, file: string): string => path.relative(ROOT, path.join(SHAPES, shape, file));

/** What failed, one line a case: enough to see at a glance why a conforming handler did not pass. */
const failures = (results: readonly CaseResult[]): string[] =>
  results.filter((r) => !r.ok).map((r) => `${r.source} ${r.operationId} ${r.case} → ${r.status ?? '—'}: ${r.internalError ?? r.violations.map((v) => `[${v.rule}] ${v.message}`).join('; ')}`);

/** The operations a failing run names: each failed case's own, and each violation's. */
const named = (results: readonly CaseResult[]): Set<string> => new Set(results.filter((r) => !r.ok).flatMap((r) => [r.operationId, ...r.violations.map((v) => v.operationId)]));

it('holds at least 25 shapes, each with its contract, a conforming handler and a broken one', () => {
  expect(shapes.length).toBeGreaterThanOrEqual(25);
  for (const s of shapes) {
    for (const file of ['openapi.yaml', 'handler.mjs', 'broken.mjs']) expect(existsSync(path.join(SHAPES, s.name, file))).toBe(true);
  }
});

describe.each(shapes)('$name', ({ name, breaks }) => {
  const check = async (handler: string): Promise<{ code: number; report: PortabilityReport; stderr: string }> => {
    const r = await runIn(ROOT, 'check', '--spec', rel(name, 'openapi.yaml'), '--handler', rel(name, handler), '--source', 'all', '--format', 'json');
    return { code: r.code, report: JSON.parse(r.stdout) as PortabilityReport, stderr: r.stderr };
  };

  it('passes its conforming handler behind every source, every default check on', async () => {
    const { code, report } = await check('handler.mjs');
    expect(report.reports.flatMap((r) => failures(r.results))).toEqual([]);
    expect(report.sources).toEqual(['rest', 'http', 'http-v1', 'url', 'alb', 'alb-multi']);
    expect(code).toBe(0);
  });

  it(`fails its broken handler behind every source, naming ${breaks}`, async () => {
    const { code, report } = await check('broken.mjs');
    expect(code).toBe(1);
    for (const r of report.reports) expect([r.source, named(r.results).has(breaks)]).toEqual([r.source, true]);
  });

  describe.each([
    ['a REST API', 'Api'],
    ['an HTTP API', 'HttpApi'],
  ])('deployed through SAM as %s', (_api, event) => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), `lc-shape-${name}-`));
      writeFileSync(path.join(dir, 'template.yaml'), samTemplate(name, event as 'Api' | 'HttpApi'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const deployed = async (handler: string): Promise<{ code: number; report: RunReport; stderr: string }> => {
      const template = path.join(dir, 'template.yaml');
      writeFileSync(template, readFileSync(template, 'utf8').replace(/Handler: \w+\.handler/, `Handler: ${handler}.handler`));
      const r = await runIn(ROOT, 'check', '--template', template, '--spec', rel(name, 'openapi.yaml'), '--format', 'json');
      return { code: r.code, report: JSON.parse(r.stdout) as RunReport, stderr: r.stderr };
    };

    it('passes the conforming function', async () => {
      const { code, report, stderr } = await deployed('handler');
      expect([failures(report.results), stderr.includes('Error') ? stderr : '']).toEqual([[], '']);
      expect(code).toBe(0);
    });

    it(`fails the broken function, naming ${breaks}`, async () => {
      const { code, report } = await deployed('broken');
      expect(code).toBe(1);
      expect(named(report.results).has(breaks)).toBe(true);
    });
  });
});

/**
 * A SAM template that deploys a shape's handler as one function behind a REST API (`Api` events) or
 * an HTTP API (`HttpApi` events), a route for each of the document's operations — as a team writes one.
 */
function samTemplate(shape: string, event: 'Api' | 'HttpApi'): string {
  const doc = parseYaml(readFileSync(path.join(SHAPES, shape, 'openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const events: Record<string, unknown> = {};
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item).filter((m) => methods.includes(m))) {
      events[`${method}${route.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 60) + Object.keys(events).length] = { Type: event, Properties: { Path: route, Method: method } };
    }
  }
  return toYaml({
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: { ShapeFunction: { Type: 'AWS::Serverless::Function', Properties: { CodeUri: path.join(SHAPES, shape), Handler: 'handler.handler', Runtime: 'nodejs22.x', Events: events } } },
  });
}

describe('the generated suites', () => {
  const run = promisify(execFile);
  it('pass every shape behind every source under Jest', async () => {
    let code = 0;
    let stdout = '';
    try {
      ({ stdout } = await run(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', 'test/fixtures/suites/jest.config.js', '--json', 'shapes.suite'], { cwd: ROOT, env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 }));
    } catch (error) {
      code = (error as { code: number }).code;
      stdout = (error as { stdout: string }).stdout;
    }
    const json = JSON.parse(stdout) as { numPassedTests: number; numFailedTests: number; testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }> };
    expect(json.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status !== 'passed').map((t) => `${t.fullName}: ${t.failureMessages.join('').slice(0, 400)}`)).toEqual([]);
    expect(json.numPassedTests).toBeGreaterThan(shapes.length * 6 * 5);
    expect(code).toBe(0);
  }, 300_000);

  it('pass every shape behind every source under Vitest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-vitest-shapes-'));
    const out = path.join(dir, 'results.json');
    let code = 0;
    try {
      await run(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'shapes', '--reporter=json', `--outputFile=${out}`], { cwd: path.join(ROOT, 'test/fixtures/vitest'), env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 });
    } catch (error) {
      code = (error as { code: number }).code;
    }
    const json = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }> }> };
    rmSync(dir, { recursive: true, force: true });
    expect(json.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status !== 'passed').map((t) => `${[...t.ancestorTitles, t.title].join(' › ')}: ${t.failureMessages.join('').slice(0, 400)}`)).toEqual([]);
    expect(json.numPassedTests).toBeGreaterThan(shapes.length * 6 * 5);
    expect(code).toBe(0);
  }, 300_000);
});

describe('sub-resources (the contract of issue 29) deployed by the Serverless Framework and by the CDK', () => {
  it('passes through serverless.yml (HTTP API)', async () => {
    const r = await runIn(ROOT, 'check', '--template', rel('sub-resources', 'serverless.yml'), '--spec', rel('sub-resources', 'openapi.yaml'), '--format', 'json');
    expect(failures((JSON.parse(r.stdout) as RunReport).results)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it.each([['handler', 0], ['broken', 1]])('checks the %s function from cdk.out (RestApi + LambdaIntegration): exit %s', async (file, exit) => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'lc-shape-cdk-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
      const stack = new Stack(app, 'CatalogueStack');
      // The asset is the corpus folder, so the handler's shared lib (../kit.mjs) travels with it.
      const fn = new LambdaFunction(stack, 'CatalogueHandler', { runtime: Runtime.NODEJS_22_X, handler: `sub-resources/${file}.handler`, code: Code.fromAsset(SHAPES) });
      const api = new RestApi(stack, 'CatalogueApi');
      const integration = new LambdaIntegration(fn);
      api.root.addResource('health').addMethod('GET', integration);
      const items = api.root.addResource('items');
      items.addMethod('GET', integration);
      items.addMethod('POST', integration);
      const item = items.addResource('{itemId}');
      item.addMethod('GET', integration);
      item.addMethod('DELETE', integration);
      item.addResource('cover').addMethod('GET', integration);
      api.root.addResource('me').addMethod('GET', integration);
      app.synth();
      const r = await runIn(ROOT, 'check', '--template', outdir, '--spec', rel('sub-resources', 'openapi.yaml'), '--format', 'json');
      const report = JSON.parse(r.stdout) as RunReport;
      if (exit === 0) expect(failures(report.results)).toEqual([]);
      else expect(named(report.results).has('getCover')).toBe(true);
      expect(r.code).toBe(exit);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
