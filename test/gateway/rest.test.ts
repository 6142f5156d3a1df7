import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fromRestResult, toRestEvent } from '../../src/gateway/rest';
import { matchesBinaryMediaType } from '../../src/gateway/wire';
import type { HttpRequest, InvokeOutcome } from '../../src/gateway/types';

const EVENTS = path.resolve(__dirname, '../fixtures/aws-events');
const sample = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(EVENTS, name), 'utf8'));
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The request hotsock/voker sent to a real REST API (apigw-rest__apigwv1-request.json). */
const vokerRequest: HttpRequest = {
  method: 'POST',
  path: '/capture/space%20value',
  route: '/{proxy+}',
  rawQuery: 'empty=&encodedPlus=a%2Bb&literalPlus=a+b&redirect=https%3A%2F%2Fexample.com%2Fa%2Fb&repeat=one&repeat=two',
  headers: [
    ['User-Agent', 'curl/8.7.1'],
    ['accept', '*/*'],
    ['content-type', 'application/json'],
    ['cookie', 'session=abc123; theme=dark'],
    ['x-voker-probe', 'first'],
    ['x-voker-probe', 'second'],
    ['Content-Length', '15'],
    ['Connection', 'keep-alive'],
  ],
  body: Buffer.from('{"hello":"world"}'),
};

const returned = (value: unknown): InvokeOutcome => ({ kind: 'returned', payload: JSON.stringify(value) });
const get: HttpRequest = { method: 'GET', path: '/pets', route: '/pets', rawQuery: '', headers: [['Accept', 'application/json']] };

