/** Loading a handler from `path/to/file[.ts|.js|.mjs|.cjs]#exportName` (TypeScript and ESM included). */
import { installAwsLambdaGlobal } from './streaming';
import { realms } from './guard';
import { sandboxEnvironment, withEnvironment, withEnvironmentSync } from './environment';
import type { createJiti as CreateJiti } from 'jiti';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContractError } from '../errors';
import type { LambdaHandler } from './invoke';

/** Splits `file#export` (default export name: `handler`). */
export function parseHandlerSpec(spec: string): { file: string; exportName: string } {
  const hash = spec.lastIndexOf('#');
  if (hash > 0) return { file: spec.slice(0, hash), exportName: spec.slice(hash + 1) || 'handler' };
  return { file: spec, exportName: 'handler' };
}

const EXTENSIONS = ['', '.ts', '.js', '.mjs', '.cjs', '.mts', '.cts'];

/**
 * `require` as Node has it. Where a test runner emulates Node's module system with built-ins of its own
 * (Vitest's `vmThreads` pool gives a `node:module` whose modules cannot take a `require`), jiti is
 * loaded through Node's real loader, so it can build the modules it evaluates; elsewhere (Jest, plain
 * Node) `require` is that already.
 */
function nodeRequire(): NodeJS.Require {
  const real = typeof process.getBuiltinModule === 'function' ? (process.getBuiltinModule('node:module') as typeof import('node:module') | undefined) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return real && real !== require('node:module') ? real.createRequire(__filename) : require;
}

function refusedDynamicImport(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || (typeof e?.message === 'string' && e.message.includes('dynamic import callback was invoked without --experimental-vm-modules'));
}

/** Node's CommonJS module cache (the real one, also inside a test runner's sandbox). */
function moduleCache(): Record<string, unknown> {
  const real = typeof process.getBuiltinModule === 'function' ? (process.getBuiltinModule('node:module') as unknown as { _cache?: Record<string, unknown> } | undefined) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return real?._cache ?? (require('node:module') as { _cache: Record<string, unknown> })._cache;
}

function needsTopLevelAwait(error: unknown): boolean {
  const message = (error as { message?: unknown })?.message;
  return typeof message === 'string' && /await is only valid|top-level await/i.test(message);
}

export interface LoadHandlerOptions {
  /** A module instance of its own (and of what it imports), as each deployed function has. */
  fresh?: boolean;
  /**
   * Load JavaScript with Node's own `import()`, as the Lambda runtime does, and only TypeScript (or a
   * file Node cannot parse) through jiti: a sandbox's process then never loads jiti's compiler for a
   * JavaScript handler (about 6 MB of its resident memory). Plain Node only (a test runner refuses `import()`).
   */
  native?: boolean;
  /**
   * The `node_modules` folder holding the SDK the Lambda runtime provides: an ES module's `import` of
   * `@aws-sdk/*` or `aws-sdk` that its own folders cannot resolve resolves there (NODE_PATH, which
   * `require` searches last, is not read by `import`).
   */
  runtimeSdk?: string;
}

/** Node's words for ES module syntax in a file it reads as CommonJS. */
const MODULE_SYNTAX = /Cannot use import statement outside a module|Unexpected token 'export'|Cannot use 'import\.meta' outside a module/;

/** What Node loads itself: JavaScript, CommonJS or ES module. */
const NATIVE = /\.(js|mjs|cjs)$/;

/**
 * The module as Node's own `import()` gives it, or undefined when Node cannot parse it (ESM syntax in a
 * `.js` file of a CommonJS package, which jiti compiles).
 */
async function importNatively(file: string, runtimeSdk: string | undefined): Promise<Record<string, unknown> | undefined> {
  // Compiled to CommonJS, a written `import()` would become `require()`: this one stays an import.
  const load = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;
  try {
    return await load(pathToFileURL(file).href);
  } catch (error) {
    if (runtimeSdk && sdkNotFound(error)) {
      // Nothing ran (resolution fails before any module evaluates): again, with the runtime's SDK to fall
      // back on, under a URL of its own (Node keeps the failed one's answer).
      resolveSdkFrom(runtimeSdk);
      return await load(`${pathToFileURL(file).href}?runtime-sdk`);
    }
    // Only module syntax where Node expected CommonJS: any other error (a JSON.parse as the module loads
    // included) is the module's own, and loading it again would run its side effects twice.
    if (error instanceof SyntaxError && MODULE_SYNTAX.test(error.message)) return undefined;
    throw error;
  }
}

/** An ES module's import of the AWS SDK that nothing resolved. */
function sdkNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && /Cannot find package '(?:@aws-sdk\/[^']+|aws-sdk)'/.test(e.message);
}

let sdkHooked = false;

/**
 * Resolves `@aws-sdk/*` and `aws-sdk` imports that fail from the module's own folders from `folder`
 * instead, as the Lambda runtime gives ES modules its SDK. Node's in-thread hooks where it has them
 * (22.15 and later), else a hooks module on the loader's thread (Node 20), registered only when needed.
 */
function resolveSdkFrom(folder: string): void {
  if (sdkHooked) return;
  sdkHooked = true;
  const base = pathToFileURL(path.join(path.dirname(folder), 'lambda-runtime.js')).href;
  const SDK = /^(?:@aws-sdk\/|aws-sdk(?:\/|$))/;
  const mod = nodeRequire()('node:module') as { registerHooks?: (hooks: { resolve: (s: string, c: { parentURL?: string }, n: (s: string, c?: object) => unknown) => unknown }) => void; register: (url: string, options?: { data?: unknown }) => void };
  if (typeof mod.registerHooks === 'function') {
    mod.registerHooks({
      resolve(specifier, context, next) {
        try {
          return next(specifier, context);
        } catch (error) {
          if (SDK.test(specifier) && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return next(specifier, { ...context, parentURL: base });
          throw error;
        }
      },
    });
    return;
  }
  const hooks = `let base; export function initialize(d) { base = d.base; }
export async function resolve(s, c, n) { try { return await n(s, c); } catch (e) { if (${SDK}.test(s) && e && e.code === 'ERR_MODULE_NOT_FOUND') return n(s, { ...c, parentURL: base }); throw e; } }`;
  mod.register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { base } });
}

