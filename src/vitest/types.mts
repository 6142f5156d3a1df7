/**
 * An ES module on purpose: Vitest's types differ by condition (`import` → dist/index.d.ts, `require` →
 * index.d.cts), and an augmentation reaches only the one its own file resolves — ESM, as Vitest projects are.
 * The matcher's typings for Vitest: its `Assertion` (so `expect(x).toMatchOperation(id)` and `.not`
 * type-check) and its asymmetric matchers (`expect.toMatchOperation(id)` inside `toEqual`).
 */
import type { LambdaContractMatchers } from '../testing/types.js';

export type { LambdaContractMatchers, MatchOperationOptions } from '../testing/types.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends LambdaContractMatchers<void> {} // T as Vitest declares it
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends LambdaContractMatchers<void> {}
  // Vitest ≥ 3.2: the one interface its `expect.extend`, `expect(x).…` and `expect.…` all read.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends LambdaContractMatchers<void> {}
}
