/**
 * Templates read as AWS reads them: the short-form tags, intrinsics in every position, SAM's Globals,
 * parameters and conditions, and the routes each kind of API resource makes (SAM, CloudFormation, CDK).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deploymentOf, loadDeployment, mergeGlobals } from '../../src/deploy/cloudformation';
import { parseTemplate } from '../../src/deploy/template';
import { isContractError } from '../../src/errors';
import { runIn as cli } from '../cli/in-process';

const FIXTURES = path.resolve(__dirname, '../fixtures/deploy');
const SAM_NOTES = path.resolve(__dirname, '../../specs/sam-notes');

/** A SAM template in the sam-notes folder (its handler files exist), from YAML text. */
const sam = (yaml: string, overrides: Record<string, string> = {}) =>
  deploymentOf(path.join(SAM_NOTES, 'inline.yaml'), parseTemplate(yaml, 'inline.yaml'), { parameterOverrides: overrides });

const caught = (fn: () => unknown): Error & { code?: string } => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('the template reader', () => {
  it('reads every short-form tag as its long form, in scalar, list and map positions', () => {
    const t = parseTemplate(
      [
        'A: !Ref Stage',
        'B: !GetAtt Table.Arn',
        'C: !Sub "${Stage}-x"',
        'D: !Join [",", [a, !Ref Stage]]',
        'E: !If [IsProd, !Select [0, [x, y]], !FindInMap [M, k, v]]',
        'F: !Equals [!Ref Stage, prod]',
        'G: !Sub',
        '  - "${X}"',
        '  - { X: !Ref Stage }',
      ].join('\n'),
      't.yaml',
    );
    expect(t).toEqual({
      A: { Ref: 'Stage' },
      B: { 'Fn::GetAtt': ['Table', 'Arn'] },
      C: { 'Fn::Sub': '${Stage}-x' },
      D: { 'Fn::Join': [',', ['a', { Ref: 'Stage' }]] },
      E: { 'Fn::If': ['IsProd', { 'Fn::Select': [0, ['x', 'y']] }, { 'Fn::FindInMap': ['M', 'k', 'v'] }] },
      F: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      G: { 'Fn::Sub': ['${X}', { X: { Ref: 'Stage' } }] },
    });
  });

  it('names the file, line and column of a template that is neither YAML nor JSON', () => {
    const e = caught(() => parseTemplate('Resources:\n  A: [unclosed\n  B: 1\n', 'template.yaml'));
    expect(isContractError(e, 'ERR_CONTRACT_TEMPLATE')).toBe(true);
    expect(e.message).toMatch(/^template\.yaml:\d+:\d+: the template is neither valid YAML nor JSON/);
    expect(caught(() => parseTemplate('{ "Resources": ', 'stack.json')).message).toMatch(/^stack\.json: the template is neither valid YAML nor JSON/);
  });
});

const NOTES = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
  Prefix: { Type: String }
Mappings:
  Sizes: { dev: { memory: 256 }, prod: { memory: 1024 } }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition NotProd, !Equals [a, a]]
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 7
    MemorySize: !FindInMap [Sizes, !Ref Stage, memory]
    Environment:
      Variables:
        STAGE: !Ref Stage
        TABLE: !Ref Table
        SHARED: from-globals
Resources:
  Table: { Type: AWS::Serverless::SimpleTable }
  ListNotesFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/handlers
      Handler: list-notes.handler
      Timeout: !If [IsProd, 30, 5]
      Environment:
        Variables:
          SHARED: own
          URL: !Sub
            - 'https://\${Domain}/\${Stage}/\${!Literal}/\${Table.Arn}'
            - { Domain: !Join ['.', [api, !Select [1, !Split [',', 'a,example,c']]]] }
      Events:
        List: { Type: Api, Properties: { Path: /notes, Method: get } }
        Any: { Type: HttpApi }
  ProdOnlyFunction:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties: { CodeUri: src/handlers, Handler: get-note.handler }
  DevOnlyFunction:
    Type: AWS::Serverless::Function
    Condition: Both
    Properties: { CodeUri: src/handlers, Handler: health.handler, FunctionUrlConfig: { AuthType: NONE } }
  PythonFunction:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: app.handler }
