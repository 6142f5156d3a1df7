/**
 * `lambda-contract init`: finds a project's OpenAPI document and handler, and sets the project up —
 * config file, Jest preset, a generated contract suite, a `test:contract` script. Never overwrites without --force.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { describeThrown, isContractError } from '../errors';
import { isSourceName, SOURCE_NAMES } from '../gateway';
import { Contract } from '../contract';
import { loadDeployment } from '../deploy/cloudformation';

/** What `init` needs of the terminal. */
export interface InitIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Asks the user a question and resolves with the answer; absent when stdin is not a terminal (CI). */
  ask?: (question: string) => Promise<string>;
}

export const INIT_USAGE = `Usage:
  lambda-contract init [--yes] [--force] [--spec FILE] [--handler FILE[#export]] [--source NAME]

Sets up contract tests in the project in the current folder: finds the OpenAPI document
(openapi.{yaml,yml,json} or swagger.*, also under api/, spec/, specs/, docs/) and the handler
(src/handler.*, src/index.*, handler.*, index.*), then writes lambda-contract.config.json, puts the
preset into the Jest config (jest.config.*, the "jest" key of package.json, or a new jest.config.js),
writes test/contract.test.{ts,js} with contractSuite(), and adds a "test:contract" script. A Vitest
project (vitest among its dependencies and not Jest, or a vitest.config.*) gets 'lambda-contract/vitest'
in test.setupFiles instead (the config edited, or a new vitest.config.mjs) and a Vitest suite.
  --yes           ask nothing (also when stdin is not a terminal): take what was found, or fail
                  listing the candidates when there are several
  --force         replace files and settings that exist (without it, init names them and stops)
  --spec FILE     the OpenAPI document, instead of looking for one
  --handler FILE#export  the handler, instead of looking for one
  --template FILE the deployment whose functions serve the contract: a SAM or CloudFormation
                  template, serverless.yml, or a CDK app's cdk.out (found when init runs beside
                  template.yaml, serverless.yml or cdk.json); run beside a template with no
                  package.json, as sam init lays a project out, init sets up the function folder
                  that has one
  --source NAME   the event source to write into the config: ${SOURCE_NAMES.join(', ')}`;

const SPEC_DIRS = ['', 'api', 'spec', 'specs', 'docs', 'openapi'];
const SPEC_NAMES = ['openapi.yaml', 'openapi.yml', 'openapi.json', 'swagger.yaml', 'swagger.yml', 'swagger.json'];
const HANDLER_BASES = ['src/handler', 'src/index', 'handler', 'index'];
const HANDLER_EXTS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const JEST_CONFIGS = ['jest.config.js', 'jest.config.cjs', 'jest.config.mjs', 'jest.config.ts', 'jest.config.cts', 'jest.config.mts', 'jest.config.json'];
const CONFIG_FILES = ['lambda-contract.config.json', 'lambda-contract.config.js', 'lambda-contract.config.cjs'];
const PRESET = 'lambda-contract';
const SETUP = 'lambda-contract/jest/setup';

/** A usage or project problem: printed, exit 2, nothing written. */
export class InitError extends Error {}

type Json = Record<string, unknown>;

/** One change `init` makes: a file it writes whole, or one it edits. */
interface Change {
  file: string;
  text: string;
  /** What the summary says of it. */
  what: string;
  /** Set when the change replaces something the user has: the reason --force is needed. */
  replaces?: string;
}

