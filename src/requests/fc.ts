/**
 * fast-check, loaded on first use. It is 400 KB of JavaScript that a run of example and schema cases
 * without patterns never touches, and inside Jest every test file compiles its modules anew.
 */
import type FastCheck from 'fast-check';

type Fc = typeof FastCheck;
export type { Arbitrary, RunDetails } from 'fast-check';

let loaded: Fc | undefined;

function load(): Fc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= (require('fast-check') as { default: Fc }).default);
}

/** Use as fast-check's default export: `fc.integer()`, `fc.sample(arb, …)`. */
export const fc: Fc = new Proxy({} as Fc, { get: (_target, key) => (load() as unknown as Record<PropertyKey, unknown>)[key] });
