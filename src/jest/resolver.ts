/**
 * The preset's module resolver. Jest 28 and later resolve packages by their "exports" map, as Node
 * does; Jest 27 reads only "main" and file paths, so a package that ships CommonJS and ES builds
 * (fast-check 4 and its pure-rand) loads as its ES build and fails, and a subpath that only "exports"
 * names (`lambda-contract/jest`, `pure-rand/generator/congruential32`) is not found. Under Jest 27 a
 * bare `require` therefore resolves as Node resolves it; every other case, and every later Jest, goes
 * to Jest's own resolver unchanged.
 */
import { builtinModules, createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

interface ResolverOptions {
  basedir: string;
  rootDir?: string;
  conditions?: string[];
  defaultResolver: (request: string, options: ResolverOptions) => string;
}

const builtins = new Set(builtinModules);
let readsExports: boolean | undefined;

/** Whether the Jest running us resolves "exports" itself (28 and later). */
function jestReadsExports(from: string): boolean {
  if (readsExports !== undefined) return readsExports;
  try {
    const file = createRequire(path.join(from, 'package.json')).resolve('jest-resolve/package.json');
    const { version } = createRequire(file)(file) as { version: string };
    readsExports = Number(version.split('.')[0]) >= 28;
  } catch {
    readsExports = true;
  }
  return readsExports;
}

const bare = (request: string): boolean =>
  !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('node:') && !builtins.has(request.split('/')[0] ?? '');

function resolve(request: string, options: ResolverOptions): string {
  const commonJs = !options.conditions || options.conditions.includes('require');
  if (commonJs && bare(request) && !jestReadsExports(options.rootDir ?? process.cwd())) {
    try {
      return realpathSync(createRequire(path.join(options.basedir, 'index.js')).resolve(request));
    } catch {
      // not found the way Node looks: Jest's own resolver decides (moduleDirectories, roots…)
    }
  }
  return options.defaultResolver(request, options);
}

export = resolve;