/** Runs `init`; returns the exit code. */
export async function init(argv: string[], io: InitIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        yes: { type: 'boolean', short: 'y' },
        force: { type: 'boolean' },
        spec: { type: 'string' },
        handler: { type: 'string' },
        template: { type: 'string' },
        source: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(`${INIT_USAGE}\n`);
      return 0;
    }
    const ask = values.yes ? undefined : io.ask;
    if (values.source !== undefined && !isSourceName(values.source)) throw new InitError(`--source must be one of ${SOURCE_NAMES.join(', ')}, got ${JSON.stringify(values.source)}`);
    const { root, template } = projectOf(io.cwd, values.template);
    const pkg = readJson(path.join(root, 'package.json'));

    const spec = values.spec ?? (await choose('OpenAPI document', [...new Set([...specCandidates(io.cwd), ...specCandidates(root).map((f) => rel(io.cwd, path.join(root, f)))])], ask, '--spec FILE'));
    const specFile = path.resolve(io.cwd, spec);
    if (!existsSync(specFile)) throw new InitError(`--spec: no file ${specFile}`);
    const contract = await Contract.load(specFile);
    // A template names the handlers (each function's): the suite runs the deployment, so no --handler.
    const handler = template ? undefined : values.handler ?? withExport(root, await choose('handler', handlerCandidates(root), ask, '--handler FILE#export'));
    const handlerFile = handler?.includes('#') ? handler.slice(0, handler.lastIndexOf('#')) : handler;
    if (handlerFile !== undefined && !existsSync(path.resolve(root, handlerFile))) throw new InitError(`--handler: no file ${path.resolve(root, handlerFile)}`);

    const config = { spec: rel(root, specFile), ...(handler ? { handler } : {}), ...(template ? { template: rel(root, template) } : {}), ...(values.source !== undefined ? { source: values.source } : {}) };
    const { changes, testFile, command } = plan(root, pkg, config);
    const vitest = usesVitest(root, pkg);
    const conflicts = changes.filter((c) => c.replaces !== undefined);
    const skipped: Change[] = [];
    if (conflicts.length > 0 && !values.force) {
      if (!ask) {
        const list = conflicts.map((c) => `  ${c.file}: ${c.replaces}`).join('\n');
        throw new InitError(`init would replace what the project already has:\n${list}\nNothing was written. Run again with --force to replace them, or change them by hand.`);
      }
      for (const c of conflicts) {
        const answer = await ask(`${c.file}: ${c.replaces}. Replace it? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) skipped.push(c);
      }
    }
    const written = changes.filter((c) => !skipped.includes(c));
    if (ask) {
      const answer = await ask(`\n${written.map((c) => `  ${c.what}`).join('\n')}\nWrite these? [Y/n] `);
      if (/^n(o)?$/i.test(answer.trim())) {
        io.stdout('lambda-contract init: nothing written.\n');
        return 0;
      }
    }
    for (const c of written) {
      mkdirSync(path.dirname(path.join(root, c.file)), { recursive: true });
      writeFileSync(path.join(root, c.file), c.text);
    }
    const ops = contract.operations.length;
    const lines = [
      'lambda-contract init',
      ...(root !== io.cwd ? [`  project  ${rel(io.cwd, root)}/ (its package.json; the files below are written there)`] : []),
      `  spec     ${rel(root, specFile)} (${ops} operation${ops === 1 ? '' : 's'})`,
      template ? `  template ${rel(root, template)} (each operation through the function its route reaches)` : `  handler  ${handler ?? ''}`,
      ...(template && path.basename(template) === 'cdk.out' && !existsSync(template) ? ['  (cdk.out is what `npx cdk synth` writes: synthesize the app before the suite runs)'] : []),
      ...written.map((c) => `  ${c.what}`),
      ...skipped.map((c) => `  kept     ${c.file} (${c.replaces})`),
      ...(changes.length === 0 ? ['  the project is set up already: nothing to change'] : []),
      '',
      `Next: ${command ?? (vitest ? `npx vitest run ${testFile}` : `npx jest ${testFile}`)}   (or npm run test:contract; npx lambda-contract check for the CLI gate)`,
    ];
    if (!vitest && !hasDependency(pkg, 'jest')) lines.push('Jest is not among the project\'s dependencies yet: npm i -D jest');
    const old = !vitest ? oldJest(pkg) : undefined;
    if (old) {
      // ts-jest 29 takes TypeScript 4.3 or later: an older one goes up with it, and so does a ts-node
      // older than 10 (which crashes on that TypeScript; the CDK's `cdk synth` runs the app through it).
      const tsJest = hasDependency(pkg, 'ts-jest');
      const oldTs = tsJest && olderThan(pkg, 'typescript', [4, 3]);
      const typescript = oldTs ? ` typescript@4.9${olderThan(pkg, 'ts-node', [10, 0]) ? ' ts-node@10' : ''}` : '';
      lines.push(`Jest ${old} is older than the 27 lambda-contract needs (npm reports that as a peer dependency conflict): npm i -D jest@29${tsJest ? ' ts-jest@29' : ''}${hasDependency(pkg, '@types/jest') ? ' @types/jest@29' : ''}${typescript}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InitError || (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`lambda-contract init: ${(error as Error).message}\n\n${INIT_USAGE}\n`);
      return 2;
    }
    if (isContractError(error)) {
      io.stderr(`lambda-contract init: ${error.message}\n`);
      return 2;
    }
    io.stderr(`lambda-contract init: internal error: ${describeThrown(error).message}\n`);
    return 2;
  }
}

