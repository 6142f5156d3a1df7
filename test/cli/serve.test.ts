import * as path from 'node:path';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '../..');

/** Starts `lambda-contract serve`, waits for its address, and gives a way to stop it as Ctrl-C would. */
async function serve(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  let interrupt: () => void = () => undefined;
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const exit = main(['serve', ...argv], {
    stdout: (t) => {
      stdout += t;
      const m = /on (http:\/\/[\d.]+:\d+)/.exec(t);
      if (m?.[1]) listening(m[1]);
    },
    stderr: (t) => (stderr += t),
    cwd: ROOT, isTTY: false, env: {},
    interrupted: () => new Promise<void>((resolve) => (interrupt = resolve)),
  });
  const base = await Promise.race([url, exit.then((code) => Promise.reject(new Error(`serve exited ${code}: ${stderr}`)))]);
  return { base, stop: async () => (interrupt(), exit), out: () => stdout, err: () => stderr };
}

/**
 * Runs `body` against a started `serve`, and stops it whatever happens — a failing assertion inside
 * must not leave the server listening (Jest would wait on it forever). The exit code and output after.
 */
async function serving(argv: string[], body: (s: { base: string }) => Promise<void>): Promise<{ code: number; out: string; base: string }> {
  const s = await serve(...argv);
  let code = -1;
  try {
    await body(s);
  } finally {
    code = await s.stop();
  }
  return { code, out: s.out(), base: s.base };
}

