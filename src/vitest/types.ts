/**
 * The matcher's typings for Vitest: its `Assertion` (so `expect(x).toMatchOperation(id)` and `.not`
 * type-check) and its asymmetric matchers (`expect.toMatchOperation(id)` inside `toEqual`).
 */
import type { LambdaContractMatchers } from '../testing/types';

export type { LambdaContractMatchers, MatchOperationOptions } from '../testing/types';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends LambdaContractMatchers<void> {} // T as Vitest declares it
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends LambdaContractMatchers<void> {}
}