`;

describe('a SAM template', () => {
  it('merges Globals as SAM does: variables merged, the function’s own values win; intrinsics resolved everywhere', () => {
    const d = sam(NOTES);
    const fn = d.functions.find((f) => f.id === 'ListNotesFunction');
    expect(fn).toMatchObject({ timeout: 5, memorySize: 256, runtime: 'nodejs20.x', file: path.join(SAM_NOTES, 'src/handlers/list-notes.ts') });
    expect(fn?.environment).toEqual({
      STAGE: 'dev', TABLE: 'Table', SHARED: 'own',
      URL: 'https://api.example/dev/${Literal}/arn:aws:placeholder:us-east-1:123456789012:Table',
    });
    // A table's Ref is its name, the one the local DynamoDB creates it under: nothing stands in for it.
    expect(d.warnings.filter((w) => w.includes('!Ref Table'))).toEqual([]);
    expect(d.tables?.map((t) => t.name)).toEqual(['Table']);
  });

  it('applies parameter overrides and conditions: resources whose condition is false are not deployed', () => {
    const dev = sam(NOTES);
    expect(dev.functions.map((f) => f.id)).toEqual(['ListNotesFunction', 'DevOnlyFunction']);
    const prod = sam(NOTES, { Stage: 'prod' });
    expect(prod.functions.map((f) => f.id)).toEqual(['ListNotesFunction', 'ProdOnlyFunction']);
    expect(prod.functions[0]).toMatchObject({ timeout: 30, memorySize: 1024 });
    expect(prod.functions[0]?.environment.STAGE).toBe('prod');
  });

  it('skips a function that cannot run here, naming it', () => {
    expect(sam(NOTES).warnings).toContain('function PythonFunction runs python3.12, not Node.js: skipped (lambda-contract runs Node.js code from local files)');
  });

  it('runs inline code (SAM InlineCode, CloudFormation Code.ZipFile) from the index.js CloudFormation deploys it as; routes lists them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-inline-'));
    try {
      writeFileSync(path.join(dir, 'template.yaml'), [
        'Transform: AWS::Serverless-2016-10-31', 'Resources:',
        '  Inline:', '    Type: AWS::Serverless::Function', '    Properties:', '      Runtime: nodejs20.x', '      Handler: index.handler',
        '      InlineCode: "exports.handler = async () => ({ statusCode: 200, headers: { \'content-type\': \'application/json\' }, body: JSON.stringify({ from: \'inline\' }) });"',
        '      Events: { Get: { Type: HttpApi, Properties: { Path: /inline, Method: GET } } }',
        '  Zipped:', '    Type: AWS::Lambda::Function', '    Properties:', '      Runtime: nodejs20.x', '      Handler: index.handler', '      Role: arn:aws:iam::123456789012:role/x',
        '      Code: { ZipFile: !Sub "exports.handler = async () => ({ statusCode: 204, headers: { region: \'${AWS::Region}\' } });" }',
        '  Url: { Type: AWS::Lambda::Url, Properties: { TargetFunctionArn: !GetAtt Zipped.Arn, AuthType: NONE } }',
      ].join('\n'));
      const d = loadDeployment(path.join(dir, 'template.yaml'));
      expect(d.functions.map((f) => [f.id, path.basename(f.file), readFileSync(f.file, 'utf8').includes(f.id === 'Inline' ? "from: 'inline'" : "region: 'us-east-1'")])).toEqual([['Inline', 'index.js', true], ['Zipped', 'index.js', true]]);
      const routes = await cli(dir, 'routes');
      expect([routes.code, routes.stderr]).toEqual([0, '']);
      expect(routes.stdout).toMatch(/GET +\/inline +Inline +.*index\.js +http/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('routes Api events to REST, HttpApi events by payload version, a bare HttpApi event as the catch-all, a URL to everything', () => {
    expect(sam(NOTES).routes).toEqual([
      { method: 'GET', path: '/notes', functionId: 'ListNotesFunction', source: 'rest', apiId: 'ServerlessRestApi' },
      { method: 'ANY', path: '/{proxy+}', functionId: 'ListNotesFunction', source: 'http', apiId: 'ServerlessHttpApi', catchAll: true },
      { method: 'ANY', path: '/{proxy+}', functionId: 'DevOnlyFunction', source: 'url', apiId: 'DevOnlyFunctionUrl', catchAll: true },
    ]);
  });

  it('names the function, the path and what was tried when a handler file is missing', () => {
    const e = caught(() => sam('Resources:\n  Gone:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs20.x, CodeUri: src, Handler: nowhere/app.main }\n'));
    expect(isContractError(e, 'ERR_CONTRACT_HANDLER')).toBe(true);
    expect(e.message).toContain('the handler file of function Gone (Handler nowhere/app.main) is missing; tried');
    expect(e.message).toContain(`${path.join(SAM_NOTES, 'src/nowhere/app')}.js, ${path.join(SAM_NOTES, 'src/nowhere/app')}.mjs`);
  });

  it('refuses a condition that refers to itself, and a parameter without a value, naming them', () => {
    const cyclic = 'Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Condition: A\n    Properties: { Runtime: nodejs20.x, CodeUri: src/handlers, Handler: health.handler }\n';
    expect(caught(() => sam(cyclic)).message).toContain('condition A refers to itself (A → B → A)');
    expect(caught(() => sam(NOTES.replace('Prefix: { Type: String }', 'Prefix: { Type: String }').replace('SHARED: own', 'SHARED: !Ref Prefix'))).message).toContain(
      'parameter Prefix has no Default; give it with --parameter-overrides Prefix=VALUE',
    );
    // Every parameter the template needs and lacks, named at once (CloudFormation asks for them all together too).
    const two = NOTES.replace('SHARED: own', 'SHARED: !Ref Prefix\n          OTHER: !Sub "${Suffix}-x"').replace('Prefix: { Type: String }', 'Prefix: { Type: String }\n  Suffix: { Type: String }');
    expect(two).toContain('Suffix: { Type: String }');
    expect(caught(() => sam(two)).message).toContain('parameters Prefix, Suffix have no Default; give them with --parameter-overrides Prefix=VALUE Suffix=VALUE');
  });

  it('reads HTTP API Lambda authorizers (identity, payload version, simple responses), an event’s own choice, and NONE', () => {
    const d = sam(`