describe('lambda-contract serve', () => {
  it('serves the handler on loopback, logs each exchange with its verdict, and stops cleanly with a tally', async () => {
    const r = await serving(['--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--port', '0'], async (s) => {
      const res = await fetch(`${s.base}/pets/1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: 1, name: 'Tom' });
      expect((await fetch(`${s.base}/nowhere`)).status).toBe(403);
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^lambda-contract serve: .*specs\/petstore\/openapi\.yaml behind rest on http:\/\/127\.0\.0\.1:\d+ — Ctrl-C to stop$/m);
    expect(r.out).toMatch(/^✓ GET \/pets\/1 → 200 getPet \d+ ms$/m);
    expect(r.out).toMatch(/^· GET \/nowhere → 403 \(no route for GET \/nowhere\) \d+ ms$/m);
    expect(r.out).toContain('stopped: 2 requests, 0 broke the contract');
  });

  it('logs violations as they happen and exits 1 when any response broke the contract', async () => {
    const r = await serving(['--spec', 'specs/petstore/openapi.yaml', '--handler', 'test/fixtures/handlers/bad.cjs#mixed', '--port', '0', '--source', 'rest'], async (s) => {
      const res = await fetch(`${s.base}/pets`);
      expect([res.status, await res.text()]).toEqual([502, '{"message": "Internal server error"}']); // a body that is not a string
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^✗ GET \/pets → 502 listPets \d+ ms$/m);
    expect(r.out).toMatch(/^ {4}✗ \[gateway_malformed_result\]/m);
    expect(r.out).toContain('stopped: 1 request, 1 broke the contract');
  });

  it('serves a deployment: each request to the function its route reaches, as that route’s source, behind its authorizer', async () => {
    const r = await serving(['--template', 'specs/sam-notes/template.yaml', '--port', '0'], async (s) => {
      const listed = await fetch(`${s.base}/notes`, { headers: { authorization: 'Bearer t0ken' } });
      expect([listed.status, Array.isArray(await listed.json())]).toEqual([200, true]);
      expect((await fetch(`${s.base}/notes`)).status).toBe(401); // the TOKEN authorizer in front of the REST API
      const created = await fetch(`${s.base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
      expect(created.status).toBe(201);
      const health = await fetch(`${s.base}/health`);
      // The health function reads the stage and table its template gives it.
      expect(await health.json()).toEqual({ status: 'ok', table: 'NotesTable', stage: 'dev' });
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^lambda-contract serve: specs\/sam-notes\/template\.yaml \(5 functions\) on http:/m);
    expect(r.out).toMatch(/^✓ GET \/notes → 200 listNotes \[ListNotesFunction\] \d+ ms$/m);
    expect(r.out).toMatch(/^· GET \/notes → 401 listNotes \[ListNotesFunction\] \(refused by the authorizer\)/m);
    expect(r.out).toMatch(/^✓ POST \/notes → 201 createNote \[CreateNoteFunction\]/m);
    expect(r.out).toMatch(/^✓ GET \/health → 200 health \[HealthFunction\]/m);
  });

  it('answers CORS for an HTTP API as its gateway does: preflights without the handler, allow-origin on responses to allowed origins only', async () => {
    const r = await serving(['--spec', 'specs/bookshop-gateway/http-api.yaml', '--handler', 'specs/bookshop-gateway/handler.ts#httpHandler', '--source', 'http', '--port', '0'], async (s) => {
      const preflight = await fetch(`${s.base}/books`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(preflight.status).toBe(204);
      expect([preflight.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-methods'), preflight.headers.get('access-control-allow-headers'), preflight.headers.get('access-control-max-age')])
        .toEqual(['https://app.example.com', 'GET,POST,OPTIONS', 'content-type,authorization', '600']);
      const allowed = await fetch(`${s.base}/books`, { headers: { origin: 'https://app.example.com' } });
      expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('access-control-expose-headers')]).toEqual([200, 'https://app.example.com', 'location']);
      const stranger = await fetch(`${s.base}/books`, { headers: { origin: 'https://evil.example.com' } });
      expect([stranger.status, stranger.headers.get('access-control-allow-origin')]).toEqual([200, null]);
      const refused = await fetch(`${s.base}/books`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([204, null]);
    });
    expect(r.code).toBe(0);
    // The log shows the gateway answered the preflights: the handler (which knows no OPTIONS route) never did.
    expect(r.out).toMatch(/^· OPTIONS \/books → 204 \(CORS preflight\) \d+ ms$/m);
    expect(r.out).toMatch(/^· OPTIONS \/books → 204 \(CORS preflight refused: origin https:\/\/evil\.example\.com is not in allowOrigins\) \d+ ms$/m);
    expect(r.out).toMatch(/^✓ GET \/books → 200 listBooks \d+ ms$/m);
  });

  it('answers for a REST API\'s request validator and API key, in the contract\'s error format', async () => {
    const r = await serving(['--spec', 'specs/bookshop-gateway/openapi.yaml', '--handler', 'specs/bookshop-gateway/handler.ts#handler', '--port', '0'], async (s) => {
      const noKey = await fetch(`${s.base}/books`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'T', isbn: '9780135957059' }) });
      expect([noKey.status, noKey.headers.get('content-type'), ((await noKey.json()) as { type: string }).type]).toEqual([403, 'application/problem+json', 'https://bookshop.example.com/problems/api-key']);
      const badBody = await fetch(`${s.base}/books`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: JSON.stringify({ title: 'T' }) });
      expect([badBody.status, ((await badBody.json()) as { title: string }).title]).toEqual([400, 'Invalid request body']);
      const created = await fetch(`${s.base}/books`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: JSON.stringify({ title: 'T', isbn: '9780135957059' }) });
      expect(created.status).toBe(201);
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^· POST \/books → 400 createBook \(answered by the gateway: validator "all" checks the body: \(root\) must have required property .isbn.\) \d+ ms$/m);
    expect(r.out).toContain("stopped: 3 requests, 0 broke the contract");
  });

  it('exits 2 on a bad port, a port in use, or --source all', async () => {
    const run = async (...argv: string[]) => {
      let stderr = '';
      const code = await main(['serve', '--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', ...argv], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: ROOT, isTTY: false, env: {}, interrupted: () => new Promise(() => undefined) });
      return { code, stderr };
    };
    expect(await run('--port', '70000')).toEqual({ code: 2, stderr: expect.stringContaining('--port must be 0–65535, got 70000') });
    expect(await run('--port', 'http')).toEqual({ code: 2, stderr: expect.stringContaining('--port must be a whole number') });
    expect(await run('--source', 'all')).toEqual({ code: 2, stderr: expect.stringContaining('serve emulates one source') });
    await serving(['--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--port', '0'], async (s) => {
      const port = new URL(s.base).port;
      expect(await run('--port', port)).toEqual({ code: 2, stderr: expect.stringContaining(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`) });
    });
  });

  it('stops the server when an assertion inside fails, so a failing test ends', async () => {
    let base = '';
    const failing = serving(['--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--port', '0'], async (s) => {
      base = s.base;
      expect((await fetch(`${s.base}/pets/1`)).status).toBe(200);
      throw new Error('an assertion failed');
    });
    await expect(failing).rejects.toThrow('an assertion failed');
    await expect(fetch(`${base}/pets/1`)).rejects.toThrow();
  });
});
