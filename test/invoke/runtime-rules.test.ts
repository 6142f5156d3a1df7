/**
 * The Node.js runtime's own rules, without a template: callback handlers answer once the event loop is
 * empty (callbackWaitsForEmptyEventLoop), nodejs24.x refuses them, and a streaming handler's response
 * reaches a function URL's client as the chunks it wrote.
 */
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { loadContract } from '../../src/contract';
import { callHandler } from '../../src/invoke/invoke';
import { loadHandler } from '../../src/invoke/load';
import { runContract } from '../../src/run/run';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '../..');
const ok = { statusCode: 200, body: '{}' };

describe('callback handlers and the event loop', () => {
  it('time out when a timer keeps the event loop busy, with callbackWaitsForEmptyEventLoop left true', async () => {
    const handler = (_e: unknown, _c: Context, callback: (e: unknown, r: unknown) => void): void => {
      setTimeout(() => undefined, 5_000); // left running, as a connection pool's keep-alive would be
      callback(null, ok);
    };
    const invocation = await callHandler(handler as never, {}, { timeout: 200 });
    expect(invocation.outcome).toEqual({ kind: 'timeout', timeoutMs: 200 });
  });

  it('answer at the callback when the handler sets callbackWaitsForEmptyEventLoop to false', async () => {
    const handler = (_e: unknown, context: Context, callback: (e: unknown, r: unknown) => void): void => {
      context.callbackWaitsForEmptyEventLoop = false;
      setTimeout(() => undefined, 5_000);
      callback(null, ok);
    };
    const invocation = await callHandler(handler as never, {}, { timeout: 200 });
    expect(invocation.outcome).toEqual({ kind: 'returned', payload: JSON.stringify(ok) });
  });

  it('answer once the handler\'s timers have run, and ignore unref\'d ones', async () => {
    const order: string[] = [];
    const handler = (_e: unknown, _c: Context, callback: (e: unknown, r: unknown) => void): void => {
      setTimeout(() => order.push('timer ran'), 20);
      setTimeout(() => undefined, 5_000).unref();
      callback(null, ok);
    };
    const invocation = await callHandler(handler as never, {}, { timeout: 1_000 });
    order.push('answered');
    expect(invocation.outcome.kind).toBe('returned');
    expect(order).toEqual(['timer ran', 'answered']);
  });

  it('an async handler answers when its promise settles, whatever timers it leaves', async () => {
    const invocation = await callHandler((async () => {
      setTimeout(() => undefined, 5_000);
      return ok;
    }) as never, {}, { timeout: 200 });
    expect(invocation.outcome.kind).toBe('returned');
  });
});

