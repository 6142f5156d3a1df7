/** What a contract run is asked (its options) and what it answers (its report). */
import type { CaseResult } from './case-result';
import type { Coverage } from './coverage';
import type { HttpRequest, HttpResponse, SourceName } from '../gateway/types';
import type { Link, LinkSummary } from '../document/links';
import type { InvokeOptions } from '../invoke/invoke';
import type { FunctionUsage } from '../invoke/sandbox/pool';
import type { Authorizer } from '../invoke/authorize';
import type { RequestOverrides } from '../requests/cases';
import type { CheckName } from './checks';
import type { PlannedRequests } from './plan';
import type { NetworkOptions } from '../invoke/isolation';
import type { TokenGate } from '../aws/identity';

export interface RunReport {
  spec: string;
  title: string;
  version: string;
  source: SourceName;
  results: CaseResult[];
  summary: { operations: number; failedOperations: number; cases: number; passed: number; failed: number };
  /** Which operations and documented responses the run exercised, and which conformed. */
  coverage: Coverage;
  /** Document problems that did not stop the run. */
  warnings: string[];
  /** The links the run's sequences could follow (the document's, or inferred ones saying what they assume); absent when there are none. */
  links?: LinkSummary[];
  durationMs: number;
  /** Set when the run was stopped (`signal`) before every case ran. */
  interrupted?: true;
  /** What each function's sandboxes did, as Lambda's REPORT lines sum it up (runs in sandboxes only). */
  functions?: FunctionUsage[];
  /** The local stand-ins for AWS services the run used (runs from a template). */
  standIns?: StandInsReport;
  /** The checks the run applied, when not all of them: a verdict says what it covers. */
  checks?: CheckName[];
}

export interface RunOptions extends InvokeOptions {
  /**
   * Claims every token the run mints carries besides its own (`{ "cognito:groups": ["admin"] }`): for
   * the template's JWT and Cognito authorizers, and a Lambda authorizer's Cognito pool.
   */
  tokenClaims?: Record<string, unknown>;
  /** Only these operations (ids or `METHOD /path`). */
  operations?: string[];
  /** The source for every operation (default: each operation's own, see `Contract.sourceFor`). */
  source?: SourceName;
  /**
   * A Lambda authorizer to run before the handler on every secured operation, as API Gateway does.
   * A refusal (401/403) or a broken answer (500) is reported as the case's violation.
   */
  authorizer?: Authorizer;
  /** Seed for generated values and property-based cases (default 1): the same seed, the same requests. */
  seed?: number;
  /** Property-based cases per operation (fast-check, shrunk on failure). Default 20; 0 turns them off. */
  runs?: number;
  /** The checks to apply (default: all). */
  checks?: CheckName[];
  /**
   * The statuses that count as accepting a valid request, for `positive_data_acceptance`: exact (`404`)
   * or classes (`2xx`). Default 2xx, 401, 403, 404, 409.
   */
  acceptedStatuses?: string[];
  /**
   * Sequences along the contract's links (explicit or inferred): on by default when the document has
   * links and a sequence check (`ensure_resource_availability`, `use_after_free`) is on; `false` turns
   * them off. `runs` bounds the random sequences per root operation.
   */
  sequences?: boolean;
  /** Fixed request values per operation (operationId or `METHOD /path`): real ids, real tokens. */
  overrides?: Record<string, RequestOverrides>;
  /** Changes each request before it is sent (sign it, point it at a fixture); return the new request or nothing. */
  before?: (request: HttpRequest, context: { operationId: string; caseName: string }) => HttpRequest | void | Promise<HttpRequest | void>;
  /**
   * Outbound isolation (default on): the handler's real network calls are blocked and each one is
   * reported as an `outbound_request` violation naming host and path. `{ allow: ['host'] }` lets named
   * hosts through (loopback always is); `false` turns isolation off.
   */
  network?: NetworkOptions | false;
  /** Called after each case (progress output). */
  onResult?: (result: CaseResult) => void;
  /**
   * Stops the run after the case in progress; the report then holds the cases run so far and says it
   * was interrupted (the CLI aborts on Ctrl-C and still writes every report).
   */
  signal?: AbortSignal;
  /**
   * @internal The operations whose links sequences may follow (default: the run's). A suite shard runs
   * its roots' sequences along links to operations of other shards; a deployment's steps run elsewhere.
   */
  linkScope?: readonly string[];
  /**
   * @internal Where links a `Location` header teaches go when this run makes no sequences itself (a
   * deployment's function runs: its sequences cross functions afterwards).
   */
  learnedLinks?: Link[];
  /** @internal Told each case's response as the client got it (a deployment's sequence steps). */
  onResponse?: (operationId: string, caseName: string, response: HttpResponse) => void;
  /**
   * @internal The gateway's own token authorizers (a template's JWT or Cognito ones), by operation id:
   * each request goes through its gate, and its probes run as auth cases.
   */
  tokenGates?: ReadonlyMap<string, TokenGate>;
  /** @internal Requests a plan with the same seed, overrides and checks generated already, by operation id. */
  planned?: ReadonlyMap<string, PlannedRequests>;
  /**
   * @internal Operations whose valid requests carry a token the run inferred (a Lambda authorizer's
   * Cognito pool), with what it is: the authorizer's refusal of it is a note, not a finding.
   */
  inferredTokens?: ReadonlyMap<string, string>;
}

/** The local stand-ins for AWS services a deployment run used, and what they hold at its end. */
export interface StandInsReport {
  /** The template's tables in the local DynamoDB, with the items the handlers left in them. */
  dynamodb?: { tables: Array<{ id: string; name: string; items: number }> };
  /** The run's token issuer: the authorizers it minted for (JWT, Cognito, a Lambda authorizer's pool), and how many tokens. */
  tokens?: { authorizers: string[]; minted: number };
  /** The template's S3 buckets, in memory, with the objects the handlers left in them. */
  s3?: { buckets: Array<{ id: string; name: string; objects: number }> };
  /** Cognito user pools' signing keys (JWKS, OpenID configuration) the run's issuer served to functions. */
  keySets?: number;
  /** Secrets Manager secrets and Parameter Store parameters served from `--aws-values`. */
  values?: { file: string; secrets: number; parameters: number };
  /** The AWS SDK the runtime provides, as found for the functions (`@aws-sdk/client-dynamodb@3.1169.0`). */
  sdk?: string[];
}
