/**
 * A function's sandbox: a Node.js child process of its own, as Lambda gives each function an execution
 * environment. Its own module graph, `process.env`, working directory (LAMBDA_TASK_ROOT) and /tmp; its
 * heap bounded by the function's MemorySize; stopped at the function's Timeout even when the handler
 * blocks the event loop; a crash (process.exit, a fault, running out of memory) ends it and nothing else.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { ContractError } from '../../errors';
import type { InvokeOutcome } from '../../gateway/types';
import type { InvokeOptions } from '../invoke';
import { missingSdkAdvice, runtimeSdkOf, withRuntimeSdk } from '../runtime-sdk';
import type { RedirectOptions } from '../aws-redirect';
import type { NetworkOptions } from '../isolation';
import type { HandlerShape, TargetInvocation } from '../target';
import { encodeNetwork, type FromSandbox, type ThrownValue, type ToSandbox } from './protocol';

/** What a sandbox runs, and under which limits. */
export interface SandboxSpec {
  /** How reports name the function. */
  name: string;
  /** `file#export` (the file absolute, or relative to `cwd`). */
  handler: string;
  /** The working directory (LAMBDA_TASK_ROOT): where the function's code is. */
  cwd: string;
  /** The whole environment of the process (Lambda's variables, the template's, the run's). */
  env: Record<string, string>;
  /** MB: the heap's bound (the function's MemorySize). */
  memoryMb: number;
  /** Outbound isolation inside the sandbox (default on, loopback allowed). */
  network?: NetworkOptions | false;
  /** The run's AWS stand-ins: the sandbox sends its calls to these services there. */
  aws?: RedirectOptions;
  /** The function's runtime (`nodejs20.x`): which AWS SDK it provides. */
  runtime?: string;
}

/** The sandbox's first invocation found it fresh: Lambda's Init Duration. */
export interface SandboxStart {
  shape: HandlerShape;
  /** From starting the process until the handler's module loaded, ms. */
  initMs: number;
}

/** The host script the child runs: compiled beside this file, or the package's build when run from source. */
function hostScript(): string {
  const beside = path.join(__dirname, 'host.js');
  if (existsSync(beside)) return beside;
  const built = path.resolve(__dirname, '../../../dist/invoke/sandbox/host.js');
  if (existsSync(built)) return built;
  throw new ContractError('ERR_CONTRACT_CONFIG', `the sandbox host is missing (${beside}); run \`npm run build\``, { file: beside });
}

/** Go's names for signals, as Lambda's runtime interface reports them (`signal: killed`). */
const SIGNAL_WORDS: Record<string, string> = { SIGKILL: 'killed', SIGABRT: 'aborted', SIGSEGV: 'segmentation fault', SIGTERM: 'terminated', SIGBUS: 'bus error', SIGILL: 'illegal instruction', SIGINT: 'interrupt' };

const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|allocation failed/i;

/** A thrown value told by the sandbox, as an object that reads as the original (name, message, stack). */
function rebuilt(thrown: ThrownValue): unknown {
  if (thrown.kind === 'value') return thrown.value !== undefined ? thrown.value : thrown.name === 'string' ? thrown.message : thrown.name === 'undefined' ? undefined : thrown.message;
  const error = new Error(thrown.message);
  error.name = thrown.name;
  if (thrown.stack) error.stack = thrown.stack;
  return error;
}

function parsedPayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

type Waiter = { resolve: (m: FromSandbox | undefined) => void; kind: FromSandbox['t'][] };

/** One child process running one function's handler. */
export class Sandbox {
  private readonly child: ChildProcess;
  private readonly tmp: string;
  private stderrTail = '';
  private waiter: Waiter | undefined;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly onExit: Array<() => void> = [];
  private nextId = 1;
  /** Whether an invocation ran in it (its first one is the cold start). */
  used = false;
  /** Peak resident memory the sandbox reported, KB. */
  maxRssKb = 0;
  /** Invocations that answered, by id: their late faults arrive on settle. */
  private readonly late = new Map<number, string[]>();

  /** The node_modules of the SDK the function's runtime provides, if one was found. */
  private readonly sdk: string | undefined;