describe('the runtime option', () => {
  const callbackStyle = (_e: unknown, _c: Context, callback: (e: unknown, r: unknown) => void): void => callback(null, ok);

  it('nodejs24.x fails every invocation of a callback handler, as Lambda does; nodejs22.x runs it', async () => {
    const on24 = await callHandler(callbackStyle as never, {}, { runtime: 'nodejs24.x' });
    expect(on24.outcome).toMatchObject({ kind: 'threw', errorType: 'Runtime.CallbackHandlerDeprecated' });
    expect((await callHandler(callbackStyle as never, {}, { runtime: 'nodejs22.x' })).outcome.kind).toBe('returned');
    expect((await callHandler((async () => ok) as never, {}, { runtime: 'nodejs24.x' })).outcome.kind).toBe('returned');
  });

  it('a run on nodejs24.x reports runtime_unsupported_handler and the gateway\'s 502 on each case', async () => {
    const contract = await loadContract(path.join(ROOT, 'specs/bookshop-gateway/openapi.yaml'));
    const report = await runContract(contract, callbackStyle as never, { runtime: 'nodejs24.x', runs: 0, operations: ['listBooks'], checks: ['conformance'] });
    // The preflight is the gateway's own answer (the path's CORS mock): no function, no runtime rule.
    expect(report.results.map((r) => [r.case, r.status, r.violations.map((v) => v.rule)])).toEqual([['schema', 502, ['runtime_unsupported_handler', 'gateway_function_error']], ['CORS preflight', 200, []]]);
  });

  it('the CLI takes --runtime and refuses a name that is not a Node.js runtime', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: ROOT, isTTY: false, env: {} };
    const bad = await main(['check', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--runtime', 'python3.12'], io);
    expect([bad, stderr]).toEqual([2, expect.stringContaining('--runtime: "python3.12" is not a Lambda Node.js runtime')]);
    const good = await main(['check', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--runtime', 'nodejs24.x', '--runs', '0'], io);
    expect(good).toBe(0); // the petstore handler is async
    expect(stdout).toContain('conforms');
  });
});

describe('response streaming behind a function URL', () => {
  it('judges a streamified handler\'s response as the chunks it wrote, with the prelude\'s status and headers', async () => {
    const contract = await loadContract(path.join(ROOT, 'specs/streaming-export/openapi.yaml'));
    const handler = await loadHandler('specs/streaming-export/handler.ts#handler', ROOT);
    const report = await runContract(contract, handler as never, { source: 'url', runs: 3 });
    expect(report.results.map((r) => [r.case, r.ok, r.status])).toEqual([
      ['schema', true, 200], ['property ×3', true, 200],
      ['negative: query parameter "since" is not an integer', true, 400], ['negative: query parameter "since" is below its minimum 1450', true, 400], ['negative: query parameter "since" is above its maximum 2100', true, 400],
    ]);
    const event = contract.eventFor('exportBooks', { source: 'url' });
    const invocation = await callHandler(handler as never, event as never);
    const judged = contract.judge('exportBooks', invocation, { source: 'url' });
    expect(judged.response.headers).toEqual(expect.arrayContaining([['content-type', 'application/json'], ['x-export-rows', '3']]));
    expect(JSON.parse(judged.response.body.toString()).map((r: { isbn: string }) => r.isbn)).toEqual(['9780135957059', '9780134757599', '9780201633610']);
  });

  it('runs a streamified handler on nodejs24.x: its three parameters (event, responseStream, context) are no callback', async () => {
    await loadHandler('specs/streaming-export/handler.ts#handler', ROOT); // installs the runtime's awslambda global
    const g = globalThis as unknown as { awslambda: { streamifyResponse: <T>(h: T) => T; HttpResponseStream: { from: (s: NodeJS.WritableStream, p: object) => NodeJS.WritableStream } } };
    const handler = g.awslambda.streamifyResponse(async (_e: unknown, stream: NodeJS.WritableStream, context: Context) => {
      const out = g.awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: { 'content-type': 'text/plain' } });
      out.end(`from ${context.functionName}`);
    });
    expect(handler.length).toBe(3);
    const invocation = await callHandler(handler as never, {}, { runtime: 'nodejs24.x', context: { functionName: 'streamer' } });
    expect(invocation.outcome).toMatchObject({ kind: 'returned', streamed: true });
    expect(Buffer.from(invocation.result as Uint8Array).toString('utf8')).toBe('from streamer');
  });

  it('finds a break in a streamed body, and reads a stream without a prelude as a 200 of application/octet-stream', async () => {
    const contract = await loadContract(path.join(ROOT, 'specs/streaming-export/openapi.yaml'));
    const g = globalThis as unknown as { awslambda: { streamifyResponse: <T>(h: T) => T; HttpResponseStream: { from: (s: NodeJS.WritableStream, p: object) => NodeJS.WritableStream } } };
    const broken = g.awslambda.streamifyResponse(async (_e: unknown, stream: NodeJS.WritableStream) => {
      const out = g.awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: { 'content-type': 'application/json', 'x-export-rows': '1' } });
      out.write('[{"isbn":"12345",');
      await sleep(1);
      out.end('"title":"Short ISBN","year":2001}]');
    });
    const report = await runContract(contract, broken as never, { source: 'url', runs: 0, checks: ['conformance'] });
    expect(report.results[0]?.violations.map((v) => [v.rule, v.pointer])).toEqual([['body_schema', '/0/isbn']]);
    const bare = g.awslambda.streamifyResponse(async (_e: unknown, stream: NodeJS.WritableStream) => {
      stream.end('raw bytes');
    });
    const invocation = await callHandler(bare as never, contract.eventFor('exportBooks', { source: 'url' }) as never);
    const judged = contract.judge('exportBooks', invocation, { source: 'url' });
    expect([judged.response.statusCode, judged.response.body.toString()]).toEqual([200, 'raw bytes']);
    expect(judged.response.headers).toContainEqual(['content-type', 'application/octet-stream']);
  });
});
