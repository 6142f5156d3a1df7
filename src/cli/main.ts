/**
 * `lambda-contract check | events | serve`: the CI gate, the event generator and the local gateway. Exit 0 = conforms, 1 = violations, 2 = usage or
 * configuration error (bad flag, unreadable spec, handler that cannot be loaded).
 */
import { parseOverrides, samconfigOverrides } from '../deploy/samconfig';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { contractOptions, findConfig, LAMBDA_RUNTIME, runOptions, type FoundConfig, type LambdaContractConfig } from '../config/config';
import { init, specCandidates } from './init';
import { describeThrown, isContractError } from '../errors';
import { isSourceName, SOURCE_NAMES } from '../gateway';
import type { SourceName } from '../gateway/types';
import { parseHandlerSpec } from '../invoke/load';
import { lambdaEnvironment } from '../invoke/lambda-environment';
import { FunctionSandboxes } from '../invoke/sandbox/pool';
import { isTarget } from '../invoke/target';
import { formatJson } from '../report/json';
import { formatJunit } from '../report/junit';
import { formatMarkdown } from '../report/markdown';
import { formatLinks, formatText, formatViolation } from '../report/text';
import { summarizeLink } from '../document/links';
import { createDeploymentServer, createServer, type Exchange, type ServedToken } from '../server/server';
import { progressBar, progressLines, type Progress } from '../report/progress';
import { Contract } from '../contract';
import { loadDeployment } from '../deploy/cloudformation';
import type { DeployedRoute, Deployment } from '../deploy/model';
import type { JsonObject } from '../document/pointer';
import { routeFor, routesOf, runDeployment } from '../run/deployment';
import type { TableItems } from '../aws/dynamodb';
import { checkAwsValues, type AwsValues } from '../aws/values';
import { runContract, runPortability, type RunReport } from '../run/run';
import { coverageShortfalls, parseThresholds, type CoverageThresholds } from '../run/coverage';
import type { AuthorizerSettings } from '../gateway/authorizer';
import type { Authorizer } from '../invoke/authorize';
import { formatPortabilityJson, formatPortabilityText } from '../report/portability';
import { parseAcceptedStatuses, parseChecks, type CheckName } from '../run/checks';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** stdout is a terminal (colours). */
  isTTY: boolean;
  /** stderr is a terminal (a progress bar instead of plain lines). */
  stderrIsTTY?: boolean;
  /** Terminal width for the progress bar. */
  columns?: number;
  /** Asks the user a question (`init`); absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
  /** Resolves when the user asks to stop (SIGINT, SIGTERM): `serve` shuts down then. */
  interrupted?: () => Promise<unknown>;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage:
  lambda-contract init   [--yes] [--force] [--spec FILE] [--handler FILE[#export]]
  lambda-contract check  --spec FILE --handler FILE[#export] [options]
  lambda-contract check  --template template.yaml [--spec FILE] [options]
  lambda-contract routes --template template.yaml [--spec FILE]
  lambda-contract events --spec FILE [--operation ID] [--source NAME] [--seed N] [--runs N]
  lambda-contract serve  --spec FILE --handler FILE[#export] [--port 3000] [--host 127.0.0.1] [--source NAME]
  lambda-contract serve  --template template.yaml [--spec FILE] [--port 3000] [--host 127.0.0.1]

check: for every operation, sends the examples, a schema case, property-based requests (shrunk on
failure), forbidden requests and credential-less ones through the handler as the source's event, and
judges each result as the gateway and the contract do.
  --spec FILE            OpenAPI 2.0 / 3.0 / 3.1 document (YAML or JSON)
  --handler FILE#export  handler module (.ts, .js, .mjs, .cjs) and export (default: handler)
  --template FILE        a SAM / CloudFormation template (YAML or JSON) or a cdk.out folder: each
                         operation runs through the function its route reaches, with that
                         function's environment, Timeout and MemorySize; routes and operations that
                         do not meet are violations. The contract: --spec, else the API's definition
  --api ID               the template's API whose routes count (default: all)
  --function ID          only the operations these functions serve (repeatable)
  --parameter-overrides K=V [K=V …]  values for the template's Parameters (as SAM takes them;
                         ParameterKey=K,ParameterValue=V too)
  --config-env NAME      the samconfig.toml environment whose parameter_overrides apply (default:
                         default); the command line's --parameter-overrides win over them
  --env-vars FILE        environment over the template's, SAM's shape: { "FnId": {…}, "Parameters": {…} }
  --source NAME          event source: ${SOURCE_NAMES.join(', ')}, or all for a
                         portability table (default: the document's integration, else rest)
  --authorizer FILE#export  run this Lambda authorizer before the handler on secured operations
                         (REST and HTTP API sources; its settings come from the config file)
  --operation ID         only this operation (repeatable; operationId or "GET /path")
  --format FMT[=FILE]    report format: text, json, junit (JUnit XML) or markdown (a PR comment or
                         job summary); repeatable: one without a file goes to stdout (default:
                         text), the others to their files, e.g. --format junit=reports/junit.xml
  --output FILE          write the stdout report to FILE instead
  --min-coverage LIST    fail (exit 1) below these percentages of conformed operations and
                         documented responses, e.g. operations=100,responses=80
  --timeout MS           per-invocation timeout (default: 3000, Lambda's default); a handler still
                         running then (even one that blocks its event loop) is stopped, its sandbox
                         replaced, and its operation's other cases are skipped
  --memory-size MB       the --handler function's MemorySize, its heap's bound (default: 128);
                         with --template each function's own
  --cold                 a fresh sandbox for every case: finds handlers that only work warm
  --concurrency N        functions of a template checked side by side (default: the CPU cores)
  --runtime NAME         the Lambda runtime's rules, e.g. nodejs24.x (refuses callback handlers);
                         default: each function's Runtime with --template, else nodejs22.x's
  --seed N               seed for generated values and property-based cases (default: 1);
                         a failure prints the seed that reproduces it
  --runs N               property-based cases per operation (default: 20; 0: none)
  --checks LIST          comma-separated: conformance, no_server_errors, positive_data_acceptance,
                         negative_data_rejection, auth_enforcement, ensure_resource_availability,
                         use_after_free (default: all)
  --table-items FILE     with --template: items the template's tables start with, as JSON
                         { "TableIdOrName": [ { "id": "1", … }, … ] } (each checked against the table's key first)
  --aws-values FILE      with --template: what Secrets Manager and Parameter Store answer, as JSON
                         { "secrets": { "name": "value" | {…} }, "parameters": { "/name": "value" } }
  --no-aws-standins      with --template: no local DynamoDB for the template's tables, no token issuer
                         for its authorizers, no secrets (AWS calls are then blocked and reported)
  --no-sequences         no sequences along the contract's links (they run by default when the
                         document has links, or links can be inferred; --runs bounds the drawn ones)
  --accepted-statuses L  statuses that accept a valid request, for positive_data_acceptance
                         (default: 2xx,401,403,404,409)
  --stage NAME           API Gateway stage (default: prod for REST, $default for HTTP APIs)
  --allow-remote-refs    fetch $refs to http(s) URLs (off by default)
  --allow-refs-from DIR  let $refs read files under DIR too (repeatable; by default only files
                         under the document's own folder are read)
  --no-color             plain text even on a terminal

init: sets the project up — lambda-contract.config.json, the Jest preset, test/contract.test.* with
contractSuite(), a test:contract script (lambda-contract init --help for more).

events: prints, as a JSON array of { operationId, method, path, source, case, event }, the events the
source sends for each operation's examples and schema case, and with --runs N for N property-based
requests too (the same seed gives the same events). On stderr, the links check's sequences follow: the
document's own, or those inferred from its shape, each with what it assumed.

serve: a local gateway on HTTP. Each request becomes the source's event, goes through the handler, and
the gateway's answer goes back; every exchange is judged against the contract and logged as it happens.
With --template, each request goes to the function its route reaches, as that route's source, with the
function's authorizer, environment and Timeout.
Ctrl-C stops it and prints the tally (exit 1 if any response broke the contract). --port 0 picks a free port.

Ctrl-C during check stops after the case in progress and still writes every report, marked interrupted.

Options not given come from lambda-contract.config.json or "lambdaContract" in package.json.
Exit codes: 0 conforms, 1 contract violations, 2 usage or configuration error, 130 interrupted.`;

class UsageError extends Error {}

/**
 * SAM spells `--parameter-overrides` as one flag followed by several pairs (`--parameter-overrides
 * Stage=prod Size=2`): each pair after the flag's own value becomes a flag of its own, up to the next
 * option or a word that is no `Key=Value`.
 */
export function spreadOverrides(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    out.push(arg);
    if (arg !== '--parameter-overrides' || i + 1 >= argv.length) continue;
    out.push(argv[++i] as string);
    while (i + 1 < argv.length && /^[A-Za-z0-9]+=|^ParameterKey=/.test(argv[i + 1] as string)) out.push('--parameter-overrides', argv[++i] as string);
  }
  return out;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: spreadOverrides(argv),
      allowPositionals: true,
      strict: true,
      options: {
        spec: { type: 'string' },
        handler: { type: 'string' },
        template: { type: 'string' },
        api: { type: 'string' },
        function: { type: 'string', multiple: true },
        'parameter-overrides': { type: 'string', multiple: true },
        'config-env': { type: 'string' },
        'env-vars': { type: 'string' },
        source: { type: 'string' },
        authorizer: { type: 'string' },
        operation: { type: 'string', multiple: true },
        format: { type: 'string', multiple: true },
        'min-coverage': { type: 'string' },
        output: { type: 'string' },
        timeout: { type: 'string' },
        runtime: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        checks: { type: 'string' },
        'accepted-statuses': { type: 'string' },
        'no-sequences': { type: 'boolean' },
        'no-aws-standins': { type: 'boolean' },
        'table-items': { type: 'string' },
        'aws-values': { type: 'string' },
        stage: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-remote-refs': { type: 'boolean' },
        'allow-refs-from': { type: 'string', multiple: true },
        'no-color': { type: 'boolean' },
        cold: { type: 'boolean' },
        concurrency: { type: 'string' },
        'memory-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function integerFlag(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

interface Settings {
  /** The document; absent with a template whose API carries its definition. */
  spec?: string;
  /** A deployment template (SAM, CloudFormation) or a `cdk.out` folder. */
  template?: string;
  handler?: string;
  /** undefined: each operation's own (the document's integration, else rest); 'all': every source. */
  source?: SourceName | 'all';
  authorizer?: { handler: string } & AuthorizerSettings;
  /** The configuration with the flags laid over it (flags win; folders absolute): what contract and run read. */
  config: LambdaContractConfig;
  /** The first report without a file of its own (stdout, or --output). */
  format: ReportFormat;
  output?: string;
  /** Reports written to their own files (`--format junit=reports/junit.xml`). */
  files: Array<{ format: ReportFormat; file: string }>;
  minCoverage?: CoverageThresholds;
  operations?: string[];
  color: boolean;
  /** How functions run in their sandboxes. */
  sandbox: { cold: boolean; concurrency?: number; memorySize: number };
}

/** The files `check` looks for when neither a handler nor a template is named. */
export const TEMPLATE_FILES = ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml', 'serverless.json', 'cdk.out'];

function findTemplate(dir: string): string | undefined {
  return TEMPLATE_FILES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

function resolveSettings(values: ReturnType<typeof parse>['values'], found: FoundConfig, io: CliIo, needHandler: boolean): Settings {
  const c = found.config;
  const fromConfig = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(found.dir, p));
  const spec = values.spec !== undefined ? path.resolve(io.cwd, values.spec) : fromConfig(c.spec);
  let handler: string | undefined;
  if (values.handler !== undefined) handler = values.handler;
  else if (c.handler !== undefined && values.template === undefined) handler = path.resolve(found.dir, c.handler); // --template outranks the file's handler
  // With no handler and no template named, a template beside the project is found by itself.
  const template = values.template !== undefined ? path.resolve(io.cwd, values.template) : (fromConfig(c.template) ?? (handler === undefined ? (findTemplate(io.cwd) ?? findTemplate(found.dir)) : undefined));
  if (!spec && !template) throw new UsageError('--spec is required (or "spec" in lambda-contract.config.json), unless --template names an API with its definition');
  if (needHandler && !handler && !template) throw new UsageError('--handler is required (or "handler" in lambda-contract.config.json), or --template for a deployment');
  const source = values.source ?? c.source;
  if (source !== undefined && source !== 'all' && !isSourceName(source)) throw new UsageError(`--source must be one of ${SOURCE_NAMES.join(', ')} or all, got ${JSON.stringify(source)}`);
  let authorizer: Settings['authorizer'];
  if (values.authorizer !== undefined) {
    const fromFile = typeof c.authorizer === 'object' ? c.authorizer : {};
    authorizer = { ...fromFile, handler: values.authorizer };
  } else if (c.authorizer !== undefined) {
    const a = typeof c.authorizer === 'string' ? { handler: c.authorizer } : c.authorizer;
    authorizer = { ...a, handler: path.resolve(found.dir, a.handler) };
  }
  const files: Settings['files'] = [];
  let format: ReportFormat | undefined;
  for (const entry of values.format ?? []) {
    const [name, file] = entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [entry, undefined];
    if (!(REPORT_FORMATS as readonly string[]).includes(name)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (optionally =FILE), got ${JSON.stringify(entry)}`);
    if (file !== undefined) {
      if (file === '') throw new UsageError(`--format ${name}=FILE needs a file name`);
      files.push({ format: name as ReportFormat, file: path.resolve(io.cwd, file) });
    } else if (format !== undefined) {
      throw new UsageError(`--format: only one report goes to ${values.output ? '--output' : 'stdout'} (${format} and ${name}); give the others a file: --format ${name}=FILE`);
    } else format = name as ReportFormat;
  }
  let minCoverage: CoverageThresholds | undefined;
  if (values['min-coverage'] !== undefined) {
    try {
      minCoverage = parseThresholds(values['min-coverage']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  let checks: CheckName[] | undefined;
  try {
    checks = values.checks !== undefined ? parseChecks(values.checks) : undefined;
  } catch (error) {
    throw new UsageError(`--checks: ${(error as Error).message}`);
  }
  let acceptedStatuses: string[] | undefined;
  try {
    acceptedStatuses = values['accepted-statuses'] !== undefined ? parseAcceptedStatuses(values['accepted-statuses']) : undefined;
  } catch (error) {
    throw new UsageError(`--accepted-statuses: ${(error as Error).message}`);
  }
  // The flags, as configuration keys: laid over the file's, they are read as the file's are.
  const flags: LambdaContractConfig = {
    ...(source !== undefined && source !== 'all' ? { source } : {}),
    ...(values.stage !== undefined ? { stage: values.stage } : {}),
    ...(values['allow-remote-refs'] !== undefined ? { allowRemoteRefs: values['allow-remote-refs'] } : {}),
    ...(checks !== undefined ? { checks } : {}),
    ...(acceptedStatuses !== undefined ? { acceptedStatuses } : {}),
    ...(values['no-sequences'] ? { sequences: false } : {}),
  };
  if (values.runtime !== undefined) {
    if (!LAMBDA_RUNTIME.test(values.runtime)) throw new UsageError(`--runtime: ${JSON.stringify(values.runtime)} is not a Lambda Node.js runtime; e.g. nodejs22.x, nodejs24.x`);
    flags.runtime = values.runtime;
  }
  for (const [key, flag, min] of [['timeout', 'timeout', 1], ['seed', 'seed', 0], ['runs', 'runs', 0]] as const) {
    const n = integerFlag(flag, values[flag], min);
    if (n !== undefined) flags[key] = n;
  }
  const { source: _fileSource, ...file } = c; // --source all overrides the file's source too
  const config: LambdaContractConfig = {
    ...(source === 'all' ? file : c), ...flags,
    allowRefsFrom: [...(values['allow-refs-from'] ?? []).map((d) => path.resolve(io.cwd, d)), ...(c.allowRefsFrom ?? []).map((d) => path.resolve(found.dir, d))],
  };
  const concurrency = integerFlag('concurrency', values.concurrency, 1);
  const memorySize = integerFlag('memory-size', values['memory-size'], 128) ?? 128;
  if (memorySize > 10240) throw new UsageError(`--memory-size: ${memorySize} MB is more than Lambda's 10240`);
  const s: Settings = {
    sandbox: { cold: values.cold === true, memorySize, ...(concurrency !== undefined ? { concurrency } : {}) },
    format: format ?? 'text', files, config,
    color: io.isTTY && !values['no-color'] && !io.env.NO_COLOR && io.env.CI !== 'true' && !values.output,
  };
  if (handler !== undefined) s.handler = handler;
  if (template !== undefined) s.template = template;
  if (spec !== undefined) s.spec = spec;
  if (source !== undefined) s.source = source;
  if (authorizer !== undefined) s.authorizer = authorizer;
  if (values.output !== undefined) s.output = path.resolve(io.cwd, values.output);
  if (minCoverage !== undefined) s.minCoverage = minCoverage;
  if (values.operation?.length) s.operations = values.operation;
  return s;
}

async function load(s: Settings, found: FoundConfig): Promise<Contract> {
  if (!s.spec) throw new UsageError('--spec is required (or "spec" in lambda-contract.config.json)');
  return Contract.load(s.spec, contractOptions(s.config, found.dir));
}

function writeReport(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function emit(s: Settings, io: CliIo, text: string): void {
  if (s.output) writeReport(s.output, text);
  else io.stdout(text);
}

/** The handler and the authorizer the settings name. */
async function loadFunctions(s: Settings, io: CliIo): Promise<{ handler: FunctionSandboxes; authorizer?: Authorizer; close: () => Promise<void> }> {
  const handler = await handlerSandboxes(s.handler ?? '', s, io);
  if (!s.authorizer) return { handler, close: () => handler.close() };
  const { handler: file, ...settings } = s.authorizer;
  const authorizer = await handlerSandboxes(file, s, io).catch(async (error: unknown) => {
    await handler.close();
    throw error;
  });
  return { handler, authorizer: { ...settings, handler: authorizer }, close: async () => void (await Promise.all([handler.close(), authorizer.close()])) };
}

/**
 * A `--handler` (or `--authorizer`) in sandboxes of its own, as a function with Lambda's environment:
 * its working directory the folder the command runs in, its heap bounded by --memory-size.
 */
async function handlerSandboxes(spec: string, s: Settings, io: CliIo): Promise<FunctionSandboxes> {
  const { file, exportName } = parseHandlerSpec(spec);
  const handler = `${path.resolve(io.cwd, file)}#${exportName}`;
  const name = path.basename(file).replace(/\.[cm]?[jt]s$/, '') || 'handler';
  const facts = { name, handler, taskRoot: io.cwd, memorySize: s.sandbox.memorySize, ...(s.config.runtime ? { runtime: s.config.runtime } : {}) };
  return FunctionSandboxes.start(
    { name, handler, cwd: io.cwd, env: lambdaEnvironment(facts), memoryMb: s.sandbox.memorySize },
    s.sandbox.cold ? { cold: true } : {},
  );
}

async function check(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  const found = findConfig(io.cwd);
  const s = resolveSettings(values, found, io, true);
  if (s.template && !s.handler) return checkDeployment(values, s, found, io);
  const contract = await load(s, found);
  const { handler, authorizer, close } = await loadFunctions(s, io);
  try {
    for (const id of s.operations ?? []) contract.operation(id); // unknown ids are a usage error, before anything runs
    const progress = chooseProgress(s, io, contract);
    const options = {
      ...runOptions(s.config),
      ...(s.operations ? { operations: s.operations } : {}),
      ...(authorizer ? { authorizer } : {}),
      ...(progress ? { onResult: progress.onResult } : {}),
    };
    if (s.source === 'all') {
      if ((s.format !== 'text' && s.format !== 'json') || s.files.length > 0) throw new UsageError('--source all writes one text or json report; junit and markdown reports are per source (--source NAME)');
      const p = await runPortability(contract, handler, options);
      progress?.done();
      emit(s, io, s.format === 'json' ? formatPortabilityJson(p) : formatPortabilityText(p, { color: s.color }));
      if (s.output) io.stderr(`report written to ${s.output}\n`);
      return p.summary.portable ? 0 : 1;
    }
    // Ctrl-C stops the run after the case in progress; the reports still get written, marked interrupted.
    const stop = new AbortController();
    void io.interrupted?.().then(() => stop.abort());
    const report = await runContract(contract, handler, { ...options, ...(s.source ? { source: s.source } : {}), signal: stop.signal });
    report.functions = [handler.report(), ...(authorizer && isTarget(authorizer.handler) ? [(authorizer.handler as FunctionSandboxes).report()] : [])];
    progress?.done();
    return finish(report, s, io);
  } finally {
    await close();
  }
}

/** Writes every report the settings ask for; the exit code: 0 conforms, 1 violations or coverage short, 130 interrupted. */
function finish(report: RunReport, s: Settings, io: CliIo): number {
  emit(s, io, formatReport(report, s.format, s.color));
  if (s.output) io.stderr(`report written to ${s.output}\n`);
  for (const { format, file } of s.files) {
    writeReport(file, formatReport(report, format, false));
    io.stderr(`${format} report written to ${file}\n`);
  }
  if (report.interrupted) {
    io.stderr(`lambda-contract: interrupted after ${report.results.length} cases; the reports above cover those\n`);
    return 130;
  }
  const shortfalls = s.minCoverage ? coverageShortfalls(report.coverage, s.minCoverage) : [];
  for (const why of shortfalls) io.stderr(`lambda-contract: ${why}\n`);
  return report.summary.failed === 0 && shortfalls.length === 0 ? 0 : 1;
}

/**
 * On a terminal (stderr, not CI), a bar redrawn in place; elsewhere, a plain line per case — unless the
 * text report itself goes to stdout, whose lines say the same.
 */
function chooseProgress(s: Settings, io: CliIo, contract: Contract): Progress | undefined {
  const operations = s.operations?.length ?? contract.operations.length;
  const sources = s.source === 'all' ? SOURCE_NAMES.length : 1;
  if (io.stderrIsTTY && io.env.CI !== 'true') return progressBar(io.stderr, { total: operations * sources, ...(io.columns ? { columns: io.columns } : {}) });
  if (s.format !== 'text' || s.output) return progressLines(io.stderr);
  return undefined;
}

const REPORT_FORMATS = ['text', 'json', 'junit', 'markdown'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

function formatReport(report: RunReport, format: ReportFormat, color: boolean): string {
  if (format === 'json') return formatJson(report);
  if (format === 'junit') return formatJunit(report);
  if (format === 'markdown') return formatMarkdown(report);
  return formatText(report, { color });
}

async function events(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  const found = findConfig(io.cwd);
  const s = resolveSettings(values, found, io, false);
  // With a template, each operation's event is the one its route's source sends (and names its function).
  const deployment = s.template && !s.handler ? deploymentOf(values, s) : undefined;
  const contract = deployment ? await deploymentContract(values, s, found, deployment) : await load(s, found);
  const routes = deployment ? routesOf(deployment, values.api, contract) : [];
  const ops = s.operations ? s.operations.map((id) => contract.operation(id)) : contract.operations;
  // Property-based events only when asked for on the command line (a config's runs is for check).
  const runs = integerFlag('runs', values.runs, 0) ?? 0;
  const out: unknown[] = [];
  let sequence = 0;
  for (const op of ops) {
    const route = deployment ? routeFor(op, routes).route : undefined;
    if (deployment && !route) continue; // no function receives an event for it
    const fnName = route ? (deployment?.functions.find((f) => f.id === route.functionId)?.name ?? route.functionId) : undefined;
    const sources = s.source === 'all' ? SOURCE_NAMES : [s.source ?? route?.source ?? contract.sourceFor(op)];
    const requestOptions = s.config.seed !== undefined ? { seed: s.config.seed } : {};
    const cases = [...contract.requests(op.id, requestOptions), ...(runs ? contract.propertyRequests(op.id, runs, requestOptions) : [])];
    for (const c of cases) {
      for (const source of sources) {
        out.push({ operationId: op.id, method: op.method, path: op.path, source, ...(fnName ? { function: fnName } : {}), case: c.name, event: contract.eventForCase(c, source, { sequence: sequence++ }) });
      }
    }
  }
  emit(s, io, JSON.stringify(out, null, 2) + '\n');
  // The links check's sequences follow, on stderr (stdout stays one JSON array): inferred ones say what they assume.
  const chosen = new Set(ops.map((op) => op.id));
  const graph = contract.links;
  const links = graph.links.filter((l) => chosen.has(l.source.id) && chosen.has(l.target.id)).map(summarizeLink);
  for (const w of graph.warnings) io.stderr(`! ${w}\n`);
  if (links.length > 0) io.stderr(formatLinks(links, '').join('\n') + '\n');
  return 0;
}

async function serve(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  const found = findConfig(io.cwd);
  const s = resolveSettings(values, found, io, true);
  if (s.source === 'all') throw new UsageError('serve emulates one source: --source NAME');
  const port = integerFlag('port', values.port, 0) ?? 3000;
  if (port > 65535) throw new UsageError(`--port must be 0–65535, got ${port}`);
  const host = values.host ?? '127.0.0.1';
  if (!io.interrupted) throw new UsageError('serve runs until interrupted; it needs a process to stop it (use createServer() in code)');
  const tally = { requests: 0, violating: 0 };
  const onExchange = (e: Exchange): void => {
    tally.requests++;
    if (e.violations.length > 0) tally.violating++;
    io.stdout(formatExchange(e));
  };
  const timeout = s.config.timeout !== undefined ? { timeout: s.config.timeout } : {};
  let server: Server;
  let behind: string;
  if (s.template && !s.handler) {
    // A deployment: each request to the function its route reaches, as that route's source.
    const deployment = deploymentOf(values, s);
    const contract = await deploymentContract(values, s, found, deployment);
    const envVars = readEnvVars(values['env-vars'], io);
    // The template's JWT and Cognito authorizers are enforced: a client sends the token printed for each.
    const onTokens = (tokens: ServedToken[]): void => {
      for (const t of tokens) io.stdout(`token for ${t.authorizer}${t.scopes.length > 0 ? ` with the scopes ${t.scopes.join(' ')}` : ''} (send it as ${t.header}: Bearer <token>, valid for an hour):\n  ${t.token}\n`);
    };
    server = createDeploymentServer(deployment, { contract, onExchange, onTokens, ...timeout, ...(values.api ? { api: values.api } : {}), ...(envVars ? { envVars } : {}), ...(s.sandbox.cold ? { cold: true } : {}) });
    behind = `${path.relative(io.cwd, deployment.file) || deployment.file} (${deployment.functions.length} functions)`;
    for (const w of deployment.warnings) io.stderr(`lambda-contract: ${w}\n`);
  } else {
    const contract = await load(s, found);
    const { handler, authorizer, close } = await loadFunctions(s, io);
    const source = s.source ?? contract.source;
    server = createServer(handler, { contract, source, ...(authorizer ? { authorizer } : {}), ...timeout, onExchange });
    server.on('close', () => void close());
    behind = `${s.spec} behind ${source}`;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`)));
    server.listen(port, host, resolve);
  });
  const stop = io.interrupted();
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  io.stdout(`lambda-contract serve: ${behind} on http://${host}:${actual} — Ctrl-C to stop\n`);
  await stop;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  io.stdout(`\nstopped: ${tally.requests} request${tally.requests === 1 ? '' : 's'}, ${tally.violating} broke the contract\n`);
  return tally.violating === 0 ? 0 : 1;
}

/** One served exchange: `✓ GET /pets/1 → 200 getPet (3 ms)`, then each violation. */
function formatExchange(e: Exchange): string {
  const query = e.request.rawQuery ? `?${e.request.rawQuery}` : '';
  const mark = e.violations.length > 0 ? '✗' : e.note ? '·' : '✓';
  const lines = [`${mark} ${e.request.method} ${e.request.path}${query} → ${e.status}${e.operationId ? ` ${e.operationId}` : ''}${e.function ? ` [${e.function}]` : ''}${e.note ? ` (${e.note})` : ''} ${Math.round(e.durationMs)} ms`];
  for (const v of e.violations) lines.push(formatViolation(v, '    '));
  if (e.error) lines.push(`    handler error: ${e.error.type}: ${e.error.message}`);
  return lines.join('\n') + '\n';
}

/** A JSON file a flag or the config names (the flag's relative to the working directory, the config's to its file); an unreadable one is a usage error naming it. */
function readJsonFile(flag: string, given: string | undefined, configured: string | undefined, found: FoundConfig, io: CliIo): { file: string; value: unknown } | undefined {
  const file = given ?? configured;
  if (file === undefined) return undefined;
  const absolute = path.resolve(given !== undefined ? io.cwd : found.dir, file);
  try {
    return { file, value: JSON.parse(readFileSync(absolute, 'utf8')) as unknown };
  } catch (error) {
    throw new UsageError(`${given !== undefined ? `--${flag}` : `"${flag === 'table-items' ? 'tableItems' : 'awsValues'}" in ${found.file ?? 'the config'}:`} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message})`}`);
  }
}

/** The deployment a template describes, with `--parameter-overrides` (`Key=Value`, repeatable or space-separated). */
function deploymentOf(values: ReturnType<typeof parse>['values'], s: Settings): Deployment {
  // samconfig.toml beside the template first (where SAM users keep them), then the command line's.
  const overrides: Record<string, string> = { ...samconfigOverrides(s.template ?? '', values['config-env'] ?? 'default').overrides };
  // As SAM reads them (Key=Value, quoted values, ParameterKey=K,ParameterValue=V), with samconfig's.
  for (const value of values['parameter-overrides'] ?? []) {
    try {
      Object.assign(overrides, parseOverrides(value, '--parameter-overrides'));
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (Key=Value pairs, or ParameterKey=K,ParameterValue=V)`);
    }
  }
  return loadDeployment(s.template ?? '', { parameterOverrides: overrides });
}

/** The contract of a deployment: --spec or the config's, else the definition its API carries. */
async function deploymentContract(values: ReturnType<typeof parse>['values'], s: Settings, found: FoundConfig, deployment: Deployment): Promise<Contract> {
  if (s.spec) return load(s, found);
  const defined = deployment.apis.filter((a) => a.definition !== undefined && (!values.api || a.id === values.api));
  if (defined.length === 0 && !values.api) {
    // As `sam init` and `cdk init` lay a project out, the document sits beside the template (or in the
    // project's usual places), not inside it: one found there is the contract; the report names it.
    const dirs = [...new Set([found.dir, path.dirname(path.resolve(deployment.file))])];
    const candidates = [...new Set(dirs.flatMap((dir) => specCandidates(dir).map((file) => path.resolve(dir, file))))];
    if (candidates.length === 1) return load({ ...s, spec: candidates[0] as string }, found);
    if (candidates.length > 1) throw new UsageError(`${deployment.file}: no API carries an OpenAPI definition, and several documents are beside it (${candidates.map((c) => path.relative(found.dir, c)).join(', ')}); choose one with --spec`);
  }
  if (defined.length === 0) throw new UsageError(`${deployment.file}: ${values.api ? `API ${values.api} carries` : 'no API carries'} an OpenAPI definition, and no openapi.yaml (or .json, or swagger.*) is beside it; give the contract with --spec`);
  if (defined.length > 1) throw new UsageError(`${deployment.file}: several APIs carry a definition (${defined.map((a) => a.id).join(', ')}); choose one with --api`);
  const definition = defined[0]?.definition ?? {};
  // An inline definition is named by where it stands in the template, not as an anonymous object.
  const name = `${path.relative(found.dir, deployment.file) || deployment.file}#/Resources/${defined[0]?.id ?? ''}`;
  return Contract.load(typeof definition === 'string' ? definition : (definition as JsonObject), { ...contractOptions(s.config, found.dir), name });
}

function readEnvVars(file: string | undefined, io: CliIo): Record<string, Record<string, string>> | undefined {
  if (file === undefined) return undefined;
  const absolute = path.resolve(io.cwd, file);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new UsageError(`--env-vars ${absolute}: ${(error as Error).message}`);
  }
  const ok = value !== null && typeof value === 'object' && Object.values(value).every((v) => v !== null && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string'));
  if (!ok) throw new UsageError(`--env-vars ${absolute}: expected { "FunctionId": { "NAME": "value" }, "Parameters": { … } } (SAM's shape)`);
  return value as Record<string, Record<string, string>>;
}

/** `--table-items` and `--aws-values` (or the config's `tableItems` and `awsValues`), read and checked. */
function tableAndValues(values: ReturnType<typeof parse>['values'], found: FoundConfig, io: CliIo): { tableItems?: TableItems; awsValues?: AwsValues } {
  const items = readJsonFile('table-items', values['table-items'], found.config.tableItems, found, io);
  const aws = readJsonFile('aws-values', values['aws-values'], found.config.awsValues, found, io);
  return {
    ...(items ? { tableItems: { file: items.file, items: items.value as Record<string, unknown[]> } } : {}),
    ...(aws ? { awsValues: checkAwsValues(aws.file, aws.value) } : {}),
  };
}

async function checkDeployment(values: ReturnType<typeof parse>['values'], s: Settings, found: FoundConfig, io: CliIo): Promise<number> {
  // Each route's source is the template's (its REST API, HTTP API, function URL): a source from outside would be ignored.
  if (values.source !== undefined) {
    throw new UsageError(`--source ${values.source} does not apply with --template: each route runs behind the source the template gives it (its REST API, HTTP API or function URL)${values.source === 'all' ? '; to compare sources, check a handler: --handler FILE#export --source all' : ''}`);
  }
  const deployment = deploymentOf(values, s);
  const contract = await deploymentContract(values, s, found, deployment);
  const envVars = readEnvVars(values['env-vars'], io);
  for (const id of s.operations ?? []) contract.operation(id);
  const stop = new AbortController();
  void io.interrupted?.().then(() => stop.abort());
  const { timeout: _perFunction, ...run } = runOptions(s.config); // each function runs with its template Timeout
  const report = await runDeployment(contract, deployment, {
    ...run,
    ...(found.config.overrides ? { overrides: found.config.overrides } : {}),
    ...(s.operations ? { operations: s.operations } : {}),
    ...(values.function ? { functions: values.function } : {}),
    ...(values.api ? { api: values.api } : {}),
    ...(envVars ? { envVars } : {}),
    ...(s.sandbox.cold ? { cold: true } : {}),
    ...(s.sandbox.concurrency ? { concurrency: s.sandbox.concurrency } : {}),
    ...(values['no-aws-standins'] ? { standIns: false } : {}),
    ...tableAndValues(values, found, io),
    signal: stop.signal,
  });
  return finish(report, s, io);
}

/** `routes`: every route of the template — method, path, operation, function, handler file, source. */
async function routes(values: ReturnType<typeof parse>['values'], io: CliIo): Promise<number> {
  const found = findConfig(io.cwd);
  const s = resolveSettings(values, found, io, false);
  if (!s.template) throw new UsageError('routes needs --template (or "template" in lambda-contract.config.json)');
  const deployment = deploymentOf(values, s);
  // The contract as check takes it (--spec, the API's definition, the document beside the template), when there is one.
  const contract = await deploymentContract(values, s, found, deployment).catch(() => undefined);
  const list = routesOf(deployment, values.api, contract);
  const served = new Map<DeployedRoute, string[]>();
  for (const op of contract?.operations ?? []) {
    const r = routeFor(op, list).route;
    if (r) served.set(r, [...(served.get(r) ?? []), op.id]);
  }
  const rows = list.map((r) => {
    const fn = deployment.functions.find((f) => f.id === r.functionId);
    return [r.method, r.path, contract ? (served.get(r)?.join(', ') ?? '(not in the contract)') : '', fn?.name ?? r.functionId, fn ? path.relative(io.cwd, fn.file) : '', r.source];
  });
  if (contract) {
    for (const op of contract.operations) if (!routeFor(op, list).route) rows.push([op.method, op.path, op.id, '(no function)', '', '']);
  }
  const head = ['METHOD', 'PATH', 'OPERATION', 'FUNCTION', 'HANDLER FILE', 'SOURCE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  io.stdout([line(head), ...rows.map(line)].join('\n') + '\n');
  for (const w of deployment.warnings) io.stderr(`lambda-contract: ${w}\n`);
  return 0;
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'init') return init(argv.slice(1), io);
  try {
    const { values, positionals } = parse(argv);
    if (values.version) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      io.stdout(`${(require('../../package.json') as { version: string }).version}\n`);
      return 0;
    }
    const command = positionals[0];
    if (values.help || command === undefined || command === 'help') {
      (command === undefined && !values.help ? io.stderr : io.stdout)(`${USAGE}\n`);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
    if (command === 'check') return await check(values, io);
    if (command === 'events') return await events(values, io);
    if (command === 'serve') return await serve(values, io);
    if (command === 'routes') return await routes(values, io);
    throw new UsageError(`unknown command ${JSON.stringify(command)}; commands: init, check, routes, events, serve`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lambda-contract: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (isContractError(error)) {
      io.stderr(`lambda-contract: ${error.message}\n`);
      return 2;
    }
    const { message } = describeThrown(error);
    io.stderr(`lambda-contract: internal error: ${message}\n${error instanceof Error ? error.stack ?? '' : ''}\n`);
    return 2;
  }
}