  private constructor(readonly spec: SandboxSpec) {
    this.sdk = runtimeSdkOf(spec.runtime)?.folder;
    this.tmp = mkdtempSync(path.join(tmpdir(), 'lambda-contract-tmp-'));
    const env = { ...withRuntimeSdk(spec.env, this.sdk), TMPDIR: this.tmp, TMP: this.tmp, TEMP: this.tmp };
    this.child = fork(hostScript(), [], {
      cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json',
      execArgv: [`--max-old-space-size=${Math.max(16, Math.round(spec.memoryMb))}`],
    });
    // What the sandbox prints outside an invocation (a fatal V8 error) is kept for the reason of its end.
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4096)));
    this.child.stdout?.resume();
    // A sandbox never keeps the run's process alive by itself: only while a request to it is pending, or
    // while it is being stopped (its end is seen once its output closes: 'close' comes after 'exit').
    this.child.unref();
    this.hold(false);
    this.child.on('message', (m: FromSandbox) => {
      if (m.t === 'answered') this.onAnswered?.(m.id);
      if (m.t === 'settled' || m.t === 'result') for (const { id, messages } of m.late) this.late.get(id)?.push(...messages);
      const w = this.waiter;
      if (w && w.kind.includes(m.t)) {
        this.waiter = undefined;
        w.resolve(m);
      }
    });
    this.child.on('close', (code, signal) => {
      this.exited = { code, signal };
      rmSync(this.tmp, { recursive: true, force: true });
      const w = this.waiter;
      this.waiter = undefined;
      w?.resolve(undefined);
      for (const f of this.onExit.splice(0)) f();
    });
    this.child.on('error', () => undefined); // a send to a process that died: its exit says why
  }

  /** Starts a sandbox and loads the handler in it; throws ERR_CONTRACT_HANDLER when it does not load. */
  static async start(spec: SandboxSpec): Promise<{ sandbox: Sandbox; start: SandboxStart }> {
    const t0 = performance.now();
    const sandbox = new Sandbox(spec);
    const answer = await sandbox.request({ t: 'load', handler: spec.handler, network: encodeNetwork(spec.network), ...(spec.aws ? { aws: spec.aws } : {}), ...(sandbox.sdk ? { sdk: sandbox.sdk } : {}) }, ['loaded', 'load-failed']);
    if (answer && answer.t === 'loaded') sandbox.maxRssKb = answer.maxRssKb;
    if (answer && answer.t === 'loaded') return { sandbox, start: { shape: { arity: answer.arity, streaming: answer.streaming }, initMs: performance.now() - t0 } };
    sandbox.stop();
    if (answer && answer.t === 'load-failed') {
      const advice = missingSdkAdvice(answer.message, spec.runtime);
      throw new ContractError('ERR_CONTRACT_HANDLER', advice ? `${answer.message}\n${advice}` : answer.message, { ...(answer.details ?? {}), function: spec.name });
    }
    throw new ContractError('ERR_CONTRACT_HANDLER', `cannot load handler ${spec.handler} of ${spec.name}: ${sandbox.endReason()}`, { function: spec.name, handler: spec.handler });
  }

  /** Keeps the run's process alive for this sandbox (its IPC channel and output pipes), or lets it go. */
  private hold(on: boolean): void {
    if (!on && this.stopping) return;
    const handles = [this.child.channel, this.child.stdout, this.child.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void } | null | undefined>;
    for (const h of handles) (on ? h?.ref : h?.unref)?.call(h);
  }

  /** Stopped from here: held until its end is seen. */
  private stopping = false;

  /** Whether the process can take an invocation: not ended, and not ending (it said it exits). */
  get alive(): boolean {
    return this.exited === undefined && !this.ending;
  }

  /** Told when an invocation ended inside (its result on the way). */
  private onAnswered: ((id: number) => void) | undefined;
  /** Stopped here because the handler held it past its Timeout. */
  private stoppedAtTimeout = false;

  /** The sandbox told its runtime ends (process.exit, a fatal fault): it takes nothing more. */
  private ending = false;

  /** Sends a message and waits for one of the kinds named, or the process's end (undefined). */
  private request(message: ToSandbox, kind: FromSandbox['t'][], deadlineMs?: number): Promise<FromSandbox | undefined> {
    if (this.exited !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (m: FromSandbox | undefined): void => {
        if (timer) clearTimeout(timer);
        this.waiter = undefined;
        this.hold(false);
        resolve(m);
      };
      this.hold(true);
      this.waiter = { resolve: done, kind };
      if (deadlineMs !== undefined) timer = setTimeout(() => done(undefined), deadlineMs);
      this.child.send(message, (error) => {
        if (error) done(undefined);
      });
    });
  }

  /** Why the process ended, in the words of Lambda's runtime interface. */
  endReason(): string {
    const e = this.exited;
    if (!e) return 'the sandbox is running';
    if (OUT_OF_MEMORY.test(this.stderrTail)) return 'Runtime exited with error: signal: killed';
    if (e.signal) return `Runtime exited with error: signal: ${SIGNAL_WORDS[e.signal] ?? e.signal.toLowerCase()}`;
    return `Runtime exited with error: exit status ${e.code ?? 0}`;
  }

  /** Whether the process ended for want of memory. */
  get outOfMemory(): boolean {
    return this.exited !== undefined && OUT_OF_MEMORY.test(this.stderrTail);
  }

  /**
   * Runs one invocation. The sandbox enforces the timeout itself when the handler leaves its event loop
   * free; when it does not (a busy loop), the process is stopped here a moment after the timeout.
   */
  async invoke(event: unknown, options: InvokeOptions): Promise<TargetInvocation> {
    const id = this.nextId++;
    const timeoutMs = options.timeout ?? 3000;
    const t0 = performance.now();
    // The sandbox ends an invocation at its Timeout itself; one whose handler blocks the event loop
    // cannot, and is stopped from here a moment later, unless it said it answered.
    const timer = setTimeout(() => {
      this.stoppedAtTimeout = true;
      this.stop();
    }, timeoutMs + 250);
    this.onAnswered = (answered) => {
      if (answered === id) clearTimeout(timer);
    };
    const answer = await this.request({ t: 'invoke', id, event, options }, ['result']);
    clearTimeout(timer);
    this.onAnswered = undefined;
    const durationMs = performance.now() - t0;
    const late: string[] = [];
    if (answer && answer.t === 'result') {
      if (answer.exits !== undefined) this.ending = true;
      this.maxRssKb = Math.max(this.maxRssKb, answer.maxRssKb);
      this.late.set(id, late);
      const error = answer.error ? rebuilt(answer.error) : undefined;
      const invocation: TargetInvocation = {
        event, outcome: answer.outcome, durationMs: answer.durationMs, logs: answer.logs, late, outbound: answer.outbound,
        ...(answer.result !== undefined ? { result: answer.result } : {}),
        ...(answer.error ? { error } : {}),
      };
      const { outcome } = answer;
      // The value the handler returned, read from the payload when someone asks for it.
      if (outcome.kind === 'returned' && !outcome.streamed) {
        Object.defineProperty(invocation, 'result', { enumerable: true, configurable: true, get: () => parsedPayload(outcome.payload) });
      }
      return invocation;
    }
    // No answer: the handler held the process past its Timeout (stopped here), or the process died.
    let outcome: InvokeOutcome;
    let error: Error | undefined;
    if (this.stoppedAtTimeout || this.exited === undefined) {
      this.stop();
      outcome = { kind: 'timeout', timeoutMs };
    } else {
      const reason = this.endReason();
      outcome = { kind: 'threw', errorType: 'Runtime.ExitError', errorMessage: reason };
      error = Object.assign(new Error(reason), { name: 'Runtime.ExitError' });
    }
    // Lambda's REPORT line says how much memory the function reached when it was killed for it.
    const logs = this.outOfMemory ? `${this.endReason()}\nREPORT Duration: ${durationMs.toFixed(2)} ms Memory Size: ${this.spec.memoryMb} MB Max Memory Used: ${this.spec.memoryMb} MB\n` : '';
    return { event, outcome, durationMs, logs, late, ...(error ? { error } : {}) };
  }

  /** Waits for the faults the handler's code raised after answering (they land on their invocations). */
  async settle(): Promise<void> {
    await this.request({ t: 'settle' }, ['settled'], 2000);
  }

  /** Stops the process (SIGKILL: a handler that blocks its event loop ignores anything gentler). */
  stop(): void {
    if (this.exited !== undefined) return;
    // Held until it has ended, so whoever waits for its end is still there to see it.
    this.stopping = true;
    this.child.ref();
    this.hold(true);
    this.child.kill('SIGKILL');
  }

  /** Resolves once the process has ended. */
  ended(): Promise<void> {
    return this.exited === undefined ? new Promise((resolve) => this.onExit.push(resolve)) : Promise.resolve();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
}
