/**
 * The AWS SDK the Lambda runtime provides. A function's bundle may leave `@aws-sdk/*` out (the CDK's
 * NodejsFunction does by default) because Lambda's Node.js runtime resolves it from its own
 * node_modules, after the function's. A sandbox does the same: modules resolve from the function's code
 * first, then from an SDK found here — the user's project's, else the one installed beside this tool —
 * through NODE_PATH, which Node searches last.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The nearest `node_modules` at or above `dir` that holds `@aws-sdk` packages. */
function sdkFolderFrom(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules');
    const scope = path.join(candidate, '@aws-sdk');
    if (existsSync(scope) && statSync(scope).isDirectory()) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

/** Where the runtime's SDK comes from: the first of `dirs` (the project, then this tool) that has one. */
export function runtimeSdkFolder(dirs: readonly string[] = [process.cwd(), __dirname]): string | undefined {
  for (const dir of dirs) {
    const found = sdkFolderFrom(dir);
    if (found) return found;
  }
  return undefined;
}

function cachedSdkFolder(): string | undefined {
  const cwd = process.cwd();
  if (!found.has(cwd)) found.set(cwd, runtimeSdkFolder([cwd, __dirname]));
  return found.get(cwd);
}

/** The version of `@aws-sdk/client-dynamodb` (or of the first client found) in a folder, for reports. */
export function sdkVersionIn(folder: string): string | undefined {
  for (const name of ['client-dynamodb', 'client-s3', 'client-sts', 'lib-dynamodb']) {
    const file = path.join(folder, '@aws-sdk', name, 'package.json');
    if (existsSync(file)) return `@aws-sdk/${name}@${(JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?'}`;
  }
  return undefined;
}

/** The folder found for each working directory: every sandbox of a run would otherwise walk the same folders again. */
const found = new Map<string, string | undefined>();

/** NODE_PATH with the runtime's SDK last, as the Lambda runtime searches its own modules after the function's. */
export function withRuntimeSdk(env: Record<string, string>, folder: string | undefined = cachedSdkFolder()): Record<string, string> {
  if (!folder) return env;
  const paths = (env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!paths.includes(folder)) paths.push(folder);
  return { ...env, NODE_PATH: paths.join(path.delimiter) };
}
