/**
 * The configured gateway's own pieces: gateway responses rendered from their settings (templates with
 * `$context`, mapped headers, the DEFAULT_4XX / DEFAULT_5XX fallbacks), and an HTTP API's CORS rules.
 */
import { isPreflight, originAllowed, preflightAnswer, preflightRefusal, withCorsHeaders } from '../../src/gateway/cors';
import { jsonAnswer } from '../../src/gateway/pipeline';
import { answerMessage, faultResponseType, renderGatewayAnswer } from '../../src/gateway/responses';
import { rest } from '../../src/gateway/rest';
import { http } from '../../src/gateway/http';
import type { CorsConfiguration, GatewayOptions, HttpRequest, HttpResponse } from '../../src/gateway/types';

const request: HttpRequest = { method: 'POST', path: '/books', route: '/books', rawQuery: 'lang=en', headers: [['Accept', 'application/json'], ['Origin', 'https://app.example.com']] };
const badBody = jsonAnswer(400, '{"message":"Invalid request body"}', 'BadRequestException');
const header = (r: HttpResponse, name: string): string | undefined => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const render = (options: GatewayOptions, fallback = badBody, type: Parameters<typeof renderGatewayAnswer>[0] = 'BAD_REQUEST_BODY') =>
  renderGatewayAnswer(type, fallback, request, options, rest.toEvent(request, options).requestContext, { message: answerMessage(fallback), validationErrorString: '[/title must be string]' });

describe('gateway responses', () => {
  it('keep AWS\'s default answer when nothing is configured for the type or its family', () => {
    const r = render({ gatewayResponses: { UNAUTHORIZED: { statusCode: 401 } } });
    expect(r.response).toBe(badBody);
    expect(r.setting).toBeUndefined();
  });

  it('render the template with $context values the event carries, the error strings, and mapped headers', () => {
    const r = render({
      stage: 'v1',
      gatewayResponses: {
        BAD_REQUEST_BODY: {
          statusCode: 422,
          responseParameters: { 'gatewayresponse.header.X-Request-Id': 'context.requestId', 'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin', 'gatewayresponse.header.X-Lang': 'method.request.querystring.lang', 'gatewayresponse.header.X-Static': "'fixed'" },
          responseTemplates: { 'application/json': '{"error":$context.error.messageString,"why":"$context.error.validationErrorString","stage":"${context.stage}","id":"$context.requestId"}' },
          setting: '#/x-amazon-apigateway-gateway-responses/BAD_REQUEST_BODY',
        },
      },
    });
    const event = rest.toEvent(request, { stage: 'v1' });
    expect(r.response.statusCode).toBe(422);
    expect(JSON.parse(r.response.body.toString())).toEqual({ error: 'Invalid request body', why: '[/title must be string]', stage: 'v1', id: event.requestContext.requestId });
    expect(header(r.response, 'content-type')).toBe('application/json');
    expect(header(r.response, 'x-request-id')).toBe(event.requestContext.requestId);
    expect(header(r.response, 'access-control-allow-origin')).toBe('https://app.example.com');
    expect(header(r.response, 'x-lang')).toBe('en');
    expect(header(r.response, 'x-static')).toBe('fixed');
    expect([r.setting, r.appliedType, r.warnings]).toEqual(['#/x-amazon-apigateway-gateway-responses/BAD_REQUEST_BODY', 'BAD_REQUEST_BODY', []]);
  });

  it('fall back to DEFAULT_4XX / DEFAULT_5XX by the answer\'s status, keeping its status when none is set', () => {
    const options: GatewayOptions = { gatewayResponses: { DEFAULT_4XX: { responseTemplates: { 'application/problem+json': '{"title":$context.error.messageString}' } }, DEFAULT_5XX: { statusCode: 503 } } };
    const four = render(options);
    expect([four.response.statusCode, four.response.body.toString(), header(four.response, 'content-type'), four.appliedType]).toEqual([400, '{"title":"Invalid request body"}', 'application/problem+json', 'DEFAULT_4XX']);
    const five = render(options, jsonAnswer(502, '{"message": "Internal server error"}'), 'DEFAULT_5XX');
    expect([five.response.statusCode, five.response.body.toString()]).toEqual([503, '{"message": "Internal server error"}']);
  });

  it('leave VTL they do not evaluate as written and name it, once each', () => {
    const r = render({ gatewayResponses: { BAD_REQUEST_BODY: { responseTemplates: { 'application/json': '#set($x = 1){"m":"$util.escapeJavaScript($context.error.message)","n":"$context.nothing.here","s":"$stageVariables.env"}' } } } });
    expect(r.response.body.toString()).toBe('#set($x = 1){"m":"$util.escapeJavaScript(Invalid request body)","n":"","s":"$stageVariables.env"}');
    expect(r.warnings).toEqual([
      expect.stringContaining('$context.nothing.here (no such value for this request)'),
      expect.stringContaining('$stageVariables.env (no such stage variable)'),
      expect.stringContaining('#set'),
      expect.stringContaining('$util.escapeJavaScript'),
    ]);
    const withStage = render({ stageVariables: { env: 'test' }, gatewayResponses: { BAD_REQUEST_BODY: { responseTemplates: { 'application/json': '{"env":"$stageVariables.env"}' } } } });
    expect([withStage.response.body.toString(), withStage.warnings]).toEqual(['{"env":"test"}', []]);
  });

  it('shape the gateway\'s own faults: a failed function\'s 502 by DEFAULT_5XX, naming the setting in the reason', () => {
    expect([faultResponseType('malformed_result', 502), faultResponseType('timeout', 504), faultResponseType('unauthorized', 401), faultResponseType('unauthorized', 403), faultResponseType('authorizer_error', 500)])
      .toEqual(['DEFAULT_5XX', 'INTEGRATION_TIMEOUT', 'UNAUTHORIZED', 'ACCESS_DENIED', 'AUTHORIZER_FAILURE']);
    const options: GatewayOptions = { gatewayResponses: { DEFAULT_5XX: { responseTemplates: { 'application/json': '{"problem":$context.error.messageString}' }, setting: '#/x-amazon-apigateway-gateway-responses/DEFAULT_5XX' } } };
    const verdict = rest.fromResult({ kind: 'returned', payload: '{"statusCode":200,"body":{}}' }, request, options);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect([verdict.fault.response.statusCode, verdict.fault.response.body.toString(), verdict.fault.setting]).toEqual([502, '{"problem":"Internal server error"}', '#/x-amazon-apigateway-gateway-responses/DEFAULT_5XX']);
    expect(verdict.fault.reason).toContain('the answer is the gateway response DEFAULT_5XX at #/x-amazon-apigateway-gateway-responses/DEFAULT_5XX');
    // HTTP APIs have no gateway responses: the same settings change nothing there.
    const httpVerdict = http.fromResult({ kind: 'threw', errorType: 'Error', errorMessage: 'boom' }, request, options);
    expect(httpVerdict.ok ? undefined : httpVerdict.fault.response.body.toString()).toBe('{"message":"Internal Server Error"}');
  });
});