/** The OpenAPI documents in the usual places, relative to the project. */
export function specCandidates(root: string): string[] {
  return SPEC_DIRS.flatMap((dir) => SPEC_NAMES.map((name) => path.join(dir, name))).filter((file) => existsSync(path.join(root, file)));
}

/** The handler modules in the usual places, relative to the project. */
export function handlerCandidates(root: string): string[] {
  return HANDLER_BASES.flatMap((base) => HANDLER_EXTS.map((ext) => base + ext)).filter((file) => existsSync(path.join(root, file)));
}

async function choose(what: string, candidates: string[], ask: InitIo['ask'], flag: string): Promise<string> {
  if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
  if (candidates.length === 0) {
    if (ask) {
      const answer = (await ask(`No ${what} found in the usual places. Its path: `)).trim();
      if (answer) return answer;
    }
    throw new InitError(`no ${what} found in the usual places; name it with ${flag}`);
  }
  if (!ask) throw new InitError(`found more than one ${what}: ${candidates.join(', ')}; name the one to use with ${flag}`);
  const menu = candidates.map((c, i) => `  ${i + 1}) ${c}`).join('\n');
  for (let tries = 0; tries < 3; tries++) {
    const answer = (await ask(`More than one ${what}:\n${menu}\nWhich one? [1-${candidates.length}] `)).trim();
    const picked = candidates[Number(answer) - 1];
    if (/^\d+$/.test(answer) && picked !== undefined) return picked;
    if (candidates.includes(answer)) return answer;
  }
  throw new InitError(`no ${what} chosen; name it with ${flag}`);
}

/** `file#export`: `handler` when the module exports one, else its one exported function. */
export function withExport(root: string, file: string): string {
  const text = readFileSync(path.join(root, file), 'utf8');
  const named = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:const|let|var|(?:async\s+)?function\*?)\s+([A-Za-z_$][\w$]*)/g)) if (m[1]) named.add(m[1]);
  for (const m of text.matchAll(/(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/g)) if (m[1]) named.add(m[1]);
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) for (const part of (m[1] ?? '').split(',')) {
    const name = part.trim().split(/\s+as\s+/).pop()?.trim();
    if (name) named.add(name);
  }
  const name = named.has('handler') || named.size !== 1 ? 'handler' : [...named][0];
  return `${file}#${name}`;
}

/** Whether the project asks for a version of `name` below `[major, minor]` (its range's first version). */
function olderThan(pkg: Json, name: string, [major, minor]: [number, number]): boolean {
  const deps = { ...(pkg.dependencies as Json | undefined), ...(pkg.devDependencies as Json | undefined) };
  const m = typeof deps[name] === 'string' ? /(\d+)(?:\.(\d+))?/.exec(deps[name] as string) : null;
  if (!m) return false;
  const [have, haveMinor] = [Number(m[1]), Number(m[2] ?? 0)];
  return have < major || (have === major && haveMinor < minor);
}

/** The major version of Jest the project asks for, when it is below 27 (its range's first number). */
function oldJest(pkg: Json): string | undefined {
  const deps = { ...(pkg.dependencies as Json | undefined), ...(pkg.devDependencies as Json | undefined) };
  const range = typeof deps.jest === 'string' ? deps.jest : undefined;
  const major = range ? Number(/(\d+)/.exec(range)?.[1]) : NaN;
  return Number.isFinite(major) && major < 27 ? range : undefined;
}

/** The deployment beside a project, in the order init takes them: SAM (or CloudFormation), then the Serverless Framework's. */
const TEMPLATES = ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml', 'serverless.json'];

/** The deployment init finds in a folder: a template, else a CDK app's cloud assembly (`cdk.out`, synthesized or not yet). */
function foundTemplate(cwd: string): string | undefined {
  const file = TEMPLATES.map((t) => path.join(cwd, t)).find((t) => existsSync(t));
  if (file) return file;
  return existsSync(path.join(cwd, 'cdk.json')) ? path.join(cwd, 'cdk.out') : undefined;
}

/**
 * Where the project is: the folder init runs in when it has a package.json. Else, beside a SAM template
 * (what `sam init` lays out: the template at the top, package.json and the code in the function's
 * folder), the function folder that has a package.json; the template then names the handlers.
 */
