/**
 * Matcher typings for both Jest `expect` styles, generated from one interface: the global `jest`
 * namespace (@types/jest users) and the `expect` module (`import { expect } from '@jest/globals'`).
 */
import type { LambdaContractMatchers } from '../testing/types';

export type { LambdaContractMatchers, MatchOperationOptions } from '../testing/types';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends LambdaContractMatchers<R> {}
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Expect extends LambdaContractMatchers<unknown> {}
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface InverseAsymmetricMatchers extends LambdaContractMatchers<unknown> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LambdaContractMatchers<R> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchers extends LambdaContractMatchers<void> {}
}
