/**
 * Inside a function's sandbox: the calls its code makes to the AWS services the run stands in for go to
 * the run's front on loopback instead of `https://<service>.<region>.amazonaws.com`, with no change to
 * the handler and whichever client makes them — the AWS SDK v3 or v2, `fetch`, `https.get`, a library
 * such as `request`. The request is sent as it was (method, path, headers, body) over plain HTTP to the
 * front, which is told the host it was for. Calls to any other host pass untouched, to the network
 * isolation, which blocks and names them.
 */
import type * as Http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';

// The modules themselves (an `import * as` is a copy under CommonJS interop: patching it patches nothing).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require('node:http') as typeof Http;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const https = require('node:https') as typeof Http;

/** The header that tells the front which host a redirected call was for. */
export const FRONT_HOST_HEADER = 'x-lambda-contract-host';

const AWS_HOST = /^(?:[^.]+\.)*?([a-z0-9-]+?)(?:-fips)?(?:[.-](?:fips\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d))?\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i;

/** The AWS service a host is an endpoint of (`dynamodb.us-east-1.amazonaws.com` → `dynamodb`); undefined for any other host. */
export function awsServiceOfHost(host: string): string | undefined {
  const m = AWS_HOST.exec(host);
  return m?.[1]?.toLowerCase();
}

/** Where the front listens, and the services it answers. */
export interface RedirectOptions {
  endpoint: string;
  services: readonly string[];
  /** Services whose calls go straight to an endpoint of their own (DynamoDB's, which needs no front): one hop less. */
  direct?: Readonly<Record<string, string>>;
}

type RequestArgs = [unknown, unknown?, unknown?];

/** The host (with a port that is not the scheme's) a `request(url?, options?, cb?)` call is for. */
function hostOf(args: RequestArgs, defaultProtocol: string): { host: string; options: Http.RequestOptions; callback?: unknown } | undefined {
  const [first, second, third] = args;
  let options: Http.RequestOptions;
  let callback: unknown;
  if (typeof first === 'string' || first instanceof URL) {
    const url = typeof first === 'string' ? new URL(first) : first;
    const fromUrl: Http.RequestOptions = { protocol: url.protocol, hostname: url.hostname, path: url.pathname + url.search, ...(url.port ? { port: Number(url.port) } : {}) };
    if (typeof second === 'function') {
      options = fromUrl;
      callback = second;
    } else {
      options = { ...fromUrl, ...((second as Http.RequestOptions | undefined) ?? {}) };
      callback = third;
    }
  } else if (first !== null && typeof first === 'object') {
    options = first as Http.RequestOptions;
    callback = second;
  } else {
    return undefined;
  }
  const name = options.hostname ?? (typeof options.host === 'string' ? options.host.replace(/:\d+$/, '') : undefined);
  if (!name) return undefined;
  const protocol = options.protocol ?? defaultProtocol;
  const port = options.port !== undefined && options.port !== null ? Number(options.port) : undefined;
  const host = port !== undefined && port !== (protocol === 'https:' ? 443 : 80) ? `${name}:${port}` : name;
  return { host, options, ...(callback !== undefined ? { callback } : {}) };
}

/**
 * Sends the sandbox's calls to the services in `options.services` to the front. Installed before the
 * handler's modules load, so that a module holding `https.request` from its import sees this one.
 */
export function redirectAws(options: RedirectOptions): void {
  const front = new URL(options.endpoint);
  const services = new Set([...options.services, ...Object.keys(options.direct ?? {})]);
  const direct = new Map(Object.entries(options.direct ?? {}).map(([service, url]) => [service, new URL(url)]));
  const targetOf = (host: string): URL => direct.get(awsServiceOfHost(host) ?? '') ?? front;
  const agent = new http.Agent({ keepAlive: true });
  const plain = http.request.bind(http);
  const redirected = (host: string, method: string, pathname: string): boolean => {
    const service = awsServiceOfHost(host);
    if (service === undefined || !services.has(service)) return false;
    // Of Cognito, a user pool's published keys and configuration only: its API calls stay blocked and named.
    return service !== 'cognito-idp' || (method.toUpperCase() === 'GET' && pathname.includes('/.well-known/'));
  };
  const requestOf = (module: typeof Http, defaultProtocol: string): typeof Http.request => {
    const original = module.request;
    return function request(...args: unknown[]): Http.ClientRequest {
      const target = hostOf(args as RequestArgs, defaultProtocol);
      if (!target || !redirected(target.host, target.options.method ?? 'GET', target.options.path ?? '/')) return (original as (...a: unknown[]) => Http.ClientRequest).apply(module, args);
      const { options: o } = target;
      const headers = Array.isArray(o.headers) ? Object.fromEntries(chunks(o.headers as string[])) : { ...(o.headers ?? {}) };
      const sent: Http.RequestOptions = {
        method: o.method ?? 'GET', path: o.path ?? '/', headers: { ...headers, [FRONT_HOST_HEADER]: target.host },
        protocol: 'http:', hostname: targetOf(target.host).hostname, port: Number(targetOf(target.host).port), agent, ...(o.signal ? { signal: o.signal } : {}), ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
      };
      return target.callback ? plain(sent, target.callback as (res: Http.IncomingMessage) => void) : plain(sent);
    } as typeof Http.request;
  };
  const getOf = (request: typeof Http.request): typeof Http.get =>
    function get(...args: unknown[]): Http.ClientRequest {
      const req = (request as (...a: unknown[]) => Http.ClientRequest)(...args);
      req.end();
      return req;
    } as typeof Http.get;
  // node:http's own request is kept for the front itself: the patched one is only what the handler sees.
  const httpsRequest = requestOf(https, 'https:');
  const httpRequest = requestOf(http, 'http:');
  https.request = httpsRequest;
  https.get = getOf(httpsRequest);
  http.request = httpRequest;
  http.get = getOf(httpRequest);
  syncBuiltinESMExports();
  redirectFetch(targetOf, redirected);
}

function chunks(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

/** `fetch` to a stood-in service goes to the front, with its method, headers and body. */
function redirectFetch(targetOf: (host: string) => URL, redirected: (host: string, method: string, pathname: string) => boolean): void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') return;
  globalThis.fetch = function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (!redirected(url.host, method, url.pathname)) return original(input, init);
    const to = new URL(url.pathname + url.search, targetOf(url.host));
    const request = new Request(input instanceof Request ? input : to, init);
    const headers = new Headers(request.headers);
    headers.set(FRONT_HOST_HEADER, url.host);
    return original(new Request(to, { method: request.method, headers, body: request.body, redirect: request.redirect, signal: request.signal, ...(request.body ? { duplex: 'half' } : {}) } as RequestInit));
  };
}
