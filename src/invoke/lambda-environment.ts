/**
 * The environment Lambda gives a function's process: its reserved variables, credentials (here obviously
 * fake: the user's own never reach a handler), then the function's own variables on top.
 */
import * as path from 'node:path';
import { sandboxEnvironment } from './environment';

/** The function a process is started for. */
export interface LambdaFunctionFacts {
  /** The function's name (AWS_LAMBDA_FUNCTION_NAME). */
  name: string;
  /** `file#export`, as the run loads it. */
  handler: string;
  /** Where its code is (LAMBDA_TASK_ROOT, the working directory). */
  taskRoot: string;
  memorySize: number;
  /** `nodejs22.x`; default: the host's Node major. */
  runtime?: string;
  region?: string;
}

/** Credentials a handler may see: obviously not anyone's. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIALAMBDACONTRACTFAKE',
  AWS_SECRET_ACCESS_KEY: 'lambda-contract-fake-secret-access-key',
  AWS_SESSION_TOKEN: 'lambda-contract-fake-session-token',
} as const;

/**
 * Variables of the user's shell that would hand a handler real credentials, or send the SDK looking for
 * them (profiles, SSO, container and web-identity providers, the instance metadata endpoint).
 */
const CREDENTIAL_VARIABLES = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|AWS_PROFILE|AWS_DEFAULT_PROFILE|AWS_SHARED_CREDENTIALS_FILE|AWS_CONFIG_FILE|AWS_CREDENTIAL_EXPIRATION|AWS_ROLE_ARN|AWS_ROLE_SESSION_NAME|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_.*|AWS_SSO_.*|AWS_EC2_METADATA_.*|AWS_LAMBDA_.*|_HANDLER|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR|_X_AMZN_TRACE_ID)$/;

/** Lambda's reserved variables for a function, as its runtime sets them. */
export function reservedVariables(fn: LambdaFunctionFacts): Record<string, string> {
  const runtime = fn.runtime ?? `nodejs${process.versions.node.split('.')[0]}.x`;
  const region = fn.region ?? 'us-east-1';
  const file = fn.handler.slice(0, fn.handler.lastIndexOf('#') >= 0 ? fn.handler.lastIndexOf('#') : fn.handler.length);
  const exportName = fn.handler.includes('#') ? fn.handler.slice(fn.handler.lastIndexOf('#') + 1) : 'handler';
  const relative = path.relative(fn.taskRoot, path.resolve(fn.taskRoot, file)).replace(/\\/g, '/').replace(/\.[cm]?[jt]s$/, '');
  return {
    AWS_REGION: region, AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name, AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`, AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]00000000000000000000000000000000',
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: fn.taskRoot, LAMBDA_RUNTIME_DIR: '/var/runtime', _HANDLER: `${relative}.${exportName}`, TZ: ':UTC',
    // The SDK never asks the instance metadata endpoint for credentials it has.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...FAKE_CREDENTIALS,
  };
}

/**
 * A function process's whole environment: the run's own (what the test file or shell set, without any
 * credentials), Lambda's reserved variables, then the function's (template, `--env-vars`).
 */
export function lambdaEnvironment(fn: LambdaFunctionFacts, own: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...sandboxEnvironment() })) if (v !== undefined && !CREDENTIAL_VARIABLES.test(k)) base[k] = v;
  return { ...base, ...reservedVariables(fn), ...own };
}