export function projectOf(cwd: string, given?: string): { root: string; template?: string } {
  const template = given !== undefined ? path.resolve(cwd, given) : foundTemplate(cwd);
  if (given !== undefined && !existsSync(template as string)) throw new InitError(`--template: no file ${template}`);
  if (existsSync(path.join(cwd, 'package.json'))) return { root: cwd, ...(template ? { template } : {}) };
  if (!template) throw new InitError(`no package.json in ${cwd}: run init in the project's folder (npm init -y makes one)`);
  const folders = [...new Set(loadDeployment(template).functions.map((f) => f.codeRoot ?? path.dirname(f.file)))].filter((d) => existsSync(path.join(d, 'package.json')));
  if (folders.length === 1 && folders[0]) return { root: folders[0], template };
  if (folders.length === 0) throw new InitError(`no package.json in ${cwd}, nor in the folders of ${rel(cwd, template)}'s functions: run init where the project's package.json is`);
  throw new InitError(`${rel(cwd, template)}'s functions have several packages (${folders.map((f) => `${rel(cwd, f)}/`).join(', ')}): run init in the one to test, with --template ${rel(folders[0] as string, template)}`);
}

/**
 * Where the project's Jest looks for tests: the folder of its first `testMatch` pattern (`**\/tests/unit/*.test.ts`
 * → `tests/unit`) and that pattern's extension, read from jest.config.* or package.json; undefined for Jest's defaults.
 */
function testMatchOf(root: string, pkg: Json): { dir: string; ext?: string } | undefined {
  const file = JEST_CONFIGS.find((f) => existsSync(path.join(root, f)));
  const text = file ? readFileSync(path.join(root, file), 'utf8') : JSON.stringify((pkg.jest as Json | undefined) ?? {});
  // One root (`roots: ['<rootDir>/test']`, as the CDK's app template has it): Jest looks nowhere else.
  const only = /roots["']?\s*:\s*\[\s*["'`]<rootDir>\/([^"'`*]+?)\/?["'`]\s*\]/.exec(text)?.[1];
  const pattern = /testMatch["']?\s*:\s*\[\s*["'`]([^"'`]+)["'`]/.exec(text)?.[1];
  if (!pattern) return only ? { dir: only } : undefined;
  const dir = path.posix.dirname(pattern.replace(/^(\*\*\/)+/, ''));
  if (/[*?[\]{}]/.test(dir)) return undefined;
  const ext = /\.([cm]?[jt]s)$/.exec(pattern)?.[1];
  const within = dir === '.' ? '' : dir;
  return { dir: only && !within.startsWith(only) ? path.posix.join(only, within) : within, ...(ext ? { ext } : {}) };
}

/**
 * The project's Jest config when it splits the tests into `projects`: each project has a config of its
 * own, which the top level's preset does not reach, and one missing file stops every run.
 */
