/**
 * The generated suite, for any runner with `describe`/`test`/`beforeAll`/`afterAll` (Jest, Vitest): a
 * `describe` per operation and a `test` per request case, planned while the runner collects tests, run
 * once in a `beforeAll`; `shard: 'K/N'` spreads a large contract over files.
 */
import * as path from 'node:path';
import { contractOptions, findConfig, runOptions, type LambdaContractConfig } from '../config/config';
import { ContractError, describeThrown } from '../errors';
import type { LambdaHandler } from '../invoke/invoke';
import { loadHandler } from '../invoke/load';
import { describeFailure } from '../report/text';
import type { Authorizer } from '../invoke/authorize';
import { Contract } from '../contract';
import { planRun, propertyCaseName, type PlannedOperation } from '../run/plan';
import { DEFAULT_RUNS, runContract, type CaseResult, type RunOptions } from '../run/run';
import { planSync } from './collect';
import { loadDeployment } from '../deploy/cloudformation';
import type { Deployment } from '../deploy/model';
import { tokenAuthorizersOf, contractBehindDeployment, runDeployment } from '../run/deployment';
import { releaseNock } from '../invoke/isolation';

/** What `contractSuite` runs; every key defaults to the project's lambda-contract config. */
export interface ContractSuiteOptions extends Omit<LambdaContractConfig, 'handler' | 'authorizer' | 'before'> {
  /** The handler: a function (imported in the test file, so `jest.mock` / `vi.mock` apply) or `file#export`. */
  handler?: string | LambdaHandler<never>;
  /** With `template`: values for its Parameters (a Serverless service's `${opt:…}`). */
  parameterOverrides?: Record<string, string>;
  /** A Lambda authorizer in front of secured operations: `file#export`, a function, or that with its settings. */
  authorizer?: string | Authorizer | ({ handler: string } & Omit<Authorizer, 'handler'>);
  /** Changes each request before it is sent. */
  before?: RunOptions['before'];
  /** Only these operations (ids or `METHOD /path`). */
  operations?: string[];
  /**
   * This file's share of the operations, `'K/N'` (1 ≤ K ≤ N): operation i (in document order) belongs to
   * share i mod N. Make N files with `shard: '1/N'` … `'N/N'`; the runner runs them in parallel workers,
   * and `jest --shard` / `vitest --shard` deal them to CI machines.
   */
  shard?: string;
  /** Timeout of the file's run (all its operations), in ms (default 300000); each invocation has its own `timeout`. */
  hookTimeout?: number;
}

interface Settled {
  spec: string;
  /** Absent with a deployment template: each operation's function comes from it. */
  handler?: string | LambdaHandler<never>;
  deployment?: Deployment;
  authorizer?: ContractSuiteOptions['authorizer'];
  config: LambdaContractConfig & Pick<ContractSuiteOptions, 'before' | 'operations'>;
  shard?: { index: number; count: number };
  hookTimeout: number;
  dir: string;
}

function resolveSettings(options: ContractSuiteOptions): Settled {
  const found = findConfig(process.cwd());
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(found.dir, p));
  const template = options.template !== undefined ? path.resolve(process.cwd(), options.template) : options.handler === undefined ? fromConfig(found.config.template) : undefined;
  const handler = options.handler ?? (template === undefined ? fromConfig(found.config.handler) : undefined);
  if (handler === undefined && template === undefined) throw new ContractError('ERR_CONTRACT_CONFIG', 'contractSuite: no handler — pass { handler } (a function or "file#export") or { template }, or set "handler" or "template" in lambda-contract.config.json', { option: 'handler' });
  const deployment = template !== undefined ? loadDeployment(template, options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}) : undefined;
  const specFile = options.spec !== undefined ? path.resolve(process.cwd(), options.spec) : (fromConfig(found.config.spec) ?? (deployment ? definitionFile(deployment) : undefined));
  if (!specFile) throw new ContractError('ERR_CONTRACT_CONFIG', 'contractSuite: no spec — pass { spec } or set "spec" in lambda-contract.config.json', { option: 'spec' });
  const { handler: _h, authorizer: _a, shard: shardText, hookTimeout, parameterOverrides: _p, ...rest } = options;
  const config = { ...found.config, ...definedOnly(rest) };
  let authorizer: ContractSuiteOptions['authorizer'] = options.authorizer;
  if (authorizer === undefined && found.config.authorizer !== undefined) {
    const a = found.config.authorizer;
    authorizer = typeof a === 'string' ? path.resolve(found.dir, a) : { ...a, handler: path.resolve(found.dir, a.handler) };
  }
  const s: Settled = { spec: specFile, config, hookTimeout: hookTimeout ?? 300_000, dir: found.dir };
  if (handler !== undefined) s.handler = handler;
  if (deployment) s.deployment = deployment;
  if (authorizer !== undefined) s.authorizer = authorizer;
  if (shardText !== undefined) s.shard = parseShard(shardText);
  return s;
}

