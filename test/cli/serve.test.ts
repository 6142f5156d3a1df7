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

describe('lambda-contract serve', () => {
  it('serves the handler on loopback, logs each exchange with its verdict, and stops cleanly with a tally', async () => {
    const s = await serve('--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--port', '0');
    const res = await fetch(`${s.base}/pets/1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 1, name: 'Tom' });
    expect((await fetch(`${s.base}/nowhere`)).status).toBe(403);
    expect(await s.stop()).toBe(0);
    expect(s.out()).toMatch(/^lambda-contract serve: .*specs\/petstore\/openapi\.yaml behind rest on http:\/\/127\.0\.0\.1:\d+ — Ctrl-C to stop$/m);
    expect(s.out()).toMatch(/^✓ GET \/pets\/1 → 200 getPet \d+ ms$/m);
    expect(s.out()).toMatch(/^· GET \/nowhere → 403 \(no route for GET \/nowhere\) \d+ ms$/m);
    expect(s.out()).toContain('stopped: 2 requests, 0 broke the contract');
  });

  it('logs violations as they happen and exits 1 when any response broke the contract', async () => {
    const s = await serve('--spec', 'specs/petstore/openapi.yaml', '--handler', 'test/fixtures/handlers/bad.cjs#mixed', '--port', '0', '--source', 'rest');
    const res = await fetch(`${s.base}/pets`);
    expect([res.status, await res.text()]).toEqual([502, '{"message": "Internal server error"}']); // a body that is not a string
    expect(await s.stop()).toBe(1);
    expect(s.out()).toMatch(/^✗ GET \/pets → 502 listPets \d+ ms$/m);
    expect(s.out()).toMatch(/^ {4}✗ \[gateway_malformed_result\]/m);
    expect(s.out()).toContain('stopped: 1 request, 1 broke the contract');
  });

  it('serves a deployment: each request to the function its route reaches, as that route’s source, behind its authorizer', async () => {
    const s = await serve('--template', 'specs/sam-notes/template.yaml', '--port', '0');
    const listed = await fetch(`${s.base}/notes`, { headers: { authorization: 'Bearer t0ken' } });
    expect([listed.status, Array.isArray(await listed.json())]).toEqual([200, true]);
    expect((await fetch(`${s.base}/notes`)).status).toBe(401); // the TOKEN authorizer in front of the REST API
    const created = await fetch(`${s.base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(created.status).toBe(201);
    const health = await fetch(`${s.base}/health`);
    // The health function reads the stage and table its template gives it.
    expect(await health.json()).toEqual({ status: 'ok', table: 'NotesTable', stage: 'dev' });
    expect(await s.stop()).toBe(0);
    expect(s.out()).toMatch(/^lambda-contract serve: specs\/sam-notes\/template\.yaml \(5 functions\) on http:/m);
    expect(s.out()).toMatch(/^✓ GET \/notes → 200 listNotes \[ListNotesFunction\] \d+ ms$/m);
    expect(s.out()).toMatch(/^· GET \/notes → 401 listNotes \[ListNotesFunction\] \(refused by the authorizer\)/m);
    expect(s.out()).toMatch(/^✓ POST \/notes → 201 createNote \[CreateNoteFunction\]/m);
    expect(s.out()).toMatch(/^✓ GET \/health → 200 health \[HealthFunction\]/m);
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
    const s = await serve('--spec', 'specs/petstore/openapi.yaml', '--handler', 'specs/petstore/handler.ts#handler', '--port', '0');
    const port = new URL(s.base).port;
    expect(await run('--port', port)).toEqual({ code: 2, stderr: expect.stringContaining(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`) });
    await s.stop();
  });
});
