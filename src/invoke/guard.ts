/**
 * What a handler does besides answering, caught where Lambda would catch it (logs, `process.exit`,
 * stray errors, leftover timers), attributed to its invocation through AsyncLocalStorage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { describeThrown } from '../errors';

/** How many characters of a handler's logs an invocation keeps: the last ones, as Lambda's log tail does. */
export const LOG_TAIL_CHARS = 8 * 1024;

/** What one invocation's code did besides answering. */
export class InvocationSink {
  private tail = '';
  /** Characters the handler logged in all. */
  logged = 0;
  /** Set when the invocation has settled: later faults are late. */
  settled = false;
  /** Faults raised by the handler's code after its invocation settled. */
  readonly late: string[] = [];
  /** Timers the handler started. */
  readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    /** Ends the invocation with a runtime fault (exit, uncaught error) while it is pending. */
    readonly fail: (errorType: string, error: unknown) => void,
    /** Names the invocation in messages about late faults. */
    readonly label: string,
  ) {}

  log(text: string): void {
    this.logged += text.length;
    this.tail = (this.tail + text).slice(-LOG_TAIL_CHARS);
  }

  /** The last {@link LOG_TAIL_CHARS} characters logged, with a note of what was cut. */
  logs(): string {
    if (this.logged <= this.tail.length) return this.tail;
    return `[${this.logged - this.tail.length} earlier characters of ${this.logged} not kept]\n${this.tail}`;
  }
}

const store = new AsyncLocalStorage<InvocationSink>();
/** Sinks whose timers and late faults a run still answers for. */
const live = new Set<InvocationSink>();
/** Faults no invocation can be named for, while a run is guarding. */
const orphans: string[] = [];
let guards = 0;
let restore: (() => void) | undefined;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

function fault(kind: 'uncaughtException' | 'unhandledRejection', error: unknown): void {
  const sink = store.getStore();
  const { type, message } = describeThrown(error);
  const what = kind === 'unhandledRejection' ? `an unhandled promise rejection (${type}: ${message})` : `an uncaught ${type}: ${message}`;
  if (!sink) {
    orphans.push(`${what}, outside any handler invocation`);
    return;
  }
  if (!sink.settled) {
    sink.fail(kind === 'unhandledRejection' ? 'Runtime.UnhandledPromiseRejection' : type, error);
    return;
  }
  sink.late.push(`after it answered, the handler's code raised ${what}; in Lambda this crashes the runtime during a later invocation`);
}

/**
 * The realms a handler's code may run in. Inside a Jest test file, `process`, `console` and the timer
 * functions are the sandbox's copies, and a handler loaded through Node's own loader (jiti, `import()`)
 * sees the main realm's instead; Node emits `uncaughtException` and `unhandledRejection` only on the
 * real process, where Jest's listeners would fail every test of the file for one handler's stray
 * rejection. `vm.runInThisContext` evaluates in the main realm. Outside a sandbox both are the same.
 */
export interface Realm {
  process: NodeJS.Process;
  global: typeof globalThis;
}

export function realms(): { here: Realm; host: Realm; all: Realm[] } {
  const here: Realm = { process, global: globalThis };
  let host = here;
  try {
    const vm = require('node:vm') as typeof import('node:vm');
    const realProcess = vm.runInThisContext('process') as NodeJS.Process | undefined;
    const realGlobal = vm.runInThisContext('globalThis') as typeof globalThis | undefined;
    if (realProcess && typeof realProcess.on === 'function' && realGlobal) host = { process: realProcess, global: realGlobal };
  } catch {
    // no vm module (bundled for another runtime): the realm we see is the one there is
  }
  return { here, host, all: host.process === here.process && host.global === here.global ? [here] : [here, host] };
}

type Restore = () => void;

function interceptConsole(con: Record<string, (...args: unknown[]) => void>): Restore {
  const originals = CONSOLE_METHODS.map((m) => [m, con[m]] as const);
  for (const [m, original] of originals) {
    if (typeof original !== 'function') continue;
    con[m] = function (this: unknown, ...args: unknown[]): void {
      const sink = store.getStore();
      if (sink) sink.log(`${m === 'log' || m === 'info' || m === 'debug' ? '' : m.toUpperCase() + ' '}${format(...args)}\n`);
      else original.apply(this, args);
    };
  }
  return () => {
    for (const [m, original] of originals) if (typeof original === 'function') con[m] = original;
  };
}

function interceptWrites(stream: NodeJS.WriteStream): Restore {
  const original = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const sink = store.getStore();
    if (!sink) return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    sink.log(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk));
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    if (callback) process.nextTick(callback);
    return true;
  } as typeof stream.write;
  return () => {
    stream.write = original;
  };
}

