/**
 * The Serverless Framework: `serverless.yml` variables resolved as the framework resolves them, the
 * provider's settings under each function's own, routes from `http`, `httpApi`, `alb` and `url`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runIn as cli } from '../cli/in-process';
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
      { method: 'ANY', path: '/{proxy+}', functionId: 'a', source: 'http-v1', apiId: 'HttpApi' },
      { method: 'ANY', path: '/{proxy+}', functionId: 'a', source: 'url', apiId: 'aLambdaFunctionUrl' },
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