describe('HTTP API CORS', () => {
  const cors: CorsConfiguration = { allowOrigins: ['https://app.example.com', 'https://*.example.org'], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type', 'x-api-key'], exposeHeaders: ['location'], maxAge: 600 };
  const preflight = (origin: string, method = 'POST', headers?: string): HttpRequest => ({
    method: 'OPTIONS', path: '/books', rawQuery: '',
    headers: [['Origin', origin], ['Access-Control-Request-Method', method], ...(headers ? [['Access-Control-Request-Headers', headers] as [string, string]] : [])],
  });

  it('knows a preflight and the allowed origins, wildcard labels included', () => {
    expect(isPreflight(preflight('https://app.example.com'))).toBe(true);
    expect(isPreflight({ method: 'OPTIONS', path: '/books', rawQuery: '', headers: [['Origin', 'https://app.example.com']] })).toBe(false);
    expect([originAllowed(cors, 'https://app.example.com'), originAllowed(cors, 'https://shop.example.org'), originAllowed(cors, 'https://evil.example.com'), originAllowed(cors, 'https://a.b.example.org/x')]).toEqual([true, true, false, false]);
    expect(originAllowed({ allowOrigins: ['*'] }, 'https://anyone.test')).toBe(true);
  });

  it('answers an allowed preflight 204 with the allow headers, and a refused one 204 without any', () => {
    const ok = preflightAnswer(cors, preflight('https://app.example.com', 'POST', 'Content-Type,X-Api-Key'));
    expect(ok.statusCode).toBe(204);
    expect(ok.headers).toEqual([
      ['access-control-allow-origin', 'https://app.example.com'],
      ['access-control-allow-methods', 'GET,POST'],
      ['access-control-allow-headers', 'content-type,x-api-key'],
      ['access-control-max-age', '600'],
    ]);
    expect(preflightRefusal(cors, preflight('https://evil.example.com'))).toBe('origin https://evil.example.com is not in allowOrigins');
    expect(preflightRefusal(cors, preflight('https://app.example.com', 'DELETE'))).toBe('method DELETE is not in allowMethods');
    expect(preflightRefusal(cors, preflight('https://app.example.com', 'POST', 'authorization'))).toBe('header authorization is not in allowHeaders');
    expect(preflightAnswer(cors, preflight('https://evil.example.com')).headers).toEqual([]);
  });

  it('puts its own headers on responses to allowed origins and drops the function\'s', () => {
    const fromFunction: HttpResponse = { statusCode: 200, headers: [['Content-Type', 'application/json'], ['Access-Control-Allow-Origin', '*']], body: Buffer.from('[]') };
    const allowed = withCorsHeaders(cors, request, fromFunction);
    expect(allowed.headers).toEqual([['Content-Type', 'application/json'], ['access-control-allow-origin', 'https://app.example.com'], ['access-control-expose-headers', 'location']]);
    const other = withCorsHeaders(cors, { ...request, headers: [['Origin', 'https://evil.example.com']] }, fromFunction);
    expect(other.headers).toEqual([['Content-Type', 'application/json']]);
    // Through the HTTP API source, with the configuration as a gateway option.
    const verdict = http.fromResult({ kind: 'returned', payload: '{"statusCode":200,"body":"[]","headers":{"access-control-allow-origin":"*"}}' }, request, { cors });
    expect(verdict.ok && verdict.response.headers.filter(([n]) => n.startsWith('access-control'))).toEqual([['access-control-allow-origin', 'https://app.example.com'], ['access-control-expose-headers', 'location']]);
    // A REST API has no such configuration: the function's headers pass.
    const restVerdict = rest.fromResult({ kind: 'returned', payload: '{"statusCode":200,"body":"[]","headers":{"access-control-allow-origin":"*"}}' }, request, { cors });
    expect(restVerdict.ok && header(restVerdict.response, 'access-control-allow-origin')).toBe('*');
  });
});
