/**
 * Matcher typings for both `expect` styles, generated from one interface: the global `jest`
 * namespace (@types/jest users) and the `expect` module (`import { expect } from '@jest/globals'`).
 */
import type { Contract } from '../contract';
import type { SourceName } from '../gateway/types';

/** Options of `toMatchOperation`. */
export interface MatchOperationOptions {
  /** The status the response must have (beyond being documented). */
  status?: number;
  /** The event source whose rules judge the result (default: the event's, then the contract's). */
  source?: SourceName;
  /** The contract to judge against (default: the one from the project configuration). */
  contract?: Contract;
}

/** The matchers lambda-contract adds to `expect`. */
export interface LambdaContractMatchers<R> {
  /**
   * Passes when the handler's result — an `invoke()` invocation or the raw value it returned — is
   * accepted by the gateway and conforms to the operation's documented responses.
   *
   * @example
   * expect(await invoke(handler, await eventFor('getPet'))).toMatchOperation('getPet');
   * expect(result).toMatchOperation('getPet', { status: 200 });
   */
  toMatchOperation(operationId: string, options?: MatchOperationOptions): R;
}

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
