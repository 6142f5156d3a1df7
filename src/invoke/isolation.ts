/**
 * Outbound isolation during runs: connections to hosts the run does not allow are refused at
 * `net.Socket.prototype.connect` (every client passes there) and recorded with the request that wanted them.
 */
import * as diagnostics from 'node:diagnostics_channel';
import * as net from 'node:net';
import * as path from 'node:path';
import { setImmediate } from 'node:timers';
import type { Violation } from '../verify/violation';
import { ensureFetchGlobals } from './fetch-globals';

/** What a contract run allows the handler to reach. */
export interface NetworkOptions {
  /**
   * Hosts the handler may reach: names (`api.example.com`), `host:port`, or patterns. Loopback
   * (`localhost`, `127.0.0.1`, `[::1]`) is always allowed: local emulators are not the network.
   */
  allow?: Array<string | RegExp>;
}

/** One call the handler tried to make. */
export interface OutboundAttempt {
  /** The request's method; `CONNECT` for a connection no HTTP request named (a database driver's). */
  method: string;
  /** `https://api.example.com/v1/things?x=1`; `tcp://db.example.com:5432` for a bare connection. */
  url: string;
  /** `api.example.com` (the port when it is not the scheme's), as the allow list takes it. */
  host: string;
  /** Set when the call was to an AWS service: which one, which operation, and the line of the handler's code that made it. */
  aws?: AwsCall;
}

/** An AWS API call, as its request names it. */
export interface AwsCall {
  /** The endpoint's service (`secretsmanager`, `ssm`, `s3`, `sts`). */
  service: string;
  /** The API operation (`GetSecretValue`), from the `X-Amz-Target` header or a query `Action`; else `METHOD /path`. */
  operation: string;
  region?: string;
  /** The first line of the caller's own code on the request's (async) stack: `src/app.mjs:12:20`. */
  line?: string;
}

const AWS_HOST = /^(?:[^.]+\.)*?([a-z0-9-]+)(?:[.-](?:fips\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d))?\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i;

/** The AWS service and operation a request calls; undefined for any other host. */
export function awsCallOf(method: string, url: string, target: string | undefined, line: string | undefined): AwsCall | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const m = AWS_HOST.exec(parsed.host);
  if (!m) return undefined;
  // Virtual-hosted S3 (`bucket.s3.us-east-1.amazonaws.com`) names the service after the bucket.
  const labels = parsed.hostname.split('.');
  const service = labels.includes('s3') || labels.some((l) => l.startsWith('s3-')) ? 's3' : (m[1] ?? '').toLowerCase();
  const action = parsed.searchParams.get('Action');
  const operation = target ? target.replace(/^.*\./, '') : action ?? `${method} ${parsed.pathname}`;
  return { service, operation, ...(m[2] ? { region: m[2] } : {}), ...(line ? { line } : {}) };
}

/** The stack here, deep enough to reach past an SDK's middleware to the caller's awaits (Node keeps 10 frames by default). */
function deepStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** This package's own code (its dist/, or src/ under a test runner): never the caller's line. */
const OWN_CODE = path.resolve(__dirname, '..') + path.sep;

