/**
 * A fresh clone of the repository as it stands in the work tree: the files git tracks (and new ones it
 * does not ignore), without dist/ or node_modules/ — what a user gets from `git clone`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/**
 * Copies the repository's files into a new temporary folder. With `dependencies: 'linked'` the folder
 * gets this checkout's node_modules as a link (a clone after `npm ci`); with `'none'` it has none.
 */
export function cleanCopy(dependencies: 'linked' | 'none'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-contract-clone-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const file of listed.split('\0')) {
    if (!file) continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    try {
      copyFileSync(path.join(ROOT, file), path.join(dir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in the work tree, not yet in git
    }
  }
  if (dependencies === 'linked') symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `npm pack` in `dir`; the tarball's file name in `destination`. */
export function pack(dir: string, destination: string): string {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').pop() ?? '';
}
