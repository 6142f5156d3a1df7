/**
 * Where each violation's expectation comes from, so no failure rests on the tool's say-so: the
 * document (a JSON pointer), AWS's documented behaviour (why), or the run's own settings. A violation
 * that already carries its basis (a sequence along an inferred link names the inference) keeps it.
 */
import type { Basis, Violation, ViolationRule } from './violation';

/** What AWS documents for each rule that the gateway or Lambda, not the document, decides. */
const AWS: Partial<Record<ViolationRule, string>> = {
  gateway_malformed_result: 'API Gateway, a function URL or an ALB answers 502 (HTTP APIs 500) to a result it cannot read as a proxy response',
  gateway_function_error: 'a function error never reaches the client: the gateway answers with its own 502/500',
  gateway_undecodable_body: 'the gateway cannot decode a body marked isBase64Encoded that is not base64, and answers 502',
  payload_too_large: 'Lambda refuses a synchronous response over 6 MB (an ALB one over 1 MB)',
  timeout: 'Lambda stops a function at its Timeout; the gateway answers 504 (an ALB 502)',
  handler_failed_later: 'Lambda runs the next invocation in the same sandbox: code that fails after answering crashes a later one',
  runtime_unsupported_handler: 'the Lambda runtime refuses the handler shape (callback handlers on nodejs24.x)',
  authorizer_denied: 'API Gateway answers 401/403 itself when the Lambda authorizer denies the request',
  authorizer_error: 'API Gateway answers 500 when the Lambda authorizer fails or answers in a shape it rejects',
  route_missing: 'with no route for a method and path, API Gateway answers for the function (403 on REST, 404 on HTTP APIs)',
};

/** What the run's own settings ask for. */
const SETTINGS: Partial<Record<ViolationRule, string>> = {
  status_unexpected: 'the status the test asked for (toMatchOperation(id, { status }))',
  outbound_request: 'the run\'s network policy: contract runs reach no network but the hosts in network.allow',
  aws_call_not_emulated: 'the run\'s network policy: AWS calls reach only the run\'s local stand-ins (the template\'s DynamoDB tables, Cognito pools\' keys, the secrets and parameters given)',
  downstream_request: 'the downstream API\'s contract given to mockDownstream',
};

/** Where in an operation a rule's expectation is written, when the violation names no place of its own. */
const PLACE: Partial<Record<ViolationRule, string>> = {
  status_not_documented: '/responses',
  server_error: '/responses',
  auth_not_enforced: '/security',
  request_not_rejected: '/parameters',
  positive_data_acceptance: '/parameters',
};

/** The basis of a violation of the operation at `operationPointer` (its document's JSON pointer). */
export function basisOf(v: Violation, operationPointer: string | undefined): Basis {
  if (v.basis) return v.basis;
  const aws = AWS[v.rule];
  if (aws) return { from: 'aws', reason: aws };
  const setting = SETTINGS[v.rule];
  if (setting) return { from: 'settings', setting };
  return { from: 'document', pointer: v.specPointer ?? `${operationPointer ?? ''}${PLACE[v.rule] ?? ''}` };
}

/** The violations with their basis filled in. */
export function withBasis(violations: Violation[], operationPointer: string | undefined): Violation[] {
  return violations.map((v) => (v.basis ? v : { ...v, basis: basisOf(v, operationPointer) }));
}

/** A basis in one line, for reports: `the document #/paths/…`, `AWS: …`, `inferred: …`. */
export function describeBasis(b: Basis): string {
  if (b.from === 'document') return `the document #${b.pointer}`;
  if (b.from === 'aws') return `AWS: ${b.reason}`;
  if (b.from === 'settings') return `the run's settings: ${b.setting}`;
  return `an inference read back for certain: ${b.assumed}`;
}
