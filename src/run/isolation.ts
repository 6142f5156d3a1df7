/**
 * Outbound isolation during contract runs: the handler's real network calls (node:http, node:https,
 * global fetch) are blocked with nock and recorded, so the run reports the host and path instead of
 * depending on the network. nock patches Node on load, so it is required only when a run isolates, and
 * put back as it was found afterwards (a user's own nock keeps working).
 */
import type { Violation } from '../verify/violation';

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
  method: string;
  /** `https://api.example.com/v1/things?x=1` */
  url: string;
  host: string;
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
 * `https.request` taken when it was imported. Loaded nock passes every call through until a run
 * isolates. The CLI and the Jest preset call this before loading handlers.
 */
export function preloadNetworkIsolation(): void {
  loadNock();
}

let loaded: Nock | undefined;

/** nock, loaded once per module registry (once per process outside Jest, once per test file inside). */
export function loadNock(): Nock {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('nock') as Nock);
}

/**
 * Takes nock's patches off node:http and node:https if this module loaded it. Inside Jest each test
 * file has its own nock, but node:http is one for the whole worker: a file's nock left in place would
 * shadow the next file's (whose calls would then go out unseen). The preset and `contractSuite` call
 * this after each file.
 */
export function releaseNetworkIsolation(): void {
  if (loaded?.isActive()) loaded.restore();
}

/**
 * Blocks outbound calls until `restore()`.
 *
 * @example
 * const isolation = isolateNetwork({ allow: ['sts.amazonaws.com'] });
 * await handler(event);
 * isolation.take(); // [{ method: 'GET', url: 'https://api.example.com/v1', host: 'api.example.com' }]
 * isolation.restore();
 */
export function isolateNetwork(options: NetworkOptions = {}): NetworkIsolation {
  const nock = loadNock();
  const wasActive = nock.isActive();
  if (!wasActive) nock.activate();
  let attempts: OutboundAttempt[] = [];
  const onNoMatch = (req: { method?: string; href?: string; hostname?: string; host?: string; port?: string | number }): void => {
    const url = req.href ?? '';
    let host = req.host ?? req.hostname ?? '';
    try {
      host = new URL(url).host || host;
    } catch {
      // keep what the request said
    }
    if (hostAllowed(host, options.allow)) return;
    attempts.push({ method: (req.method ?? 'GET').toUpperCase(), url, host });
  };
  nock.emitter.on('no match', onNoMatch);
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => hostAllowed(host, options.allow));
  return {
    take() {
      const out = attempts;
      attempts = [];
      return out;
    },
    restore() {
      nock.emitter.removeListener('no match', onNoMatch);
      nock.enableNetConnect();
      if (!wasActive) nock.restore();
    },
  };
}

/** The violation for a blocked call, naming host and path. */
export function outboundViolation(operationId: string, status: number | undefined, attempt: OutboundAttempt): Violation {
  return {
    rule: 'outbound_request', operationId, ...(status !== undefined ? { status } : {}), where: 'network',
    expected: 'no network calls during a contract run (mock them, or allow the host)',
    received: `${attempt.method} ${attempt.url}`,
    message: `the handler tried to reach ${attempt.host}: ${attempt.method} ${attempt.url} (blocked; mock it with mockDownstream or nock, or allow it with network: { allow: ['${attempt.host.replace(/:\d+$/, '')}'] })`,
  };
}
