/**
 * Outbound isolation at the socket, in a test file that never loads nock: the handlers here reach the
 * network the ways real ones do — a copy of `https.request` taken at import (what swc and babel make of
 * `import * as https`), node:http with its own agent and a body, a database driver's bare TCP socket —
 * and each is refused with the error an unreachable network gives, and reported by method and URL.
 */
import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import * as path from 'node:path';
import { isolateNetwork, loadContract, runContract } from '../../src';

// Taken before any isolation exists, as a compiled namespace import takes it.
const copied = { request: https.request };
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const pet = { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: '2026-01-01T12:00:00Z' };
const json = (body: unknown) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

function outcome(start: (done: (r: string) => void) => void): Promise<string> {
  return new Promise((resolve) => start(resolve));
}

describe('isolation at the socket', () => {
  it('refuses every way out with ENETUNREACH and reports each by method and URL', async () => {
    const errors: string[] = [];
    const handler = async () => {
      errors.push(await outcome((done) => {
        const req = copied.request('https://copied.example.com/v1/audit?x=1', { method: 'POST' }, () => done('answered'));
        req.on('error', (e: NodeJS.ErrnoException) => done(`https ${e.code}`));
        req.end('{"a":1}');
      }));
      errors.push(await outcome((done) => {
        const req = http.request({ host: 'plain.example.net', port: 8080, path: '/p?q=1', method: 'PUT', agent: false }, () => done('answered'));
        req.on('error', (e: NodeJS.ErrnoException) => done(`http ${e.code}`));
        req.end('body');
      }));
      errors.push(await outcome((done) => {
        const socket = net.connect({ host: 'db.example.com', port: 5432 }, () => done('connected'));
        socket.on('error', (e: NodeJS.ErrnoException) => done(`tcp ${e.code}`));
      }));
      return json(pet);
    };
    const contract = await loadContract(PETSTORE);
    const connect = net.Socket.prototype.connect;
    const report = await runContract(contract, handler as never, { operations: ['getPet'], runs: 0, checks: ['conformance'] });
    expect(errors).toEqual(['https ENETUNREACH', 'http ENETUNREACH', 'tcp ENETUNREACH']);
    expect(report.results[0]?.violations.map((v) => v.received)).toEqual([
      'POST https://copied.example.com/v1/audit?x=1',
      'PUT http://plain.example.net:8080/p?q=1',
      'CONNECT tcp://db.example.com:5432',
    ]);
    expect(report.results[0]?.violations[2]?.message).toMatch(/^the handler tried to reach db\.example\.com:5432: /);
    // the process is left as it was found
    expect(net.Socket.prototype.connect).toBe(connect);
  });

  it('refuses HTTP/2 sessions and AWS SDK v3 clients, naming where each tried to go (an AWS call: its service, operation and the line that made it)', async () => {
    const errors: string[] = [];
    const handler = async () => {
      errors.push(await outcome((done) => {
        const session = http2.connect('https://h2.example.com');
        session.on('error', (e: NodeJS.ErrnoException) => done(`http2 ${e.code}`));
        session.on('connect', () => done('connected'));
      }));
      const dynamo = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
      const sent = await dynamo.send(new GetItemCommand({ TableName: 'pets', Key: { id: { S: '1' } } })).then(() => 'answered', (e: NodeJS.ErrnoException) => `sdk ${e.code ?? e.name}`);
      errors.push(sent);
      dynamo.destroy();
      return json(pet);
    };
    const report = await runContract(await loadContract(PETSTORE), handler as never, { operations: ['getPet'], runs: 0, checks: ['conformance'] });
    expect(errors).toEqual(['http2 ENETUNREACH', 'sdk ENETUNREACH']);
    expect(report.results[0]?.violations.map((v) => [v.rule, v.received])).toEqual([
      ['outbound_request', 'CONNECT tls://h2.example.com:443'],
      ['aws_call_not_emulated', expect.stringMatching(/^dynamodb GetItem at .*isolation\.test\.ts:\d+:\d+$/)],
    ]);
  });

  it('nests: each isolation records what its own allow list refuses, and the last one out restores the socket', async () => {
    const original = net.Socket.prototype.connect;
    const outer = isolateNetwork({ allow: ['a.example.com'] });
    const inner = isolateNetwork({ allow: ['b.example.com'] });
    const tryHost = (host: string) => outcome((done) => {
      const s = net.connect({ host, port: 443 }, () => done('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
    });
    expect(await tryHost('a.example.com')).toBe('ENETUNREACH'); // inner refuses it
    expect(await tryHost('c.example.com')).toBe('ENETUNREACH');
    expect(outer.take().map((a) => a.host)).toEqual(['c.example.com:443']);
    expect(inner.take().map((a) => a.host)).toEqual(['a.example.com:443', 'c.example.com:443']);
    inner.restore();
    expect(net.Socket.prototype.connect).not.toBe(original);
    outer.restore();
    expect(net.Socket.prototype.connect).toBe(original);
  });
});
