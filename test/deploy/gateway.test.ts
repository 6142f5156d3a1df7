/**
 * The gateway as a template configures it (specs/bookshop-gateway/template.yaml and CloudFormation
 * resources as CDK synthesizes them): request validators with the template's models, API keys, SAM's
 * CORS mocks, gateway responses, HTTP API CORS and function URL invoke modes — applied to a contract
 * that says nothing about its gateway, so the template alone decides what passes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadContract, type Contract } from '../../src/contract';
import { deploymentOf, loadDeployment } from '../../src/deploy/cloudformation';
import { parseTemplate } from '../../src/deploy/template';
import { serverlessDeployment } from '../../src/deploy/serverless';
import { contractBehindDeployment, runDeployment } from '../../src/run/deployment';
import { planRun } from '../../src/run/plan';
import type { CaseResult, RunReport } from '../../src/run/run';
import { createDeploymentServer } from '../../src/server/server';
import { copier } from './copy';

const DIR = path.resolve(__dirname, '../../specs/bookshop-gateway');
const copy = copier(DIR);

/** The bookshop contract without a word about its gateway: no x-amazon-apigateway-* settings, no OPTIONS mock. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('x-amazon-apigateway') && k !== 'options').map(([k, v]) => [k, plain(v)]));
}

/** A copy of the example with `edits`, its plain contract beside the template; the run's report. */
async function check(edits: Parameters<typeof copy>[0] = {}, contractEdit: (doc: Record<string, unknown>) => void = () => undefined): Promise<{ report: RunReport; dir: string; contract: Contract }> {
  const dir = copy(edits);
  const doc = plain(load(readFileSync(path.join(dir, 'openapi.yaml'), 'utf8'))) as Record<string, unknown>;
  contractEdit(doc);
  writeFileSync(path.join(dir, 'plain.json'), JSON.stringify(doc));
  const contract = await loadContract(path.join(dir, 'plain.json'));
  const report = await runDeployment(contract, loadDeployment(path.join(dir, 'template.yaml')), { runs: 3 });
  return { report, dir, contract };
}
const failures = (report: RunReport): string[] => report.results.filter((r) => !r.ok).map((r) => `${r.operationId} ${r.case}: ${r.violations.map((v) => v.rule).join(', ')}`);
const named = (report: RunReport, operationId: string, prefix: string): CaseResult[] => report.results.filter((r) => r.operationId === operationId && r.case.startsWith(prefix));
const unchanged = (text: string): string => `${text}\n`;