/** Loads the handler function named by `spec`, relative to `cwd`. Throws ERR_CONTRACT_HANDLER naming file and export. */
export async function loadHandler(spec: string, cwd: string = process.cwd(), options: LoadHandlerOptions = {}): Promise<LambdaHandler<unknown>> {
  const { file, exportName } = parseHandlerSpec(spec);
  const absolute = path.resolve(cwd, file);
  const found = EXTENSIONS.map((ext) => absolute + ext).find((candidate) => existsSync(candidate));
  if (!found) {
    throw new ContractError('ERR_CONTRACT_HANDLER', `handler module not found: ${absolute} (from --handler ${spec})`, { file: absolute, exportName });
  }
  let mod: Record<string, unknown>;
  // The runtime's `awslambda`, for modules that call streamifyResponse as they load: in this realm and in
  // Node's own, where jiti evaluates the module when a test runner sandboxes this one.
  for (const realm of realms().all) installAwsLambdaGlobal(realm.global);
  try {
    const native = options.native && NATIVE.test(found) ? await importNatively(found, options.runtimeSdk) : undefined;
    mod = native ?? (await loadThroughJiti(found, options));
  } catch (error) {
    const e = error as Error;
    throw new ContractError('ERR_CONTRACT_HANDLER', `cannot load handler module ${found}: ${e.message ?? String(error)}`, { file: found, exportName }, { cause: error });
  }
  return exported(mod, found, exportName);
}

/** The module as jiti loads it (TypeScript, ESM in CommonJS packages), fresh or from the cache. */
async function loadThroughJiti(found: string, options: LoadHandlerOptions): Promise<Record<string, unknown>> {
  const { createJiti } = nodeRequire()('jiti') as { createJiti: typeof CreateJiti };
  // `fresh`: a module instance of its own (and of what it imports), as each deployed function has.
  // The project's tsconfig `paths` (`@lib/greet` → `src/lib/greet`), from the tsconfig nearest the handler.
  const tsconfig = nearestTsconfig(found);
  const jiti = createJiti(__filename, { interopDefault: true, moduleCache: !options.fresh, fsCache: false, ...(tsconfig ? { tsconfigPaths: tsconfig } : {}) });
  // A module reads its environment as it loads (a client's endpoint, a table name): the test file's too.
  const loadSync = (): Record<string, unknown> => withEnvironmentSync(sandboxEnvironment(), () => jiti(found)) as Record<string, unknown>;
  const loadAsync = async (): Promise<Record<string, unknown>> => (await withEnvironment(sandboxEnvironment(), () => jiti.import(found))) as Record<string, unknown>;
  if (options.fresh && realms().all.length === 1) {
    // Two Lambda functions never share a module, but Node keeps one instance of a file for the whole
    // process: ESM it imports natively (jiti imports ESM so when it loads asynchronously) and CommonJS
    // it requires. Loaded synchronously, jiti compiles ES modules into instances of this load's own;
    // the CommonJS files of the project it required are taken out of Node's cache once loaded, so the
    // next function requires its own. A module with top-level await can only be imported (and then
    // shares the ES modules it imports). (Inside a test runner's sandbox, where a native import is
    // refused, jiti compiles what it cannot import into instances of its own: the path below.)
    const cache = moduleCache();
    const before = new Set(Object.keys(cache));
    try {
      return loadSync();
    } catch (error) {
      if (!needsTopLevelAwait(error)) throw error;
      return await loadAsync();
    } finally {
      for (const key of Object.keys(cache)) if (!before.has(key) && !/[\\/]node_modules[\\/]/.test(key)) delete cache[key];
    }
  } else {
    try {
      return await loadAsync();
    } catch (error) {
      // Inside a test runner's sandbox (Jest's vm without --experimental-vm-modules) a native `import()`
      // is refused, and jiti imports Node's built-ins (`node:crypto`) and packages (the AWS SDK) natively
      // when it loads a module asynchronously. Loaded synchronously, it requires them instead.
      if (!refusedDynamicImport(error)) throw error;
      return loadSync();
    }
  }
}

/** The tsconfig.json nearest a file, walking up its folders to the repository's root (a `.git`) or the disk's. */
function nearestTsconfig(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir || existsSync(path.join(dir, '.git'))) return undefined;
  }
}

/** The handler function a loaded module exports under `exportName` (or as its default). */
function exported(mod: Record<string, unknown>, found: string, exportName: string): LambdaHandler<unknown> {
  let fn = mod[exportName];
  if (typeof fn !== 'function' && exportName === 'handler' && typeof mod.default === 'function') fn = mod.default;
  if (typeof fn !== 'function' && mod.default && typeof mod.default === 'object') fn = (mod.default as Record<string, unknown>)[exportName];
  if (typeof fn !== 'function') {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new ContractError(
      'ERR_CONTRACT_HANDLER',
      `${found} has no function export "${exportName}"${names.length ? `; its exports: ${names.join(', ')}` : '; it exports nothing'}`,
      { file: found, exportName, exports: names },
    );
  }
  return fn as LambdaHandler<unknown>;
}
