/**
 * The AWS around a function, from the CLI: with no change to the handlers, a nodejs16.x function's
 * `aws-sdk` v2 reaches the template's table, the SDK v3's Secrets Manager and Parameter Store calls are
 * answered from `--aws-values` (or the config's `awsValues`), a Cognito pool's `.well-known` documents
 * come from the run's issuer, and a call to a service no stand-in answers is named, not a raw error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { missingSdkAdvice, runtimeSdkFolder, sdkGenerationOf } from '../../src/invoke/runtime-sdk';
import { awsServiceOfHost } from '../../src/invoke/aws-redirect';
import { poolTrustedBy } from '../../src/run/token-cases';
import type { RunReport } from '../../src/run/types';
import { runIn } from '../cli/in-process';
import { copier } from '../deploy/copy';

const ROOT = path.resolve(__dirname, '../..');
const PROJECT = path.join(ROOT, 'test/fixtures/aws');
const copy = copier(PROJECT);

const failures = (report: RunReport): string[] => report.results.filter((r) => !r.ok).map((r) => `${r.operationId}: ${r.violations.map((v) => `${v.rule} ${v.received}`).join('; ')}`);

describe('the AWS stand-ins of a template run', () => {
  let report: RunReport;
  let code: number;
  let text: string;
  beforeAll(async () => {
    const json = await runIn(PROJECT, 'check', '--runs', '2', '--aws-values', 'values.json', '--format', 'json');
    code = json.code;
    report = JSON.parse(json.stdout) as RunReport;
    text = (await runIn(PROJECT, 'check', '--runs', '0', '--aws-values', 'values.json', '--operation', 'getSettings')).stdout;
  }, 120_000);

  it('runs a nodejs16.x function on the aws-sdk v2 its runtime provides, against the template\'s table: what PUT stored, GET reads back', () => {
    const items = report.results.filter((r) => r.operationId === 'getItem' || r.operationId === 'putItem');
    expect(items.length).toBeGreaterThan(4);
    expect(items.filter((r) => !r.ok)).toEqual([]);
    // The sequence put → get read the item back through DynamoDB.
    expect(report.results.find((r) => r.case === 'sequence putItem → getItem')?.ok).toBe(true);
    expect(report.standIns?.dynamodb?.tables).toEqual([{ id: 'Items', name: 'Items', items: expect.any(Number) }]);
    expect(report.standIns?.dynamodb?.tables[0]?.items).toBeGreaterThan(0);
    expect(report.standIns?.sdk).toEqual(expect.arrayContaining([expect.stringMatching(/^aws-sdk@2\./), expect.stringMatching(/^@aws-sdk\/client-dynamodb@3\./)]));
  });

  it('answers Secrets Manager and Parameter Store reads from the values given, and says how many', () => {
    expect(report.results.filter((r) => r.operationId === 'getSettings').map((r) => r.ok)).toEqual([true, true]);
    expect(report.standIns?.values).toEqual({ file: 'values.json', secrets: expect.any(Number), parameters: expect.any(Number) });
    expect(report.standIns?.values?.secrets).toBeGreaterThan(0);
    expect(text).toMatch(/Secrets Manager \/ Parameter Store \(values\.json\): 1 secret, 2 parameters served/);
  });

  it('keeps the template\'s bucket in memory: a file streamed up through the SDK v3 (aws-chunked) is read back and listed', () => {
    const files = report.results.filter((r) => ['putFile', 'getFile', 'listFiles'].includes(r.operationId));
    expect(files.filter((r) => !r.ok)).toEqual([]);
    // The inferred link putFile → getFile read back what was stored: a 200, not the 404 of an unknown name.
    expect(report.results.find((r) => r.case === 'sequence putFile → getFile')).toMatchObject({ ok: true, status: 200 });
    expect(report.standIns?.s3?.buckets).toEqual([{ id: 'Uploads', name: 'uploads', objects: expect.any(Number) }]);
    expect(report.standIns?.s3?.buckets[0]?.objects).toBeGreaterThan(0);
  });

  it('serves every Cognito user pool\'s OpenID configuration and signing keys from the run\'s issuer, to fetch and node:https alike', () => {
    expect(report.results.filter((r) => r.operationId === 'getKeys').every((r) => r.ok)).toBe(true);
    expect(report.standIns?.keySets).toBeGreaterThanOrEqual(2);
  });

  it('sends a Lambda authorizer that verifies Cognito tokens a token of the pool its function names, signed by the run\'s issuer, whose keys it fetches', () => {
    const me = report.results.filter((r) => r.operationId === 'getMe');
    expect(me.map((r) => [r.case, r.ok, r.status])).toEqual(expect.arrayContaining([['schema', true, 200], ['auth: no credentials', true, 401]]));
    expect(me.every((r) => r.ok && r.notes.every((n) => !n.includes('authorizer_denied')))).toBe(true);
    expect(report.standIns?.tokens?.authorizers).toContain('PoolAuthorizer');
  });

  it('adds the config\'s tokenClaims to the tokens it mints; an inferred token the authorizer refuses is a note, not a finding', async () => {
    const dir = copy({});
    writeFileSync(path.join(dir, 'lambda-contract.config.json'), JSON.stringify({ template: 'template.yaml', tokenClaims: { 'cognito:groups': ['admins'] } }));
    const r = await runIn(dir, 'check', '--runs', '0', '--operation', 'getMe', '--format', 'json');
    const withClaims = JSON.parse(r.stdout) as RunReport;
    expect(r.code).toBe(0);
    const event = withClaims.results.find((x) => x.case === 'schema')?.event as { requestContext: { authorizer: { lambda: Record<string, unknown> } } };
    expect(event.requestContext.authorizer.lambda).toEqual({ sub: 'lambda-contract-user', groups: 'admins' });
    // The authorizer wants an audience no variable of its function names: the run's guess is refused.
    const other = copy({
      'template.yaml': (t) => t.replace('APP_CLIENT_ID: fixtureclient', 'APP_CLIENT_ID: fixtureclient, EXPECTED: otherclient'),
      'authorizer.mjs': (t) => t.replace('claims.aud === process.env.APP_CLIENT_ID', 'claims.aud === process.env.EXPECTED'),
    });
    const refused = await runIn(other, 'check', '--runs', '0', '--operation', 'getMe', '--format', 'json');
    const schema = (JSON.parse(refused.stdout) as RunReport).results.find((x) => x.case === 'schema');
    expect(refused.code).toBe(0);
    expect(schema?.status).toBe(403);
    expect(schema?.notes).toContain(
      'not judged (authorizer_denied): the Lambda authorizer refused a Cognito ID token the run minted for https://cognito-idp.us-east-1.amazonaws.com/UserPool (AuthorizerFunction\'s USER_POOL_ID), the run\'s guess at what it trusts; give the claims it wants with "tokenClaims", or the header itself with "overrides"',
    );
  }, 60_000);

  it('names a call to a service no stand-in answers, with the handler\'s line (fetch included); the handler\'s failure without it is a note, not a second finding', () => {
    expect(code).toBe(1);
    // A fetch call, named with the handler's line as a node:http one is.
    expect(failures(report)).toEqual([
      expect.stringMatching(/^postJob: aws_call_not_emulated sqs SendMessage at .*queue\.mjs:3:\d+$/),
      expect.stringMatching(/^postJob: aws_call_not_emulated sqs SendMessage at .*queue\.mjs:3:\d+$/),
    ]);
    expect(report.results.find((r) => r.operationId === 'postJob')?.notes).toContain(
      'not judged (gateway_function_error): the handler answered 500 after the run blocked its call to sqs.us-east-1.amazonaws.com; that call is the finding',
    );
  });

  it('without values, a secret read is blocked and named as the AWS call it is', async () => {
    const r = await runIn(PROJECT, 'check', '--runs', '0', '--operation', 'getSettings', '--format', 'json');
    expect(r.code).toBe(1);
    expect(failures(JSON.parse(r.stdout) as RunReport)).toEqual([expect.stringMatching(/^getSettings: aws_call_not_emulated secretsmanager GetSecretValue( at .*settings\.mjs:\d+:\d+)?$/)]);
  }, 60_000);

  it('reads the config\'s awsValues and tableItems, relative to the config file; an ES module outside any node_modules imports the runtime\'s SDK', async () => {
    const dir = copy({});
    writeFileSync(path.join(dir, 'items.json'), JSON.stringify({ Items: [{ id: 'a1', name: 'one' }, { id: 'a2', name: 'two' }, { id: 'a3', name: 'three' }] }));
    writeFileSync(path.join(dir, 'lambda-contract.config.json'), JSON.stringify({ template: 'template.yaml', awsValues: 'values.json', tableItems: 'items.json' }));
    const r = await runIn(dir, 'check', '--runs', '0', '--operation', 'getSettings', '--operation', 'getItem', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(failures(JSON.parse(r.stdout) as RunReport)).toEqual([]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as RunReport).standIns?.dynamodb?.tables[0]?.items).toBe(3);
  }, 60_000);

  it('refuses a values file of the wrong shape before anything runs, naming the file and pointer', async () => {
    const dir = copy({ 'values.json': () => JSON.stringify({ secrets: {}, parameters: { '/app/flags/beta': 1 } }) });
    const r = await runIn(dir, 'check', '--runs', '0', '--aws-values', 'values.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('values.json#/parameters/~1app~1flags~1beta: a parameter is a string, or a list of strings (a StringList)');
    expect(r.stdout).toBe('');
    const missing = await runIn(dir, 'check', '--aws-values', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--aws-values nope.json: no such file');
  }, 60_000);
});

describe('the pool a Lambda authorizer trusts, from its function\'s environment', () => {
  it('is read from an issuer URL, a pool id, or a variable named for a pool; never from any variable named POOL', () => {
    const env = { AWS_REGION: 'eu-west-1' };
    expect(poolTrustedBy({ ...env, ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC' })).toEqual({ variable: 'ISSUER', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC' });
    expect(poolTrustedBy({ ...env, POOL: 'eu-west-1_AbC', APP_CLIENT_ID: 'web' })).toEqual({ variable: 'POOL', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', clientId: 'web' });
    expect(poolTrustedBy({ ...env, USER_POOL_ID: 'imported-UserPool' })?.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/imported-UserPool');
    expect(poolTrustedBy({ ...env, COGNITO_USER_POOL: 'p' })?.variable).toBe('COGNITO_USER_POOL');
    expect(poolTrustedBy({ ...env, DB_POOL: '10', CONNECTION_POOL_ID: 'x', TABLE: 't' })).toBeUndefined();
  });
});

describe('the SDK the runtime provides', () => {
  it('is aws-sdk v2 up to nodejs16.x and @aws-sdk v3 from nodejs18.x', () => {
    expect(['nodejs14.x', 'nodejs16.x', 'nodejs18.x', 'nodejs24.x', undefined].map(sdkGenerationOf)).toEqual(['v2', 'v2', 'v3', 'v3', 'v3']);
  });

  it('is found in the project, then in its package folders (a CDK app\'s src/), never in @aws-sdk/types alone', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'lc-sdk-'));
    try {
      const pkg = (dir: string, name: string, version: string): void => {
        mkdirSync(path.join(dir, name), { recursive: true });
        writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify({ name, version }));
      };
      pkg(path.join(project, 'node_modules'), '@aws-sdk/types', '3.1.0');
      writeFileSync(path.join(project, 'package.json'), '{}');
      mkdirSync(path.join(project, 'src'));
      writeFileSync(path.join(project, 'src/package.json'), '{}');
      pkg(path.join(project, 'src/node_modules'), '@aws-sdk/client-dynamodb', '3.600.0');
      expect(runtimeSdkFolder([project], 'v3')).toBe(path.join(project, 'src/node_modules'));
      pkg(path.join(project, 'node_modules'), '@aws-sdk/client-s3', '3.700.0');
      expect(runtimeSdkFolder([project], 'v3')).toBe(path.join(project, 'node_modules'));
      expect(runtimeSdkFolder([project], 'v2')).toBeUndefined();
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('when none is found, names the command that supplies it', () => {
    expect(runtimeSdkFolder([path.parse(ROOT).root], 'v2')).toBeUndefined();
    expect(missingSdkAdvice("Cannot find module '@aws-sdk/lib-dynamodb'\nRequire stack:", 'nodejs22.x')).toBe(
      '@aws-sdk/lib-dynamodb is left to the Lambda runtime (nodejs22.x provides @aws-sdk/* v3), and lambda-contract found none to stand in for it: install it into the project, `npm install --save-dev @aws-sdk/lib-dynamodb`, and run again',
    );
    expect(missingSdkAdvice("Cannot find package 'aws-sdk' imported from /x/app.mjs", 'nodejs16.x')).toContain('`npm install --save-dev aws-sdk@2`');
    expect(missingSdkAdvice("Cannot find module './lib/db'", 'nodejs22.x')).toBeUndefined();
  });

  it('reads the service from any endpoint form', () => {
    expect(['dynamodb.us-east-1.amazonaws.com', 'cognito-idp.eu-west-1.amazonaws.com', 'dynamodb-fips.us-gov-west-1.amazonaws.com', 'sts.amazonaws.com', 'my-bucket.s3.us-east-1.amazonaws.com', 'ssm.cn-north-1.amazonaws.com.cn:443', 'example.com'].map(awsServiceOfHost)).toEqual(
      ['dynamodb', 'cognito-idp', 'dynamodb', 'sts', 's3', 'ssm', undefined],
    );
  });
});