describe('a SAM template that configures the REST API', () => {
  it('reads the validator (with the API model), the API key, the CORS mock and the gateway responses, each naming where it is written', () => {
    const d = loadDeployment(path.join(DIR, 'template.yaml'));
    const route = (method: string, p: string) => d.routes.find((r) => r.method === method && r.path === p);
    expect(route('POST', '/books')?.gateway).toMatchObject({
      apiKey: { header: 'x-api-key', setting: 'template.yaml#/Resources/BooksFunction/Properties/Events/CreateBook/Properties/Auth/ApiKeyRequired' },
      validator: { name: 'NewBook', body: true, parameters: false, setting: 'template.yaml#/Resources/BooksFunction/Properties/Events/CreateBook/Properties/RequestModel', model: { name: 'NewBook' } },
    });
    expect(route('GET', '/books/search')?.gateway?.validator).toMatchObject({ body: false, parameters: true, requiredParameters: [{ in: 'query', name: 'q' }] });
    // SAM's mock: the path's methods and OPTIONS when AllowMethods is not given; MaxAge quoted for the gateway.
    expect(route('GET', '/books')?.gateway?.preflight).toMatchObject({
      statusCode: 200, setting: 'template.yaml#/Resources/BooksApi/Properties/Cors',
      headers: expect.arrayContaining([['Access-Control-Allow-Origin', 'https://app.example.com'], ['Access-Control-Allow-Methods', 'GET,OPTIONS,POST'], ['Access-Control-Max-Age', '600']]),
    });
    expect(route('GET', '/books/search')?.gateway?.preflight?.headers).toContainEqual(['Access-Control-Allow-Methods', 'GET,OPTIONS']);
    const api = d.apis.find((a) => a.id === 'BooksApi');
    expect(Object.keys(api?.gatewayResponses ?? {})).toEqual(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS', 'INVALID_API_KEY', 'DEFAULT_4XX', 'DEFAULT_5XX']);
    expect(api?.gatewayResponses?.BAD_REQUEST_BODY).toMatchObject({ statusCode: 400, responseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" }, setting: 'template.yaml#/Resources/BooksApi/Properties/GatewayResponses/BAD_REQUEST_BODY' });
  });

  it('passes the handler that leaves validation to the gateway: the template answers broken bodies, keyless requests and preflights', async () => {
    const { report } = await check();
    expect(failures(report)).toEqual([]);
    const bodies = named(report, 'createBook', 'negative: body property');
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) {
      expect(r.event).toBeNull();
      expect(r.answeredBy).toMatchObject({ rule: 'request_validator', setting: 'template.yaml#/Resources/BooksFunction/Properties/Events/CreateBook/Properties/RequestModel', shapedBy: 'template.yaml#/Resources/BooksApi/Properties/GatewayResponses/BAD_REQUEST_BODY' });
    }
    // Valid requests carry the key the template requires; the contract's own "no credentials" case gets the gateway's 403.
    expect(named(report, 'createBook', 'schema')[0]?.status).toBe(201);
    expect(named(report, 'createBook', 'auth: no credentials')[0]).toMatchObject({ status: 403, answeredBy: { rule: 'api_key' } });
    expect(named(report, 'searchBooks', 'negative: query parameter "q" is missing')[0]).toMatchObject({ status: 400, answeredBy: { rule: 'request_validator', shapedBy: 'template.yaml#/Resources/BooksApi/Properties/GatewayResponses/BAD_REQUEST_PARAMETERS' } });
    for (const op of ['listBooks', 'createBook', 'searchBooks']) {
      expect(named(report, op, 'CORS preflight')[0]).toMatchObject({ ok: true, status: 200, event: null, answeredBy: { rule: 'cors_preflight', setting: 'template.yaml#/Resources/BooksApi/Properties/Cors' } });
    }
  });

  it("conforms with the document's own gateway settings too: its OPTIONS operation is the template's CORS mock, no function's route", async () => {
    const contract = await loadContract(path.join(DIR, 'openapi.yaml'));
    const report = await runDeployment(contract, loadDeployment(path.join(DIR, 'template.yaml')), { runs: 0 });
    expect(failures(report)).toEqual([]);
    const options = report.results.filter((r) => r.operationId === 'booksPreflight');
    expect(options.length).toBeGreaterThan(0);
    for (const r of options) expect(r).toMatchObject({ ok: true, status: 200, event: null, answeredBy: { rule: 'mock_integration', setting: 'template.yaml#/Resources/BooksApi/Properties/Cors' } });
  });

  it('sends valid requests an API key the template requires but the contract does not document', async () => {
    const { report } = await check({}, (doc) => {
      const post = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/books']?.post;
      if (post) delete post.security;
    });
    expect(failures(report)).toEqual([]);
    const valid = named(report, 'createBook', 'schema')[0];
    expect(valid?.status).toBe(201);
    expect(valid?.request.headers).toContainEqual(['x-api-key', 'lambda-contract-api-key']);
  });

  it('fails the same handler with request_not_rejected when the template validates parameters only', async () => {
    const { report } = await check({ 'template.yaml': (t) => t.replace('              ValidateBody: true', '              ValidateParameters: true') });
    const bodies = named(report, 'createBook', 'negative: body property');
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) {
      expect(r.ok).toBe(false);
      expect(r.violations.map((v) => v.rule)).toContain('request_not_rejected');
      expect(r.answeredBy).toBeUndefined(); // the body reached the function
    }
  });

  it('checks bodies against the template model, not the contract: a model without the title limit lets long titles through', async () => {
    const { report } = await check({ 'template.yaml': (t) => t.replace('            title: { type: string, minLength: 1, maxLength: 200 }', '            title: { type: string, minLength: 1 }') });
    const long = named(report, 'createBook', 'negative: body property "title" is longer than 200');
    expect(long).toHaveLength(1);
    expect(long[0]?.violations.map((v) => v.rule)).toContain('request_not_rejected');
    expect(named(report, 'createBook', 'negative: body property "title" is missing')[0]?.answeredBy?.rule).toBe('request_validator');
  });

  it("reports the gateway's default error bodies against the documented problem format when the template's gateway responses are gone", async () => {
    const { report } = await check({ 'template.yaml': (t) => t.replace(/ {6}GatewayResponses:\n(?: {8}.*\n)+/, '') });
    const bodies = named(report, 'createBook', 'negative: body property');
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) {
      expect(r.ok).toBe(false);
      expect(r.answeredBy?.shapedBy).toBeUndefined();
      expect(r.violations[0]?.message).toMatch(/^the gateway's own answer \(request validator, its default response\): /);
    }
  });

  it("refuses browsers' preflights when the API's key requirement covers the OPTIONS mock, as SAM does unless told not to", async () => {
    const required = (t: string) => t.replace('      Cors:\n', '      Auth:\n        ApiKeyRequired: true\n      Cors:\n');
    const { report } = await check({ 'template.yaml': required });
    const preflights = report.results.filter((r) => r.case === 'CORS preflight');
    expect(preflights).toHaveLength(3);
    for (const r of preflights) {
      expect(r.ok).toBe(false);
      expect(r.status).toBe(403);
      expect(r.violations[0]).toMatchObject({ rule: 'cors_preflight_refused', received: expect.stringContaining('requires an API key and a preflight carries none') });
    }
    const fixed = await check({ 'template.yaml': (t) => required(t).replace('        ApiKeyRequired: true\n', '        ApiKeyRequired: true\n        AddApiKeyRequiredToCorsPreflight: false\n') });
    expect(fixed.report.results.filter((r) => r.case === 'CORS preflight' && !r.ok)).toEqual([]);
    // The API-wide key now covers every method: valid requests carry it.
    expect(failures(fixed.report)).toEqual([]);
  });

  it('refuses a preflight whose request headers the CORS mock does not allow', async () => {
    const { report } = await check({ 'template.yaml': (t) => t.replace("AllowHeaders: \"'content-type,x-api-key'\"", "AllowHeaders: \"'content-type'\"") });
    const refused = named(report, 'createBook', 'CORS preflight')[0];
    expect(refused?.ok).toBe(false);
    expect(refused?.violations[0]).toMatchObject({ rule: 'cors_preflight_refused', received: expect.stringContaining('(header x-api-key is not in allowHeaders)') });
    expect(named(report, 'listBooks', 'CORS preflight')[0]?.ok).toBe(true);
  });

  it('serves the template: a preflight gets the mock without a function call; a keyless POST gets the shaped 403', async () => {
    const dir = copy({ 'openapi.yaml': unchanged });
    const doc = plain(load(readFileSync(path.join(dir, 'openapi.yaml'), 'utf8')));
    writeFileSync(path.join(dir, 'plain.json'), JSON.stringify(doc));
    const contract = await loadContract(path.join(dir, 'plain.json'));
    const server = createDeploymentServer(loadDeployment(path.join(dir, 'template.yaml')), { contract });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const preflight = await fetch(`${base}/books`, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' } });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS,POST');
      const keyless = await fetch(`${base}/books`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'T', isbn: '9780135957059' }) });
      expect(keyless.status).toBe(403);
      expect(keyless.headers.get('content-type')).toBe('application/problem+json');
      expect(await keyless.json()).toMatchObject({ type: 'https://bookshop.example.com/problems/api-key' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('a SAM template that configures the HTTP API', () => {
  const HTTP_TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    CorsConfiguration:
      AllowOrigins: [https://app.example.com]
      AllowMethods: [GET, POST]
      AllowHeaders: [content-type]
      ExposeHeaders: [location]
Resources:
  BooksFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handler.httpHandler
      Runtime: nodejs22.x
      Events:
        List: { Type: HttpApi, Properties: { Path: /books, Method: get } }
        Create: { Type: HttpApi, Properties: { Path: /books, Method: post } }
        Search: { Type: HttpApi, Properties: { Path: /books/search, Method: get } }
`;

  it("answers each route's preflight from the template's CORS; a method it does not allow is refused", async () => {
    const dir = copy({ 'openapi.yaml': unchanged });
    writeFileSync(path.join(dir, 'http-template.yaml'), HTTP_TEMPLATE);
    writeFileSync(path.join(dir, 'plain.json'), JSON.stringify(plain(load(readFileSync(path.join(dir, 'http-api.yaml'), 'utf8')))));
    const contract = await loadContract(path.join(dir, 'plain.json'));
    const report = await runDeployment(contract, loadDeployment(path.join(dir, 'http-template.yaml')), { runs: 0 });
    expect(failures(report)).toEqual([]);
    for (const op of ['listBooks', 'createBook', 'searchBooks']) {
      const preflight = named(report, op, 'CORS preflight')[0];
      expect(preflight).toMatchObject({ ok: true, status: 204, answeredBy: { rule: 'cors_preflight', setting: 'http-template.yaml#/Globals/HttpApi/CorsConfiguration' } });
    }
    // Narrowed to GET: the browser may not POST.
    writeFileSync(path.join(dir, 'http-template.yaml'), HTTP_TEMPLATE.replace('AllowMethods: [GET, POST]', 'AllowMethods: [GET]'));
    const narrowed = await runDeployment(contract, loadDeployment(path.join(dir, 'http-template.yaml')), { runs: 0 });
    expect(failures(narrowed)).toEqual(['createBook CORS preflight: cors_preflight_refused']);
    // The suite's plan (contractSuite in template mode) has the same cases: the document names no
    // gateway, and its operations are planned behind the HTTP API the template routes them to.
    const planned = planRun(contractBehindDeployment(contract, loadDeployment(path.join(dir, 'http-template.yaml'))), { runs: 0, defaultRuns: 0 }).operations;
    expect(planned.filter((op) => op.cases.includes('CORS preflight')).map((op) => op.id).sort()).toEqual(['createBook', 'listBooks', 'searchBooks']);
  });
});

describe("a function URL's invoke mode", () => {
  const STREAMING = path.resolve(__dirname, '../../specs/streaming-export');
  const streaming = copier(STREAMING);

  it('judges the streaming handler behind its RESPONSE_STREAM URL, and warns when the template buffers it', async () => {
    const contract = await loadContract(path.join(STREAMING, 'openapi.yaml'));
    const report = await runDeployment(contract, loadDeployment(path.join(STREAMING, 'template.yaml')), { runs: 0 });
    expect(failures(report)).toEqual([]);
    expect(report.results[0]).toMatchObject({ source: 'url', function: { id: 'ExportFunction' } });
    expect(report.warnings.filter((w) => /InvokeMode/.test(w))).toEqual([]);
    const dir = streaming({ 'template.yaml': (t) => t.replace('InvokeMode: RESPONSE_STREAM', 'InvokeMode: BUFFERED') });
    const buffered = await runDeployment(contract, loadDeployment(path.join(dir, 'template.yaml')), { runs: 0 });
    expect(buffered.warnings).toContain("function ExportFunction streams its response (awslambda.streamifyResponse) but its function URL's InvokeMode is BUFFERED: Lambda buffers the stream and the 6 MB limit applies");
  });
});

describe('a Serverless Framework service that configures its gateways', () => {
  const ORDERS = path.resolve(__dirname, '../../specs/serverless-orders');
  const orders = copier(ORDERS);
  const service = (functions: Record<string, unknown>, provider: Record<string, unknown> = {}) =>
    serverlessDeployment(path.join(ORDERS, 'serverless.yml'), { provider: { runtime: 'nodejs22.x', ...provider }, functions });

  it('reads private (API key), request.schemas with required parameters, cors mocks, httpApi cors and url invokeMode', () => {
    const d = service({
      a: {
        handler: 'src/orders.list',
        events: [
          { http: { path: 'orders', method: 'get', cors: true } },
          { http: { path: 'orders', method: 'post', private: true, cors: { origin: 'https://app.example.com', headers: ['Content-Type'], maxAge: 86400 },
            request: { schemas: { 'application/json': { name: 'NewOrder', schema: { type: 'object', required: ['item'] } } }, parameters: { querystrings: { dry: true, page: false }, headers: { 'X-Tenant': { required: true } } } } } },
          { httpApi: 'GET /things' },
        ],
        url: { invokeMode: 'RESPONSE_STREAM' },
      },
    }, { httpApi: { cors: true } });
    const post = d.routes.find((r) => r.method === 'POST');
    expect(post?.gateway?.apiKey).toEqual({ header: 'x-api-key', setting: 'serverless.yml#/functions/a/events/1/http/private' });
    expect(post?.gateway?.validator).toEqual({
      name: 'NewOrder', body: true, parameters: true, setting: 'serverless.yml#/functions/a/events/1/http/request/schemas',
      requiredParameters: [{ in: 'query', name: 'dry' }, { in: 'header', name: 'X-Tenant' }], model: { name: 'NewOrder', schema: { type: 'object', required: ['item'] } },
    });
    // One mock per path: the first event's cors, the path's methods.
    const preflight = d.routes.find((r) => r.method === 'GET' && r.path === '/orders')?.gateway?.preflight;
    expect(preflight?.headers).toEqual(expect.arrayContaining([['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'OPTIONS,GET,POST'], ['Access-Control-Allow-Headers', expect.stringContaining('X-Api-Key')]]));
    expect(post?.gateway?.preflight).toEqual(preflight);
    expect(d.apis.find((a) => a.id === 'HttpApi')?.cors).toMatchObject({ allowOrigins: ['*'], allowMethods: ['OPTIONS', 'GET'], setting: 'serverless.yml#/provider/httpApi/cors' });
    expect(d.routes.find((r) => r.source === 'url')?.invokeMode).toBe('RESPONSE_STREAM');
  });

  it('judges the example behind a private, validated REST route: valid orders carry a key, bad bodies are the gateway\'s', async () => {
    const dir = orders({
      'serverless.yml': (t) => t.replace("      - httpApi:\n          path: /orders\n          method: post", [
        '      - http:',
        '          path: orders',
        '          method: post',
        '          private: true',
        '          request:',
        '            schemas:',
        '              application/json:',
        '                type: object',
        '                required: [item]',
        '                additionalProperties: false',
        '                properties:',
        '                  item: { type: string, minLength: 1, maxLength: 50 }',
      ].join('\n')),
    });
    const contract = await loadContract(path.join(dir, 'openapi.yaml'));
    const report = await runDeployment(contract, loadDeployment(path.join(dir, 'serverless.yml')), { runs: 0, operations: ['createOrder'] });
    expect(failures(report)).toEqual([]);
    expect(named(report, 'createOrder', 'schema')[0]?.request.headers).toContainEqual(['x-api-key', 'lambda-contract-api-key']);
    const bodies = named(report, 'createOrder', 'negative: body property');
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) expect(r.answeredBy).toMatchObject({ rule: 'request_validator', setting: 'serverless.yml#/functions/createOrder/events/0/http/request/schemas' });
  });
});

describe('CloudFormation resources as CDK synthesizes them', () => {
  const template = (body: string) => deploymentOf(path.join(DIR, 'cfn.yaml'), parseTemplate(body, 'cfn.yaml'));
  const CFN = `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Handler: handler.handler, Runtime: nodejs22.x, Code: . }
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: books }
  Books:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: books }
  BookModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      ContentType: application/json
      Schema: '{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["title"]}'
  BodyValidator:
    Type: AWS::ApiGateway::RequestValidator
    Properties: { RestApiId: !Ref Api, ValidateRequestBody: true, ValidateRequestParameters: true }
  PostBooks:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Books
      HttpMethod: POST
      ApiKeyRequired: true
      RequestValidatorId: !Ref BodyValidator
      RequestParameters: { method.request.header.X-Tenant: true, method.request.querystring.dry: false }
      RequestModels: { application/json: !Ref BookModel }
      Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
  OptionsBooks:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Books
      HttpMethod: OPTIONS
      AuthorizationType: NONE
      Integration:
        Type: MOCK
        RequestTemplates: { application/json: '{ statusCode: 200 }' }
        IntegrationResponses:
          - StatusCode: '204'
            ResponseParameters:
              method.response.header.Access-Control-Allow-Headers: "'Content-Type,X-Api-Key,X-Tenant'"
              method.response.header.Access-Control-Allow-Origin: "'*'"
              method.response.header.Access-Control-Allow-Methods: "'OPTIONS,POST'"
  Denied:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref Api
      ResponseType: ACCESS_DENIED
      StatusCode: '403'
      ResponseParameters: { gatewayresponse.header.Content-Type: "'application/problem+json'" }
      ResponseTemplates: { application/json: '{"title":$context.error.messageString}' }
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
      CorsConfiguration: { AllowOrigins: [https://app.example.com], AllowMethods: [GET], MaxAge: 300 }
  Url:
    Type: AWS::Lambda::Url
    Properties: { TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE, InvokeMode: RESPONSE_STREAM }
`;

  it("reads a method's API key, validator, required parameters and model; the OPTIONS mock; gateway responses; HTTP API CORS; the URL's invoke mode", () => {
    const d = template(CFN);
    const post = d.routes.find((r) => r.method === 'POST' && r.path === '/books');
    expect(post?.gateway?.apiKey).toEqual({ header: 'x-api-key', setting: 'cfn.yaml#/Resources/PostBooks/Properties/ApiKeyRequired' });
    expect(post?.gateway?.validator).toEqual({
      name: 'BodyValidator', body: true, parameters: true, setting: 'cfn.yaml#/Resources/PostBooks/Properties/RequestValidatorId',
      requiredParameters: [{ in: 'header', name: 'X-Tenant' }],
      model: { name: 'BookModel', schema: { type: 'object', required: ['title'] } },
    });
    expect(post?.gateway?.preflight).toMatchObject({ statusCode: 204, setting: 'cfn.yaml#/Resources/OptionsBooks/Properties/Integration', headers: expect.arrayContaining([['Access-Control-Allow-Origin', '*']]) });
    expect(d.routes.some((r) => r.method === 'OPTIONS')).toBe(false); // a mock is the gateway's, not a function's route
    expect(d.apis.find((a) => a.id === 'Api')?.gatewayResponses?.ACCESS_DENIED).toMatchObject({ statusCode: 403, setting: 'cfn.yaml#/Resources/Denied/Properties' });
    expect(d.apis.find((a) => a.id === 'HttpApi')?.cors).toEqual({ allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], maxAge: 300, setting: 'cfn.yaml#/Resources/HttpApi/Properties/CorsConfiguration' });
    expect(d.routes.find((r) => r.source === 'url')?.invokeMode).toBe('RESPONSE_STREAM');
  });

  it('leaves API keys to the authorizer when the REST API takes them from it (ApiKeySourceType: AUTHORIZER)', () => {
    const d = template(CFN.replace('Properties: { Name: books }', 'Properties: { Name: books, ApiKeySourceType: AUTHORIZER }'));
    expect(d.routes.find((r) => r.method === 'POST')?.gateway?.apiKey).toBeUndefined();
  });

  it("reads SAM HTTP APIs' CorsConfiguration: true for every origin, Globals for the implicit API", () => {
    const d = template(`
Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    CorsConfiguration: { AllowOrigins: ['https://*.example.com'], AllowHeaders: [content-type], AllowCredentials: true }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: handler.handler
      Runtime: nodejs22.x
      Events:
        Implicit: { Type: HttpApi, Properties: { Path: /books, Method: get } }
        Explicit: { Type: HttpApi, Properties: { ApiId: !Ref Open, Path: /open, Method: get } }
      FunctionUrlConfig: { AuthType: NONE, InvokeMode: BUFFERED }
  Open:
    Type: AWS::Serverless::HttpApi
    Properties: { CorsConfiguration: true }
`);
    expect(d.apis.find((a) => a.id === 'ServerlessHttpApi')?.cors).toEqual({ allowOrigins: ['https://*.example.com'], allowHeaders: ['content-type'], allowCredentials: true, setting: 'cfn.yaml#/Globals/HttpApi/CorsConfiguration' });
    expect(d.apis.find((a) => a.id === 'Open')?.cors).toEqual({ allowOrigins: ['*'], setting: 'cfn.yaml#/Resources/Open/Properties/CorsConfiguration' });
    expect(d.routes.find((r) => r.source === 'url')?.invokeMode).toBe('BUFFERED');
  });
});

describe('the stage a REST API is deployed to', () => {
  const apisOf = (body: string) => deploymentOf(path.join(DIR, 'stage.yaml'), parseTemplate(body, 'stage.yaml')).apis;
  const fn = (events: string) => `
  Fn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: handler.handler, Runtime: nodejs22.x, Events: { ${events} } }`;

  it("is SAM's StageName, `Prod` for the implicit API, and a CloudFormation Stage's (CDK: prod)", () => {
    expect(apisOf(`Transform: AWS::Serverless-2016-10-31\nResources:${fn('A: { Type: Api, Properties: { Path: /, Method: get } }')}`)).toEqual([{ id: 'ServerlessRestApi', kind: 'rest', stage: 'Prod' }]);
    expect(apisOf(`Transform: AWS::Serverless-2016-10-31\nParameters: { Env: { Type: String, Default: dev } }\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: !Ref Env }${fn('A: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /, Method: get } }')}`))
      .toEqual([{ id: 'Api', kind: 'rest', stage: 'dev' }]);
    // As the CDK synthesizes a RestApi: its deployment, and the stage (deployOptions' stageName, `prod`) apart.
    const cdk = `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Handler: handler.handler, Runtime: nodejs22.x, Code: . }
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: books }
  GetRoot:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
  ApiDeployment:
    Type: AWS::ApiGateway::Deployment
    Properties: { RestApiId: !Ref Api }
  ApiDeploymentStageprod:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref Api, DeploymentId: !Ref ApiDeployment, StageName: prod }
`;
    expect(apisOf(cdk)).toEqual([{ id: 'Api', kind: 'rest', stage: 'prod' }]);
  });

  it('is the stage the function sees in its event, and the one in requestContext.path', async () => {
    const contract = await loadContract({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/hello': { get: { operationId: 'hello', responses: { 200: { description: 'ok' } } } } } });
    const deployment = deploymentOf(path.join(DIR, 'stage.yaml'), parseTemplate(`Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties: { StageName: v1 }${fn('A: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /hello, Method: get } }')}`, 'stage.yaml'));
    const event = contractBehindDeployment(contract, deployment).eventFor('hello') as { requestContext: { stage: string; path: string } };
    expect([event.requestContext.stage, event.requestContext.path]).toEqual(['v1', '/v1/hello']);
  });
});
