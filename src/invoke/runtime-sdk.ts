/**
 * The AWS SDK the Lambda runtime provides. A function's bundle may leave `@aws-sdk/*` out (the CDK's
 * NodejsFunction does by default) because Lambda's Node.js runtime resolves it from its own
 * node_modules, after the function's. A sandbox does the same: modules resolve from the function's code
 * first, then from an SDK found here — the user's project's, else the one installed beside this tool —
 * through NODE_PATH, which Node searches last.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Which SDK a runtime provides: `aws-sdk` (v2) up to nodejs16.x, `@aws-sdk/*` (v3) from nodejs18.x. */
export function sdkGenerationOf(runtime: string | undefined): 'v2' | 'v3' {
  const m = /^nodejs(\d+)/.exec(runtime ?? '');
  return m && Number(m[1]) <= 16 ? 'v2' : 'v3';
}

/** The package folder that marks an SDK of a generation in a node_modules. */
const MARK = { v3: '@aws-sdk', v2: 'aws-sdk' } as const;

/**
 * Whether a node_modules holds the generation's SDK: `aws-sdk` itself, or at least one `@aws-sdk`
 * client. `@aws-sdk/types` alone, which many libraries bring along, is no SDK to stand in.
 */
function holdsSdk(nodeModules: string, generation: 'v2' | 'v3'): boolean {
  const mark = path.join(nodeModules, MARK[generation]);
  if (!existsSync(mark) || !statSync(mark).isDirectory()) return false;
  if (generation === 'v2') return existsSync(path.join(mark, 'package.json'));
  return readdirSync(mark).some((name) => name.startsWith('client-') || name === 'lib-dynamodb');
}

/** The nearest `node_modules` at or above `dir` that holds the generation's SDK. */
function sdkFolderFrom(dir: string, generation: 'v2' | 'v3'): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules');
    if (holdsSdk(candidate, generation)) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * The project's own folders that install packages of their own (a CDK app's `lambdas/` or `src/` with
 * its package.json), where its functions' dependencies, the SDK among them, often live.
 */
function packageFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'cdk.out')
      .map((e) => path.join(dir, e.name))
      .filter((sub) => existsSync(path.join(sub, 'package.json')) && existsSync(path.join(sub, 'node_modules')))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Where the runtime's SDK comes from: the project's (the first of `dirs`) own node_modules, then those
 * of the package folders just inside it, then any above it; else the next of `dirs` (this tool's).
 */
export function runtimeSdkFolder(dirs: readonly string[] = [process.cwd(), __dirname], generation: 'v2' | 'v3' = 'v3'): string | undefined {
  const [project, ...others] = dirs;
  if (project !== undefined) {
    const inside = [project, ...packageFolders(project)].map((dir) => path.join(dir, 'node_modules')).find((nm) => holdsSdk(nm, generation));
    const found = inside ?? (path.dirname(path.resolve(project)) === path.resolve(project) ? undefined : sdkFolderFrom(path.dirname(path.resolve(project)), generation));
    if (found) return found;
  }
  for (const dir of others) {
    const found = sdkFolderFrom(dir, generation);
    if (found) return found;
  }
  return undefined;
}

/** The SDK a sandbox is given, as reports name it. */
export interface RuntimeSdk {
  folder: string;
  /** `@aws-sdk/client-dynamodb@3.1169.0`, `aws-sdk@2.1693.0`. */
  version: string;
}

/** The version of `@aws-sdk/client-dynamodb` (or of the first client found) in a folder, for reports. */
export function sdkVersionIn(folder: string, generation: 'v2' | 'v3' = 'v3'): string | undefined {
  const names = generation === 'v2' ? ['aws-sdk'] : ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sts', '@aws-sdk/lib-dynamodb'];
  for (const name of names) {
    const file = path.join(folder, name, 'package.json');
    if (existsSync(file)) return `${name}@${(JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?'}`;
  }
  return undefined;
}

/** The folder found for each working directory and generation: every sandbox of a run would otherwise walk the same folders again. */
const found = new Map<string, RuntimeSdk | undefined>();

/** The SDK the runtime of a function provides, as found from the working directory (the project) or this tool. */
export function runtimeSdkOf(runtime: string | undefined): RuntimeSdk | undefined {
  const generation = sdkGenerationOf(runtime);
  const cwd = process.cwd();
  const key = `${generation}\0${cwd}`;
  if (!found.has(key)) {
    const folder = runtimeSdkFolder([cwd, __dirname], generation);
    found.set(key, folder ? { folder, version: sdkVersionIn(folder, generation) ?? `${MARK[generation]} (version unknown)` } : undefined);
  }
  return found.get(key);
}

/** How to supply the runtime's SDK when none was found: the command that installs it into the project. */
export function missingSdkAdvice(message: string, runtime: string | undefined): string | undefined {
  const m = /Cannot find (?:module|package) '((?:@aws-sdk\/[^'/]+)|aws-sdk)(?:\/[^']*)?'/.exec(message);
  if (!m?.[1]) return undefined;
  const name = m[1];
  return `${name} is left to the Lambda runtime (${runtime ?? 'nodejs'} provides ${sdkGenerationOf(runtime) === 'v2' ? 'aws-sdk v2' : '@aws-sdk/* v3'}), and lambda-contract found none to stand in for it: install it into the project, \`npm install --save-dev ${name}${name === 'aws-sdk' ? '@2' : ''}\`, and run again`;
}

/** NODE_PATH with the runtime's SDK last, as the Lambda runtime searches its own modules after the function's. */
export function withRuntimeSdk(env: Record<string, string>, folder: string | undefined): Record<string, string> {
  if (!folder) return env;
  const paths = (env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!paths.includes(folder)) paths.push(folder);
  return { ...env, NODE_PATH: paths.join(path.delimiter) };
}
