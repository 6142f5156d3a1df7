/**
 * The cache of documents that passed the OpenAPI schema (src/document/cache.ts): where it lives, what
 * it remembers, and that it never stands in the way — no node_modules, a read-only one, or
 * LAMBDA_CONTRACT_CACHE=off, and nothing is written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cacheDirFor, passedBefore, passKey, rememberPass } from '../../src/document/cache';

const made: string[] = [];
function project(withModules: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-cache-'));
  made.push(dir);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"p","private":true}');
  if (withModules) mkdirSync(path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'specs', 'deep'), { recursive: true });
  return dir;
}

afterEach(() => {
  delete process.env.LAMBDA_CONTRACT_CACHE;
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('where the cache lives', () => {
  it('in node_modules/.cache/lambda-contract of the nearest project, from any folder inside it', () => {
    const dir = project(true);
    expect(cacheDirFor(path.join(dir, 'specs', 'deep'))).toBe(path.join(dir, 'node_modules', '.cache', 'lambda-contract'));
  });

  it('nowhere without a node_modules, or with LAMBDA_CONTRACT_CACHE=off', () => {
    expect(cacheDirFor(project(false))).toBeNull();
    const dir = project(true);
    process.env.LAMBDA_CONTRACT_CACHE = 'off';
    expect(cacheDirFor(dir)).toBeNull();
    expect(passKey('validator', { openapi: '3.0.3' }, cacheDirFor(dir))).toBeUndefined();
  });
});

describe('what it remembers', () => {
  const document = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} };

  it('a pass, for exactly that document and that validator', () => {
    const dir = cacheDirFor(project(true));
    const key = passKey('v1', document, dir) ?? '';
    expect(passedBefore(key, dir)).toBe(false);
    rememberPass(key, dir);
    expect(passedBefore(key, dir)).toBe(true);
    expect(passedBefore(passKey('v1', { ...document, paths: { '/x': {} } }, dir) ?? '', dir)).toBe(false);
    expect(passedBefore(passKey('v2', document, dir) ?? '', dir)).toBe(false);
    expect(readdirSync(dir ?? '')).toEqual([`pass-${key}`]); // no temporary files left behind
  });

  it('nothing, silently, when the folder cannot be made', () => {
    // a folder under a file: no permission bits involved, so the test means the same run as root
    const root = project(true);
    const blocker = path.join(root, 'node_modules', '.cache');
    writeFileSync(blocker, 'a file where the folder would go');
    const dir = cacheDirFor(root);
    const key = passKey('v1', document, dir) ?? '';
    expect(() => rememberPass(key, dir)).not.toThrow();
    expect(passedBefore(key, dir)).toBe(false);
  });
});
