/**
 * Running a handler as the Lambda Node.js runtime does: async or callback style, a context whose
 * clock counts down, a timeout, and the result serialized to JSON exactly as the runtime sends it to
 * the gateway. A throw, a rejection or a timeout is an outcome, never an exception.
 */
import { returnedOutcome } from '../gateway/plain-result';
import type { Context } from 'aws-lambda';
// The timeout runs on Node's own timers: a test file that fakes the global clock must not stop it.
import { clearTimeout, setImmediate, setTimeout } from 'node:timers';
import { describeThrown } from '../errors';
import type { GatewayOptions, HttpRequest, InvokeOutcome, SourceName } from '../gateway/types';
import { createContext, type ContextOptions } from './context';
import { guarded, handlerHoldsEventLoop, InvocationSink, withinSink } from './guard';
import { isStreamingHandler, ResponseStream, streamedPayload } from './streaming';

/** Any Lambda handler: `async (event, context)` or `(event, context, callback)`. */
export type LambdaHandler<TEvent = never, TResult = unknown> = (
  event: TEvent,
  context: Context,
  callback: (error?: unknown, result?: TResult) => void,
) => unknown;

export interface InvokeOptions {
  /** Milliseconds before the invocation counts as timed out. Default 3000 (Lambda's default). */
  timeout?: number;
  /**
   * The Lambda runtime (`nodejs20.x`, `nodejs22.x`, `nodejs24.x`): from nodejs24.x on, a callback-style
   * handler (three declared parameters) fails every invocation with `Runtime.CallbackHandlerDeprecated`,
   * as Lambda's runtime does. Default: the rules of nodejs22.x, which runs both styles.
   */
  runtime?: string;
  /** Fields of the Lambda context. */
  context?: ContextOptions;
}

/** Where an event came from, kept beside it (not in it) so a verdict can name the request. */
export interface EventOrigin {
  source: SourceName;
  operationId: string;
  request: HttpRequest;
  caseName: string;
  seed: number;
  /** The gateway settings the event was built with (REST `binaryMediaTypes` decide how a result is read). */
  gateway?: GatewayOptions;
}

const ORIGIN = Symbol.for('lambda-contract.origin');
const INVOCATION = Symbol.for('lambda-contract.invocation');

/** Records, out of sight of the handler, which request an event was built from. */
export function tagEvent<T extends object>(event: T, origin: EventOrigin): T {
  Object.defineProperty(event, ORIGIN, { value: origin, enumerable: false, configurable: true });
  return event;
}

/** The origin recorded on an event by {@link tagEvent}, if any. */
export function originOf(event: unknown): EventOrigin | undefined {
  return typeof event === 'object' && event !== null ? (event as { [ORIGIN]?: EventOrigin })[ORIGIN] : undefined;
}

/** One invocation as the Lambda runtime saw it: the event, how it ended, and the raw value or error. */
export interface RuntimeInvocation<TEvent = unknown> {
  /** The event the handler received (as it was before the call). */
  readonly event: TEvent;
  /** How the call ended, in the runtime's terms (what the gateway sees). */
  readonly outcome: InvokeOutcome;
  /** The value the handler returned or passed to its callback. */
  readonly result?: unknown;
  /** What the handler threw or rejected with. */
  readonly error?: unknown;
  readonly durationMs: number;
  /** The request and source the event was generated for, when it came from `eventFor`. */
  readonly origin?: EventOrigin;
  /**
   * What the handler logged (console, stdout, stderr) during the invocation: the last 8 KB, as Lambda's
   * log tail. Logs go here, not to the terminal, so they cannot corrupt a report on stdout.
   */
  readonly logs: string;
  /**
   * Faults the handler's code raised after the invocation answered (a timer that throws, a late
   * `process.exit`), seen until the run that made the invocation ends.
   */
  readonly late: readonly string[];
}

/** Marks an object as a {@link RuntimeInvocation} (one a sandbox told about, rebuilt here). */
export function asInvocation<T extends RuntimeInvocation>(invocation: T): T {
  Object.defineProperty(invocation, INVOCATION, { value: true, enumerable: false });
  return invocation;
}

/** True for the value {@link callHandler} (and the public `invoke`) returns. */
export function isInvocation(value: unknown): value is RuntimeInvocation {
  return typeof value === 'object' && value !== null && (value as { [INVOCATION]?: true })[INVOCATION] === true;
}

/**
 * A value judged where it stands (a bare result given to `judge`): a plain one is read as it is, its JSON
 * written only if asked for; anything else is serialized as the runtime does ({@link snapshotResult}).
 */
export function serializeResult(value: unknown): InvokeOutcome {
  return returnedOutcome(value) ?? snapshotResult(value);
}

/**
 * Serializes a handler's value as the Node.js runtime does (`undefined` → `null`), at once: what the
 * handler changes afterwards (a module-level object it returns again) is not what it answered.
 */
export function snapshotResult(value: unknown): InvokeOutcome {
  try {
    return { kind: 'returned', payload: JSON.stringify(value === undefined ? null : value) ?? 'null' };
  } catch (error) {
    const { message } = describeThrown(error);
    return { kind: 'threw', errorType: 'Runtime.SerializationError', errorMessage: `the result cannot be serialized to JSON: ${message}` };
  }
}

/** Whether a Lambda runtime name is nodejs24.x or later, whose runtime refuses callback-style handlers. */
export function rejectsCallbackHandlers(runtime: string): boolean {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  return m !== null && Number(m[1]) >= 24;
}

