/**
 * Violations: plain, serializable data. One union of rules for everything lambda-contract reports,
 * in a leaf module that imports nothing of ours. Reporters and matchers only format these.
 */

/** Every rule a violation can break. */
export type ViolationRule =
  /** The gateway would not accept the result (AWS answers 502 / 500): malformed shape. */
  | 'gateway_malformed_result'
  /** The handler threw or rejected; the gateway answers with its own error. */
  | 'gateway_function_error'
  /** `isBase64Encoded` was true but the body is not base64 the gateway can decode. */
  | 'gateway_undecodable_body'
  /** The response payload exceeds Lambda's 6 MB limit. */
  | 'payload_too_large'
  /** The handler did not settle in time (504 / 503 / 502 depending on the source). */
  | 'timeout'
  /** The Lambda authorizer refused the request (401 / 403); the handler never ran. */
  | 'authorizer_denied'
  /** The Lambda authorizer failed or answered in a shape the gateway rejects (500). */
  | 'authorizer_error'
  /** The status code is not documented for the operation (no exact, range or default entry). */
  | 'status_not_documented'
  /** The response has a body but no Content-Type the contract can match. */
  | 'content_type_missing'
  /** The Content-Type is not among the media types documented for that status. */
  | 'content_type_not_documented'
  /** A required response header is absent. */
  | 'header_missing'
  /** A response header's value does not match its schema. */
  | 'header_schema'
  /** The body cannot be parsed as its media type (invalid JSON). */
  | 'body_not_parseable'
  /** The body does not match the documented schema. */
  | 'body_schema'
  /** The contract documents a body for the status but the response has none. */
  | 'body_missing'
  /** The contract documents no content for the status but the response has a body. */
  | 'body_unexpected'
  /** A schema in the document cannot be compiled (bad pattern, broken reference). */
  | 'schema_unusable'
  /** The body nests deeper than a schema can be checked against (thousands of levels): it was not checked. */
  | 'body_unverifiable'
  /** The status differs from the one the test asked for (`toMatchOperation(id, { status })`). */
  | 'status_unexpected'
  /** A valid request got a 5xx the operation does not document (check `no_server_errors`). */
  | 'server_error'
  /** A request that breaks the contract was not rejected with a 4xx (check `negative_data_rejection`). */
  | 'request_not_rejected'
  /** A request the contract allows was refused with a 4xx outside the accepted statuses (check `positive_data_acceptance`). */
  | 'positive_data_acceptance'
  /** A sequence: what a step created (2xx) could not be read back along its link (404) (check `ensure_resource_availability`). */
  | 'ensure_resource_availability'
  /** A sequence: what a step deleted (2xx) is still served by a later step (check `use_after_free`). */
  | 'use_after_free'
  /** A sequence: a link's runtime expression found no value in the earlier step's request or response. */
  | 'link_not_followed'
  /** A secured operation answered a request without valid credentials with neither 401 nor 403 (check `auth_enforcement`). */
  | 'auth_not_enforced'
  /** The handler tried to reach the network during a contract run (blocked; allow hosts with `network.allow`). */
  | 'outbound_request'
  /** The handler called an AWS service the run has no local stand-in for (the call was blocked; supply one or allow the host). */
  | 'aws_call_not_emulated'
  /** The handler called a downstream API (`mockDownstream`) in a way that API's contract forbids. */
  | 'downstream_request'
  /** The handler's code failed after it answered (a timer that throws, a late process.exit): in Lambda, a later invocation crashes. */
  | 'handler_failed_later'
  /** A deployment (template): no function serves an operation of the contract; the gateway answers for it. */
  | 'route_missing'
  /** A deployment: a route sends a method and path the contract does not document to a function. */
  | 'route_undocumented'
  /** A deployment: a route's path parameters are named differently from the operation's. */
  | 'route_parameter_names'
  /** A deployment: the function's runtime cannot run its handler (a callback handler on nodejs24.x). */
  | 'runtime_unsupported_handler'
  /** The configured gateway (its request validator, an API key) refuses a request the contract allows. */
  | 'request_refused_by_gateway'
  /** The HTTP API's CORS configuration refuses a browser's preflight for an operation (origin, method or headers). */
  | 'cors_preflight_refused';

/** One way a response breaks the contract or the gateway's rules. */
export interface Violation {
  rule: ViolationRule;
  /** The operation judged: its operationId, or `METHOD /path`. */
  operationId: string;
  /** The status code the client received (after the gateway), when there was one. */
  status?: number;
  /** Where in the response: `status`, `header X-Rate-Limit`, `body`, `gateway`. */
  where: string;
  /** JSON pointer into the body (`/items/0/name`), for body rules. */
  pointer?: string;
  /** The schema keyword that failed (`type`, `required`, `enum`, …), for schema rules. */
  keyword?: string;
  /** What the contract (or the gateway) allows, in short. */
  expected: string;
  /** What was received, in short. */
  received: string;
  /** One sentence a user acts on. */
  message: string;
  /** Where in the document the broken rule is written (JSON pointer). */
  specPointer?: string;
  /** For a value that must equal one exact value (`const`, a one-value `enum`): both values, for a diff. */
  diff?: { expected: unknown; received: unknown };
  /**
   * Where the expectation comes from: the document (a JSON pointer), AWS's documented behaviour (why),
   * the run's own settings, or an inference the tool made (what it assumed). An inference is never the
   * only ground of a failure: a violation with `from: 'inference'` rests on a value read back for certain.
   */
  basis?: Basis;
}

/** Where a violation's expectation comes from. */
export type Basis =
  /** The OpenAPI document declares it, at this JSON pointer (`/paths/~1pets/get/responses`). */
  | { from: 'document'; pointer: string }
  /** AWS documents that the gateway or Lambda does it: why. */
  | { from: 'aws'; reason: string }
  /** The run's own settings ask for it (a test's expected status, the network policy, a downstream mock): which. */
  | { from: 'settings'; setting: string }
  /** The tool inferred it from the document's shape and a value it read back for certain: what it assumed. */
  | { from: 'inference'; assumed: string };

/** The verdict on one response: zod's safe-parse shape. */
export type VerifyResult = { ok: true; violations: [] } | { ok: false; violations: Violation[] };

export function verdict(violations: Violation[]): VerifyResult {
  return violations.length === 0 ? { ok: true, violations: [] } : { ok: false, violations };
}
