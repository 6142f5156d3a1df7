/** The messages between a run and a function's sandbox (a child process), over Node's IPC channel as JSON. */
import type { InvokeOutcome } from '../../gateway/types';
import type { InvokeOptions } from '../invoke';
import type { RedirectOptions } from '../aws-redirect';
import type { NetworkOptions, OutboundAttempt } from '../isolation';

/** What the sandbox loads: the handler, where, and what it may reach. */
export interface LoadRequest {
  t: 'load';
  /** `file#export`, the file absolute or relative to the sandbox's working directory. */
  handler: string;
  /** Hosts the handler may reach (loopback always); `false`: no isolation. */
  network: { allow: string[]; patterns: string[] } | false;
  /** The run's AWS stand-ins: calls to these services go to this loopback endpoint. */
  aws?: RedirectOptions;
  /** The node_modules holding the SDK the runtime provides, for ES modules' imports of it. */
  sdk?: string;
}

export interface InvokeRequest {
  t: 'invoke';
  id: number;
  event: unknown;
  options: InvokeOptions;
}

/** Asks for the faults the handler's code raised after its invocations answered. */
export interface SettleRequest {
  t: 'settle';
}

export type ToSandbox = LoadRequest | InvokeRequest | SettleRequest;

/** An error as the handler threw it, told across the process boundary. */
export interface ThrownValue {
  /** `Error` subclasses: their name, message and stack; anything else: its JSON (or String) and typeof. */
  kind: 'error' | 'value';
  name: string;
  message: string;
  stack?: string;
  /** For `kind: 'value'`: the thrown value itself when JSON carries it. */
  value?: unknown;
}

export type FromSandbox =
  | { t: 'loaded'; arity: number; streaming: boolean; initMs: number; maxRssKb: number }
  /** The invocation ended (its result follows): the handler no longer holds the process. */
  | { t: 'answered'; id: number }
  | { t: 'load-failed'; message: string; code?: string; details?: Record<string, unknown> }
  | {
      t: 'result';
      id: number;
      outcome: InvokeOutcome;
      /** A streamed answer's body (a returned value travels as the outcome's payload only). */
      result?: unknown;
      error?: ThrownValue;
      durationMs: number;
      logs: string;
      outbound: OutboundAttempt[];
      /** The sandbox's peak resident memory so far, in KB. */
      maxRssKb: number;
      /** The invocation ended the runtime (process.exit, a fault while pending): the sandbox exits after this message. */
      exits?: number;
      /** Faults earlier invocations' code raised since last told (a timer that threw after answering). */
      late: Array<{ id: number; messages: string[] }>;
    }
  | { t: 'settled'; late: Array<{ id: number; messages: string[] }> };

/** The allow list as it travels: strings as they are, patterns as their source. */
export function encodeNetwork(network: NetworkOptions | false | undefined): LoadRequest['network'] {
  if (network === false) return false;
  const allow = network?.allow ?? [];
  return { allow: allow.filter((a): a is string => typeof a === 'string'), patterns: allow.filter((a): a is RegExp => a instanceof RegExp).map((r) => r.source) };
}
