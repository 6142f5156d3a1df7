/**
 * Project configuration: `lambda-contract.config.json`, `lambda-contract.config.js|cjs`, or a
 * `lambdaContract` key in package.json, found from a directory upwards. Paths are relative to the
 * file that names them.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ContractError } from '../errors';
import { isSourceName, SOURCE_NAMES } from '../gateway';
import type { AuthorizerContext, SourceName } from '../gateway/types';
import type { AuthorizerSettings } from '../gateway/authorizer';
import type { RequestOverrides } from '../requests/cases';
import { CHECK_NAMES, parseAcceptedStatuses, parseChecks, type CheckName } from '../run/checks';
import type { RunOptions } from '../run/run';
import type { ContractOptions } from '../contract';

/** What a project configures (every key optional; CLI flags and call options win). */
export interface LambdaContractConfig {
  /** The OpenAPI document. */
  spec?: string;
  /** The handler as `file#export` (`src/handler.ts#handler`). */
  handler?: string;
  /** A deployment template (SAM / CloudFormation YAML or JSON) or a `cdk.out` folder: a function per route. */
  template?: string;
  /** The event source (`rest`). */
  source?: SourceName;
  /** Invocation timeout in ms (default 3000). */
  timeout?: number;
  /** The Lambda runtime's rules (`nodejs24.x` refuses callback handlers); with a template, each function's own. */
  runtime?: string;
  /** API Gateway stage name. */
  stage?: string;
  stageVariables?: Record<string, string>;
  /** REST API binaryMediaTypes. */
  binaryMediaTypes?: string[];
  /** Allow remote `$ref`s. */
  allowRemoteRefs?: boolean;
  /** Folders besides the document's own that `$ref`s may read files from (relative to the config file). */
  allowRefsFrom?: string[];
  /** Seed for generated values. */
  seed?: number;
  /**
   * A Lambda authorizer to run before the handler on secured operations: `file#export`, or that with
   * the gateway's authorizer settings.
   */
  authorizer?: string | ({ handler: string } & AuthorizerSettings);
  /** A fixed authorizer result for secured operations (JWT claims, Lambda context or IAM identity). */
  authorizerContext?: AuthorizerContext;
  /** Property-based cases per operation (default 20). */
  runs?: number;
  /** The checks to run (default: all). */
  checks?: CheckName[];
  /** Statuses that accept a valid request for `positive_data_acceptance` (`404`, `2xx`; default 2xx, 401, 403, 404, 409). */
  acceptedStatuses?: string[];
  /** Sequences along the contract's links (default: on when it has links or inferable ones); `false` turns them off. */
  sequences?: boolean;
  /** Fixed request values per operation id: `{ "getPet": { "pathParameters": { "petId": "1" } } }`. */
  overrides?: Record<string, RequestOverrides>;
  /** Claims every token the run mints carries besides its own (`{ "cognito:groups": ["admin"] }`). */
  tokenClaims?: Record<string, unknown>;
  /** With a template: a JSON file of items its tables start with (`{ "TableId": [ { … } ] }`), as `--table-items`. */
  tableItems?: string;
  /** With a template: a JSON file of the secrets and parameters Secrets Manager and Parameter Store answer, as `--aws-values`. */
  awsValues?: string;
  /** (`lambda-contract.config.js` only) Changes each request before it is sent: sign it, point it at a fixture. */
  before?: RunOptions['before'];
}

/**
 * Which part of the product each configuration key feeds — the one list the config file's check, the
 * CLI, the Jest suite and the default contract all read: `target` (what is tested), `contract` (the
 * document and its gateway, {@link contractOptions}), `run` (how cases run, {@link runOptions}).
 */
export const CONFIG_KEYS = {
  spec: 'target', handler: 'target', template: 'target', source: 'contract', timeout: 'run', runtime: 'run', stage: 'contract', stageVariables: 'contract',
  binaryMediaTypes: 'contract', allowRemoteRefs: 'contract', allowRefsFrom: 'contract', seed: 'run', authorizer: 'target',
  authorizerContext: 'contract', runs: 'run', checks: 'run', acceptedStatuses: 'run', sequences: 'run', overrides: 'run', before: 'run', tableItems: 'target', awsValues: 'target', tokenClaims: 'run',
} as const satisfies Record<keyof LambdaContractConfig, 'target' | 'contract' | 'run'>;

