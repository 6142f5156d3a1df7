/**
 * The Serverless Framework: `serverless.yml` variables resolved as the framework resolves them, the
 * provider's settings under each function's own, routes from `http`, `httpApi`, `alb` and `url`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIn as cli } from '../cli/in-process';
import { copier } from './copy';
import { serverlessDeployment, loadServerless } from '../../src/deploy/serverless';
import { isContractError } from '../../src/errors';

const EXAMPLE = path.resolve(__dirname, '../../specs/serverless-orders');


describe('serverless.yml', () => {
  it('resolves ${self:…}, ${opt:…} with its fallback, ${sls:stage} and ${env:…}; provider settings under the function’s own', () => {
    process.env.ORDERS_LOG_LEVEL = 'debug';
    try {
      const dev = loadServerless(path.join(EXAMPLE, 'serverless.yml'));
      const get = dev.functions.find((f) => f.id === 'getOrder');
      expect(get).toMatchObject({ timeout: 3, memorySize: 256, runtime: 'nodejs20.x', file: path.join(EXAMPLE, 'src/orders.mjs'), handler: `${path.join(EXAMPLE, 'src/orders.mjs')}#get` });
      expect(get?.environment).toEqual({ TABLE: 'orders-dev-orders', LOG_LEVEL: 'debug' });
      expect(dev.functions.find((f) => f.id === 'listOrders')?.timeout).toBe(6);
      const prod = loadServerless(path.join(EXAMPLE, 'serverless.yml'), { parameterOverrides: { stage: 'prod' } });
      expect(prod.functions[0]?.environment.TABLE).toBe('orders-prod-orders');
    } finally {
      delete process.env.ORDERS_LOG_LEVEL;
    }
    expect(loadServerless(path.join(EXAMPLE, 'serverless.yml')).functions[0]?.environment.LOG_LEVEL).toBe('info');
  });

  it('reads the DynamoDB tables its resources define, their names resolved as the framework resolves them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-sls-tables-'));
    try {
      writeFileSync(path.join(dir, 'app.js'), 'exports.handler = async () => ({ statusCode: 200 });');
      writeFileSync(path.join(dir, 'serverless.yml'), [
        'service: todos', 'provider:', '  name: aws', '  runtime: nodejs12.x', '  environment:', '    DYNAMODB_TABLE: ${self:service}-${sls:stage}',
        'functions:', '  get:', '    handler: app.handler', '    events:', '      - httpApi:', '          path: /todos/{id}', '          method: get',
        'resources:', '  Resources:', '    TodosDynamoDbTable:', "      Type: 'AWS::DynamoDB::Table'", '      Properties:',
        '        AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]', '        KeySchema: [{ AttributeName: id, KeyType: HASH }]',
        '        BillingMode: PAY_PER_REQUEST', '        TableName: ${self:provider.environment.DYNAMODB_TABLE}',
      ].join('\n'));
      const d = loadServerless(path.join(dir, 'serverless.yml'));
      expect(d.tables).toEqual([{ id: 'TodosDynamoDbTable', name: 'todos-dev', keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }]);
      expect(d.functions[0]?.environment.DYNAMODB_TABLE).toBe('todos-dev');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('routes http events to REST (string and object forms), httpApi by the provider’s payload, alb and url', () => {
    const d = serverlessDeployment(path.join(EXAMPLE, 'serverless.yml'), {
      provider: { runtime: 'nodejs22.x', httpApi: { payload: '1.0' } },
      functions: {
        a: { handler: 'src/orders.list', events: [{ http: 'GET orders' }, { httpApi: '*' }], url: true },
        b: { handler: 'src/create.handler', events: [{ alb: { priority: 1, multiValueHeaders: true, conditions: { path: '/orders/*', method: ['POST', 'put'] } } }] },
        py: { handler: 'app.main', runtime: 'python3.12' },
      },
    });
    expect(d.routes).toEqual([
      { method: 'GET', path: '/orders', functionId: 'a', source: 'rest', apiId: 'ApiGatewayRestApi' },
      { method: 'ANY', path: '/{proxy+}', functionId: 'a', source: 'http-v1', apiId: 'HttpApi', catchAll: true },
      { method: 'ANY', path: '/{proxy+}', functionId: 'a', source: 'url', apiId: 'aLambdaFunctionUrl', catchAll: true },
      { method: 'POST', path: '/orders/{proxy+}', functionId: 'b', source: 'alb-multi', apiId: 'bAlbTargetGroup' },
      { method: 'PUT', path: '/orders/{proxy+}', functionId: 'b', source: 'alb-multi', apiId: 'bAlbTargetGroup' },
    ]);
    expect(d.warnings).toEqual(['function py runs python3.12, not Node.js: skipped (lambda-contract runs Node.js code from local files)']);
  });

  it('names a variable it cannot resolve, and where it stands', () => {
    const file = path.join(EXAMPLE, 'serverless.yml');
    let error: unknown;
    try {
      loadServerlessText(file, 'service: s\nprovider:\n  environment:\n    KEY: ${ssm:/orders/key}\nfunctions: {}\n');
    } catch (e) {
      error = e;
    }
    expect(isContractError(error, 'ERR_CONTRACT_TEMPLATE')).toBe(true);
    expect((error as Error).message).toContain("provider.environment.KEY: the variable ${ssm:/orders/key} cannot be resolved here; give it a fallback (${ssm:/orders/key, 'value'})");
  });
});

describe('the Serverless example', () => {
  it('conforms with --spec, the service file found by itself', async () => {
    const r = await cli(EXAMPLE, 'check', '--spec', 'openapi.yaml', '--runs', '2');
    expect(r.code).toBe(0);
    for (const fn of ['listOrders', 'getOrder', 'createOrder']) expect(r.stdout).toContain(`[${fn}]`);
  });

  it('prints its routes', async () => {
    const r = await cli(EXAMPLE, 'routes', '--spec', 'openapi.yaml');
    expect(r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['METHOD', 'PATH', 'OPERATION', 'FUNCTION', 'HANDLER FILE', 'SOURCE'],
      ['GET', '/orders', 'listOrders', 'listOrders', 'src/orders.mjs', 'rest'],
      ['GET', '/orders/{orderId}', 'getOrder', 'getOrder', 'src/orders.mjs', 'rest'],
      ['POST', '/orders', 'createOrder', 'createOrder', 'src/create.mjs', 'http'],
    ]);
  });

  it('fails, naming the function, when the stage gives it an environment the contract refuses', async () => {
    const r = await cli(EXAMPLE, 'check', '--spec', 'openapi.yaml', '--runs', '0', '--parameter-overrides', 'stage=staging');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ getOrder .*\[getOrder\]/);
    expect(r.stdout).toContain('"orders-staging-orders"');
  });
});

describe('the Serverless example, broken', () => {
  const broken = copier(EXAMPLE);

  it('fails, naming the function, when one breaks its contract', async () => {
    const dir = broken({ 'src/create.mjs': (t) => t.replace('return json(201, order);', 'return json(201, { ...order, id: 2 });') });
    const r = await cli(dir, 'check', '--spec', 'openapi.yaml', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ createOrder .*\[createOrder\]/);
    expect(r.stdout).toContain(`function: createOrder (${path.join(dir, 'src/create.mjs')})`);
    expect(r.stdout).not.toMatch(/✗ (listOrders|getOrder) /);
  });

  it('fails, naming the function, when it outlives its timeout', async () => {
    const dir = broken({
      'serverless.yml': (t) => t.replace('    timeout: 3\n', '    timeout: 1\n'),
      'src/orders.mjs': (t) => t.replace('const order = orders().get(id);', "if (id === 'o-1') await new Promise((r) => setTimeout(r, 1500));\n  const order = orders().get(id);"),
    });
    const r = await cli(dir, 'check', '--spec', 'openapi.yaml', '--runs', '0', '--function', 'getOrder');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ getOrder .*→ 504 {2}\[getOrder\]/);
    expect(r.stdout).toContain('received: Task timed out after 1.00 seconds');
  });

  it('fails when a function is routed to a path the contract lacks, and when no function serves an operation', async () => {
    const dir = broken({
      'serverless.yml': (t) => t.replace('      - http: GET /orders\n', '      - http: GET /orders\n      - http: GET /orders/search\n').replace(/ {4}events:\n {6}- httpApi:\n(?: {10}.*\n)+/, ''),
    });
    const r = await cli(dir, 'check', '--spec', 'openapi.yaml', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[route_undocumented] the template routes GET /orders/search to listOrders, but the contract documents no such operation');
    expect(r.stdout).toMatch(/\[route_missing\] no function serves POST \/orders: the gateway answers 403/);
  });

  it('fails every operation of a callback handler on nodejs24.x, naming the function', async () => {
    const dir = broken({
      'serverless.yml': (t) => t.replace('  createOrder:\n    handler: src/create.handler\n', '  createOrder:\n    handler: src/create.handler\n    runtime: nodejs24.x\n'),
      'src/create.mjs': (t) => t.replace('export const handler = async (event) => {', 'export const handler = (event, _context, callback) => callback(null, json(201, { id: \'o-9\', item: \'x\' }));\nexport const unused = async (event) => {'),
    });
    const r = await cli(dir, 'check', '--spec', 'openapi.yaml', '--runs', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[runtime_unsupported_handler] createOrder runs on nodejs24.x, which no longer runs callback-style handlers');
  });
});

/** Loads service text the way loadServerless loads a file (written to a temporary folder). */
function loadServerlessText(file: string, text: string): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-sls-'));
  try {
    writeFileSync(path.join(dir, path.basename(file)), text);
    return loadServerless(path.join(dir, path.basename(file)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