describe('REST event (payload 1.0)', () => {
  const real = sample('apigw-rest__apigwv1-request.json');
  const event = toRestEvent(vokerRequest, { stage: 'live' }) as unknown as Record<string, any>;

  it('has the twelve top-level keys of a real capture, with the same types', () => {
    const noAuth = sample('apigw-rest__no-auth.json');
    expect(Object.keys(event).sort()).toEqual(Object.keys(noAuth).sort());
    for (const key of ['resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'requestContext', 'isBase64Encoded']) {
      expect([key, typeOf(event[key])]).toEqual([key, typeOf(noAuth[key])]);
    }
  });

  it('has the requestContext and identity key sets of a real capture without auth, and no authorizer', () => {
    const noAuth = sample('apigw-rest__no-auth.json');
    expect(Object.keys(event.requestContext).sort()).toEqual(Object.keys(noAuth.requestContext).sort());
    expect(Object.keys(event.requestContext.identity).sort()).toEqual(Object.keys(noAuth.requestContext.identity).sort());
    for (const [k, v] of Object.entries(noAuth.requestContext.identity)) expect([k, typeOf(event.requestContext.identity[k])]).toEqual([k, typeOf(v)]);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('keeps the path encoded, prefixes the stage in requestContext.path, and strips the greedy variable', () => {
    expect(event.path).toBe(real.path);
    expect(event.resource).toBe(real.resource);
    expect(event.requestContext.path).toBe(real.requestContext.path);
    expect(event.requestContext.resourcePath).toBe('/{proxy+}');
    expect(event.pathParameters).toEqual(real.pathParameters);
  });

  it('decodes the query as AWS does: + is a space, %2B a plus, repeats keep the last value', () => {
    expect(event.queryStringParameters).toEqual(real.queryStringParameters);
    expect(event.multiValueQueryStringParameters).toEqual(real.multiValueQueryStringParameters);
  });

  it('keeps client header casing, last value of a repeat, drops Content-Length and Connection, adds gateway headers', () => {
    for (const name of ['accept', 'content-type', 'cookie', 'x-voker-probe', 'User-Agent', 'X-Forwarded-Port', 'X-Forwarded-Proto']) {
      expect([name, event.headers[name]]).toEqual([name, real.headers[name]]);
      expect([name, event.multiValueHeaders[name]]).toEqual([name, real.multiValueHeaders[name]]);
    }
    expect(Object.keys(event.headers).sort()).toEqual(Object.keys(real.headers).sort());
    expect(event.headers.Host).toBe('lc1a2b3c4d.execute-api.us-east-1.amazonaws.com');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('formats ids and times as AWS does', () => {
    const rc = event.requestContext;
    expect(rc.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(rc.requestTimeEpoch).toBe(Date.parse('2026-01-01T12:00:00Z'));
    expect(rc.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rc.extendedRequestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(rc.resourceId).toMatch(/^[0-9a-z]{6}$/);
    expect(rc.protocol).toBe('HTTP/1.1');
    expect(rc.domainPrefix).toBe(rc.apiId);
    expect(rc.identity.sourceIp).toBe('203.0.113.10');
    expect(rc.identity.userAgent).toBe('curl/8.7.1');
  });

  it('uses null for what a request lacks, as AWS does', () => {
    const bare = toRestEvent({ method: 'GET', path: '/', route: '/', rawQuery: '', headers: [] }) as unknown as Record<string, any>;
    expect(bare.queryStringParameters).toBeNull();
    expect(bare.multiValueQueryStringParameters).toBeNull();
    expect(bare.pathParameters).toBeNull();
    expect(bare.stageVariables).toBeNull();
    expect(bare.body).toBeNull();
    expect(bare.isBase64Encoded).toBe(false);
    expect(bare.requestContext.path).toBe('/prod/');
  });

  it('sends text bodies as text and binaryMediaTypes bodies as base64', () => {
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    const png = { ...vokerRequest, headers: [['Content-Type', 'image/png']] as Array<[string, string]>, body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };
    const binary = toRestEvent(png, { binaryMediaTypes: ['image/*'] }) as unknown as Record<string, any>;
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body, 'base64')).toEqual(png.body);
    expect((toRestEvent(png) as unknown as Record<string, any>).isBase64Encoded).toBe(false);
  });

  it('is deterministic: the same request gives the same event, another sequence another id', () => {
    expect(JSON.stringify(toRestEvent(vokerRequest))).toBe(JSON.stringify(toRestEvent(vokerRequest)));
    expect(toRestEvent(vokerRequest, { sequence: 1 }).requestContext.requestId).not.toBe(toRestEvent(vokerRequest).requestContext.requestId);
  });

  it('matches binaryMediaTypes exactly, by type/* and by */*', () => {
    expect(matchesBinaryMediaType('image/png', ['image/png'])).toBe(true);
    expect(matchesBinaryMediaType('image/png; q=1', ['image/*'])).toBe(true);
    expect(matchesBinaryMediaType('text/plain', ['*/*'])).toBe(true);
    expect(matchesBinaryMediaType('*/*', ['image/png'])).toBe(false);
    expect(matchesBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});

describe('REST result judged as API Gateway does (GATEWAYS.md §2.7)', () => {
  const judge = (value: unknown, request: HttpRequest = get, binaryMediaTypes?: string[]) =>
    fromRestResult(returned(value), request, binaryMediaTypes ? { binaryMediaTypes } : {});

  it.each([
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }, /body must be a string, got object/],
    ['an unknown top-level key (cookies)', { statusCode: 200, body: '', cookies: ['a=b'] }, /unknown key "cookies"/],
    ['a non-numeric statusCode', { statusCode: 'test' }, /statusCode must be an integer/],
    ['statusCode 0', { statusCode: 0 }, /statusCode must be an integer/],
    ['a bare string', 'justAString', /got string/],
    ['null', null, /got null/],
    ['multiValueHeaders whose value is not an array', { statusCode: 200, multiValueHeaders: { h: 'v' } }, /must be an array/],
    ['a header whose value is an object', { statusCode: 200, headers: { h: { x: 1 } } }, /header "h" must be a string/],
  ])('answers 502 for %s', (_name, value, reason) => {
    const verdict = judge(value);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.fault.kind).toBe('malformed_result');
    expect(verdict.fault.reason).toMatch(reason);
    expect(verdict.fault.response.statusCode).toBe(502);
    expect(verdict.fault.response.body.toString()).toBe('{"message": "Internal server error"}');
  });

  it('answers 502 for a function error, 504 for a timeout', () => {
    const threw = fromRestResult({ kind: 'threw', errorType: 'TypeError', errorMessage: 'boom' }, get);
    expect(threw.ok || [threw.fault.kind, threw.fault.response.statusCode, threw.fault.reason]).toEqual(['function_error', 502, 'the function raised TypeError: boom; API Gateway (REST) answers 502']);
    const timeout = fromRestResult({ kind: 'timeout', timeoutMs: 3000 }, get);
    expect(timeout.ok || [timeout.fault.kind, timeout.fault.response.statusCode, timeout.fault.response.body.toString()]).toEqual(['timeout', 504, '{"message": "Endpoint request timed out"}']);
  });

  it('treats a missing statusCode as 200 and a numeric string as its number', () => {
    const empty = judge({});
    expect(empty.ok && [empty.response.statusCode, empty.response.body.length]).toEqual([200, 0]);
    const numeric = judge({ statusCode: '201', body: '' });
    expect(numeric.ok && numeric.response.statusCode).toBe(201);
  });

  it('renders booleans and numbers in headers, accepts null headers, defaults Content-Type to application/json', () => {
    const v = judge({ statusCode: 200, headers: { 'X-Flag': true, 'X-Count': 3 }, multiValueHeaders: null, body: 'x' });
    expect(v.ok && v.response.headers).toEqual([['X-Flag', 'true'], ['X-Count', '3'], ['Content-Type', 'application/json']]);
    expect(judge({ statusCode: 200, headers: null }).ok).toBe(true);
  });

  it('merges multiValueHeaders first, then headers, once for an identical pair', () => {
    const v = judge({ statusCode: 200, headers: { 'combined-header': 'single-value', same: 'x' }, multiValueHeaders: { 'Combined-Header': ['multi-value1', 'multi-value2'], same: ['x'] }, body: '' });
    expect(v.ok && v.response.headers.filter(([k]) => k.toLowerCase() !== 'content-type')).toEqual([
      ['Combined-Header', 'multi-value1'], ['Combined-Header', 'multi-value2'], ['same', 'x'], ['combined-header', 'single-value'],
    ]);
  });

  it('remaps and drops the headers API Gateway owns', () => {
    const v = judge({ statusCode: 200, headers: { Authorization: 'a', Server: 'me', Via: 'x', 'Transfer-Encoding': 'chunked' }, body: '' });
    expect(v.ok && v.response.headers.map(([k]) => k)).toEqual(['X-Amzn-Remapped-Authorization', 'X-Amzn-Remapped-Server', 'Content-Type']);
  });

  it('decodes base64 only when the first Accept type is a binary media type', () => {
    const body = Buffer.from([1, 2, 3]).toString('base64');
    const png: HttpRequest = { ...get, headers: [['Accept', 'image/png, */*']] };
    const decoded = judge({ statusCode: 200, isBase64Encoded: true, body }, png, ['image/png']);
    expect(decoded.ok && [...decoded.response.body]).toEqual([1, 2, 3]);
    const verbatim = judge({ statusCode: 200, isBase64Encoded: true, body }, { ...get, headers: [['Accept', '*/*']] }, ['image/png']);
    expect(verbatim.ok && verbatim.response.body.toString()).toBe(body);
    const broken = judge({ statusCode: 200, isBase64Encoded: true, body: 'not base64!' }, png, ['image/png']);
    expect(broken.ok || [broken.fault.kind, broken.fault.response.statusCode]).toEqual(['undecodable_body', 500]);
  });

  it('rejects a payload over Lambda\'s 6 MB limit', () => {
    const v = fromRestResult({ kind: 'returned', payload: JSON.stringify({ statusCode: 200, body: 'x'.repeat(6 * 1024 * 1024) }) }, get);
    expect(v.ok || v.fault.kind).toBe('payload_too_large');
  });
});
