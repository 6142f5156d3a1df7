/**
 * Remembers, across processes, the documents that passed the OpenAPI schema check: empty files named by
 * a hash, in `node_modules/.cache/lambda-contract`; only passes are kept (`LAMBDA_CONTRACT_CACHE=off`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The cache folder of the project around `start` (the nearest folder with a package.json): its
 * `node_modules/.cache/lambda-contract`; null without a node_modules or with LAMBDA_CONTRACT_CACHE=off.
 */
export function cacheDirFor(start: string): string | null {
  if (process.env.LAMBDA_CONTRACT_CACHE === 'off') return null;
  for (let at = path.resolve(start); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) {
      try {
        const modules = path.join(at, 'node_modules');
        return statSync(modules).isDirectory() ? path.join(modules, '.cache', 'lambda-contract') : null;
      } catch {
        return null; // no node_modules: nowhere we may write
      }
    }
    if (path.dirname(at) === at) return null;
  }
}

let projectDir: string | null | undefined;

/** The working directory's project cache, looked up once per process. */
function cacheDir(): string | null {
  return projectDir === undefined ? (projectDir = cacheDirFor(process.cwd())) : projectDir;
}

/** The key of a check's pass: what judged (`validator`) and what was judged. Undefined when there is no cache. */
export function passKey(validator: string, document: unknown, dir: string | null = cacheDir()): string | undefined {
  if (dir === null) return undefined;
  let text: string;
  try {
    text = JSON.stringify(document);
  } catch {
    return undefined;
  }
  return createHash('sha256').update(validator).update('\0').update(text).digest('hex');
}

/** Whether this key's check passed before. */
export function passedBefore(key: string, dir: string | null = cacheDir()): boolean {
  return dir !== null && existsSync(path.join(dir, `pass-${key}`));
}

/** Records that this key's check passed; silently does nothing when the folder cannot be written. */
export function rememberPass(key: string, dir: string | null = cacheDir()): void {
  if (dir === null) return;
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pass-${key}`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, '');
    renameSync(temp, file);
  } catch {
    // a read-only install, a full disk: the next run checks again
  }
}