Globals:
  HttpApi:
    Auth:
      DefaultAuthorizer: Lambda
      Authorizers:
        Lambda:
          FunctionArn: !GetAtt Auth.Arn
          Identity: { Headers: [X-Key], QueryStrings: [k] }
          AuthorizerPayloadFormatVersion: '2.0'
          EnableSimpleResponses: true
        Jwt:
          JwtConfiguration: { issuer: https://issuer.example, audience: [a] }
          IdentitySource: $request.header.Authorization
Resources:
  Auth:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: src/handlers, Handler: health.handler }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: src/handlers
      Handler: health.handler
      Events:
        A: { Type: HttpApi, Properties: { Path: /a, Method: GET } }
        B: { Type: HttpApi, Properties: { Path: /b, Method: GET, Auth: { Authorizer: NONE } } }
        C: { Type: HttpApi, Properties: { Path: /c, Method: GET, Auth: { Authorizer: Jwt, AuthorizationScopes: [notes/read] } } }
`);
    expect(d.routes.map((r) => [r.path, r.authorizer])).toEqual([
      ['/a', { name: 'Lambda', functionId: 'Auth', settings: { payloadFormatVersion: '2.0', identitySource: ['$request.header.X-Key', '$request.querystring.k'], enableSimpleResponses: true } }],
      ['/b', undefined],
      ['/c', undefined],
    ]);
    // A JWT authorizer is the gateway's own: the function sees the claims of a valid token.
    expect(d.routes.map((r) => r.jwt)).toEqual([
      undefined,
      undefined,
      {
        name: 'Jwt', kind: 'jwt', issuer: 'https://issuer.example', audience: ['a'], header: 'Authorization', setting: expect.stringMatching(/#\/Resources\/\w+\/Properties\/Auth\/Authorizers\/Jwt$/),
        claims: { sub: 'lambda-contract-user', iss: 'https://issuer.example', aud: 'a', scope: 'notes/read' }, scopes: ['notes/read'],
      },
    ]);
    expect(d.warnings).toEqual([]);
  });

  it('maps merge, lists append, scalars are the function’s own (SAM’s Globals rules)', () => {
    expect(mergeGlobals({ a: 1, m: { x: 1, y: 1 }, l: [1] }, { a: 2, m: { y: 2 }, l: [2] })).toEqual({ a: 2, m: { x: 1, y: 2 }, l: [1, 2] });
  });

  it('reads the esbuild entry point of a TypeScript function and the API that carries the contract', () => {
    const d = loadDeployment(path.join(SAM_NOTES, 'template.yaml'));
    expect(d.functions.find((f) => f.id === 'GetNoteFunction')?.handler).toBe(`${path.join(SAM_NOTES, 'src/handlers/get-note.ts')}#handler`);
    expect(d.apis.find((a) => a.id === 'NotesApi')).toEqual({ id: 'NotesApi', kind: 'rest', definition: path.join(SAM_NOTES, 'openapi.yaml'), stage: 'dev' });
    // The API's DefaultAuthorizer stands in front of its routes; the HTTP API's routes have none.
    expect(d.routes.map((r) => [r.path, r.source, r.authorizer])).toEqual([
      ['/notes', 'rest', { name: 'TokenAuthorizer', functionId: 'AuthorizerFunction', settings: { type: 'TOKEN', identitySource: ['method.request.header.Authorization'] } }],
      ['/notes/{noteId}', 'rest', { name: 'TokenAuthorizer', functionId: 'AuthorizerFunction', settings: { type: 'TOKEN', identitySource: ['method.request.header.Authorization'] } }],
      ['/notes', 'http', undefined],
      ['/health', 'http-v1', undefined],
    ]);
  });
});

