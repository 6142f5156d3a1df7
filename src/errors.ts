/**
 * Misuse and bad configuration are exceptions with a stable `code`; contract violations are never
 * thrown (they are data, see `verify/violation.ts`).
 */

/** Every code a {@link ContractError} carries. */
export type ContractErrorCode =
  /** The spec file cannot be read or parsed (YAML/JSON syntax, missing file). */
  | 'ERR_CONTRACT_SPEC_UNREADABLE'
  /** The document is not a valid OpenAPI / Swagger document. */
  | 'ERR_CONTRACT_SPEC_INVALID'
  /** The document is valid but beyond what lambda-contract handles (e.g. nested deeper than it can walk). */
  | 'ERR_CONTRACT_SPEC_UNSUPPORTED'
  /** A `$ref` points to a remote URL and remote references are not allowed. */
  | 'ERR_CONTRACT_REMOTE_REF'
  /** A `$ref` names a file outside the document's folder and that folder is not allowed (`allowRefsFrom`). */
  | 'ERR_CONTRACT_REF_OUTSIDE'
  /** No operation has the given id (or `METHOD /path`). */
  | 'ERR_CONTRACT_UNKNOWN_OPERATION'
  /** The handler module or its export cannot be loaded. */
  | 'ERR_CONTRACT_HANDLER'
  /** A configuration file or option is wrong. */
  | 'ERR_CONTRACT_CONFIG'
  /** A deployment template cannot be read or resolved (file, line, resource). */
  | 'ERR_CONTRACT_TEMPLATE'
  /** A matcher or API call was used in a way it does not support. */
  | 'ERR_CONTRACT_USAGE';

/** An error in the configuration or use of lambda-contract (never a contract violation). */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  readonly code: ContractErrorCode;
  /** Structured detail: the file, JSON pointer, operation or option concerned. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ContractErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
    // Stack starts at the caller, not inside this constructor.
    Error.captureStackTrace?.(this, new.target);
  }
}

/** True for a {@link ContractError}, optionally of one code. */
export function isContractError(error: unknown, code?: ContractErrorCode): error is ContractError {
  return error instanceof ContractError && (code === undefined || error.code === code);
}

/** An Error from any realm (handlers loaded outside Jest's sandbox throw the host's Error). */
export function isErrorLike(error: unknown): error is Error {
  return error instanceof Error || Object.prototype.toString.call(error) === '[object Error]';
}

/** The message of anything thrown, for reports. */
export function describeThrown(error: unknown): { type: string; message: string } {
  if (isErrorLike(error)) return { type: error.name || 'Error', message: error.message };
  if (error === undefined) return { type: 'undefined', message: 'the handler threw or rejected with undefined' };
  let text: string;
  try {
    text = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    text = String(error);
  }
  return { type: typeof error, message: text };
}
