/**
 * Fidelity against code no one on this team wrote: the events we build go through the adapters users
 * deploy (@codegenie/serverless-express and serverless-http, each with an Express app), are parsed by
 * AWS Powertools' zod schemas, and type-check against @types/aws-lambda.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configure as serverlessExpress } from '@codegenie/serverless-express';
import {
  APIGatewayRequestAuthorizerEventSchema,
  APIGatewayRequestAuthorizerEventV2Schema,
  APIGatewayTokenAuthorizerEventSchema,
} from '@aws-lambda-powertools/parser/schemas';
import express from 'express';
import serverless from 'serverless-http';
import type { Context } from 'aws-lambda';
import { EVENT_SCHEMAS } from './powertools';
import { sourceFor, SOURCE_NAMES } from '../../src/gateway';
import type { AuthorizerContext, GatewayOptions, HttpRequest, SourceName } from '../../src/gateway/types';
import { serializeResult } from '../../src/invoke/invoke';
import { authorizerEvent } from '../../src/gateway/authorizer';
import { loadContract } from '../../src/contract';

interface Echo {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: string | null;
}

const app = express();
app.use(express.raw({ type: () => true }));
app.use((req, res) => {
  const echo: Echo = { method: req.method, path: req.path, query: req.query as Record<string, unknown>, headers: req.headers as Record<string, string>, body: Buffer.isBuffer(req.body) ? req.body.toString('base64') : null };
  res.json(echo);
});

const context = { functionName: 'lambda-contract', awsRequestId: 'r', getRemainingTimeInMillis: () => 3000 } as unknown as Context;
type Handler = (event: unknown, ctx: Context) => Promise<unknown>;
const ADAPTERS: Array<[string, Handler]> = [
  ['serverless-http', serverless(app) as unknown as Handler],
  ['@codegenie/serverless-express', serverlessExpress({ app }) as unknown as Handler],
];

const json: HttpRequest = {
  method: 'POST',
  path: '/pets/a%20b',
  route: '/pets/{id}',
  rawQuery: 'tag=x&tag=y&q=hello%20world',
  headers: [['X-Custom', 'v'], ['Cookie', 'a=1; b=2'], ['Content-Type', 'application/json'], ['Accept', 'application/json']],
  body: Buffer.from('{"name":"Rex","emoji":"🐕"}'),
};
const binary: HttpRequest = {
  method: 'PUT',
  path: '/pets/7/photo',
  route: '/pets/{id}/photo',
  rawQuery: '',
  headers: [['Content-Type', 'image/png']],
  body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]),
};

async function through(adapter: Handler, request: HttpRequest, source: SourceName, gateway: GatewayOptions = {}): Promise<Echo> {
  const gw = sourceFor(source);
  const result = await adapter(gw.toEvent(request, gateway), context);
  const verdict = gw.fromResult(serializeResult(result), request, gateway);
  if (!verdict.ok) throw new Error(`${source}: the gateway refused the adapter's answer: ${verdict.fault.reason}`);
  expect(verdict.response.statusCode).toBe(200);
  return JSON.parse(verdict.response.body.toString('utf8')) as Echo;
}

describe.each(ADAPTERS)('%s receives every source’s events intact', (_name, adapter) => {
  it.each(SOURCE_NAMES)('%s: method, path, query, headers, cookies and a JSON body', async (source) => {
    const echo = await through(adapter, json, source, source === 'rest' ? { binaryMediaTypes: ['image/png'] } : {});
    expect(echo.method).toBe('POST');
    expect(decodeURIComponent(echo.path)).toBe('/pets/a b');
    // ALB in single-value mode keeps the last value of a repeated key, as AWS does.
    expect(echo.query).toEqual({ tag: source === 'alb' ? 'y' : ['x', 'y'], q: 'hello world' });
    expect(echo.headers['x-custom']).toBe('v');
    expect(echo.headers.cookie).toBe('a=1; b=2');
    expect(echo.headers['content-type']).toBe('application/json');
    expect(Buffer.from(echo.body ?? '', 'base64').toString('utf8')).toBe('{"name":"Rex","emoji":"🐕"}');
  });

  it.each(SOURCE_NAMES)('%s: binary bytes survive the base64 leg', async (source) => {
    const echo = await through(adapter, binary, source, source === 'rest' ? { binaryMediaTypes: ['image/png'] } : {});
    expect(echo.method).toBe('PUT');
    expect([...Buffer.from(echo.body ?? '', 'base64')]).toEqual([...(binary.body ?? [])]);
  });
});

const SCHEMAS = EVENT_SCHEMAS;

const AUTHORIZERS: Record<SourceName, Array<AuthorizerContext | undefined>> = {
  rest: [undefined, { type: 'jwt', claims: { sub: 'u', exp: 1718722804 } }, { type: 'lambda', principalId: 'p', context: { a: 1 } }, { type: 'iam' }],
  'http-v1': [undefined, { type: 'jwt', claims: { sub: 'u' } }, { type: 'lambda', context: { a: 1 } }],
  http: [undefined, { type: 'jwt', claims: { sub: 'u', scope: 'a b' } }, { type: 'lambda', context: { a: 1 } }, { type: 'iam' }],
  url: [undefined, { type: 'iam' }],
  alb: [undefined, { type: 'jwt', claims: { sub: 'u' } }],
  'alb-multi': [undefined],
};

function parses(schema: (typeof SCHEMAS)[SourceName], event: unknown, label: string): void {
  const r = schema.safeParse(event);
  if (!r.success) throw new Error(`${label}: Powertools rejects the event: ${String(r.error)}`);
}

describe('AWS Powertools parser schemas accept our events', () => {
  it.each(SOURCE_NAMES)('%s: every request of the bundled contracts, with and without authorizers', async (source) => {
    const requests: HttpRequest[] = [json, binary, { method: 'GET', path: '/', rawQuery: '', headers: [] }];
    for (const spec of ['specs/petstore/openapi.yaml', 'test/fixtures/specs/petstore-3.1.yaml', 'test/fixtures/specs/swagger-2.0.json']) {
      const contract = await loadContract(path.resolve(__dirname, '../..', spec));
      for (const op of contract.operations) for (const c of contract.requests(op.id)) requests.push(c.request);
    }
    for (const request of requests) {
      for (const authorizer of AUTHORIZERS[source]) {
        parses(SCHEMAS[source], sourceFor(source).toEvent(request, authorizer ? { authorizer } : {}), `${request.method} ${request.path} ${authorizer?.type ?? ''}`);
      }
    }
  });

  it('the authorizer events: REST TOKEN and REQUEST, HTTP API REQUEST 2.0', () => {
    parses(APIGatewayTokenAuthorizerEventSchema, authorizerEvent({ type: 'TOKEN' }, json, 'rest', {}, ['Bearer x']), 'TOKEN');
    parses(APIGatewayRequestAuthorizerEventSchema, authorizerEvent({ type: 'REQUEST' }, json, 'rest', {}, ['Bearer x']), 'REQUEST');
    parses(APIGatewayRequestAuthorizerEventV2Schema, authorizerEvent({}, json, 'http', {}, ['Bearer x']), 'REQUEST 2.0');
  });
});

describe('@types/aws-lambda', () => {
  it('types every generated event (checked by tsc on the JSON as a literal, not on our declarations)', () => {
    // DT requires identity.apiKey/apiKeyId/clientCert and requestContext.authorizer, which real REST captures
    // without API keys, mTLS or authorizers do not carry (apigw-rest__no-auth.json, __event.json): that one
    // relaxation is ours, everything else is DT's. Values are assigned through a variable, so extra keys
    // AWS sends and DT omits (deploymentId) are allowed, as for any structural assignment.
    const types: Record<SourceName, string> = {
      rest: 'RestEvent',
      'http-v1': 'RestEvent',
      http: 'APIGatewayProxyEventV2',
      url: 'LambdaFunctionURLEvent',
      alb: 'ALBEvent',
      'alb-multi': 'ALBEvent',
    };
    const lines = [`import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent, ALBEvent, APIGatewayTokenAuthorizerEvent, APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';`];
    lines.push(`type Identity = Omit<APIGatewayProxyEvent['requestContext']['identity'], 'apiKey' | 'apiKeyId' | 'clientCert'>;`);
    lines.push(`type RestEvent = Omit<APIGatewayProxyEvent, 'requestContext'> & { requestContext: Omit<APIGatewayProxyEvent['requestContext'], 'identity' | 'authorizer'> & { identity: Identity; authorizer?: APIGatewayProxyEvent['requestContext']['authorizer'] } };`);
    lines.push(`type RequestAuthorizerEvent = Omit<APIGatewayRequestAuthorizerEvent, 'requestContext'> & { requestContext: Omit<APIGatewayRequestAuthorizerEvent['requestContext'], 'identity' | 'authorizer'> & { identity: Identity } };`);
    let n = 0;
    for (const source of SOURCE_NAMES) {
      for (const request of [json, binary]) {
        lines.push(`const v${n} = ${JSON.stringify(sourceFor(source).toEvent(request))};`, `export const e${n}: ${types[source]} = v${n++};`);
      }
    }
    // The `type` discriminants are literal types in DT; a JSON literal widens them to string.
    const literal = (event: unknown): string => JSON.stringify(event).replace(/^\{"(version":"[12]\.0","type|type)":"(TOKEN|REQUEST)"/, '{"$1":"$2" as const');
    lines.push(`const t0 = ${literal(authorizerEvent({ type: 'TOKEN' }, json, 'rest', {}, ['x']))};`, 'export const t: APIGatewayTokenAuthorizerEvent = t0;');
    lines.push(`const r0 = ${literal(authorizerEvent({ type: 'REQUEST' }, json, 'rest', {}, ['x']))};`, 'export const r: RequestAuthorizerEvent = r0;');
    lines.push(`const r1 = ${literal(authorizerEvent({}, json, 'http', {}, ['x']))};`, 'export const r2: APIGatewayRequestAuthorizerEventV2 = r1;');
    const root = path.resolve(__dirname, '../..');
    // Inside the project so that `aws-lambda` resolves to the installed @types/aws-lambda.
    mkdirSync(path.join(root, 'node_modules/.cache'), { recursive: true });
    const dir = mkdtempSync(path.join(root, 'node_modules/.cache/lc-types-'));
    try {
      writeFileSync(path.join(dir, 'events.ts'), lines.join('\n'));
      const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
      const args = [tsc, '--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(root, 'node_modules/@types'), path.join(dir, 'events.ts')];
      try {
        execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        throw new Error(`tsc rejects the events:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
