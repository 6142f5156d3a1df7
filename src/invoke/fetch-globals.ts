import { runInThisContext } from 'node:vm';

/** What Node gives every module (and Lambda every handler) for fetch, which a test environment may lack. */
const FETCH_GLOBALS = [
  'fetch', 'Request', 'Response', 'Headers', 'FormData', 'Blob', 'File',
  'ReadableStream', 'WritableStream', 'TransformStream', 'structuredClone',
] as const;

/**
 * Jest 27's node environment runs test files in a realm without `fetch` and its classes (Jest 28 added
 * them). nock's interceptors need `Response` when they load, and a handler calling `fetch` would meet a
 * ReferenceError that Lambda's Node never raises. So the names missing here are taken from Node's own
 * realm (node:vm runs in it), and only those: a realm that has them keeps its own.
 */
export function ensureFetchGlobals(): void {
  if (typeof globalThis.Response === 'function') return;
  const node = runInThisContext('globalThis') as Record<string, unknown>;
  if (node === (globalThis as unknown)) return;
  for (const name of FETCH_GLOBALS) {
    if (name in globalThis || node[name] === undefined) continue;
    Object.defineProperty(globalThis, name, { value: node[name], writable: true, configurable: true, enumerable: false });
  }
}
