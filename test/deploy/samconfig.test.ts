/**
 * samconfig.toml, where SAM users keep their template's Parameters: its parameter_overrides apply to
 * `--template` runs (the config environment's global, deploy and local_start_api sections, later ones
 * winning), and the command line's --parameter-overrides win over them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIn as cli } from '../cli/in-process';
import { parseOverrides, samconfigOverrides } from '../../src/deploy/samconfig';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String }
  TableName: { Type: String }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs22.x
      Environment: { Variables: { STAGE: !Ref Stage, TABLE: !Ref TableName } }
      Events:
        Get: { Type: HttpApi, Properties: { Path: /stage, Method: GET } }
`;

describe('samconfig.toml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lc-samconfig-'));
    writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(path.join(dir, 'app.mjs'), "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage: process.env.STAGE }) });\n");
    writeFileSync(path.join(dir, 'openapi.yaml'), "openapi: 3.0.3\ninfo: { title: stage, version: '1' }\npaths:\n  /stage:\n    get:\n      operationId: stage\n      responses:\n        '200': { description: ok, content: { application/json: { schema: { type: object, required: [stage], properties: { stage: { enum: [cli] } } } } } }\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the template its parameters: without it the run stops naming them, with it the routes read', async () => {
    const missing = await cli(dir, 'routes', '--template', 'template.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Stage.*TableName|TableName.*Stage/);
    writeFileSync(path.join(dir, 'samconfig.toml'), 'version = 0.1\n[default.deploy.parameters]\nstack_name = "notes"\nparameter_overrides = "Stage=\\"dev\\" TableName=notes-dev"\n');
    const read = await cli(dir, 'routes', '--template', 'template.yaml');
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('/stage');
  });

  it('reads the chosen environment, later sections over earlier ones, and yields to the command line', () => {
    writeFileSync(path.join(dir, 'samconfig.toml'), [
      'version = 0.1',
      '[default.global.parameters]', 'parameter_overrides = "Stage=global TableName=t"',
      '[default.deploy.parameters]', 'parameter_overrides = ["Stage=deploy"]',
      '[prod.deploy.parameters]', 'parameter_overrides = "ParameterKey=Stage,ParameterValue=prod TableName=\'prod table\'"',
    ].join('\n'));
    expect(samconfigOverrides(path.join(dir, 'template.yaml')).overrides).toEqual({ Stage: 'deploy', TableName: 't' });
    expect(samconfigOverrides(path.join(dir, 'template.yaml'), 'prod').overrides).toEqual({ Stage: 'prod', TableName: 'prod table' });
  });

  it('says which file and section hold a malformed override', () => {
    expect(() => parseOverrides('Stage=dev oops', 'samconfig.toml [default.deploy.parameters] parameter_overrides')).toThrow('samconfig.toml [default.deploy.parameters] parameter_overrides: expected Key=Value pairs, got "oops"');
  });

  it('the command line wins over it', async () => {
    writeFileSync(path.join(dir, 'samconfig.toml'), '[default.deploy.parameters]\nparameter_overrides = "Stage=dev"\n');
    // The handler answers the Stage it was deployed with; the contract accepts only "cli".
    const r = await cli(dir, 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--runs', '0', '--checks', 'conformance', '--parameter-overrides', 'TableName=x', 'Stage=cli');
    expect(r.stdout).toContain('conforms');
    expect(r.code).toBe(0);
    const fromFile = await cli(dir, 'check', '--template', 'template.yaml', '--spec', 'openapi.yaml', '--runs', '0', '--checks', 'conformance', '--parameter-overrides', 'TableName=x');
    expect(fromFile.stdout).toContain('"dev"');
    expect(fromFile.code).toBe(1);
  });
});