describe('CloudFormation as CDK synthesizes it', () => {
  it('reads cdk.out: functions from their asset folders, REST routes from the Resource/Method tree, HTTP API routes from Route/Integration', () => {
    const d = loadDeployment(path.join(FIXTURES, 'cdk.out'));
    expect(d.functions.map((f) => [f.id, path.relative(FIXTURES, f.file), f.timeout, f.environment])).toEqual([
      ['PetsHandler3F1A2B4C', 'cdk.out/asset.5f3a9c/index.js', 10, { GREETING: 'hello' }],
      ['OrdersHandler9D8E7F6A', 'cdk.out/asset.77b1e2/index.js', 3, {}],
    ]);
    expect(d.routes).toEqual([
      { method: 'GET', path: '/pets', functionId: 'PetsHandler3F1A2B4C', source: 'rest', apiId: 'PetsApi0E1F2A3B' },
      { method: 'GET', path: '/pets/{petId}', functionId: 'PetsHandler3F1A2B4C', source: 'rest', apiId: 'PetsApi0E1F2A3B' },
      { method: 'POST', path: '/orders', functionId: 'OrdersHandler9D8E7F6A', source: 'http', apiId: 'OrdersApi5E6F7A8B' },
    ]);
  });

  it('routes ALB listener rules to a lambda target group: path patterns and methods, multi-value mode from the attribute', () => {
    const t = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'health.handler', Code: 'src/handlers' } },
        Group: {
          Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          Properties: { TargetType: 'lambda', Targets: [{ Id: { 'Fn::GetAtt': ['Fn', 'Arn'] } }], TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] },
        },
        Rule: {
          Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
          Properties: {
            Priority: 1, ListenerArn: 'arn:listener',
            Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Group' } }],
            Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health', '/status/*'] } }, { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } }],
          },
        },
      },
    };
    expect(deploymentOf(path.join(SAM_NOTES, 't.json'), t).routes).toEqual([
      { method: 'GET', path: '/health', functionId: 'Fn', source: 'alb-multi', apiId: 'Group' },
      { method: 'GET', path: '/status/{proxy+}', functionId: 'Fn', source: 'alb-multi', apiId: 'Group' },
    ]);
  });

  it('routes an AWS::Lambda::Url to its function, and ignores resource types it does not know', () => {
    const t = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'health.handler', Code: 'src/handlers' } },
        FnUrl: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
        Queue: { Type: 'AWS::SQS::Queue' },
      },
    };
    expect(deploymentOf(path.join(SAM_NOTES, 't.json'), t).routes).toEqual([{ method: 'ANY', path: '/{proxy+}', functionId: 'Fn', source: 'url', apiId: 'FnUrl', catchAll: true }]);
  });
});
