/** The matcher's options and signature, for every runner's typings (Jest's two `expect` styles, Vitest's). */
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
