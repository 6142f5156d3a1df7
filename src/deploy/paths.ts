/** Paths as the deployment formats write them: route paths in the contract's syntax, handler files on disk. */
import { existsSync, statSync } from 'node:fs';

/** An ALB path pattern as a route path: a trailing `*` is a greedy segment (`/pets/*` → `/pets/{proxy+}`). */
export function albPattern(pattern: string): string {
  return pattern.endsWith('*') ? `${pattern.slice(0, -1).replace(/\/?$/, '/')}{proxy+}` : pattern;
}

/** The file extensions a Node.js handler may have, in the order a missing extension is tried. */
const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** The handler file for `base` (a path without extension, or an exact file): the file, and every path tried. */
export function findHandlerFile(base: string, exact = false): { found?: string; tried: string[] } {
  const tried = exact ? [base] : HANDLER_EXTENSIONS.map((ext) => base + ext);
  const found = tried.find((f) => existsSync(f) && statSync(f).isFile());
  return found ? { found, tried } : { tried };
}