/** The file of the OpenAPI definition a deployment's API carries (the suite plans from a file). */
function definitionFile(deployment: Deployment): string | undefined {
  const files = deployment.apis.flatMap((a) => (typeof a.definition === 'string' ? [a.definition] : []));
  if (new Set(files).size > 1) throw new ContractError('ERR_CONTRACT_CONFIG', `contractSuite: several APIs of ${deployment.file} carry a definition (${files.join(', ')}); pass { spec }`, { option: 'spec' });
  return files[0];
}

/** `'2/4'` → share 2 of 4. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `contractSuite: shard must be "K/N" with 1 ≤ K ≤ N (like jest --shard), got ${JSON.stringify(text)}`, { option: 'shard' });
  }
  return { index, count };
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function definedOnly<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/** What the suite needs of a test runner: Jest's and Vitest's functions both fit. */
export interface TestRunnerApi {
  describe: (name: string, body: () => void) => void;
  test: (name: string, body: () => void) => void;
  beforeAll: (body: () => Promise<void>, timeout?: number) => void;
  afterAll: (body: () => void) => void;
  /**
   * How much of a failure's message its `stack` repeats. Jest prints a failure from its stack, so the
   * whole message goes there (without our frames). Vitest prints the message itself and parses the
   * stack for frames, and up to Vitest 3 its parser backtracks without end on a long line holding quotes
   * and colons, such as the event's JSON: there the stack holds the first line only.
   */
  stack?: 'message' | 'first line';
}

/** A failed case as a test failure: the violations first, then the request, without our stack frames. */
class ContractCaseFailure extends Error {
  override name = 'ContractViolation';
  constructor(r: CaseResult, stack: TestRunnerApi['stack'], of = 1) {
    const head = of > 1
      ? `${of} routes of the template are not operations of the contract; the first: ${r.violations[0]?.message ?? ''}`
      : r.internalError
      ? `${r.operationId} (${r.method} ${r.path}) ${r.case}: lambda-contract could not check this case`
      : `${r.operationId} (${r.method} ${r.path}) ${r.case} answered ${r.status ?? '—'} behind ${r.source}: ${r.violations[0]?.message ?? 'failed'}`;
    super(`${head}\n\n${describeFailure(r)}`);
    this.stack = `${this.name}: ${stack === 'first line' ? head : this.message}`;
  }
}

interface Loaded {
  contract: Contract;
  /** Absent with a deployment: each function is loaded by the run. */
  handler?: LambdaHandler<never>;
  authorizer?: Authorizer;
}

async function loadAll(s: Settled, early: Contract | undefined): Promise<Loaded> {
  const contract = early ?? (await Contract.load(s.spec, contractOptions(s.config, s.dir)));
  if (s.handler === undefined) return { contract };
  const handler = typeof s.handler === 'function' ? s.handler : ((await loadHandler(s.handler, s.dir)) as LambdaHandler<never>);
  const loaded: Loaded = { contract, handler };
  const a = s.authorizer;
  if (typeof a === 'string') loaded.authorizer = { handler: (await loadHandler(a, s.dir)) as LambdaHandler<never> };
  else if (a && typeof a.handler === 'string') loaded.authorizer = { ...a, handler: (await loadHandler(a.handler, s.dir)) as LambdaHandler<never> };
  else if (a) loaded.authorizer = a as Authorizer;
  return loaded;
}

