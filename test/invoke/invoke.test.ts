import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { invoke, isContractError, loadContract } from '../../src';
import { loadHandler } from '../../src/invoke/load';

const handlers = path.resolve(__dirname, '../fixtures/handlers');

describe('invoke', () => {
  it('awaits an async handler and serializes its value as the runtime does', async () => {
    const inv = await invoke(async (e: { n: number }) => ({ statusCode: 200, body: String(e.n), when: new Date(0) }), { n: 7 });
    expect(inv.outcome).toEqual({ kind: 'returned', payload: '{"statusCode":200,"body":"7","when":"1970-01-01T00:00:00.000Z"}' });
    expect(inv.result).toEqual({ statusCode: 200, body: '7', when: new Date(0) });
  });

  it('waits for a callback handler; without waiting for the event loop, takes the first settlement only', async () => {
    const inv = await invoke((_e: unknown, c, cb) => {
      c.callbackWaitsForEmptyEventLoop = false;
      setTimeout(() => cb(null, { statusCode: 201 }), 5);
      setTimeout(() => cb(new Error('second call')), 10);
    }, {});
    expect(inv.outcome).toEqual({ kind: 'returned', payload: '{"statusCode":201}' });
  });

  it('while an answer waits for the event loop to empty, a later error is sent instead, as the runtime does', async () => {
    const inv = await invoke((_e: unknown, _c, cb) => {
      setTimeout(() => cb(null, { statusCode: 201 }), 5);
      setTimeout(() => cb(new Error('second call')), 10);
    }, {});
    expect(inv.outcome).toEqual({ kind: 'threw', errorType: 'Error', errorMessage: 'second call' });
  });

  it('turns throws, rejections (even with undefined) and callback errors into outcomes', async () => {
    const threw = await invoke(() => { throw new RangeError('bad'); }, {});
    expect(threw.outcome).toEqual({ kind: 'threw', errorType: 'RangeError', errorMessage: 'bad' });
    expect(threw.error).toBeInstanceOf(RangeError);
    const rejected = await invoke(() => Promise.reject(undefined), {});
    expect(rejected.outcome).toMatchObject({ kind: 'threw', errorMessage: 'the handler rejected with undefined' });
    const nonError = await invoke(async () => { throw { code: 42 }; }, {});
    expect(nonError.outcome).toEqual({ kind: 'threw', errorType: 'object', errorMessage: '{"code":42}' });
    const cb = await invoke((_e: unknown, _c, callback) => callback('nope'), {});
    expect(cb.outcome).toEqual({ kind: 'threw', errorType: 'string', errorMessage: 'nope' });
  });

  it('sends null for undefined and reports a result that cannot be serialized', async () => {
    expect((await invoke(async () => undefined, {})).outcome).toEqual({ kind: 'returned', payload: 'null' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const inv = await invoke(async () => circular, {});
    expect(inv.outcome).toMatchObject({ kind: 'threw', errorType: 'Runtime.SerializationError' });
  });

  it('times out a handler that never settles', async () => {
    const inv = await invoke(() => new Promise(() => undefined), {}, { timeout: 50 });
    expect(inv.outcome).toEqual({ kind: 'timeout', timeoutMs: 50 });
    expect(inv.durationMs).toBeGreaterThanOrEqual(45);
  });

  it('gives a context whose remaining time counts down from the timeout', async () => {
    const inv = await invoke(async (_e: unknown, context) => {
      const first = context.getRemainingTimeInMillis();
      await new Promise((r) => setTimeout(r, 30));
      return { first, second: context.getRemainingTimeInMillis(), name: context.functionName, arn: context.invokedFunctionArn, id: context.awsRequestId };
    }, {}, { timeout: 1000, context: { functionName: 'pets' } });
    const r = inv.result as { first: number; second: number; name: string; arn: string; id: string };
    expect(r.first).toBeLessThanOrEqual(1000);
    expect(r.first).toBeGreaterThan(900);
    expect(r.second).toBeLessThan(r.first);
    expect(r.name).toBe('pets');
    expect(r.arn).toBe('arn:aws:lambda:us-east-1:123456789012:function:pets');
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('loadHandler', () => {
  it('loads TypeScript, CommonJS and ESM handlers by file#export', async () => {
    for (const spec of ['ts-handler.ts#handler', 'cjs-handler.cjs#main', 'esm-handler.mjs#handler', 'ts-handler']) {
      const fn = await loadHandler(spec, handlers);
      expect([spec, typeof fn]).toEqual([spec, 'function']);
      expect(((await invoke(fn, {})).result as { from: string }).from).toMatch(/ts|cjs|esm/);
    }
  });

  it('honours emitDecoratorMetadata from the project\'s tsconfig: a decorated class\'s constructor types are emitted for DI containers', async () => {
    const fn = await loadHandler('service.ts', path.resolve(__dirname, '../fixtures/load/decorators'));
    const body = JSON.parse(((await invoke(fn, {})).result as { body: string }).body) as Array<[string, string]>;
    expect(body).toContainEqual(['design:paramtypes', 'Database']);
  });

  it('resolves the project\'s tsconfig paths (`@lib/greet`), from the tsconfig nearest the handler, in Jest and in a sandbox', async () => {
    const project = path.resolve(__dirname, '../fixtures/load/paths');
    const fn = await loadHandler('src/handlers/hello.ts', project);
    expect((await invoke(fn, {})).result).toEqual({ statusCode: 200, body: 'hello, paths' });
    const script = `const { loadHandler } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/invoke/load.js'))});
      loadHandler('src/handlers/hello.ts', ${JSON.stringify(project)}, { native: true }).then(async (h) => console.log((await h()).body));`;
    const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect([plain.stdout.trim(), plain.stderr]).toEqual(['hello, paths', '']);
  });

  it('loads an ESM handler that imports Node built-ins and packages, inside Jest\'s sandbox too (no native import() there)', async () => {
    const fn = await loadHandler('esm-imports.mjs', handlers);
    expect((await invoke(fn, { name: 'x' })).result).toEqual({ from: 'esm-imports', digest: '2d711642', parsed: { a: 1 } });
  });

  it('gives each fresh load (a deployed function) module instances of its own, ESM and CommonJS imports included', async () => {
    const first = await loadHandler('counter/count.mjs', handlers, { fresh: true });
    const second = await loadHandler('counter/count.mjs', handlers, { fresh: true });
    expect([(await invoke(first, {})).result, (await invoke(first, {})).result, (await invoke(second, {})).result]).toEqual([1, 2, 1]);
    // Outside Jest's sandbox too, where ESM can be imported natively (and Node keeps one instance per file): the built package in plain Node.
    for (const file of ['counter/count.mjs', 'counter/count.cjs']) {
      const script = `const { loadHandler } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/invoke/load.js'))});
        (async () => { const a = await loadHandler(${JSON.stringify(file)}, ${JSON.stringify(handlers)}, { fresh: true }); const b = await loadHandler(${JSON.stringify(file)}, ${JSON.stringify(handlers)}, { fresh: true });
        console.log(JSON.stringify([await a(), await a(), await b()])); })();`;
      const plain = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      expect([file, plain.stdout.trim(), plain.stderr]).toEqual([file, '[1,2,1]', '']);
    }
  });

  it('names the file when the module is missing, and the exports when the export is', async () => {
    await expect(loadHandler('missing.js', handlers)).rejects.toThrow(`handler module not found: ${path.join(handlers, 'missing.js')}`);
    const error = await loadHandler('cjs-handler.cjs#handler', handlers).catch((e: unknown) => e);
    expect(isContractError(error, 'ERR_CONTRACT_HANDLER')).toBe(true);
    expect((error as Error).message).toBe(`${path.join(handlers, 'cjs-handler.cjs')} has no function export "handler"; its exports: main, notAFunction`);
  });

  it('reports a module that throws while loading', async () => {
    await expect(loadHandler('broken.cjs', handlers)).rejects.toThrow(/cannot load handler module .*broken\.cjs: init failed/);
  });
});

describe('invoke() reads as the response the client receives', () => {
  const petstore = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
  const pet = { id: 7, name: 'Rex', kind: 'dog', tag: null, createdAt: '2026-01-01T12:00:00.000Z' };

  it('gives status, lower-case headers and the body text of a REST result, and stays what the matcher takes', async () => {
    const contract = await loadContract(petstore);
    const handler = async (): Promise<unknown> => ({ statusCode: 200, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, headers: { 'Content-Type': 'application/json', 'X-Trace': 't' }, body: JSON.stringify(pet) });
    const res = await invoke(handler, contract.eventFor('getPet', { pathParameters: { petId: '7' } }));
    expect([res.statusCode, res.headers['content-type'], res.headers['x-trace'], JSON.parse(res.body)]).toEqual([200, 'application/json', 't', pet]);
    expect(res.multiValueHeaders['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.source).toBe('rest');
    expect(res.gatewayFault).toBeUndefined();
    expect(res.result).toMatchObject({ statusCode: 200 }); // the handler's own value is still there
    expect(res).toMatchOperation('getPet', { contract });
  });

  it('reads a thrown handler as the gateway\'s error answer, keeping the error', async () => {
    const contract = await loadContract(petstore);
    const boom = async (): Promise<never> => { throw new TypeError('no table'); };
    const rest = await invoke(boom, contract.eventFor('getPet'));
    expect([rest.statusCode, JSON.parse(rest.body), rest.gatewayFault?.kind]).toEqual([502, { message: 'Internal server error' }, 'function_error']);
    expect(rest.error).toBeInstanceOf(TypeError);
    const http = await invoke(boom, contract.eventFor('getPet', { source: 'http' }));
    expect([http.statusCode, JSON.parse(http.body)]).toEqual([500, { message: 'Internal Server Error' }]);
    const timedOut = await invoke(() => new Promise(() => undefined), contract.eventFor('getPet'), { timeout: 20 });
    expect([timedOut.statusCode, timedOut.gatewayFault?.kind]).toEqual([504, 'timeout']);
  });

  it('reads an HTTP API\'s plain returned value as its inferred 200 JSON response', async () => {
    const contract = await loadContract(petstore);
    const res = await invoke(async () => pet, contract.eventFor('getPet', { source: 'http' }));
    expect([res.statusCode, res.headers['content-type'], JSON.parse(res.body)]).toEqual([200, 'application/json', pet]);
    expect(res).toMatchOperation('getPet', { contract });
  });

  it('tells the source from an event it did not generate (AWS\'s own recorded events), or takes the one asked for', async () => {
    const events = path.resolve(__dirname, '../fixtures/aws-events');
    const read = (name: string): unknown => JSON.parse(readFileSync(path.join(events, name), 'utf8'));
    const plain = async (): Promise<unknown> => ({ ok: true });
    expect((await invoke(plain, read('apigw-rest__no-auth.json'))).source).toBe('rest');
    expect((await invoke(plain, read('apigw-http-v2__jwt-authorizer-auth.json'))).source).toBe('http');
    expect((await invoke(plain, read('lambda-url__get-request.json'))).source).toBe('url');
    expect((await invoke(plain, read('alb__alb-event.json'))).source).toBe('alb-multi');
    expect((await invoke(plain, read('alb__alb-lambda-target-request-headers-only.json'))).source).toBe('alb');
    // REST: a result without statusCode and a string body is malformed; an HTTP API infers 200 from it.
    expect((await invoke(plain, read('apigw-rest__no-auth.json'))).statusCode).toBe(502);
    expect((await invoke(plain, read('apigw-http-v2__jwt-authorizer-auth.json'))).statusCode).toBe(200);
    expect((await invoke(plain, {}, { source: 'url' })).statusCode).toBe(200);
    await expect(invoke(plain, {}, { source: 'nope' as never })).rejects.toThrow('unknown source "nope"; sources: rest, http, http-v1, url, alb, alb-multi');
  });

  it('decodes a REST base64 body only where the binary media types and the Accept header say so', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const handler = async (): Promise<unknown> => ({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true });
    const event = { httpMethod: 'GET', path: '/logo', headers: { Accept: 'image/png' }, requestContext: {} };
    expect((await invoke(handler, event)).body).toBe(png.toString('base64'));
    expect((await invoke(handler, event, { gateway: { binaryMediaTypes: ['image/png'] } })).rawBody).toEqual(png);
  });
});
