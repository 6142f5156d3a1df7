/** Which operations of a document a Lambda authorizer secures, and with which of the gateway's settings. */
import type { AuthorizerSettings } from '../gateway/authorizer';
import type { Operation } from './model';

/** Whether the document names API Gateway Lambda authorizers (`x-amazon-apigateway-authorizer`) on some operation. */
export function namesLambdaAuthorizers(operations: readonly Operation[]): boolean {
  return operations.some((op) => op.security.some((alt) => alt.some(({ scheme }) => scheme.gatewayAuthorizer)));
}

/**
 * The authorizer for an operation: the document's `x-amazon-apigateway-authorizer` settings (type,
 * identity sources, payload version) under the caller's explicit ones. When the document names Lambda
 * authorizers, only operations secured by one run it; otherwise every secured operation does.
 */
export function authorizerForOperation<T extends AuthorizerSettings>(op: Operation, given: T, documentAuthorizers: boolean): T | undefined {
  const required = op.security.length > 0 && !op.securityOptional;
  if (!required) return undefined;
  const declared = op.security[0]?.map(({ scheme }) => scheme.gatewayAuthorizer).find((a) => a !== undefined);
  if (!declared) return documentAuthorizers ? undefined : given;
  if (declared.type === 'JWT' || declared.type === 'COGNITO_USER_POOLS') return undefined; // the gateway checks tokens itself
  return { ...declared, ...definedOnly(given) };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
