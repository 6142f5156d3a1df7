/**
 * The local validating gateway: through supertest (as users test with it) and through real HTTP clients
 * on loopback (fetch, node:http), for every shape of request a gateway carries.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import request from 'supertest';
import { createServer, loadContract, type Contract, type Exchange } from '../../src';
import { handler as petstore } from '../../specs/petstore/handler';

const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const TOKEN = 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.';
let contract: Contract;

beforeAll(async () => {
  contract = await loadContract(PETSTORE);
});

/** Answers with what it received: the event's headers, query, body and its encoding. */
const echo = async (event: Record<string, unknown>) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ multiValueHeaders: event.multiValueHeaders, multiValueQueryStringParameters: event.multiValueQueryStringParameters, headers: event.headers, rawQueryString: event.rawQueryString, body: event.body, isBase64Encoded: event.isBase64Encoded }),
});

describe('createServer with supertest', () => {
  it('serves the handler as the gateway does, and the matchers judge the HTTP response', async () => {
    const exchanges: Exchange[] = [];
    const server = createServer(petstore as never, { contract, onExchange: (e) => exchanges.push(e) });
    const list = await request(server).get('/pets?limit=1').set('Accept', 'application/json');
    expect(list.status).toBe(200);
    expect(list.headers['x-total-count']).toBe('2');
    expect(list).toMatchOperation('listPets', { contract });
    const created = await request(server).post('/pets').set('Authorization', TOKEN).send({ name: 'Kit', kind: 'cat' });
    expect(created.status).toBe(201);
    expect(created).toMatchOperation('createPet', { contract, status: 201 });
    const missing = await request(server).get('/pets/999');
    expect(missing.status).toBe(404);
    expect(missing).toMatchOperation('getPet', { contract });
    expect(exchanges.map((e) => [e.request.method, e.operationId, e.status, e.violations.length])).toEqual([
      ['GET', 'listPets', 200, 0],
      ['POST', 'createPet', 201, 0],
      ['GET', 'getPet', 404, 0],
    ]);
  });

  it('passes a non-conforming response on, reports its violations, and the matcher fails over HTTP', async () => {
    const exchanges: Exchange[] = [];
    const broken = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '7', name: 'Tom', kind: 'cat', createdAt: 'soon' }) });
    const res = await request(createServer(broken as never, { contract, onExchange: (e) => exchanges.push(e) })).get('/pets/7');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: '7' });
    expect(exchanges[0]?.violations.map((v) => v.pointer)).toEqual(['/id', '/createdAt']);
    expect(res).not.toMatchOperation('getPet', { contract });
    expect(() => expect(res).toMatchOperation('getPet', { contract })).toThrow(/getPet \(GET \/pets\/\{petId\}\) answered 200 over HTTP with 2 contract violations/);
    expect(() => expect(res).toMatchOperation('getPet', { contract })).toThrow(/Request: .*GET \/pets\/7/);
  });

  it('answers what each gateway answers when no route matches; function URLs send every path to the function', async () => {
    const rest = await request(createServer(petstore as never, { contract, source: 'rest' })).get('/nowhere');
    expect([rest.status, rest.text]).toEqual([403, '{"message":"Missing Authentication Token"}']);
    const httpApi = await request(createServer(petstore as never, { contract, source: 'http' })).delete('/pets');
    expect([httpApi.status, httpApi.text]).toEqual([404, '{"message":"Not Found"}']);
    const exchanges: Exchange[] = [];
    const url = await request(createServer(echo as never, { contract, source: 'url', onExchange: (e) => exchanges.push(e) })).get('/nowhere?x=1');
    expect(url.status).toBe(200);
    expect(url.body.rawQueryString).toBe('x=1');
    expect(exchanges[0]?.note).toBe('not in the contract: GET /nowhere');
  });

  it('carries repeated headers and query keys as the source does', async () => {
    const rest = await request(createServer(echo as never, { contract, source: 'rest' })).get('/pets?kind=cat&kind=dog').set('X-Tag', ['a', 'b'] as unknown as string);
    expect(rest.body.multiValueQueryStringParameters).toEqual({ kind: ['cat', 'dog'] });
    expect(rest.body.multiValueHeaders['X-Tag']).toEqual(['a', 'b']);
    const v2 = await request(createServer(echo as never, { contract, source: 'http' })).get('/pets?kind=cat&kind=dog').set('X-Tag', ['a', 'b'] as unknown as string);
    expect(v2.body.rawQueryString).toBe('kind=cat&kind=dog');
    expect(v2.body.headers['x-tag']).toBe('a,b');
  });

  it('carries binary bodies both ways: base64 in the event, bytes back to the client', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const mirror = async (event: { body: string; isBase64Encoded: boolean }) => ({ statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: event.body, isBase64Encoded: event.isBase64Encoded });
    const res = await request(createServer(mirror as never, { contract, source: 'http' }))
      .post('/pets').set('Content-Type', 'application/octet-stream').set('Authorization', TOKEN).send(bytes)
      .buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  });

  it('refuses bodies over the gateway limit with its 413, and serves the next request', async () => {
    const exchanges: Exchange[] = [];
    const server = createServer(echo as never, { contract, source: 'alb', onExchange: (e) => exchanges.push(e) });
    const big = await request(server).post('/pets').set('Content-Type', 'application/json').send(`"${'x'.repeat(1024 * 1024 + 10)}"`);
    expect(big.status).toBe(413);
    expect(exchanges[0]?.note).toMatch(/^request too large \(1048588 bytes; limit 1048576\)/);
    const small = await request(createServer(echo as never, { contract, source: 'rest', maxBodyBytes: 10 })).post('/pets').set('Authorization', TOKEN).send({ name: 'a long name', kind: 'cat' });
    expect([small.status, small.text]).toEqual([413, '{"message":"Request Too Long"}']);
    const ok = await request(server).get('/pets');
    expect(ok.status).toBe(200);
  });

  it('passes bodies up to the limits whole: 5 MB through REST; past Lambda\'s 6 MB event quota the gateway answers 413', async () => {
    const exchanges: Exchange[] = [];
    const length = async (event: { body: string }) => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: String(event.body.length) });
    const server = createServer(length as never, { contract, source: 'rest', onExchange: (e) => exchanges.push(e) });
    const five = 'x'.repeat(5 * 1024 * 1024);
    const res = await request(server).post('/pets').set('Content-Type', 'text/plain').set('Authorization', TOKEN).send(five);
    expect([res.status, res.text]).toEqual([200, String(five.length)]);
    const seven = await request(server).post('/pets').set('Content-Type', 'text/plain').set('Authorization', TOKEN).send('x'.repeat(7 * 1024 * 1024));
    expect(seven.status).toBe(413);
    expect(exchanges[1]?.note).toBe("the event is over Lambda's 6 MB invocation payload limit");
  });

  it('a handler that throws gets the gateway\'s error answer, reported with its error', async () => {
    const exchanges: Exchange[] = [];
    const throws = async () => {
      throw new TypeError('database down');
    };
    const res = await request(createServer(throws as never, { contract, onExchange: (e) => exchanges.push(e) })).get('/pets/1');
    expect([res.status, res.text]).toEqual([502, '{"message": "Internal server error"}']);
    expect(exchanges[0]?.error).toEqual({ type: 'TypeError', message: 'database down' });
    expect(exchanges[0]?.violations[0]?.rule).toBe('gateway_function_error');
  });
});