/** The first frame of a stack that is the caller's own code (not Node's, not a package's, not ours). */
function callerLine(stack: string | undefined): string | undefined {
  for (const frame of (stack ?? '').split('\n').slice(1)) {
    const m = /(?:\(|at (?:async )?)((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(frame);
    const at = m?.[1];
    if (!at || /[\\/]node_modules[\\/]|^node:/.test(at) || at.replace(/^file:\/\//, '').startsWith(OWN_CODE)) continue;
    return at.replace(/^file:\/\//, '');
  }
  return undefined;
}

export interface NetworkIsolation {
  /** The attempts since the last call. */
  take(): OutboundAttempt[];
  /** Lets the network back in and detaches. */
  restore(): void;
}

type Nock = typeof import('nock');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)(:\d+)?$/i;

/** Whether `host` (`name` or `name:port`) is on the allow list. */
export function hostAllowed(host: string, allow: ReadonlyArray<string | RegExp> = []): boolean {
  if (LOOPBACK.test(host)) return true;
  const name = host.replace(/:\d+$/, '');
  return allow.some((a) => (typeof a === 'string' ? a === host || a === name : a.test(host)));
}

/**
 * Loads nock now, before the handler's modules: nock patches node:http and node:https when it loads,
 * and a handler compiled by swc or babel that did `import * as https from 'https'` holds a copy of
 * `https.request` taken when it was imported, which a nock loaded later cannot answer for. Only
 * `mockDownstream` answers through nock; the preset calls this so its mocks reach such handlers.
 */
export function preloadNock(): void {
  loadNock();
}

let loaded: Nock | undefined;

/** nock, loaded once per module registry (once per process outside Jest, once per test file inside). */
export function loadNock(): Nock {
  ensureFetchGlobals();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('nock') as Nock);
}

/**
 * Takes nock's patches off node:http and node:https if this module loaded it. Inside Jest each test
 * file has its own nock, but node:http is one for the whole worker: a file's nock left in place would
 * shadow the next file's (whose mocks would then go unanswered). The preset and `contractSuite` call
 * this after each file.
 */
export function releaseNock(): void {
  if (loaded?.isActive()) loaded.restore();
}

interface Active {
  allow: ReadonlyArray<string | RegExp>;
  attempts: OutboundAttempt[];
}

/** A request a client announced on a diagnostics channel, waiting to be matched to its connection. */
interface Announced {
  origin: string;
  method: string;
  url: string;
  /** An AWS call's `X-Amz-Target` header. */
  target?: string;
  /** An AWS call's caller, read as the client names the request (fetch connects after the caller's stack is gone). */
  line?: string;
}

/** A header of a request announced by node:http (`getHeader`) or fetch (`headers`, a flat name/value list or a string). */
function headerOf(request: object, name: string): string | undefined {
  const r = request as { getHeader?: (n: string) => unknown; headers?: unknown };
  if (typeof r.getHeader === 'function') {
    const v = r.getHeader(name);
    return typeof v === 'string' ? v : undefined;
  }
  if (Array.isArray(r.headers)) {
    for (let i = 0; i + 1 < r.headers.length; i += 2) if (String(r.headers[i]).toLowerCase() === name) return String(r.headers[i + 1]);
  } else if (typeof r.headers === 'string') {
    const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(r.headers);
    if (m) return m[1]?.trim();
  }
  return undefined;
}

/**
 * What the patched `connect` reads. One per process, kept on the socket prototype: inside Jest every
 * test file loads its own copy of this module, but node:net is shared by all of them.
 */
interface Shared {
  original: net.Socket['connect'];
  patched?: net.Socket['connect'];
  active: Set<Active>;
  announced: Announced[];
  onRequest: (message: unknown) => void;
}

const SHARED = Symbol.for('lambda-contract.network-isolation');
const REQUEST_CHANNELS = ['undici:request:create', 'http.client.request.start'];
type Patched = { [SHARED]?: Shared };

function install(): Shared {
  const proto = net.Socket.prototype as net.Socket & Patched;
  const existing = proto[SHARED];
  if (existing) return existing;
  const shared: Shared = {
    original: proto.connect,
    active: new Set(),
    announced: [],
    onRequest: (message) => {
      if (shared.active.size === 0) return;
      const request = (message as { request?: { origin?: unknown; protocol?: unknown; host?: unknown; method?: unknown; path?: unknown; getHeader?: unknown } }).request;
      if (!request) return;
      // fetch (undici) gives an origin; node:http a protocol and a Host header
      let base = typeof request.origin === 'string' ? request.origin : undefined;
      if (base === undefined && typeof request.protocol === 'string') {
        const hostHeader = typeof request.getHeader === 'function' ? (request.getHeader as (n: string) => unknown).call(request, 'host') : undefined;
        base = `${request.protocol}//${typeof hostHeader === 'string' ? hostHeader : String(request.host)}`;
      }
      let origin: string;
      try {
        origin = new URL(base ?? '').origin;
      } catch {
        return;
      }
      const announced: Announced = { origin, method: String(request.method ?? 'GET'), url: origin + String(request.path ?? '/') };
      if (/\.amazonaws\.com(\.cn)?$/i.test(new URL(origin).hostname)) {
        // Which API operation, and where in the handler: asked only of AWS calls (a stack costs).
        const target = headerOf(request, 'x-amz-target');
        if (target) announced.target = target;
        const line = callerLine(deepStack());
        if (line) announced.line = line;
      }
      shared.announced.push(announced);
      if (shared.announced.length > 100) shared.announced.shift();
    },
  };
  proto[SHARED] = shared;
  proto.connect = shared.patched = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = connectTarget(args);
    if (target && shared.active.size > 0) {
      const blocking = [...shared.active].filter((a) => !hostAllowed(target.hostPort, a.allow));
      if (blocking.length > 0) return refuse(this, target, blocking, shared);
    }
    return (shared.original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as net.Socket['connect'];
  // Clients name their requests on these channels: fetch (undici) before it connects, node:http when it
  // has its socket. A refused connection takes its method and URL from them.
  for (const channel of REQUEST_CHANNELS) diagnostics.subscribe(channel, shared.onRequest);
  return shared;
}

function uninstall(shared: Shared): void {
  const proto = net.Socket.prototype as net.Socket & Patched;
  if (proto.connect !== shared.patched) return; // patched again on top of ours: ours stays, passing everything through
  proto.connect = shared.original;
  delete proto[SHARED];
  for (const channel of REQUEST_CHANNELS) diagnostics.unsubscribe(channel, shared.onRequest);
}

interface Target {
  host: string;
  port: number;
  /** `name:port` (`[v6]:port`), as the allow list reads it. */
  hostPort: string;
}

/** Where `socket.connect(...)` goes, in each of its call forms; undefined for a local (IPC) path. */
function connectTarget(args: unknown[]): Target | undefined {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net.connect() passes its normalised arguments as one array
  let host: unknown;
  let port: unknown;
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: unknown; port?: unknown; path?: unknown };
    if (o.path !== undefined && o.port === undefined) return undefined;
    host = o.host;
    port = o.port;
  } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
    return undefined; // a pipe or socket file
  } else {
    port = first;
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  const name = typeof host === 'string' && host !== '' ? host : 'localhost';
  const p = Number(port);
  const shown = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return { host: name, port: p, hostPort: `${shown}:${p}` };
}

function refuse(socket: net.Socket, target: Target, blocking: Active[], shared: Shared): net.Socket {
  // A TLS socket says so (`encrypted`): no need to load node:tls (3 MB) into every sandbox to ask.
  const secure = (socket as net.Socket & { encrypted?: unknown }).encrypted === true;
  const protocol = secure ? 'https:' : 'http:';
  const shownHost = target.hostPort.replace(/:\d+$/, '');
  const host = target.port === (secure ? 443 : 80) ? shownHost : target.hostPort;
  const origin = `${protocol}//${host}`.toLowerCase();
  const named = (): Announced | undefined => {
    const i = shared.announced.findIndex((a) => a.origin.toLowerCase() === origin);
    return i >= 0 ? shared.announced.splice(i, 1)[0] : undefined;
  };
  const fetched = named();
  // Until a request names it, a connection is a bare one (a database driver's, a raw socket's).
  const attempt: OutboundAttempt = fetched ? { method: fetched.method, url: fetched.url, host } : { method: 'CONNECT', url: `${secure ? 'tls' : 'tcp'}://${target.hostPort}`, host: target.hostPort };
  // node:http connects while the client builds its request: the caller's code is on this stack (its
  // awaits included, as async frames), where a request's announcement comes later from Node's own queue.
  const line = /\.amazonaws\.com(\.cn)?$/i.test(target.host) ? callerLine(deepStack()) : undefined;
  const noteAws = (a: Announced | undefined): void => {
    const aws = awsCallOf(attempt.method, attempt.url, a?.target ?? headerOf((socket as unknown as { _httpMessage?: object })._httpMessage ?? {}, 'x-amz-target'), line ?? a?.line);
    if (aws) attempt.aws = aws;
  };
  noteAws(fetched);
  for (const a of blocking) a.attempts.push(attempt);
  const error = Object.assign(new Error(`connect ENETUNREACH ${target.host}:${target.port} (lambda-contract blocks the network during contract runs)`), {
    code: 'ENETUNREACH', errno: -101, syscall: 'connect', address: target.host, port: target.port,
  });
  // As a socket that is connecting: writes queue, then the error arrives as a failed connection's would.
  (socket as unknown as { connecting: boolean }).connecting = true;
  setImmediate(() => {
    // node:http has given the socket its request by now: the attempt gets its method and URL.
    const req = (socket as unknown as { _httpMessage?: { method?: string; path?: string; protocol?: string; host?: string; getHeader?: (n: string) => unknown } })._httpMessage;
    if (fetched) {
      // named when it asked
    } else if (req && typeof req.method === 'string' && typeof req.path === 'string') {
      const hostHeader = req.getHeader?.('host');
      Object.assign(attempt, { method: req.method, url: `${req.protocol ?? protocol}//${typeof hostHeader === 'string' ? hostHeader : host}${req.path}`, host });
      noteAws(named()); // its announcement, if any, is used up
    } else {
      const later = named(); // a request whose socket was made for it by a library in between (nock's passthrough)
      if (later) Object.assign(attempt, { method: later.method, url: later.url, host });
      noteAws(later);
    }
    socket.destroy(error);
  });
  return socket;
}

/**
 * Blocks outbound connections until `restore()`.
 *
 * @example
 * const isolation = isolateNetwork({ allow: ['sts.amazonaws.com'] });
 * await handler(event);
 * isolation.take(); // [{ method: 'GET', url: 'https://api.example.com/v1', host: 'api.example.com' }]
 * isolation.restore();
 */
export function isolateNetwork(options: NetworkOptions = {}): NetworkIsolation {
  const shared = install();
  const active: Active = { allow: options.allow ?? [], attempts: [] };
  shared.active.add(active);
  return {
    take() {
      const out = active.attempts;
      active.attempts = [];
      shared.announced.length = 0;
      return out;
    },
    restore() {
      shared.active.delete(active);
      if (shared.active.size === 0) uninstall(shared);
    },
  };
}

/**
 * The violation for a blocked call, naming host and path (an AWS call: the service, operation and line),
 * and whose call it was: the handler's, or the Lambda authorizer's in front of it.
 */
export function outboundViolation(operationId: string, status: number | undefined, attempt: OutboundAttempt, caller: 'handler' | 'authorizer' = 'handler'): Violation {
  const { aws } = attempt;
  const who = caller === 'authorizer' ? 'the Lambda authorizer' : 'the handler';
  const where = caller === 'authorizer' ? 'authorizer' : 'network';
  if (aws) {
    const supply = aws.service === 'dynamodb'
      ? 'declare the table in the template (AWS::DynamoDB::Table or AWS::Serverless::SimpleTable) so the run creates it locally'
      : aws.service === 's3'
        ? 'declare the bucket in the template (AWS::S3::Bucket) so the run keeps it in memory'
        : aws.service === 'secretsmanager' || aws.service === 'ssm'
          ? 'give its values with --aws-values FILE (or "awsValues" in the config)'
          : `answer it with mockDownstream or nock, or allow the host with network: { allow: ['${attempt.host.replace(/:\d+$/, '')}'] }`;
    return {
      rule: 'aws_call_not_emulated', operationId, ...(status !== undefined ? { status } : {}), where,
      expected: 'AWS calls only to the local stand-ins of the services the template declares',
      received: `${aws.service} ${aws.operation}${aws.line ? ` at ${aws.line}` : ''}`,
      message: `${who} called ${aws.service} ${aws.operation}${aws.line ? ` (${aws.line})` : ''}, which has no local stand-in in this run (blocked): ${supply}`,
    };
  }
  return {
    rule: 'outbound_request', operationId, ...(status !== undefined ? { status } : {}), where,
    expected: 'no network calls during a contract run (mock them, or allow the host)',
    received: `${attempt.method} ${attempt.url}`,
    message: `${who} tried to reach ${attempt.host}: ${attempt.method} ${attempt.url} (blocked; mock it with mockDownstream or nock, or allow it with network: { allow: ['${attempt.host.replace(/:\d+$/, '')}'] })`,
  };
}