type KeysOf<P> = { [K in keyof typeof CONFIG_KEYS]: (typeof CONFIG_KEYS)[K] extends P ? K : never }[keyof typeof CONFIG_KEYS];
/** The run options a configuration can set. */
export type ConfiguredRunOptions = Pick<RunOptions, KeysOf<'run'>>;

function keysOf(part: 'contract' | 'run'): Array<keyof LambdaContractConfig> {
  return (Object.keys(CONFIG_KEYS) as Array<keyof LambdaContractConfig>).filter((k) => CONFIG_KEYS[k] === part);
}

/**
 * The contract options a configuration sets (source, gateway settings, `$ref` rules, authorizer
 * context); folders resolve against `dir`.
 */
export function contractOptions(c: LambdaContractConfig, dir = process.cwd()): ContractOptions {
  const out: Record<string, unknown> = {};
  for (const key of keysOf('contract')) {
    const value = c[key];
    if (value === undefined) continue;
    if (key === 'allowRefsFrom') out.allowRefsFrom = (value as string[]).map((d) => path.resolve(dir, d));
    else if (key === 'authorizerContext') out.authorizer = value;
    else out[key] = value;
  }
  return out as ContractOptions;
}

/** The run options a configuration sets (timeout, seed, runs, checks, overrides, before). */
export function runOptions(c: LambdaContractConfig): ConfiguredRunOptions {
  const out: Record<string, unknown> = {};
  for (const key of keysOf('run')) if (c[key] !== undefined) out[key] = c[key];
  return out as ConfiguredRunOptions;
}

export interface FoundConfig {
  config: LambdaContractConfig;
  /** The file it came from, or undefined when none was found. */
  file?: string;
  /** The directory relative paths resolve against. */
  dir: string;
}

/** A Lambda Node.js runtime identifier: `nodejs20.x`, `nodejs24.x`. */
export const LAMBDA_RUNTIME = /^nodejs\d+\.x$/;

const FILES = ['lambda-contract.config.json', 'lambda-contract.config.js', 'lambda-contract.config.cjs'];