/** Calls `then` once the handler's code holds the event loop no longer (checked each millisecond), unless `stop()` first. */
function whenLoopEmpty(stop: () => boolean, then: () => void): void {
  const check = (): void => {
    if (stop()) return;
    if (handlerHoldsEventLoop()) setTimeout(check, 1);
    else then();
  };
  setImmediate(check);
}

/** The event's method and path, for messages about its invocation. */
function describeEvent(event: unknown): string {
  const origin = originOf(event);
  if (origin) return `${origin.operationId} ${origin.caseName}`;
  const e = (typeof event === 'object' && event !== null ? event : {}) as { httpMethod?: unknown; path?: unknown; rawPath?: unknown };
  return [e.httpMethod, e.path ?? e.rawPath].filter((x) => typeof x === 'string').join(' ') || 'the invocation';
}

/**
 * Runs a handler on an event as the runtime does. Never throws for what the handler does: errors and
 * timeouts are in the returned {@link RuntimeInvocation}. (The public `invoke` adds the gateway's reading.)
 */
export async function callHandler<TEvent>(handler: LambdaHandler<TEvent>, event: TEvent, options: InvokeOptions = {}): Promise<RuntimeInvocation<TEvent>> {
  const timeoutMs = options.timeout ?? 3000;
  const context = createContext({ timeoutMs, ...options.context });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;

  type Settled = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown; errorType?: string } | { kind: 'timeout' } | { kind: 'streamed'; stream: ResponseStream };
  const streaming = isStreamingHandler(handler);
  let sink: InvocationSink | undefined;
  const { value: settled } = await guarded(
    () =>
      new Promise<Settled>((resolve) => {
        let done = false;
        const finish = (s: Settled): void => {
          if (done) return;
          done = true;
          if (sink) sink.settled = true;
          resolve(s);
        };
        sink = new InvocationSink((errorType, error) => finish({ kind: 'error', error, errorType }), describeEvent(event));
        timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
        // The runtime answers a callback handler once the event loop is empty, unless told not to wait; an
        // error is sent at once. A later callback call replaces an answer still waiting (the runtime's
        // beforeExit listener is reset each call), and a returned promise's settlement sends at once.
        let waiting: Settled | undefined;
        const callback = (error?: unknown, value?: unknown): void => {
          if (error !== undefined && error !== null) return finish({ kind: 'error', error });
          if (context.callbackWaitsForEmptyEventLoop === false) return finish({ kind: 'value', value });
          const first = waiting === undefined;
          waiting = { kind: 'value', value };
          if (first) whenLoopEmpty(() => done, () => finish(waiting as Settled));
        };
        // A streaming handler (event, responseStream, context) declares three parameters too: it is no callback handler.
        if (options.runtime !== undefined && rejectsCallbackHandlers(options.runtime) && handler.length >= 3 && !streaming) {
          // The runtime refuses the handler as it loads it: every invocation fails, none runs.
          const error = Object.assign(new Error(`${options.runtime} no longer runs callback-based function handlers (event, context, callback); the function must be an async handler (event, context)`), { name: 'Runtime.CallbackHandlerDeprecated' });
          return finish({ kind: 'error', error, errorType: 'Runtime.CallbackHandlerDeprecated' });
        }
        withinSink(sink, () => {
          if (streaming) {
            // A streaming handler writes to the response stream; the invocation ends when the stream does,
            // or when the handler's promise settles (the runtime then ends the stream).
            const stream = new ResponseStream();
            stream.on('finish', () => finish({ kind: 'streamed', stream }));
            stream.on('error', (error) => finish({ kind: 'error', error }));
            try {
              const returned = (handler as unknown as (e: TEvent, s: ResponseStream, c: Context) => unknown)(event, stream, context);
              Promise.resolve(returned).then(
                () => {
                  if (!stream.writableEnded) stream.end();
                },
                (error: unknown) => finish({ kind: 'error', error: error === undefined ? new Error('the handler rejected with undefined') : error }),
              );
            } catch (error) {
              finish({ kind: 'error', error: error === undefined ? new Error('the handler threw undefined') : error });
            }
            return;
          }
          try {
            const returned = handler(event, context, callback);
            if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
              (returned as PromiseLike<unknown>).then(
                (value) => finish({ kind: 'value', value }),
                (error: unknown) => finish({ kind: 'error', error: error === undefined ? new Error('the handler rejected with undefined') : error }),
              );
            } else if (handler.length < 3) {
              finish({ kind: 'value', value: returned }); // a synchronous handler that takes no callback
            }
          } catch (error) {
            finish({ kind: 'error', error: error === undefined ? new Error('the handler threw undefined') : error });
          }
        });
      }),
  );
  clearTimeout(timer);
  const durationMs = performance.now() - started;

  let outcome: InvokeOutcome;
  const extra: { result?: unknown; error?: unknown } = {};
  if (settled.kind === 'timeout') outcome = { kind: 'timeout', timeoutMs };
  else if (settled.kind === 'streamed') {
    outcome = { kind: 'returned', payload: streamedPayload(settled.stream), streamed: true };
    extra.result = settled.stream.body();
  }
  else if (settled.kind === 'error') {
    const { type, message } = describeThrown(settled.error);
    outcome = { kind: 'threw', errorType: settled.errorType ?? type, errorMessage: message };
    extra.error = settled.error;
  } else {
    outcome = snapshotResult(settled.value);
    extra.result = settled.value;
  }
  const origin = originOf(event);
  const kept = sink as InvocationSink | undefined;
  const invocation = { event, outcome, durationMs, ...extra, ...(origin ? { origin } : {}), logs: kept?.logs() ?? '', late: kept?.late ?? [] };
  Object.defineProperty(invocation, INVOCATION, { value: true, enumerable: false });
  return invocation;
}