function interceptExit(proc: NodeJS.Process): Restore {
  const exit = proc.exit;
  proc.exit = function (code?: string | number | null): never {
    const sink = store.getStore();
    if (!sink) return exit.call(proc, code as number);
    const status = code ?? proc.exitCode ?? 0;
    const error = Object.assign(new Error(`Runtime exited with error: exit status ${String(status)}`), { name: 'Runtime.ExitError' });
    if (!sink.settled) sink.fail('Runtime.ExitError', error);
    else sink.late.push(`after it answered, the handler's code called process.exit(${String(status)}); in Lambda the runtime exits`);
    // The process goes on: the invocation is over, whatever the handler's code does next is ignored.
    return undefined as never;
  };
  return () => {
    proc.exit = exit;
  };
}

function interceptTimers(global: typeof globalThis): Restore {
  const g = global as unknown as Record<'setTimeout' | 'setInterval', (...args: unknown[]) => NodeJS.Timeout>;
  const originals = (['setTimeout', 'setInterval'] as const).map((name) => [name, g[name]] as const);
  for (const [name, original] of originals) {
    const wrapped = function (this: unknown, ...args: unknown[]): NodeJS.Timeout {
      const handle = original.apply(this, args);
      const sink = store.getStore();
      if (sink && typeof handle === 'object' && handle !== null) {
        sink.timers.add(handle);
        live.add(sink);
      }
      return handle;
    };
    Object.assign(wrapped, original); // keeps setTimeout[util.promisify.custom]
    g[name] = wrapped;
  }
  return () => {
    for (const [name, original] of originals) g[name] = original;
  };
}

/** Jest (and others) listen too; while a run guards, the handler's errors are the run's to report. */
function interceptFaults(host: NodeJS.Process): Restore {
  const taken = (['uncaughtException', 'unhandledRejection'] as const).map((event) => {
    const listeners = host.listeners(event as 'uncaughtException') as Array<(...a: unknown[]) => void>;
    host.removeAllListeners(event);
    return [event, listeners] as const;
  });
  const onUncaught = (error: unknown): void => fault('uncaughtException', error);
  const onUnhandled = (error: unknown): void => fault('unhandledRejection', error);
  host.on('uncaughtException', onUncaught);
  host.on('unhandledRejection', onUnhandled);
  return () => {
    host.removeListener('uncaughtException', onUncaught);
    host.removeListener('unhandledRejection', onUnhandled);
    for (const [event, listeners] of taken) for (const l of listeners) host.on(event as 'uncaughtException', l);
  };
}

/** Installs the interceptions (once, while any guard holds) in every realm; returns their undoing. */
function install(): Restore {
  const { host, all } = realms();
  const restores: Restore[] = [];
  const consoles = new Set(all.map((r) => r.global.console));
  const streams = new Set(all.flatMap((r) => [r.process.stdout, r.process.stderr]));
  const processes = new Set(all.map((r) => r.process));
  const globals = new Set(all.map((r) => r.global));
  for (const con of consoles) restores.push(interceptConsole(con as unknown as Record<string, (...args: unknown[]) => void>));
  for (const stream of streams) restores.push(interceptWrites(stream));
  for (const proc of processes) restores.push(interceptExit(proc));
  for (const global of globals) restores.push(interceptTimers(global));
  restores.push(interceptFaults(host.process));
  return () => {
    for (const undo of restores.reverse()) undo();
  };
}

/**
 * Holds the interceptions while `work` runs (nested holds share them). When the last hold ends, the
 * timers handlers left are cleared. Returns what `work` returns, and the faults nobody could be named for.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<{ value: T; orphans: string[] }> {
  if (guards++ === 0) restore = install();
  const start = orphans.length;
  try {
    const value = await work();
    return { value, orphans: orphans.slice(start) };
  } finally {
    if (--guards === 0) {
      for (const sink of live) for (const t of sink.timers) clearTimeout(t);
      live.clear();
      orphans.length = 0;
      restore?.();
      restore = undefined;
    }
  }
}

/**
 * Whether a handler left a timer that has not run yet (or an interval). Node marks a timer that ran
 * or was cleared `_destroyed`; a timer without that mark (a fake clock's) counts as pending.
 */
export function handlerTimersPending(): boolean {
  for (const sink of live) for (const t of sink.timers) if ((t as unknown as { _destroyed?: boolean })._destroyed !== true) return true;
  return false;
}

/**
 * Whether the handler's code keeps the event loop busy: a referenced timer or interval of a handler
 * that has not run yet. The Node.js runtime waits for an empty loop before answering a callback handler
 * (`callbackWaitsForEmptyEventLoop`); an `unref`'d timer does not hold it.
 */
export function handlerHoldsEventLoop(): boolean {
  for (const sink of live) {
    for (const t of sink.timers) {
      const timer = t as unknown as { _destroyed?: boolean; hasRef?: () => boolean };
      if (timer._destroyed !== true && timer.hasRef?.() !== false) return true;
    }
  }
  return false;
}

/** Runs the handler's call inside its sink, so everything it starts is attributed to it. */
export function withinSink<T>(sink: InvocationSink, call: () => T): T {
  return store.run(sink, call);
}
