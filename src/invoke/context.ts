/** A Lambda `context` object as the Node.js runtime builds it, with a clock that counts down. */
import type { Context } from 'aws-lambda';

export interface ContextOptions {
  functionName?: string;
  functionVersion?: string;
  memoryLimitInMB?: number;
  region?: string;
  accountId?: string;
  awsRequestId?: string;
  /** The invocation timeout the countdown starts from, in ms. */
  timeoutMs?: number;
}

/** Builds a context whose `getRemainingTimeInMillis()` counts down from the timeout. */
export function createContext(options: ContextOptions = {}): Context {
  const functionName = options.functionName ?? 'lambda-contract-function';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const timeoutMs = options.timeoutMs ?? 3000;
  const deadline = Date.now() + timeoutMs;
  const requestId = options.awsRequestId ?? '00000000-0000-4000-a000-000000000000';
  const version = options.functionVersion ?? '$LATEST';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: version,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 128),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/01/[${version}]${requestId.replace(/-/g, '').slice(0, 32)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
