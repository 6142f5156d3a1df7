/**
 * Outbound isolation and downstream mocks, with handlers that call out through fetch and node:https as
 * real handlers do. Nothing here reaches the network: blocked calls fail inside the handler.
 */
import http from 'node:http';
// A default import reads https.get when called (a namespace import under swc or babel copies it at
// import time, before nock patches it — which is why the preset and the CLI load nock first).
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import nock from 'nock';
import { loadContract, mockDownstream, runContract, type Contract } from '../../src';
import { hostAllowed } from '../../src/invoke/isolation';

const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const pet = { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: '2026-01-01T12:00:00Z' };
let contract: Contract;

beforeAll(async () => {
  contract = await loadContract(PETSTORE);
});

// Importing nock activates it (as the preset and the CLI do before loading handlers); runs leave it as they found it.
afterEach(() => {
  expect(nock.isActive()).toBe(true);
  expect(nock.activeMocks()).toEqual([]);
});

const json = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** GET over node:https, resolving with status and text (or the error's code). */
function httpsGet(url: string): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = https.get(url, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

describe('outbound isolation in contract runs', () => {
  it('blocks the handler\'s fetch and https calls and reports each with host and path', async () => {
    const seen: string[] = [];
    const handler = async (event: { resource: string; httpMethod: string }) => {
      if (event.resource === '/pets' && event.httpMethod === 'GET') {
        try {
          await fetch('https://api.example.com/v1/prices?currency=EUR');
        } catch (error) {
          seen.push(`${(error as Error).message}: ${((error as Error).cause as NodeJS.ErrnoException | undefined)?.code}`);
        }
        return { ...json(200, [pet]), headers: { 'Content-Type': 'application/json', 'X-Total-Count': '1' } };
      }
      const r = await httpsGet('https://audit.example.org/log');
      seen.push(JSON.stringify(r));
      return json(200, pet);
    };
    const report = await runContract(contract, handler as never, { operations: ['listPets', 'getPet'], runs: 0, checks: ['conformance'] });
    const outbound = report.results.flatMap((r) => r.violations.filter((v) => v.rule === 'outbound_request').map((v) => [r.operationId, v.received]));
    expect(outbound).toContainEqual(['listPets', 'GET https://api.example.com/v1/prices?currency=EUR']);
    expect(outbound).toContainEqual(['getPet', 'GET https://audit.example.org/log']);
    const v = report.results.find((r) => r.operationId === 'listPets')?.violations.find((x) => x.rule === 'outbound_request');
    expect(v?.message).toBe("the handler tried to reach api.example.com: GET https://api.example.com/v1/prices?currency=EUR (blocked; mock it with mockDownstream or nock, or allow it with network: { allow: ['api.example.com'] })");
    // the errors an unreachable network gives: fetch's TypeError with the cause, node:https's error code
    expect(seen).toContain('fetch failed: ENETUNREACH');
    expect(seen).toContain('{"error":"ENETUNREACH"}');
  });

  it('lets loopback through (local emulators), and allowed hosts are never reported', async () => {
    const server = http.createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    let answered = '';
    const handler = async () => {
      answered = await (await fetch(`http://127.0.0.1:${port}/local`)).text();
      return json(200, pet);
    };
    const report = await runContract(contract, handler as never, { operations: ['getPet'], runs: 0, checks: ['conformance'] });
    server.close();
    expect(answered).toBe('{"ok":true}');
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(hostAllowed('localhost:4566')).toBe(true);
    expect(hostAllowed('[::1]:8000')).toBe(true);
    expect(hostAllowed('sts.amazonaws.com:443', ['sts.amazonaws.com'])).toBe(true);
    expect(hostAllowed('s3.eu-west-1.amazonaws.com', [/\.amazonaws\.com$/])).toBe(true);
    expect(hostAllowed('evil.example.com', ['example.com'])).toBe(false);
  });

  it('network: false turns isolation off: the handler\'s call goes out (to a nock mock of the test\'s own)', async () => {
    const scope = nock('https://api.example.com').get('/v1/ping').reply(200, 'pong');
    let answer = '';
    const handler = async () => {
      answer = await (await fetch('https://api.example.com/v1/ping')).text();
      return json(200, pet);
    };
    const report = await runContract(contract, handler as never, { operations: ['getPet'], runs: 0, network: false, checks: ['conformance'] });
    expect(answer).toBe('pong');
    expect(scope.isDone()).toBe(true);
    expect(report.results.every((r) => r.ok)).toBe(true);
  });
});

describe('mockDownstream', () => {
  it('answers plain node:http calls too (an http:// base URL)', async () => {
    const legacy = await mockDownstream(PETSTORE, { baseUrl: 'http://legacy.internal' });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http.get('http://legacy.internal/pets/2', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(contract.isValidResponseValue(contract.operation('getPet').responses.find((r) => r.status === '200')!.content[0]!.schema!, JSON.parse(body))).toBe(true);
      expect(legacy.calls.map((c) => [c.method, c.url, c.operationId, c.status])).toEqual([['GET', 'http://legacy.internal/pets/2', 'getPet', 200]]);
      expect(legacy.violations).toEqual([]);
    } finally {
      legacy.done();
    }
  });

  it('answers fetch and https calls with conforming responses from the downstream document, and records calls it forbids', async () => {
    const downstream = await mockDownstream(PETSTORE, { baseUrl: 'https://pets.internal/v1' });
    try {
      const handler = async (event: { resource: string; httpMethod: string; pathParameters: Record<string, string> | null; body: string | null }) => {
        if (event.httpMethod === 'GET' && event.resource === '/pets/{petId}') {
          const res = await fetch(`https://pets.internal/v1/pets/${event.pathParameters?.petId}`);
          return json(res.status, await res.json());
        }
        if (event.httpMethod === 'GET' && event.resource === '/pets') {
          const r = await httpsGet('https://pets.internal/v1/pets?limit=500'); // above the downstream's maximum 100
          const list = 'text' in r ? (JSON.parse(r.text) as unknown[]) : [];
          return { statusCode: 200, headers: { 'Content-Type': 'application/json', 'X-Total-Count': String(list.length) }, body: JSON.stringify(list) };
        }
        if (event.httpMethod === 'POST') {
          await fetch('https://pets.internal/v1/pets', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer a.b.c' }, body: JSON.stringify({ name: 5, kind: 'cat' }) });
          await fetch('https://pets.internal/v1/owners'); // not in the downstream contract
          return json(201, pet);
        }
        return { statusCode: 204, body: '' };
      };
      const report = await runContract(contract, handler as never, { runs: 0, checks: ['conformance'], operations: ['getPet', 'listPets', 'createPet'] });
      // The downstream's answers conform to its own contract, so the upstream's schema case does too.
      expect(report.results.find((r) => r.operationId === 'getPet' && r.case === 'schema')?.ok).toBe(true);
      // No mocked call is an outbound violation.
      expect(report.results.flatMap((r) => r.violations).filter((v) => v.rule === 'outbound_request')).toEqual([]);
      const byOp = downstream.calls.map((c) => [c.method, c.operationId ?? null, c.status]);
      expect(byOp).toContainEqual(['GET', 'getPet', 200]);
      expect(byOp).toContainEqual(['GET', 'listPets', 200]);
      expect(byOp).toContainEqual(['POST', 'createPet', 201]);
      expect(byOp).toContainEqual(['GET', null, 404]);
      const messages = downstream.violations.map((v) => v.message);
      expect(messages).toContain('Petstore: no operation matches GET /owners');
      expect(messages.some((m) => /^Petstore listPets: the query parameter limit "500" breaks its schema: \(root\) must be <= 100$/.test(m))).toBe(true);
      expect(messages.some((m) => /^Petstore createPet: the request body breaks its schema: \/name must be string/.test(m))).toBe(true);
      expect(downstream.violations.every((v) => v.rule === 'downstream_request')).toBe(true);
    } finally {
      downstream.done();
    }
  });
});
