/**
 * CDK nested stacks: a `*.nested.template.json` in cdk.out is not a stack of its own but part of its
 * parent. It is read through the parent's `AWS::CloudFormation::Stack`, with the parameters the parent
 * passes (resolved in the parent), so its functions and routes are the app's and a parameter only the
 * parent gives no longer stops the run.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIn as cli } from '../cli/in-process';
import { loadDeployment } from '../../src/deploy/cloudformation';

const PARENT = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'stage-items', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
    ApiNestedStack: {
      Type: 'AWS::CloudFormation::Stack',
      Metadata: { 'aws:asset:path': 'AppApiNestedStackA1B2.nested.template.json', 'aws:asset:property': 'TemplateURL' },
      Properties: {
        TemplateURL: { 'Fn::Join': ['', ['https://s3.us-east-1.amazonaws.com/cdk-assets/', 'a1b2.json']] },
        Parameters: { referencetoAppTableRef: { Ref: 'Table' }, stage: 'prod' },
      },
    },
  },
};

const NESTED = {
  Parameters: { referencetoAppTableRef: { Type: 'String' }, stage: { Type: 'String' } },
  Resources: {
    ItemsFn: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': 'asset.items', 'aws:cdk:path': 'App/Api/ItemsFn/Resource' }, Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { S3Bucket: 'b', S3Key: 'k.zip' }, Environment: { Variables: { TABLE: { Ref: 'referencetoAppTableRef' }, STAGE: { Ref: 'stage' } } } } },
    Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'items', ProtocolType: 'HTTP' } },
    Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Http' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['ItemsFn', 'Arn'] }, PayloadFormatVersion: '2.0' } },
    Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: 'GET /config', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
  },
};

const SPEC = `openapi: 3.0.3
info: { title: nested, version: '1' }
paths:
  /config:
    get:
      operationId: config
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: object, required: [table, stage], properties: { table: { enum: [stage-items] }, stage: { enum: [prod] } } } } } }
`;

describe('a cdk.out with a nested stack', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lc-nested-'));
    const out = path.join(dir, 'cdk.out');
    mkdirSync(path.join(out, 'asset.items'), { recursive: true });
    writeFileSync(path.join(out, 'App.template.json'), JSON.stringify(PARENT));
    writeFileSync(path.join(out, 'AppApiNestedStackA1B2.nested.template.json'), JSON.stringify(NESTED));
    writeFileSync(path.join(out, 'asset.items', 'index.js'), "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ table: process.env.TABLE, stage: process.env.STAGE }) });\n");
    writeFileSync(path.join(dir, 'openapi.yaml'), SPEC);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the nested stack through its parent, with the parameters the parent passes, not as a stack of its own', () => {
    const deployment = loadDeployment(path.join(dir, 'cdk.out'));
    expect(deployment.functions.map((f) => [f.name, f.environment])).toEqual([['App/Api/ItemsFn', { TABLE: 'stage-items', STAGE: 'prod' }]]);
    expect(deployment.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /config']);
    expect(deployment.tables?.map((t) => t.name)).toEqual(['stage-items']);
  });

  it('checks the app from cdk.out: the nested function gets the parent\'s table name', async () => {
    const r = await cli(dir, 'check', '--template', 'cdk.out', '--spec', 'openapi.yaml', '--runs', '0', '--checks', 'conformance');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('conforms');
    expect(r.code).toBe(0);
  });

  it('names a nested template that is missing, and goes on with the rest', () => {
    const parent = { Resources: { ...PARENT.Resources, Gone: { ...PARENT.Resources.ApiNestedStack, Metadata: { 'aws:asset:path': 'Missing.nested.template.json' } } } };
    const file = path.join(dir, 'cdk.out', 'Other.template.json');
    writeFileSync(file, JSON.stringify(parent));
    try {
      const deployment = loadDeployment(file);
      expect(deployment.warnings.join('\n')).toMatch(/Resources\.Gone \(Other\.template\.json\): its nested template .*Missing\.nested\.template\.json is not here/);
      expect(deployment.functions).toHaveLength(1);
    } finally {
      rmSync(file);
    }
  });
});

describe('several stacks in one cdk.out', () => {
  it('resolves Fn::ImportValue to what another stack exports, resolved in that stack', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-exports-'));
    try {
      mkdirSync(path.join(dir, 'asset.items'));
      writeFileSync(path.join(dir, 'asset.items', 'index.js'), 'exports.handler = async () => ({ statusCode: 204 });\n');
      writeFileSync(path.join(dir, 'Data.template.json'), JSON.stringify({
        Resources: { Table: PARENT.Resources.Table },
        Outputs: { TableName: { Value: { Ref: 'Table' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:TableName' } } } },
      }));
      writeFileSync(path.join(dir, 'App.template.json'), JSON.stringify({
        Resources: { Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:asset:path': 'asset.items' }, Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x', Code: { S3Bucket: 'b', S3Key: 'k' }, Environment: { Variables: { TABLE: { 'Fn::ImportValue': 'lambda-contract:TableName' } } } } } },
      }));
      const deployment = loadDeployment(dir);
      expect(deployment.functions.map((f) => f.environment)).toEqual([{ TABLE: 'stage-items' }]);
      expect(deployment.warnings.join('\n')).not.toContain('ImportValue');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
