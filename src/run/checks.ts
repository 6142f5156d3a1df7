/**
 * The checks a run applies to each case's verdict, chosen with `--checks`: the response conforms to
 * the contract; a valid request never meets a server error; a valid request is accepted (a 4xx outside
 * the accepted statuses means the handler is stricter than its contract); a forbidden request is
 * rejected with a 4xx; a secured operation refuses callers without credentials; and, along the
 * contract's links (`run/sequences.ts`), what was created can be read back and what was deleted is gone.
 * Named as Schemathesis names the same ideas.
 */
import { ContractError } from '../errors';
import type { Operation } from '../document/model';
import type { CaseIntent } from '../requests/negative';
import type { Violation, ViolationRule } from '../verify/violation';
import type { HttpRequest } from '../gateway/types';
import { decodeQueryComponent, headerValue, splitQuery } from '../gateway/wire';
import { isObject } from '../document/pointer';

export const CHECK_NAMES = ['conformance', 'no_server_errors', 'positive_data_acceptance', 'negative_data_rejection', 'auth_enforcement', 'ensure_resource_availability', 'use_after_free'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** Parses `--checks a,b` (or `all`); throws ERR_CONTRACT_USAGE naming the unknown ones. */
export function parseChecks(text: string | readonly string[]): CheckName[] {
  const names = (typeof text === 'string' ? text.split(',') : [...text]).map((s) => s.trim()).filter((s) => s !== '');
  if (names.includes('all')) return [...CHECK_NAMES];
  const unknown = names.filter((n) => !(CHECK_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new ContractError('ERR_CONTRACT_USAGE', `unknown check${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => JSON.stringify(u)).join(', ') || '(none given)'}; checks: ${CHECK_NAMES.join(', ')}, all`, { option: 'checks' });
  }
  return names as CheckName[];
}

/** The statuses that count as accepting a valid request unless the run names others (`positive_data_acceptance`). */
export const DEFAULT_ACCEPTED_STATUSES: readonly string[] = ['2xx', '401', '403', '404', '409'];

/** Parses `--accepted-statuses 2xx,404` (exact statuses or `Nxx` classes); throws ERR_CONTRACT_USAGE naming a bad one. */
export function parseAcceptedStatuses(text: string | readonly string[]): string[] {
  const items = (typeof text === 'string' ? text.split(',') : [...text]).map((s) => String(s).trim().toLowerCase()).filter((s) => s !== '');
  const bad = items.filter((s) => !/^[1-5](xx|\d\d)$/.test(s));
  if (bad.length > 0 || items.length === 0) {
    throw new ContractError('ERR_CONTRACT_USAGE', `accepted statuses must be statuses (404) or classes (2xx); got ${bad.map((b) => JSON.stringify(b)).join(', ') || '(none)'}`, { option: 'acceptedStatuses' });
  }
  return items;
}

/**
 * Statuses that turn a well-formed request away for the state it meets or for meaning a schema cannot
 * express (410 Gone, 412 Precondition Failed, 422 Unprocessable Content, 423 Locked, 428 Precondition
 * Required): by default they accept a valid request on an operation that documents them.
 */
const STATE_STATUSES: ReadonlySet<number> = new Set([410, 412, 422, 423, 428]);

function accepts(statuses: readonly string[], status: number): boolean {
  return statuses.some((s) => (s.endsWith('xx') ? String(status)[0] === s[0] : Number(s) === status));
}

/** Rules that say the gateway or the runtime failed, whatever the contract says. */
const SERVER_RULES: ReadonlySet<ViolationRule> = new Set(['gateway_malformed_result', 'gateway_function_error', 'gateway_undecodable_body', 'payload_too_large', 'timeout', 'server_error']);

/** Whether the operation documents this 5xx itself (exact or `5XX`; `default` is not a promise to fail). */
function documentsServerError(operation: Operation, status: number): boolean {
  return operation.responses.some((r) => r.status === String(status) || r.status === '5XX');
}

/** What one case produced, for the checks to weigh. */
export interface CaseEvidence {
  operation: Operation;
  intent: CaseIntent;
  /** What the case breaks, for negative cases. */
  breaks?: string;
  status: number;
  /** Every violation the gateway step and the contract found. */
  violations: Violation[];
  /** The gateway answered for the function (fault), and whether an authorizer refused. */
  refusedByAuthorizer: boolean;
  /** The statuses that accept a valid request (default {@link DEFAULT_ACCEPTED_STATUSES}). */
  acceptedStatuses?: readonly string[];
  /** The request sent, to see which of its parameters it carried. */
  request?: HttpRequest;
  /** Where a check that is not judged says why (an assumption it would have rested on). */
  notes?: string[];
  /**
   * The hosts of the network calls the run blocked during the case. A 4xx or 5xx after a blocked call
   * is its consequence, not the handler's view of the request: the blocked call is the finding.
   */
  blocked?: readonly string[];
}

/**
 * Parameters whose values only the server issues — an opaque page token such as `cursor`, `pageToken`,
 * `starting_after` — known by name (an inference): any string their schema allows may still be refused
 * as one the server never gave. Optional strings with no enum or format only.
 */
const TOKEN_NAMES = /^(cursor|page[-_]?cursor|(page|next|continuation|pagination|resume)[-_]?token|token|continuation|marker|next|after|before|starting[-_]after|ending[-_]before|exclusive[-_]?start[-_]?key)$/i;

function opaqueTokensSent(operation: Operation, request: HttpRequest): string[] {
  const query = new Set(splitQuery(request.rawQuery).map(([k]) => decodeQueryComponent(k)));
  return operation.parameters
    .filter((p) => !p.required && (p.in === 'query' || p.in === 'header') && TOKEN_NAMES.test(p.name))
    .filter((p) => {
      const schema = p.schema?.schema;
      return isObject(schema) && (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'))) && schema.enum === undefined && schema.const === undefined && schema.format === undefined;
    })
    .filter((p) => (p.in === 'query' ? query.has(p.name) : headerValue(request.headers, p.name) !== undefined))
    .map((p) => `${p.in} parameter "${p.name}"`);
}

/** The violations that count for a case under the chosen checks. */
export function applyChecks(evidence: CaseEvidence, checks: readonly CheckName[]): Violation[] {
  const { operation, intent, status } = evidence;
  const on = (c: CheckName): boolean => checks.includes(c);
  const base = { operationId: operation.id, status, where: 'status' } as const;
  // An authorizer's refusal is the expected answer to a request without credentials.
  const contract = evidence.violations.filter((v) => !(intent === 'unauthenticated' && (v.rule === 'authorizer_denied')));
  const out: Violation[] = on('conformance') ? [...contract] : contract.filter((v) => SERVER_RULES.has(v.rule));

  if (intent === 'valid') {
    if (on('no_server_errors') && status >= 500 && !documentsServerError(operation, status) && !out.some((v) => SERVER_RULES.has(v.rule))) {
      out.push({ ...base, rule: 'server_error', expected: 'no 5xx for a valid request (none is documented as 5XX or exactly)', received: String(status), message: `a valid request got ${status}, a server error the operation does not document` });
    }
    // A 4xx to a request the contract allows: the handler is stricter than its contract. Not when the
    // gateway refused it (request_refused_by_gateway says so) or an authorizer did.
    const accepted = evidence.acceptedStatuses ?? DEFAULT_ACCEPTED_STATUSES;
    const stateful = evidence.acceptedStatuses === undefined && STATE_STATUSES.has(status) && operation.responses.some((r) => r.status === String(status));
    const stricter = on('positive_data_acceptance') && status >= 400 && status < 500 && !accepts(accepted, status) && !stateful && !evidence.refusedByAuthorizer && !out.some((v) => v.rule === 'request_refused_by_gateway');
    const tokens = stricter && evidence.request ? opaqueTokensSent(operation, evidence.request) : [];
    const blocked = evidence.blocked ?? [];
    const failedWithout = out.filter((v) => v.rule === 'server_error' || v.rule === 'gateway_function_error');
    if (blocked.length > 0 && (stricter || failedWithout.length > 0)) {
      // The handler answered (or failed) without the service it called: what it would answer with it is unknown.
      const rule = stricter ? 'positive_data_acceptance' : failedWithout[0]?.rule === 'server_error' ? 'no_server_errors' : 'gateway_function_error';
      evidence.notes?.push(`not judged (${rule}): the handler answered ${status} after the run blocked its call to ${blocked.join(', ')}; that call is the finding`);
      return out.filter((v) => !failedWithout.includes(v));
    }
    if (tokens.length > 0) {
      evidence.notes?.push(`not judged (positive_data_acceptance): the request was refused with ${status}, and it carries ${tokens.join(', ')}, a token only the server issues (assumed from its name)`);
    } else if (stricter) {
      out.unshift({
        ...base, rule: 'positive_data_acceptance', expected: `a status that accepts the request (${accepted.join(', ')})`, received: String(status),
        message: `the contract allows this request, but the handler rejected it with ${status}: the handler is stricter than its contract`,
      });
    }
    if (!on('no_server_errors')) return out.filter((v) => v.rule !== 'server_error');
    return out;
  }
  if (intent === 'invalid') {
    // An operation that documents no 4xx (exact, 4XX or default) has no answer for the rejection to be:
    // demanding one would fail a handler for keeping to its document.
    const canReject = operation.responses.some((r) => r.status === 'DEFAULT' || r.status.startsWith('4'));
    if (status < 400 && !canReject) {
      evidence.notes?.push(`not judged (negative_data_rejection): the request ${evidence.breaks ?? 'breaks a rule'}, but ${operation.id} documents no 4xx to reject it with`);
    } else if (status < 400 || status >= 500) {
      out.unshift({
        ...base, rule: 'request_not_rejected', expected: 'a documented 4xx', received: String(status),
        message: `the contract forbids this request (${evidence.breaks ?? 'it breaks a rule'}), but the handler answered ${status}${status >= 500 ? ', a server error,' : ''} instead of rejecting it with a 4xx`,
      });
    }
    return out;
  }
  if (status !== 401 && status !== 403) {
    out.unshift({
      ...base, rule: 'auth_not_enforced', expected: '401 or 403', received: String(status),
      message: `${operation.id} requires credentials; a request that ${evidence.breaks ?? 'has none'} got ${status} instead of 401 or 403`,
    });
  }
  return out;
}