function jestProjectsConfig(root: string, pkg: Json): string | undefined {
  const file = JEST_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (file) return /\bprojects["']?\s*:/.test(readFileSync(path.join(root, file), 'utf8')) ? file : undefined;
  const inPackage = pkg.jest as Json | undefined;
  return inPackage && Array.isArray(inPackage.projects) ? 'package.json "jest"' : undefined;
}

/**
 * A Jest config of the suite's own beside a project whose config has `projects`: the project's config
 * stays as it is, and the suite (CommonJS, so that it needs no transform) runs under ours alone.
 */
function planOwnJestConfig(root: string, pkg: Json, changes: Change[], theirs: string, esm: boolean): { changes: Change[]; testFile: string; command: string } {
  const ext = esm ? 'cjs' : 'js';
  const testFile = `test/contract.test.${ext}`;
  const configFile = `jest.contract.config.${ext}`;
  const testText = `// A test per request case of every operation in lambda-contract.config.json's contract.\nconst { contractSuite } = require('lambda-contract/jest');\n\ncontractSuite();\n`;
  const configText = `/**\n * Jest for the contract suite alone, beside ${theirs} (whose projects each have a config of their own):\n * lambda-contract's preset registers toMatchOperation and loads the contract.\n */\nmodule.exports = { preset: '${PRESET}', testMatch: ['<rootDir>/${testFile}'] };\n`;
  for (const [file, text] of [[testFile, testText], [configFile, configText]] as const) {
    const exists = existsSync(path.join(root, file));
    if (!exists || readFileSync(path.join(root, file), 'utf8') !== text) {
      changes.push({ file, text, what: `wrote    ${file}${file === configFile ? ` (preset: '${PRESET}'; ${theirs} has projects)` : ''}`, ...(exists ? { replaces: `${file} exists` } : {}) });
    }
  }
  const script = `jest --config ${configFile}`;
  const edit = scriptChange(root, pkg, script);
  if (edit) changes.push(edit);
  return { changes, testFile, command: `npx ${script}` };
}

/** package.json with the `test:contract` script set to `script`, when it is not that already. */
function scriptChange(root: string, pkg: Json, script: string): Change | undefined {
  const scripts: Json = typeof pkg.scripts === 'object' && pkg.scripts !== null ? (pkg.scripts as Json) : {};
  if (scripts['test:contract'] === script) return undefined;
  const next: Json = { ...pkg, scripts: { ...scripts, 'test:contract': script } };
  const indent = /\n(\s+)"/.exec(readFileSync(path.join(root, 'package.json'), 'utf8'))?.[1] ?? '  ';
  return {
    file: 'package.json', text: `${JSON.stringify(next, null, indent)}\n`, what: 'updated  package.json: script test:contract',
    ...(scripts['test:contract'] !== undefined ? { replaces: `its script "test:contract" is ${JSON.stringify(scripts['test:contract'])}` } : {}),
  };
}

function plan(root: string, pkg: Json, config: { spec: string; handler?: string; template?: string; source?: string }): { changes: Change[]; testFile: string; command?: string } {
  const changes: Change[] = [];
  const existingConfig = CONFIG_FILES.find((f) => existsSync(path.join(root, f)));
  const configText = `${JSON.stringify(config, null, 2)}\n`;
  const configChange: Change = { file: 'lambda-contract.config.json', text: configText, what: 'wrote    lambda-contract.config.json' };
  if (!existingConfig && pkg.lambdaContract !== undefined) changes.push({ ...configChange, replaces: 'package.json has a "lambdaContract" key, which the new file would take the place of' });
  else if (existingConfig) {
    const same = existingConfig === 'lambda-contract.config.json' && readFileSync(path.join(root, existingConfig), 'utf8') === configText;
    if (!same) changes.push({ ...configChange, replaces: `${existingConfig} exists` });
  } else changes.push(configChange);

  if (usesVitest(root, pkg)) return planVitest(root, pkg, changes);
  const esm = pkg.type === 'module';
  const projectsConfig = jestProjectsConfig(root, pkg);
  if (projectsConfig) return planOwnJestConfig(root, pkg, changes, projectsConfig, esm);
  const typescript = usesTypeScriptTransform(root, pkg);
  // Where the project's testMatch looks (sam init: tests/unit/*.test.ts), else test/.
  const match = testMatchOf(root, pkg);
  const testFile = `${match ? (match.dir ? `${match.dir}/` : '') : 'test/'}contract.test.${match?.ext ?? (typescript ? 'ts' : esm ? 'cjs' : 'js')}`;
  const tsTest = match?.ext !== undefined ? /ts$/.test(match.ext) : typescript;
  const testText = tsTest
    ? `// A test per request case of every operation in lambda-contract.config.json's contract.\nimport { contractSuite } from 'lambda-contract/jest';\n\ncontractSuite();\n`
    : `// A test per request case of every operation in lambda-contract.config.json's contract.\nconst { contractSuite } = require('lambda-contract/jest');\n\ncontractSuite();\n`;
  const testExists = existsSync(path.join(root, testFile));
  if (!testExists || readFileSync(path.join(root, testFile), 'utf8') !== testText) {
    changes.push({ file: testFile, text: testText, what: `wrote    ${testFile}`, ...(testExists ? { replaces: `${testFile} exists` } : {}) });
  }

  const pkgEdits: string[] = [];
  let pkgReplaces: string | undefined;
  const next: Json = JSON.parse(JSON.stringify(pkg)) as Json;
  const scripts: Json = typeof next.scripts === 'object' && next.scripts !== null ? (next.scripts as Json) : {};
  const script = `jest ${testFile}`;
  if (scripts['test:contract'] !== script) {
    if (scripts['test:contract'] !== undefined) pkgReplaces = `its script "test:contract" is ${JSON.stringify(scripts['test:contract'])}`;
    scripts['test:contract'] = script;
    next.scripts = scripts;
    pkgEdits.push('script test:contract');
  }

  const jestConfig = JEST_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (jestConfig === 'jest.config.json') {
    const file = path.join(root, jestConfig);
    const edited = withPreset(readJson(file));
    if (edited) changes.push({ file: jestConfig, text: `${JSON.stringify(edited.config, null, 2)}\n`, what: `updated  ${jestConfig}: ${edited.what}` });
  } else if (jestConfig) {
    const text = readFileSync(path.join(root, jestConfig), 'utf8');
    if (!text.includes(PRESET)) {
      const edited = editJsConfig(text);
      if (!edited) {
        throw new InitError(`cannot find the exported object in ${jestConfig} to add lambda-contract to; add  preset: '${PRESET}'  to it (or '${SETUP}' to setupFilesAfterEnv when it has a preset of its own), then run init again`);
      }
      changes.push({ file: jestConfig, text: edited.text, what: `updated  ${jestConfig}: ${edited.what}` });
    }
  } else if (typeof next.jest === 'object' && next.jest !== null) {
    const edited = withPreset(next.jest as Json);
    if (edited) {
      next.jest = edited.config;
      pkgEdits.push(`"jest" ${edited.what}`);
    }
  } else {
    const file = esm ? 'jest.config.cjs' : 'jest.config.js';
    changes.push({ file, text: `/** Jest: lambda-contract's preset registers toMatchOperation and loads the contract. */\nmodule.exports = { preset: '${PRESET}' };\n`, what: `wrote    ${file} (preset: '${PRESET}')` });
  }
  if (pkgEdits.length > 0) {
    const indent = /\n(\s+)"/.exec(readFileSync(path.join(root, 'package.json'), 'utf8'))?.[1] ?? '  ';
    changes.push({ file: 'package.json', text: `${JSON.stringify(next, null, indent)}\n`, what: `updated  package.json: ${pkgEdits.join(', ')}`, ...(pkgReplaces ? { replaces: pkgReplaces } : {}) });
  }
  return { changes, testFile, command: `npx ${script}` };
}

const VITEST_CONFIGS = ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.js', 'vitest.config.mjs', 'vitest.config.cts', 'vitest.config.cjs', 'vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'];
const VITEST_SETUP = 'lambda-contract/vitest';

/** A project runs Vitest when it depends on it and not on Jest, or has a Vitest config of its own. */
export function usesVitest(root: string, pkg: Json): boolean {
  if (hasDependency(pkg, 'vitest') && !hasDependency(pkg, 'jest')) return true;
  return VITEST_CONFIGS.slice(0, 6).some((f) => existsSync(path.join(root, f)));
}

/** The Vitest half of the plan: our setup entry in the config, a generated suite, a script. */
function planVitest(root: string, pkg: Json, changes: Change[]): { changes: Change[]; testFile: string } {
  const typescript = hasDependency(pkg, 'typescript') || existsSync(path.join(root, 'tsconfig.json'));
  const testFile = `test/contract.test.${typescript ? 'ts' : 'mjs'}`;
  const testText = `// A test per request case of every operation in lambda-contract.config.json's contract.\nimport { contractSuite } from '${VITEST_SETUP}';\n\ncontractSuite();\n`;
  const testExists = existsSync(path.join(root, testFile));
  if (!testExists || readFileSync(path.join(root, testFile), 'utf8') !== testText) {
    changes.push({ file: testFile, text: testText, what: `wrote    ${testFile}`, ...(testExists ? { replaces: `${testFile} exists` } : {}) });
  }
  const config = VITEST_CONFIGS.find((f) => existsSync(path.join(root, f)));
  if (config) {
    const text = readFileSync(path.join(root, config), 'utf8');
    if (!text.includes(VITEST_SETUP)) {
      const edited = editVitestConfig(text);
      if (!edited) throw new InitError(`cannot find where to add lambda-contract in ${config}; add  test: { setupFiles: ['${VITEST_SETUP}'] }  to its config, then run init again`);
      changes.push({ file: config, text: edited, what: `updated  ${config}: '${VITEST_SETUP}' in test.setupFiles` });
    }
  } else {
    changes.push({
      file: 'vitest.config.mjs',
      text: `// Vitest: lambda-contract's setup entry registers toMatchOperation and loads the contract.\nimport { defineConfig } from 'vitest/config';\n\nexport default defineConfig({\n  test: { setupFiles: ['${VITEST_SETUP}'] },\n});\n`,
      what: `wrote    vitest.config.mjs (setupFiles: ['${VITEST_SETUP}'])`,
    });
  }
  const edit = scriptChange(root, pkg, `vitest run ${testFile}`);
  if (edit) changes.push(edit);
  return { changes, testFile };
}

/** Adds our setup entry to a Vitest (or Vite) config by text: into `setupFiles`, else `test: {`, else `defineConfig({`. */
export function editVitestConfig(text: string): string | undefined {
  const entry = `'${VITEST_SETUP}'`;
  if (/\bsetupFiles\s*:\s*\[/.test(text)) return text.replace(/\bsetupFiles\s*:\s*\[/, (m) => `${m}${entry}, `);
  if (/\bsetupFiles\s*:\s*['"]/.test(text)) return text.replace(/\bsetupFiles\s*:\s*(['"][^'"]*['"])/, (_m, one: string) => `setupFiles: [${entry}, ${one}]`);
  if (/\btest\s*:\s*\{/.test(text)) return text.replace(/\btest\s*:\s*\{/, (m) => `${m}\n    setupFiles: [${entry}],`);
  if (/defineConfig\(\s*\{/.test(text)) return text.replace(/defineConfig\(\s*\{/, (m) => `${m}\n  test: { setupFiles: [${entry}] },`);
  if (/export\s+default\s*\{/.test(text)) return text.replace(/export\s+default\s*\{/, (m) => `${m}\n  test: { setupFiles: [${entry}] },`);
  return undefined;
}

/** A JSON Jest config with our preset — or, when it has a preset of its own, our setup file. */
function withPreset(config: Json): { config: Json; what: string } | undefined {
  if (config.preset === PRESET) return undefined;
  const setup = Array.isArray(config.setupFilesAfterEnv) ? (config.setupFilesAfterEnv as unknown[]) : [];
  if (config.preset === undefined) return { config: { preset: PRESET, ...config }, what: `preset '${PRESET}'` };
  if (setup.includes(SETUP)) return undefined;
  return { config: { ...config, setupFilesAfterEnv: [SETUP, ...setup] }, what: `'${SETUP}' in setupFilesAfterEnv (it keeps its preset ${JSON.stringify(config.preset)})` };
}

/**
 * Adds our preset to a JavaScript/TypeScript Jest config by text: right after the opening brace of
 * the exported object (`module.exports = {`, `export default {`, `const config: Config = {`).
 */
export function editJsConfig(text: string): { text: string; what: string } | undefined {
  const opening = /(module\.exports\s*=\s*\{|export\s+default\s*\{|(?:const|let|var)\s+config\b[^=]*=\s*\{)/.exec(text);
  if (!opening) return undefined;
  const at = opening.index + opening[0].length;
  const hasPreset = /\bpreset\s*:/.test(text);
  if (hasPreset && /\bsetupFilesAfterEnv\s*:/.test(text)) return undefined;
  const line = hasPreset ? `\n  setupFilesAfterEnv: ['${SETUP}'],` : `\n  preset: '${PRESET}',`;
  const what = hasPreset ? `'${SETUP}' in setupFilesAfterEnv (it keeps its own preset)` : `preset '${PRESET}'`;
  return { text: text.slice(0, at) + line + text.slice(at), what };
}

function usesTypeScriptTransform(root: string, pkg: Json): boolean {
  if (['ts-jest', '@swc/jest', 'esbuild-jest', '@sucrase/jest-plugin'].some((d) => hasDependency(pkg, d))) return true;
  if (hasDependency(pkg, '@babel/preset-typescript')) return true;
  const jestConfig = JEST_CONFIGS.find((f) => existsSync(path.join(root, f)));
  return jestConfig !== undefined && /ts-jest|@swc\/jest|babel-jest/.test(readFileSync(path.join(root, jestConfig), 'utf8'));
}

function hasDependency(pkg: Json, name: string): boolean {
  return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) => {
    const deps = pkg[k];
    return typeof deps === 'object' && deps !== null && Object.hasOwn(deps, name);
  });
}

function readJson(file: string): Json {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Json;
  } catch (error) {
    throw new InitError(`${file}: ${(error as Error).message}`);
  }
}

const rel = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/');
