/**
 * A Lambda function as a run calls it: a handler function in this process (what `invoke` and the Jest
 * and Vitest matchers hold), or a function in a sandbox of its own (what the CLI, `serve` and a
 * template's functions run in). The run loop sees only this.
 */
import { setImmediate, setTimeout } from 'node:timers';
import { handlerTimersPending } from './guard';
import { callHandler, type InvokeOptions, type LambdaHandler, type RuntimeInvocation } from './invoke';
import type { OutboundAttempt } from './isolation';
import { isStreamingHandler } from './streaming';

/** What the run knows of a function's handler once it loaded. */
export interface HandlerShape {
  /** Declared parameters: three is a callback handler, which nodejs24.x refuses. */
  arity: number;
  /** Wrapped in `awslambda.streamifyResponse`. */
  streaming: boolean;
}

/** One invocation through a target, with what only a sandbox knows of it. */
export interface TargetInvocation extends RuntimeInvocation {
  /** Calls the handler tried to make during the invocation, when its sandbox watched them (else the run's isolation saw them). */
  readonly outbound?: readonly OutboundAttempt[];
  /** The sandbox started for this invocation: Lambda's cold start (module loaded, Init Duration paid). */
  readonly cold?: boolean;
  /** Lambda refused the invoke: the function's reserved concurrency was in use. */
  readonly throttled?: boolean;
}

/** A Lambda function the run can invoke. */
export interface FunctionTarget {
  /** How reports name it. */
  readonly name: string;
  /** The loaded handler's shape. */
  readonly shape: HandlerShape;
  /** Whether the handler runs outside this process (its outbound calls and faults are seen there). */
  readonly sandboxed: boolean;
  invoke(event: unknown, options: InvokeOptions): Promise<TargetInvocation>;
  /** Lets what the handler's code left running (timers, callbacks) raise its faults, so they land on their invocations. */
  settle(): Promise<void>;
}

const TARGET = Symbol.for('lambda-contract.target');

/** True for a {@link FunctionTarget} (a handler function is not one). */
export function isTarget(value: unknown): value is FunctionTarget {
  return typeof value === 'object' && value !== null && (value as { [TARGET]?: true })[TARGET] === true;
}

/** Marks an object as a {@link FunctionTarget}. */
export function asTarget<T extends FunctionTarget>(target: T): T {
  Object.defineProperty(target, TARGET, { value: true, enumerable: false });
  return target;
}

/** A handler function, run in this process (the guard catches its logs, exits and stray faults). */
export function inProcess(handler: LambdaHandler<never>, name = handler.name || 'handler'): FunctionTarget {
  return asTarget({
    name,
    shape: { arity: handler.length, streaming: isStreamingHandler(handler) },
    sandboxed: false,
    invoke: (event: unknown, options: InvokeOptions) => callHandler(handler, event as never, options),
    // A turn of the event loop, so faults of work the handler left (callbacks, timers due now) land on
    // their cases; 20 ms when it left timers, none when it left nothing.
    settle: () => new Promise<void>((resolve) => (handlerTimersPending() ? setTimeout(resolve, 20) : setImmediate(resolve))),
  });
}

/** The target for a handler function or a target. */
export function targetOf(handler: LambdaHandler<never> | FunctionTarget): FunctionTarget {
  return isTarget(handler) ? handler : inProcess(handler);
}