/** Generates the suite of the project's contract with the runner's functions (the doors' `contractSuite`). */
export function buildContractSuite(runner: TestRunnerApi, options: ContractSuiteOptions = {}): void {
  const { afterAll, beforeAll, describe, test } = runner;
  let s: Settled;
  let operations: PlannedOperation[];
  let linkScope: string[] = [];
  let early: Contract | undefined;
  try {
    s = resolveSettings(options);
    const c = s.config;
    // The plan is made in a worker for some documents: the run keys that are data, not functions.
    const { timeout: _timeout, before: _before, ...planned } = runOptions(c);
    const planOptions = { ...planned, ...(c.operations ? { operations: c.operations } : {}) };
    // One-file 3.x documents load synchronously, here, once; others are planned in a worker thread.
    early = Contract.loadSync(s.spec, contractOptions(c, s.dir));
    // Behind a template's gateway, the plan has its preflight cases (CORS, OPTIONS mocks) too; the run
    // applies the template itself, route by route.
    const planning = early && s.deployment ? contractBehindDeployment(early, s.deployment) : early;
    operations = planning
      ? planRun(planning, { ...planOptions, defaultRuns: DEFAULT_RUNS, ...(s.deployment ? { tokenAuthorizers: tokenAuthorizersOf(planning, s.deployment) } : {}) }).operations
      : planSync({ spec: s.spec, allowRemoteRefs: c.allowRemoteRefs ?? false, allowRefsFrom: contractOptions(c, s.dir).allowRefsFrom ?? [], plan: planOptions }).operations;
    // A shard's sequences follow links to the other shares' operations too, as the plan named them.
    linkScope = operations.map((op) => op.id);
    if (s.shard) {
      const { index, count } = s.shard;
      operations = operations.filter((_op, i) => i % count === index - 1);
    }
  } catch (error) {
    // The runner shows a failing test, not a crash of the collection phase: the reason, and the file.
    const { message } = describeThrown(error);
    describe('lambda-contract', () => {
      test('contract suite', () => {
        throw Object.assign(new Error(message), { stack: `ContractError: ${runner.stack === 'first line' ? message.split('\n')[0] : message}` });
      });
    });
    return;
  }
  const settled = s;
  const runs = settled.config.runs ?? DEFAULT_RUNS;
  const loaded = early;

  // One run for all of this file's operations (a run per operation costs more than the cases).
  const results = new Map<string, CaseResult[]>();
  const keyOf = (operationId: string, name: string): string => `${operationId}\u0000${name}`;
  beforeAll(async () => {
    const { contract, handler, authorizer } = await loadAll(settled, loaded);
    const c = settled.config;
    const planned = new Map(operations.flatMap((op) => (op.requests ? [[op.id, op.requests] as const] : [])));
    const { timeout: _perFunction, ...run } = runOptions(c);
    const report = settled.deployment
      ? await runDeployment(contract, settled.deployment, { operations: operations.map((op) => op.id), planned, linkScope, ...run, strayRoutes: !settled.shard || settled.shard.index === 1 })
      : await runContract(contract, handler as LambdaHandler<never>, {
          operations: operations.map((op) => op.id),
          planned,
          linkScope,
          ...runOptions(c),
          ...(c.source ? { source: c.source } : {}),
          ...(authorizer ? { authorizer } : {}),
        });
    // The property case under the name the plan gave it (`property ×20`, or `property ×1` for an operation that takes no input).
    const propertyName = new Map(operations.map((op) => [op.id, op.cases.find((name) => name.startsWith('property ×')) ?? propertyCaseName(runs)]));
    for (const r of report.results) {
      const key = keyOf(r.operationId, r.sequence?.kind ?? (r.case.startsWith('property') ? (propertyName.get(r.operationId) ?? propertyCaseName(runs)) : r.case));
      results.set(key, [...(results.get(key) ?? []), r]);
    }
  }, settled.hookTimeout);
  afterAll(() => releaseNock());

  for (const op of operations) {
    describe(op.id, () => {
      describe(`${op.method} ${op.path}`, () => {
        const seen = new Map<string, number>();
        for (const name of op.cases) {
          const nth = seen.get(name) ?? 0;
          seen.set(name, nth + 1);
          test(name, () => {
            const unrouted = results.get(keyOf(op.id, 'route'))?.[0]; // a deployment with no function for it
            if (unrouted && !unrouted.ok) throw new ContractCaseFailure(unrouted, runner.stack);
            const r = results.get(keyOf(op.id, name))?.[nth];
            if (!r) throw new Error(`${op.id}: the run made no case "${name}" (the contract or the options changed while the suite ran?)`);
            if (!r.ok) throw new ContractCaseFailure(r, runner.stack);
          });
        }
      });
    });
  }
  if (settled.deployment && (!settled.shard || settled.shard.index === 1)) {
    describe('deployment', () => {
      test('every route of the template is an operation of the contract', () => {
        const planned = new Set(operations.map((op) => op.id));
        const stray = [...results.values()].flat().filter((r) => r.case === 'route' && !r.ok && !planned.has(r.operationId));
        if (stray.length > 0) throw new ContractCaseFailure(stray[0] as CaseResult, runner.stack, stray.length);
      });
    });
  }
}
