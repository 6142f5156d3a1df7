/** The verdict on one request case: the record every reporter and matcher reads. */
import type { HttpRequest, SourceName } from '../gateway/types';
import type { Violation } from '../verify/violation';
import type { GatewayRule } from '../verify/admission';

export interface CaseResult {
  operationId: string;
  method: string;
  /** The path template. */
  path: string;
  source: SourceName;
  /** `example "cat"`, `schema`. */
  case: string;
  seed: number;
  ok: boolean;
  /** The status the client received (the gateway's own on a fault). */
  status?: number;
  violations: Violation[];
  /** The request that was sent. */
  request: HttpRequest;
  /** The event the handler received. */
  event: unknown;
  /** What the generator noticed about this case. */
  notes: string[];
  durationMs: number;
  /** The handler's error, when it threw. */
  error?: { type: string; message: string; stack?: string };
  /** What the client received, on failed cases: the status, headers and body (as text, cut at 2 KB). */
  response?: ResponseRecord;
  /** What the handler logged while answering (the last 8 KB), on failed cases. */
  logs?: string;
  /** The deployed function that served the case (`--template`): its logical id, the name reports use (CDK: its construct path), and its handler file. */
  function?: { id: string; name: string; file: string };
  /**
   * The gateway answered the request itself and the function never ran: which of its rules, the setting
   * that decided it (a document pointer), why, and the gateway response that shaped the answer.
   */
  answeredBy?: { rule: GatewayRule; setting: string; reason: string; shapedBy?: string };
  /**
   * A sequence case: the requests it sent along the contract's links, step by step (what each carried
   * from earlier steps and what it got), up to the failing step. `request`, `event` and `violations` are
   * that step's.
   */
  sequence?: SequenceRecord;
  /** A failure of lambda-contract itself on this case (reported, not thrown). */
  internalError?: string;
}

/** A response as a failed case's record keeps it. */
export interface ResponseRecord {
  status: number;
  headers: Array<[string, string]>;
  /** The body as UTF-8 text, cut at 2 KB (`…` marks the cut); a body that is not text: `<N bytes>`. Absent when empty. */
  body?: string;
}

/** One request of a sequence as the reports show it. */
export interface SequenceStep {
  operationId: string;
  method: string;
  /** The concrete path sent (`/items/7`), with its query. */
  path: string;
  /** The request body as text (cut at 200 characters), when one was sent. */
  body?: string;
  /** The deployed function that served the step (`--template`), by the name reports use. */
  function?: string;
  status?: number;
  ok: boolean;
  /** The link followed to this step (`createItem 201 → getItem`); absent for the first. */
  link?: string;
  /** What the link carried from an earlier step: `path.itemId ← $response.body#/id = "7" (step 1)`. */
  carried: string[];
  /** Why the link could not be followed (an expression found nothing): the step was not sent. */
  unfollowed?: string;
}

/** A sequence a case ran: its steps, in order, up to the one that failed. */
export interface SequenceRecord {
  /** The sequence kind as a plan names it (`sequence createItem → getItem`, `sequences from createItem ×20`). */
  kind: string;
  steps: SequenceStep[];
  /**
   * The links every sequence of the case followed, for a root's drawn sequences (whose `steps` are the
   * last or the shrunk one's).
   */
  followed?: string[];
  /** Set for a sequence fast-check drew and shrank; `from`: how many steps the first failing sequence drew. */
  shrunk?: { runs: number; shrinks: number; path: string; from: number };
}
