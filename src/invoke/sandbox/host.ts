/**
 * The inside of a function's sandbox: a Node.js process of its own that loads one handler and runs
 * each invocation the run sends it, with the same runtime rules as in-process runs (callHandler and
 * its guard). Started by sandbox.ts with the function's environment, working directory, /tmp and
 * memory limit; stopped by it at the function's Timeout.
 */
import { describeThrown, isErrorLike } from '../../errors';
import { guarded, handlerTimersPending } from '../guard';
import { callHandler, type LambdaHandler, type RuntimeInvocation } from '../invoke';
import { redirectAws } from '../aws-redirect';
import { isolateNetwork, type NetworkIsolation } from '../isolation';
import { loadHandler } from '../load';
import { isStreamingHandler } from '../streaming';
import type { FromSandbox, ThrownValue, ToSandbox } from './protocol';

let handler: LambdaHandler<never> | undefined;
let isolation: NetworkIsolation | undefined;
/** Invocations that answered, with how many late faults each had when last told. */
const answered = new Map<number, { invocation: RuntimeInvocation; told: number }>();

function send(message: FromSandbox): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function thrownValue(error: unknown): ThrownValue {
  if (isErrorLike(error)) return { kind: 'error', name: error.name || 'Error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  const { type, message } = describeThrown(error);
  let value: unknown;
  try {
    value = JSON.parse(JSON.stringify(error) ?? 'null');
  } catch {
    value = undefined;
  }
  return { kind: 'value', name: type, message, ...(value !== undefined && value !== null ? { value } : {}) };
}

function jsonValue(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function onMessage(m: ToSandbox): Promise<void> {
  if (m.t === 'load') {
    const t0 = performance.now();
    try {
      if (m.aws) redirectAws(m.aws);
      if (m.network) isolation = isolateNetwork({ allow: [...m.network.allow, ...m.network.patterns.map((p) => new RegExp(p))] });
      handler = (await loadHandler(m.handler, process.cwd(), { native: true, ...(m.sdk ? { runtimeSdk: m.sdk } : {}) })) as LambdaHandler<never>;
      await send({ t: 'loaded', arity: handler.length, streaming: isStreamingHandler(handler), initMs: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS });
    } catch (error) {
      const e = error as { message?: string; code?: string; details?: Record<string, unknown> };
      await send({ t: 'load-failed', message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}), ...(e.details ? { details: jsonValue(e.details) as Record<string, unknown> } : {}) });
      process.exit(0);
    }
    return;
  }
  if (m.t === 'invoke') {
    if (!handler) return;
    isolation?.take(); // calls left from earlier invocations are not this one's
    // Lambda sets the X-Ray trace header for each invocation (not sampled: no segment leaves the sandbox).
    process.env._X_AMZN_TRACE_ID = traceHeader();
    const invocation = await callHandler(handler, m.event as never, m.options);
    // Said at once, before the result (which may be megabytes): the handler answered within its time.
    void send({ t: 'answered', id: m.id });
    const outcome = invocation.outcome;
    // The runtime ends with the process when the handler exited or a fault ended its invocation.
    const exit = outcome.kind === 'threw' ? /^Runtime exited with error: exit status (\d+)$/.exec(outcome.errorMessage) : null;
    const ends = exit !== null || (outcome.kind === 'threw' && outcome.errorType === 'Runtime.UnhandledPromiseRejection');
    // Before it ends, what earlier invocations left due now (a timer about to throw) still gets its say.
    if (ends) await turn();
    const earlier = untoldLate();
    answered.set(m.id, { invocation, told: invocation.late.length });
    await send({
      t: 'result', id: m.id, outcome,
      ...(outcome.kind === 'returned' && outcome.streamed && invocation.result !== undefined ? { result: jsonValue(invocation.result) } : {}),
      ...(invocation.error !== undefined ? { error: thrownValue(invocation.error) } : {}),
      durationMs: invocation.durationMs, logs: invocation.logs, outbound: isolation?.take() ?? [],
      maxRssKb: process.resourceUsage().maxRSS,
      ...(ends ? { exits: exit ? Number(exit[1]) : 128 } : {}),
      late: earlier,
    });
    if (ends) process.exit(exit ? Number(exit[1]) : 128);
    return;
  }
  // settle: a turn of the loop, then every late fault not yet told.
  await turn();
  await send({ t: 'settled', late: untoldLate() });
}

/** An X-Ray trace header as Lambda gives each invocation: a new root, a parent segment, not sampled. */
function traceHeader(): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex(24)};Parent=${hex(16)};Sampled=0;Lineage=1:${hex(8)}:0`;
}

/** A turn of the event loop: 20 ms when the handler left timers, none when it left nothing. */
function turn(): Promise<void> {
  return new Promise((resolve) => (handlerTimersPending() ? setTimeout(resolve, 20) : setImmediate(resolve)));
}

/** The late faults of answered invocations not told yet (each told once). */
function untoldLate(): Array<{ id: number; messages: string[] }> {
  const late: Array<{ id: number; messages: string[] }> = [];
  for (const [id, a] of answered) {
    if (a.invocation.late.length > a.told) late.push({ id, messages: a.invocation.late.slice(a.told) });
    a.told = a.invocation.late.length;
  }
  return late;
}

// The guard holds for the sandbox's life, as in an in-process run: what the handler's code does between
// invocations (a timer that throws, a late process.exit) is caught and told as a late fault.
void guarded(
  () =>
    new Promise<void>((resolve) => {
      process.on('message', (m: ToSandbox) => void onMessage(m));
      // The run went away: so does its sandbox.
      process.on('disconnect', resolve);
    }),
).then(() => process.exit(0));
