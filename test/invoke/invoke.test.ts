import * as path from 'node:path';
import { invoke, isContractError, loadHandler } from '../../src';

const handlers = path.resolve(__dirname, '../fixtures/handlers');

describe('invoke', () => {
  it('awaits an async handler and serialises its value as the runtime does', async () => {
    const inv = await invoke(async (e: { n: number }) => ({ statusCode: 200, body: String(e.n), when: new Date(0) }), { n: 7 });
    expect(inv.outcome).toEqual({ kind: 'returned', payload: '{"statusCode":200,"body":"7","when":"1970-01-01T00:00:00.000Z"}' });
    expect(inv.result).toEqual({ statusCode: 200, body: '7', when: new Date(0) });
  });

  it('waits for a callback handler, and takes the first settlement only', async () => {
    const inv = await invoke((_e: unknown, _c, cb) => {
      setTimeout(() => cb(null, { statusCode: 201 }), 5);
      setTimeout(() => cb(new Error('second call')), 10);
    }, {});
    expect(inv.outcome).toEqual({ kind: 'returned', payload: '{"statusCode":201}' });
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

  it('sends null for undefined and reports a result that cannot be serialised', async () => {
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
