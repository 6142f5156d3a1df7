/**
 * A function as Lambda runs it: sandboxes started on demand (one per invocation in flight), kept warm
 * between invocations, replaced after a timeout or a crash (the next invocation starts cold), and
 * counted: invocations, cold starts with their Init Duration, the peak memory used, as Lambda's REPORT
 * line has them.
 */
import { asInvocation, type InvokeOptions } from '../invoke';
import { asTarget, type FunctionTarget, type HandlerShape, type TargetInvocation } from '../target';
import { Sandbox, type SandboxSpec } from './sandbox';

/** What a function's sandboxes did during a run, as Lambda's REPORT lines sum it up. */
export interface FunctionUsage {
  /** The function's name in reports. */
  name: string;
  invocations: number;
  /** Sandboxes started (each a cold start). */
  coldStarts: number;
  /** Init Duration of the first cold start, ms (the module's load). */
  initDurationMs: number;
  /** The longest Init Duration, ms. */
  maxInitDurationMs: number;
  /** The MemorySize the heap was bounded by, MB. */
  memorySizeMb: number;
  /** Peak resident memory of any of its sandboxes, MB. */
  maxMemoryUsedMb: number;
  timeouts: number;
  /** Sandboxes that ended by a fault: process.exit, a crash, out of memory. */
  crashes: number;
  /** Invocations throttled beyond the function's reserved concurrency. */
  throttles: number;
}

export interface PoolOptions {
  /** A fresh sandbox for every invocation (`--cold`): finds handlers that only work warm. */
  cold?: boolean;
  /**
   * The function's ReservedConcurrentExecutions: invocations in flight beyond it are throttled, as
   * Lambda throttles them (`TooManyRequestsException`, `Rate Exceeded.`).
   */
  reservedConcurrency?: number;
}

/** A function's sandboxes, behind the {@link FunctionTarget} a run invokes. */
export class FunctionSandboxes implements FunctionTarget {
  readonly sandboxed = true;
  private readonly idle: Sandbox[] = [];
  private readonly busy = new Set<Sandbox>();
  /** Sandboxes starting for an invocation: they count against the reserved concurrency too. */
  private starting = 0;
  private readonly all = new Set<Sandbox>();
  private readonly usage: FunctionUsage;
  private closed = false;

  private constructor(
    private readonly spec: SandboxSpec,
    readonly shape: HandlerShape,
    private readonly options: PoolOptions,
  ) {
    this.usage = { name: spec.name, invocations: 0, coldStarts: 0, initDurationMs: 0, maxInitDurationMs: 0, memorySizeMb: spec.memoryMb, maxMemoryUsedMb: 0, timeouts: 0, crashes: 0, throttles: 0 };
  }

  get name(): string {
    return this.spec.name;
  }

  /** Starts the function's first sandbox (its module loads now: a handler that does not load is a clear error here). */
  static async start(spec: SandboxSpec, options: PoolOptions = {}): Promise<FunctionSandboxes> {
    const { sandbox, start } = await Sandbox.start(spec);
    const pool = asTarget(new FunctionSandboxes(spec, start.shape, options));
    pool.adopt(sandbox, start.initMs);
    return pool;
  }

  private adopt(sandbox: Sandbox, initMs: number): void {
    this.all.add(sandbox);
    this.idle.push(sandbox);
    this.usage.coldStarts++;
    if (this.usage.coldStarts === 1) this.usage.initDurationMs = initMs;
    this.usage.maxInitDurationMs = Math.max(this.usage.maxInitDurationMs, initMs);
    this.usage.maxMemoryUsedMb = Math.max(this.usage.maxMemoryUsedMb, Math.ceil(sandbox.maxRssKb / 1024));
    void sandbox.ended().then(() => this.all.delete(sandbox));
  }

  /** A warm sandbox, else a new one (a cold start); undefined when the function is throttled. */
  private async take(): Promise<{ sandbox: Sandbox; cold: boolean } | undefined> {
    const limit = this.options.reservedConcurrency;
    if (limit !== undefined && this.busy.size + this.starting >= limit) return undefined;
    let warm = this.idle.pop();
    while (warm && !warm.alive) warm = this.idle.pop();
    if (warm) {
      this.busy.add(warm);
      return { sandbox: warm, cold: !warm.used };
    }
    this.starting++;
    try {
      const { sandbox, start } = await Sandbox.start(this.spec);
      this.adopt(sandbox, start.initMs);
      this.idle.pop();
      this.busy.add(sandbox);
      return { sandbox, cold: true };
    } finally {
      this.starting--;
    }
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<TargetInvocation> {
    if (this.closed) throw new Error(`the sandboxes of ${this.name} are closed`);
    const taken = await this.take();
    if (!taken) {
      this.usage.throttles++;
      const message = 'Rate Exceeded.';
      return asInvocation({ event, outcome: { kind: 'threw', errorType: 'TooManyRequestsException', errorMessage: message }, durationMs: 0, logs: '', late: [], throttled: true, error: Object.assign(new Error(message), { name: 'TooManyRequestsException' }) });
    }
    const { sandbox, cold } = taken;
    sandbox.used = true;
    this.usage.invocations++;
    try {
      const invocation = await sandbox.invoke(event, options);
      this.usage.maxMemoryUsedMb = Math.max(this.usage.maxMemoryUsedMb, Math.ceil(sandbox.maxRssKb / 1024));
      const timedOut = invocation.outcome.kind === 'timeout';
      if (timedOut) this.usage.timeouts++;
      if (!sandbox.alive || timedOut) {
        // Lambda resets an environment after a timeout, and starts a new one after a crash.
        if (!timedOut) this.usage.crashes++;
        if (sandbox.outOfMemory) this.usage.maxMemoryUsedMb = Math.max(this.usage.maxMemoryUsedMb, this.spec.memoryMb);
        sandbox.stop();
      } else if (this.options.cold) sandbox.stop();
      else this.idle.push(sandbox);
      return asInvocation({ ...invocation, ...(cold ? { cold: true } : {}) });
    } finally {
      this.busy.delete(sandbox);
    }
  }

  async settle(): Promise<void> {
    await Promise.all([...this.all].filter((s) => s.alive).map((s) => s.settle()));
  }

  /** What the function's sandboxes did so far. */
  report(): FunctionUsage {
    return { ...this.usage };
  }

  /** Stops every sandbox of the function. */
  async close(): Promise<void> {
    this.closed = true;
    const ending = [...this.all].map((s) => {
      s.stop();
      return s.ended();
    });
    await Promise.all(ending);
  }
}
