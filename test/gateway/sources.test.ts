import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sourceFor, SOURCE_NAMES } from '../../src/gateway';
import { toAlbEvent, toAlbMultiEvent } from '../../src/gateway/alb';
import type { GatewayVerdict, HttpRequest, InvokeOutcome } from '../../src/gateway/types';
import { fromHttpV1Result, toHttpV1Event } from '../../src/gateway/http-v1';
import { toRestEvent } from '../../src/gateway/rest';
import { fromHttpResult, toHttpEvent } from '../../src/gateway/http';
import { fromUrlResult, toUrlEvent } from '../../src/gateway/url';

const EVENTS = path.resolve(__dirname, '../fixtures/aws-events');
const sample = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(EVENTS, name), 'utf8'));
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The request hotsock/voker sent to an HTTP API, a function URL and an ALB (the `*-request.json` captures). */
const body = '{"message":"hello from the public internet","unicode":"lambda-λ"}';
const voker: HttpRequest = {
  method: 'POST',
  path: '/capture/space%20value',
  route: '/{proxy+}',
  routeMethod: 'ANY',
  rawQuery: 'repeat=one&repeat=two&redirect=https%3A%2F%2Fexample.com%2Fa%2Fb&literalPlus=a+b&encodedPlus=a%2Bb&empty=',
  headers: [
    ['Host', 'example.invalid'],
    ['User-Agent', 'curl/8.7.1'],
    ['Accept', '*/*'],
    ['Content-Type', 'application/json'],
    ['Cookie', 'session=abc123; theme=dark'],
    ['X-Voker-Probe', 'first'],
    ['X-Voker-Probe', 'second'],
    ['Content-Length', '66'],
  ],
  body: Buffer.from(body, 'utf8'),
};
const get: HttpRequest = { method: 'GET', path: '/pets', route: '/pets', rawQuery: '', headers: [['Accept', 'application/json']] };
const returned = (value: unknown): InvokeOutcome => ({ kind: 'returned', payload: JSON.stringify(value) });
const ok = (v: GatewayVerdict) => {
  if (!v.ok) throw new Error(`expected a response, got fault ${v.fault.kind}: ${v.fault.reason}`);
  return { status: v.response.statusCode, headers: v.response.headers, body: v.response.body.toString('utf8') };
};
const faulted = (v: GatewayVerdict) => {
  if (v.ok) throw new Error(`expected a fault, got ${v.response.statusCode}`);
  return { kind: v.fault.kind, status: v.fault.response.statusCode, body: v.fault.response.body.toString('utf8'), reason: v.fault.reason };
};

