/**
 * Remembers, across processes, the documents that passed the OpenAPI schema. A Jest run loads the
 * contract in every test file of every worker, and each time the schema check runs 20–150 ms of code
 * that never gets warm. Stored as empty files named by a hash of the validator and the document, in
 * the project's `node_modules/.cache/lambda-contract` (where babel, eslint and ava keep theirs). Only
 * a pass is remembered: a document that fails is checked, and explained, every time. Nothing is
 * written when there is no `node_modules` or it is read-only; `LAMBDA_CONTRACT_CACHE=off` turns it off.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

let dir: string | null | undefined;

/** The cache folder for the project around the working directory, or null when there is none. */
function cacheDir(): string | null {
  if (dir !== undefined) return dir;
  dir = null;
  if (process.env.LAMBDA_CONTRACT_CACHE === 'off') return dir;
  for (let at = process.cwd(); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) {
      const modules = path.join(at, 'node_modules');
      try {
        if (statSync(modules).isDirectory()) dir = path.join(modules, '.cache', 'lambda-contract');
      } catch {
        // no node_modules: nowhere we may write
      }
      return dir;
    }
    if (path.dirname(at) === at) return dir;
  }
}

/** The key of a check's pass: what judged (`validator`) and what was judged. */
export function passKey(validator: string, document: unknown): string | undefined {
  if (cacheDir() === null) return undefined;
  let text: string;
  try {
    text = JSON.stringify(document);
  } catch {
    return undefined;
  }
  return createHash('sha256').update(validator).update('\0').update(text).digest('hex');
}

/** Whether this key's check passed before. */
export function passedBefore(key: string): boolean {
  const d = cacheDir();
  return d !== null && existsSync(path.join(d, `pass-${key}`));
}

/** Records that this key's check passed; silently does nothing when the folder cannot be written. */
export function rememberPass(key: string): void {
  const d = cacheDir();
  if (d === null) return;
  try {
    mkdirSync(d, { recursive: true });
    const file = path.join(d, `pass-${key}`);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, '');
    renameSync(temp, file);
  } catch {
    // a read-only install, a full disk: the next run checks again
  }
}