describe('createServer on loopback with real clients', () => {
  let server: http.Server;
  let base = '';
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    server = createServer(echo as never, { contract, source: 'rest', onExchange: (e) => exchanges.push(e) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetch: JSON bodies and query strings arrive as the REST event carries them', async () => {
    const res = await fetch(`${base}/pets?limit=5&kind=dog`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: TOKEN }, body: JSON.stringify({ name: 'Rex', kind: 'dog' }) });
    const seen = (await res.json()) as { body: string; multiValueQueryStringParameters: Record<string, string[]> };
    expect(res.status).toBe(200);
    expect(JSON.parse(seen.body)).toEqual({ name: 'Rex', kind: 'dog' });
    expect(seen.multiValueQueryStringParameters).toEqual({ limit: ['5'], kind: ['dog'] });
  });

  it('node:http: repeated header lines and a HEAD request', async () => {
    const got = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}/pets`, { method: 'GET', headers: ['Host', new URL(base).host, 'X-Tag', 'one', 'X-Tag', 'two', 'Accept', 'application/json'] as unknown as http.OutgoingHttpHeaders }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body).multiValueHeaders['X-Tag']).toEqual(['one', 'two']);
    const head = await fetch(`${base}/pets`, { method: 'HEAD' });
    expect(head.status).toBe(403); // no HEAD route in the document: REST's answer
    expect(await head.text()).toBe('');
  });
});

describe('createServer with a Lambda authorizer', () => {
  it('runs the document\'s REQUEST authorizer on secured routes as API Gateway does: 401 without credentials, 403 on a deny, 200 on an allow', async () => {
    const dir = path.resolve(__dirname, '../../specs/apigw-express');
    const notes = await loadContract(path.join(dir, 'openapi.yaml'));
    const { handler } = await import('../../specs/apigw-express/handler');
    const { handler: authorize } = await import('../../specs/apigw-express/authorizer');
    const exchanges: Exchange[] = [];
    const server = createServer(handler as never, { contract: notes, source: 'rest', authorizer: { handler: authorize as never }, onExchange: (e) => exchanges.push(e) });
    const none = await request(server).get('/notes');
    expect([none.status, none.text]).toEqual([401, '{"message":"Unauthorized"}']);
    const denied = await request(server).get('/notes').set('Authorization', 'Bearer deny');
    expect(denied.status).toBe(403);
    const allowed = await request(server).get('/notes').set('Authorization', 'Bearer alice');
    expect(allowed.status).toBe(200);
    expect(allowed).toMatchOperation('listNotes', { contract: notes });
    expect(exchanges.map((e) => [e.status, e.note ?? null])).toEqual([[401, 'refused by the authorizer'], [403, 'refused by the authorizer'], [200, null]]);
  });
});