describe('HTTP API payload 2.0 event (GATEWAYS.md §3.1) against the voker capture', () => {
  const real = sample('apigw-http-v2__apigwv2-request.json');
  const event = toHttpEvent(voker) as unknown as Record<string, any>;

  it('has the capture’s keys (pathParameters only with route variables, stageVariables absent when none)', () => {
    const expected = Object.keys(real).filter((k) => k !== 'stageVariables'); // null there is a logger artefact
    expect(Object.keys(event).sort()).toEqual(expected.sort());
    for (const key of expected) if (real[key] !== null) expect([key, typeOf(event[key])]).toEqual([key, typeOf(real[key])]);
  });

  it('decodes rawPath, keeps rawQueryString as sent, comma-joins repeats, moves cookies out of headers', () => {
    expect(event.rawPath).toBe(real.rawPath);
    expect(event.rawQueryString).toBe(real.rawQueryString);
    expect(event.queryStringParameters).toEqual(real.queryStringParameters);
    expect(event.cookies).toEqual(real.cookies);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.headers['x-voker-probe']).toBe('first,second');
    expect(Object.keys(event.headers).sort()).toEqual(Object.keys(real.headers).sort());
    for (const name of ['accept', 'content-length', 'content-type', 'user-agent', 'x-forwarded-port', 'x-forwarded-proto']) {
      expect([name, event.headers[name]]).toEqual([name, real.headers[name]]);
    }
    expect(event.headers.host).toBe('lc1a2b3c4d.execute-api.us-east-1.amazonaws.com');
  });

  it('names the route, decodes path parameters and keeps a text body as text', () => {
    expect(event.routeKey).toBe('ANY /{proxy+}');
    expect(event.requestContext.routeKey).toBe('ANY /{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'capture/space value' });
    expect(event.body).toBe(real.body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('has the requestContext of a capture: keys, http block, 16-character request id, CLF time and ms epoch', () => {
    const rc = event.requestContext;
    const realKeys = Object.keys(real.requestContext).filter((k) => k !== 'authentication' && k !== 'authorizer'); // artefacts without mTLS/auth
    expect(Object.keys(rc).sort()).toEqual(realKeys.sort());
    expect(rc.http).toEqual({ ...real.requestContext.http, sourceIp: '203.0.113.10' });
    expect(rc.stage).toBe('$default');
    expect(rc.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(rc.timeEpoch).toBe(Date.parse('2026-01-01T12:00:00Z'));
  });

  it('prefixes rawPath and http.path with a named stage, as the Lambda guide capture shows', () => {
    const staged = toHttpEvent(get, { stage: 'default' }) as unknown as Record<string, any>;
    expect(staged.rawPath).toBe('/default/pets');
    expect(staged.requestContext.http.path).toBe('/default/pets');
    expect(staged.requestContext.stage).toBe('default');
  });

  it('sends content-length "0", no body, no query map and isBase64Encoded true for a body-less GET without Content-Type', () => {
    const e = toHttpEvent(get) as unknown as Record<string, any>;
    expect(e.headers['content-length']).toBe('0');
    expect(e).not.toHaveProperty('body');
    expect(e).not.toHaveProperty('queryStringParameters');
    expect(e).not.toHaveProperty('cookies');
    expect(e).not.toHaveProperty('pathParameters');
    expect(e.isBase64Encoded).toBe(true); // Lambda guide capture: GET without content-type → true
  });

  it('base64-encodes every non-text body, form-urlencoded included', () => {
    const form = toHttpEvent({ ...get, method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: Buffer.from('a=1') }) as unknown as Record<string, any>;
    expect([form.body, form.isBase64Encoded]).toEqual([Buffer.from('a=1').toString('base64'), true]);
    const xml = toHttpEvent({ ...get, method: 'POST', headers: [['Content-Type', 'application/xml']], body: Buffer.from('<a/>') }) as unknown as Record<string, any>;
    expect([xml.body, xml.isBase64Encoded]).toEqual(['<a/>', false]);
  });
});

describe('function URL event (GATEWAYS.md §5) against the voker and aws-lambda-go captures', () => {
  const real = sample('lambda-url__functionurl-request.json');
  const event = toUrlEvent(voker) as unknown as Record<string, any>;

  it('keeps rawPath encoded but decodes requestContext.http.path; routeKey and stage are $default', () => {
    expect(event.rawPath).toBe(real.rawPath);
    expect(event.requestContext.http.path).toBe(real.requestContext.http.path);
    expect([event.routeKey, event.requestContext.routeKey, event.requestContext.stage]).toEqual(['$default', '$default', '$default']);
    expect(event).not.toHaveProperty('pathParameters');
  });

  it('keeps the cookie header and splits it into cookies; adds the TLS headers; ids and account as AWS does', () => {
    expect(event.cookies).toEqual(real.cookies);
    expect(event.headers.cookie).toBe(real.headers.cookie);
    expect(Object.keys(event.headers).sort()).toEqual(Object.keys(real.headers).sort());
    expect(event.queryStringParameters).toEqual(real.queryStringParameters);
    expect(event.requestContext.accountId).toBe('anonymous');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
    expect(event.requestContext.apiId).toBe(event.requestContext.domainPrefix);
    expect(event.headers.host).toBe(event.requestContext.domainName);
  });

  it('matches the browser GET capture: no content-length, body or query keys', () => {
    const browser = sample('lambda-url__get-request.json');
    const e = toUrlEvent({ method: 'GET', path: '/', rawQuery: '', headers: [['Accept', 'text/html']] }) as unknown as Record<string, any>;
    expect(Object.keys(e).sort()).toEqual(Object.keys(browser).sort());
    expect(Object.keys(e.requestContext).sort()).toEqual(Object.keys(browser.requestContext).sort());
    expect(e.headers).not.toHaveProperty('content-length');
  });

  it('base64-encodes a non-text type as the domain-only capture shows', () => {
    const real64 = sample('lambda-url__function-url-domain-only-request-with-base64-encoded-body.json');
    const e = toUrlEvent({ method: 'POST', path: '/', rawQuery: '', headers: [['content-type', real64.headers['content-type']]], body: Buffer.from(real64.body, 'base64') }) as unknown as Record<string, any>;
    expect([e.body, e.isBase64Encoded]).toEqual([real64.body, true]);
  });
});

describe('ALB events (GATEWAYS.md §6.1)', () => {
  const real = sample('alb__alb-request.json');

  it('multi-value mode: raw path and query, arrays of values, only the multi maps, body as text', () => {
    const e = toAlbMultiEvent(voker) as unknown as Record<string, any>;
    expect(Object.keys(e).sort()).toEqual(['body', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'requestContext']);
    expect(e.path).toBe(real.path);
    expect(e.multiValueQueryStringParameters).toEqual(real.multiValueQueryStringParameters);
    expect(Object.keys(e.multiValueHeaders).sort()).toEqual(Object.keys(real.multiValueHeaders).sort());
    for (const name of ['accept', 'content-length', 'content-type', 'cookie', 'user-agent', 'x-voker-probe']) {
      expect([name, e.multiValueHeaders[name]]).toEqual([name, real.multiValueHeaders[name]]);
    }
    expect(e.body).toBe(real.body);
    expect(e.isBase64Encoded).toBe(false);
    expect(Object.keys(e.requestContext)).toEqual(['elb']);
    expect(e.requestContext.elb.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/[^/]+\/[0-9a-z]+$/);
  });

  it('single-value mode: the last value of a repeat, query still undecoded, "" body and {} query when empty', () => {
    const e = toAlbEvent(voker) as unknown as Record<string, any>;
    expect(e).not.toHaveProperty('multiValueHeaders');
    expect(e.headers['x-voker-probe']).toBe('second');
    expect(e.queryStringParameters).toEqual({ repeat: 'two', redirect: 'https%3A%2F%2Fexample.com%2Fa%2Fb', literalPlus: 'a+b', encodedPlus: 'a%2Bb', empty: '' });
    const bare = toAlbEvent({ method: 'GET', path: '/', rawQuery: '', headers: [] }) as unknown as Record<string, any>;
    const headersOnly = sample('alb__alb-lambda-target-request-headers-only.json');
    expect(Object.keys(bare).sort()).toEqual(Object.keys(headersOnly).sort());
    expect([bare.body, bare.isBase64Encoded, bare.queryStringParameters]).toEqual(['', false, {}]);
  });

  it('base64-encodes a body with a content-encoding or a non-text type', () => {
    const gz = toAlbEvent({ ...get, method: 'POST', headers: [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], body: Buffer.from([1, 2, 3]) }) as unknown as Record<string, any>;
    expect([gz.body, gz.isBase64Encoded]).toEqual(['AQID', true]);
    const png = toAlbEvent({ ...get, method: 'POST', headers: [['Content-Type', 'image/png']], body: Buffer.from([1, 2, 3]) }) as unknown as Record<string, any>;
    expect(png.isBase64Encoded).toBe(true);
  });
});

describe('HTTP API payload 1.0 event (GATEWAYS.md §4)', () => {
  const e = toHttpV1Event(voker) as unknown as Record<string, any>;
  const restEvent = toRestEvent(voker) as unknown as Record<string, any>;

  it('is the REST shape plus version "1.0", with HTTP API ids and $default stage, and no authorizer without one (docs/unconfirmed.md)', () => {
    expect(e.version).toBe('1.0');
    expect(Object.keys(e).filter((k) => k !== 'version').sort()).toEqual(Object.keys(restEvent).sort());
    expect(e.requestContext.stage).toBe('$default');
    expect(e.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(e.requestContext.extendedRequestId).toBe(e.requestContext.requestId);
    expect(e.requestContext.resourceId).toBe('ANY /{proxy+}');
    expect(e.requestContext).not.toHaveProperty('authorizer'); // the docs' {claims: null, scopes: null} fails Powertools' schema
  });

  it('keeps path encoded but decodes requestContext.path and pathParameters; last query value wins', () => {
    expect(e.path).toBe('/capture/space%20value');
    expect(e.requestContext.path).toBe('/capture/space value');
    expect(e.pathParameters).toEqual({ proxy: 'capture/space value' });
    expect(e.queryStringParameters.repeat).toBe('two');
    expect(e.multiValueQueryStringParameters.repeat).toEqual(['one', 'two']);
  });

  it('sends Content-Length "0" on a body-less request, and a non-text body as base64 (the 2.0 rules; docs/unconfirmed.md)', () => {
    const bare = toHttpV1Event({ method: 'GET', path: '/x', rawQuery: '', headers: [] }) as unknown as Record<string, any>;
    expect(bare.headers['Content-Length']).toBe('0');
    const png = toHttpV1Event({ method: 'PUT', path: '/x', rawQuery: '', headers: [['Content-Type', 'image/png']], body: Buffer.from([1, 2, 3]) }) as unknown as Record<string, any>;
    expect([png.isBase64Encoded, png.body]).toEqual([true, 'AQID']);
    const json = toHttpV1Event({ method: 'PUT', path: '/x', rawQuery: '', headers: [['Content-Type', 'application/json']], body: Buffer.from('{}') }) as unknown as Record<string, any>;
    expect([json.isBase64Encoded, json.body]).toEqual([false, '{}']);
  });

  it('passes Content-Length on, unlike REST; client header casing kept, gateway headers canonical (docs/unconfirmed.md)', () => {
    expect(e.headers['Content-Length']).toBe('66');
    expect(restEvent.headers).not.toHaveProperty('Content-Length');
    expect(e.headers['X-Forwarded-Proto']).toBe('https');
    expect(e.headers['X-Voker-Probe']).toBe('second');
  });
});

describe('every source', () => {
  it.each(SOURCE_NAMES)('%s builds byte-identical events for the same request and options', (source) => {
    const a = JSON.stringify(sourceFor(source).toEvent(voker, { sequence: 3 }));
    const b = JSON.stringify(sourceFor(source).toEvent(voker, { sequence: 3 }));
    expect(a).toBe(b);
    expect(JSON.stringify(sourceFor(source).toEvent(voker, { sequence: 4 }))).not.toBe(a);
  });
});

describe('HTTP API 2.0 and function URL results (GATEWAYS.md §3.3, §5)', () => {
  it.each([
    ['a string is unwrapped', 'Hello, World!', 'Hello, World!'],
    ['a quoted string keeps inner quotes', 'Special "quoted" text', 'Special "quoted" text'],
    ['an object without statusCode is the compact JSON', { hello: 'world' }, '{"hello":"world"}'],
    ['an array', ['hello', 3, true], '["hello",3,true]'],
    ['a number', 3.1, '3.1'],
    ['a boolean', true, 'true'],
  ])('infers a 200 application/json response: %s', (_name, value, expected) => {
    for (const judge of [fromHttpResult, fromUrlResult]) {
      const r = ok(judge(returned(value), get));
      expect([r.status, r.headers, r.body]).toEqual([200, [['Content-Type', 'application/json']], expected]);
    }
  });

  it('passes invalid JSON through as a 200 body, as real HTTP APIs do', () => {
    expect(ok(fromHttpResult({ kind: 'returned', payload: '{not json' }, get)).body).toBe('{not json');
  });

  it('default Content-Type: text/plain for HTTP APIs, application/json for function URLs', () => {
    expect(ok(fromHttpResult(returned({ statusCode: 201, body: 'x' }), get)).headers).toEqual([['Content-Type', 'text/plain; charset=utf-8']]);
    expect(ok(fromUrlResult(returned({ statusCode: 201, body: 'x' }), get)).headers).toEqual([['Content-Type', 'application/json']]);
  });

  it('turns each cookie into its own Set-Cookie, decodes base64 always, ignores multiValueHeaders and nulls', () => {
    const r = ok(fromHttpResult(returned({ statusCode: 200, headers: { 'content-type': 'image/png' }, cookies: ['a=1', 'b=2; Secure'], body: 'AQID', isBase64Encoded: true, multiValueHeaders: null }), get));
    expect(r.headers).toEqual([['content-type', 'image/png'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2; Secure']]);
    for (const judge of [fromHttpResult, fromUrlResult]) {
      const v = judge(returned({ statusCode: 200, body: 'AQID', isBase64Encoded: true }), get);
      expect(v.ok && [...v.response.body]).toEqual([1, 2, 3]);
    }
  });

  it('accepts a numeric-string statusCode (validated for URLs; the same for HTTP APIs, docs/unconfirmed.md)', () => {
    expect(ok(fromUrlResult(returned({ statusCode: '418' }), get)).status).toBe(418);
    expect(ok(fromHttpResult(returned({ statusCode: '418' }), get)).status).toBe(418);
  });

  it('HTTP API: 500 {"message":"Internal Server Error"} for statusCode 0 or 200.5, a non-string body, a function error; 503 on timeout', () => {
    for (const bad of [{ statusCode: 0 }, { statusCode: 200.5 }, { statusCode: 200, body: { a: 1 } }, { statusCode: 200, cookies: 'a=1' }]) {
      expect([bad, faulted(fromHttpResult(returned(bad), get))]).toMatchObject([bad, { kind: 'malformed_result', status: 500, body: '{"message":"Internal Server Error"}' }]);
    }
    expect(faulted(fromHttpResult({ kind: 'threw', errorType: 'Error', errorMessage: 'x' }, get))).toMatchObject({ kind: 'function_error', status: 500 });
    expect(faulted(fromHttpResult({ kind: 'timeout', timeoutMs: 30000 }, get))).toMatchObject({ kind: 'timeout', status: 503, body: '{"message":"Service Unavailable"}' });
  });

  it('function URL: 502 text "Internal Server Error" for a function error and a broken structured response', () => {
    expect(faulted(fromUrlResult({ kind: 'threw', errorType: 'Error', errorMessage: 'x' }, get))).toMatchObject({ kind: 'function_error', status: 502, body: 'Internal Server Error' });
    expect(faulted(fromUrlResult(returned({ statusCode: 200, body: 7 }), get))).toMatchObject({ kind: 'malformed_result', status: 502 });
  });
});

describe('HTTP API payload 1.0 results (GATEWAYS.md §4)', () => {
  it('requires statusCode, ignores unknown keys, defaults to text/plain and always decodes base64', () => {
    expect(faulted(fromHttpV1Result(returned({ body: 'x' }), get))).toMatchObject({ kind: 'malformed_result', status: 500, body: '{"message":"Internal Server Error"}' });
    const r = ok(fromHttpV1Result(returned({ statusCode: 200, body: 'AQID', isBase64Encoded: true, cookies: ['ignored'] }), get));
    expect(r.headers).toEqual([['Content-Type', 'text/plain; charset=utf-8']]);
    const v = fromHttpV1Result(returned({ statusCode: 200, body: 'AQID', isBase64Encoded: true }), get);
    expect(v.ok && [...v.response.body]).toEqual([1, 2, 3]);
  });

  it('merges the headers value first, then multiValueHeaders — the reverse of REST', () => {
    const r = ok(fromHttpV1Result(returned({ statusCode: 200, headers: { 'Combined-Header': 'single-value' }, multiValueHeaders: { 'Combined-Header': ['multi-value1', 'multi-value2'] } }), get));
    expect(r.headers.filter(([k]) => k === 'Combined-Header').map(([, v]) => v)).toEqual(['single-value', 'multi-value1', 'multi-value2']);
  });

  it('answers 503 on timeout and 500 on a function error', () => {
    expect(faulted(fromHttpV1Result({ kind: 'timeout', timeoutMs: 30000 }, get))).toMatchObject({ status: 503 });
    expect(faulted(fromHttpV1Result({ kind: 'threw', errorType: 'Error', errorMessage: 'x' }, get))).toMatchObject({ status: 500 });
  });
});

describe('ALB results (GATEWAYS.md §6.2)', () => {
  const alb = sourceFor('alb');
  const multi = sourceFor('alb-multi');

  it('accepts {statusCode} alone and defaults Content-Type to application/octet-stream', () => {
    const r = ok(alb.fromResult(returned({ statusCode: 200 }), get));
    expect([r.status, r.headers, r.body]).toEqual([200, [['Content-Type', 'application/octet-stream']], '']);
  });

  it.each([
    ['no statusCode', { body: 'x' }],
    ['a null statusDescription', { statusCode: 200, statusDescription: null }],
    ['null headers', { statusCode: 200, headers: null }],
    ['a null body', { statusCode: 200, body: null }],
    ['a boolean header value', { statusCode: 200, headers: { h: true } }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['MIME base64 with line breaks', { statusCode: 200, body: 'AQID\nAQID', isBase64Encoded: true }],
    ['a numeric-string statusCode (docs/unconfirmed.md)', { statusCode: '200' }],
  ])('answers its HTML 502 for %s', (_name, result) => {
    const f = faulted(alb.fromResult(returned(result), get));
    expect([f.kind, f.status]).toEqual(['malformed_result', 502]);
    expect(f.body).toContain('502 Bad Gateway');
  });

  it('answers 502 for a response JSON over 1 MB, a function error and a timeout', () => {
    expect(faulted(alb.fromResult(returned({ statusCode: 200, body: 'x'.repeat(1024 * 1024) }), get))).toMatchObject({ kind: 'payload_too_large', status: 502 });
    expect(faulted(alb.fromResult({ kind: 'threw', errorType: 'Error', errorMessage: 'x' }, get))).toMatchObject({ kind: 'function_error', status: 502 });
    expect(faulted(alb.fromResult({ kind: 'timeout', timeoutMs: 3000 }, get))).toMatchObject({ kind: 'timeout', status: 502 });
  });

  it('reads only the header field of its mode: a multiValueHeaders-only answer loses its Content-Type in single mode', () => {
    const result = returned({ statusCode: 200, multiValueHeaders: { 'Content-Type': ['application/json'], 'Set-Cookie': ['a=1', 'b=2'] }, body: '{}' });
    expect(ok(alb.fromResult(result, get)).headers).toEqual([['Content-Type', 'application/octet-stream']]);
    expect(ok(multi.fromResult(result, get)).headers).toEqual([['Content-Type', 'application/json'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']]);
  });
});

describe('authorizer context where AWS puts it (GATEWAYS.md §2.5, §3.2)', () => {
  const claims = { sub: 'u1', exp: 1718722804, iat: 1718636404, 'cognito:groups': ['admin', 'poweruser'], scope: 'pets.read pets.write' };

  it('REST Cognito: string claims, Java-date exp/iat', () => {
    const e = toRestEvent(get, { authorizer: { type: 'jwt', claims } }) as unknown as Record<string, any>;
    expect(e.requestContext.authorizer.claims).toEqual({ sub: 'u1', exp: 'Tue Jun 18 15:00:04 UTC 2024', iat: 'Mon Jun 17 15:00:04 UTC 2024', 'cognito:groups': '[admin poweruser]', scope: 'pets.read pets.write' });
    const real = sample('apigw-rest__jwt-authorizer-auth.json').requestContext.authorizer.claims;
    expect(real.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    for (const v of Object.values(e.requestContext.authorizer.claims)) expect(typeof v).toBe('string');
  });

  it('REST Lambda authorizer: principalId, integrationLatency and stringified context, like the capture', () => {
    const e = toRestEvent(get, { authorizer: { type: 'lambda', principalId: 'user', context: { tier: 'gold', n: 1, admin: true } } }) as unknown as Record<string, any>;
    const real = sample('apigw-rest__lambda-authorizer-auth.json').requestContext.authorizer;
    expect(Object.keys(real).every((k) => k in e.requestContext.authorizer)).toBe(true);
    expect(e.requestContext.authorizer).toEqual({ principalId: 'user', integrationLatency: 0, tier: 'gold', n: '1', admin: 'true' });
  });

  it('REST AWS_IAM: identity filled, no authorizer', () => {
    const e = toRestEvent(get, { authorizer: { type: 'iam', accountId: '111122223333' } }) as unknown as Record<string, any>;
    expect(e.requestContext).not.toHaveProperty('authorizer');
    expect(e.requestContext.identity).toMatchObject({ accountId: '111122223333', userArn: 'arn:aws:iam::111122223333:user/lambda-contract' });
    expect(typeof e.requestContext.identity.accessKey).toBe('string');
  });

  it('HTTP API JWT: string claims with bracketed arrays, scopes from the scope claim, as the capture', () => {
    const e = toHttpEvent(get, { authorizer: { type: 'jwt', claims } }) as unknown as Record<string, any>;
    expect(e.requestContext.authorizer.jwt).toEqual({ claims: { sub: 'u1', exp: '1718722804', iat: '1718636404', 'cognito:groups': '[admin poweruser]', scope: 'pets.read pets.write' }, scopes: ['pets.read', 'pets.write'] });
    const real = sample('apigw-http-v2__jwt-authorizer-auth.json').requestContext.authorizer.jwt;
    expect(Object.keys(real).sort()).toEqual(Object.keys(e.requestContext.authorizer.jwt).sort());
    expect(toHttpEvent(get, { authorizer: { type: 'jwt', claims: { sub: 'x' } } })).toMatchObject({ requestContext: { authorizer: { jwt: { scopes: null } } } });
  });

  it('HTTP API Lambda authorizer: context under lambda (null when none); IAM: the capture’s iam keys', () => {
    expect((toHttpEvent(get, { authorizer: { type: 'lambda', context: { a: [1, 2] } } }) as any).requestContext.authorizer).toEqual({ lambda: { a: [1, 2] } });
    expect((toHttpEvent(get, { authorizer: { type: 'lambda' } }) as any).requestContext.authorizer).toEqual({ lambda: null });
    const iam = (toHttpEvent(get, { authorizer: { type: 'iam' } }) as any).requestContext.authorizer.iam;
    const real = sample('apigw-http-v2__iam-auth.json').requestContext.authorizer.iam;
    expect(Object.keys(iam).sort()).toEqual(Object.keys(real).sort());
  });

  it('function URL: IAM only, with the owner account instead of "anonymous"', () => {
    const e = toUrlEvent(get, { authorizer: { type: 'iam' } }) as unknown as Record<string, any>;
    expect(e.requestContext.accountId).toBe('123456789012');
    expect(e.requestContext.authorizer.iam.accountId).toBe('123456789012');
    expect(() => toUrlEvent(get, { authorizer: { type: 'jwt', claims: {} } })).toThrow(/only AWS_IAM/);
  });

  it('HTTP API 1.0: JWT claims and scopes under authorizer; a Lambda authorizer in the REST shape (docs/unconfirmed.md)', () => {
    expect((toHttpV1Event(get, { authorizer: { type: 'jwt', claims: { sub: 'u1', scope: 'a b' } } }) as any).requestContext.authorizer).toEqual({ claims: { sub: 'u1', scope: 'a b' }, scopes: ['a', 'b'] });
    expect((toHttpV1Event(get, { authorizer: { type: 'lambda', context: { t: 1 } } }) as any).requestContext.authorizer).toEqual({ principalId: 'user', integrationLatency: 0, t: 1 });
  });

  it('ALB OIDC: the x-amzn-oidc-* headers carry identity and claims', () => {
    const e = toAlbEvent(get, { authorizer: { type: 'jwt', claims: { sub: 'u1', email: 'a@example.com' } } }) as unknown as Record<string, any>;
    expect(e.headers['x-amzn-oidc-identity']).toBe('u1');
    const payload = JSON.parse(Buffer.from(String(e.headers['x-amzn-oidc-data']).split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload).toEqual({ sub: 'u1', email: 'a@example.com' });
  });
});