/** Checks a config object's keys and types; throws ERR_CONTRACT_CONFIG naming the file and key. */
export function validateConfig(raw: unknown, file: string): LambdaContractConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: the configuration must be an object`, { file });
  }
  const r = raw as Record<string, unknown>;
  const fail = (key: string, want: string): never => {
    throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: "${key}" must be ${want}, got ${JSON.stringify(r[key])}`, { file, key });
  };
  const known = Object.keys(CONFIG_KEYS);
  for (const key of Object.keys(r)) {
    if (!known.includes(key)) throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: unknown key "${key}"; known keys: ${known.join(', ')}`, { file, key });
  }
  for (const key of ['spec', 'handler', 'template', 'stage', 'tableItems', 'awsValues'] as const) if (r[key] !== undefined && typeof r[key] !== 'string') fail(key, 'a string');
  if (r.source !== undefined && !isSourceName(r.source)) fail('source', `one of ${SOURCE_NAMES.join(', ')}`);
  for (const key of ['timeout', 'seed', 'runs'] as const) if (r[key] !== undefined && (typeof r[key] !== 'number' || !Number.isFinite(r[key]) || (r[key] as number) < 0)) fail(key, 'a non-negative number');
  if (r.runtime !== undefined && !(typeof r.runtime === 'string' && LAMBDA_RUNTIME.test(r.runtime))) fail('runtime', 'a Lambda Node.js runtime such as "nodejs22.x" or "nodejs24.x"');
  if (r.allowRemoteRefs !== undefined && typeof r.allowRemoteRefs !== 'boolean') fail('allowRemoteRefs', 'true or false');
  if (r.allowRefsFrom !== undefined && !(Array.isArray(r.allowRefsFrom) && r.allowRefsFrom.every((t) => typeof t === 'string'))) fail('allowRefsFrom', 'an array of folders');
  if (r.binaryMediaTypes !== undefined && !(Array.isArray(r.binaryMediaTypes) && r.binaryMediaTypes.every((t) => typeof t === 'string'))) fail('binaryMediaTypes', 'an array of media types');
  if (r.stageVariables !== undefined && !(typeof r.stageVariables === 'object' && r.stageVariables !== null && Object.values(r.stageVariables).every((v) => typeof v === 'string'))) fail('stageVariables', 'an object of strings');
  if (r.authorizer !== undefined && typeof r.authorizer !== 'string') {
    const a = r.authorizer as Record<string, unknown>;
    if (typeof a !== 'object' || a === null || typeof a.handler !== 'string') fail('authorizer', '"file#export" or { handler: "file#export", type, identitySource, payloadFormatVersion, enableSimpleResponses }');
    const extra = Object.keys(a).filter((k) => !['handler', 'type', 'identitySource', 'payloadFormatVersion', 'enableSimpleResponses'].includes(k));
    if (extra.length) fail('authorizer', `an object without ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
    if (a.type !== undefined && a.type !== 'TOKEN' && a.type !== 'REQUEST') fail('authorizer', 'an object whose type is "TOKEN" or "REQUEST"');
    if (a.payloadFormatVersion !== undefined && a.payloadFormatVersion !== '1.0' && a.payloadFormatVersion !== '2.0') fail('authorizer', 'an object whose payloadFormatVersion is "1.0" or "2.0"');
    if (a.identitySource !== undefined && typeof a.identitySource !== 'string' && !(Array.isArray(a.identitySource) && a.identitySource.every((x) => typeof x === 'string'))) fail('authorizer', 'an object whose identitySource is a string or a list of strings');
    if (a.enableSimpleResponses !== undefined && typeof a.enableSimpleResponses !== 'boolean') fail('authorizer', 'an object whose enableSimpleResponses is true or false');
  }
  if (r.authorizerContext !== undefined) {
    const a = r.authorizerContext as Record<string, unknown>;
    const okType = typeof a === 'object' && a !== null && ['lambda', 'jwt', 'iam'].includes(String(a.type));
    if (!okType || (a.type === 'jwt' && (typeof a.claims !== 'object' || a.claims === null))) fail('authorizerContext', '{ type: "jwt", claims }, { type: "lambda", context } or { type: "iam", … }');
  }
  if (r.checks !== undefined) {
    if (!Array.isArray(r.checks)) fail('checks', `a list of ${CHECK_NAMES.join(', ')}`);
    try {
      parseChecks(r.checks as string[]);
    } catch (error) {
      throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: "checks": ${(error as Error).message}`, { file, key: 'checks' });
    }
  }
  if (r.acceptedStatuses !== undefined) {
    if (!Array.isArray(r.acceptedStatuses)) fail('acceptedStatuses', 'a list of statuses (404) or classes (2xx)');
    try {
      parseAcceptedStatuses(r.acceptedStatuses as string[]);
    } catch (error) {
      throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: "acceptedStatuses": ${(error as Error).message}`, { file, key: 'acceptedStatuses' });
    }
  }
  if (r.sequences !== undefined && typeof r.sequences !== 'boolean') fail('sequences', 'true or false');
  if (r.tokenClaims !== undefined && (typeof r.tokenClaims !== 'object' || r.tokenClaims === null || Array.isArray(r.tokenClaims))) fail('tokenClaims', 'an object of claims ({ "cognito:groups": ["admin"] })');
  if (r.before !== undefined && typeof r.before !== 'function') fail('before', 'a function (request, { operationId, caseName }) => request, in lambda-contract.config.js');
  if (r.overrides !== undefined) {
    const o = r.overrides as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) fail('overrides', 'an object of operation ids to request values');
    const keys = ['pathParameters', 'queryStringParameters', 'headers', 'cookies', 'body', 'contentType', 'credentials', 'authorizerContext'];
    for (const [id, v] of Object.entries(o)) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('overrides', `an object whose "${id}" is an object of ${keys.join(', ')}`);
      const extra = Object.keys(v as object).filter((k) => !keys.includes(k));
      if (extra.length) throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: "overrides"."${id}" has unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}; known: ${keys.join(', ')}`, { file, key: 'overrides' });
    }
  }
  return r as LambdaContractConfig;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
}

/** Finds the project configuration from `cwd` upwards (stops at the first package.json directory). */
export function findConfig(cwd: string = process.cwd()): FoundConfig {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of FILES) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      let raw: unknown;
      if (name.endsWith('.json')) raw = readJson(file);
      else {
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require(file) as { default?: unknown };
          raw = mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
        } catch (error) {
          throw new ContractError('ERR_CONTRACT_CONFIG', `${file}: ${(error as Error).message}`, { file }, { cause: error });
        }
      }
      return { config: validateConfig(raw, file), file, dir };
    }
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = readJson(pkg) as Record<string, unknown>;
      if (json.lambdaContract !== undefined) return { config: validateConfig(json.lambdaContract, `${pkg} ("lambdaContract")`), file: pkg, dir };
      return { config: {}, dir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { config: {}, dir: path.resolve(cwd) };
    dir = parent;
  }
}
