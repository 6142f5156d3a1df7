/** The real-project corpus (test/corpus): each project's entry, installed once into a cache, and the CLI's verdict on it. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunReport } from '../../src/run/types';

export const ROOT = path.resolve(__dirname, '../..');
export const CORPUS = path.join(ROOT, 'test/corpus');
export const CACHE = path.join(ROOT, 'node_modules/.cache/lambda-contract-corpus');
export const CLI = path.join(ROOT, 'dist/cli/bin.js');

export interface Verdict {
  args: string[];
  exit: number;
  /** `operationId rule`, sorted, each once. */
  findings: string[];
}

export interface CorpusEntry {
  /** Commands that install the project's dependencies (run once, in the cache). */
  install: string[][];
  /**
   * What the project's README has a user run besides installing its root's dependencies (a function
   * folder's own install; esbuild, which NodejsFunction takes in place of Docker): after `install`, and
   * in the init trial after the root's `npm install`.
   */
  setup?: string[][];
  /** Commands that build what is checked (`npx cdk synth`): after installing, and again after a bug's edit. */
  prepare?: string[][];
  asShipped: Verdict[];
  bug: Verdict & { file: string; find: string; replace: string };
  /** What the suite `init` writes gives under plain Jest (its exit code): the verdict with every default check. */
  suite: { exit: number };
}

export const projects = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

export const run = (command: string, args: string[], cwd: string): { code: number; stdout: string; stderr: string } => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' }, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

/** Every file of the project (not what its installs make), for the cache key. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string): void => {
    for (const e of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name === 'cdk.out') continue;
      const p = path.join(at, e.name);
      if (e.isDirectory()) walk(p);
      else hash.update(path.relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

export function runAll(commands: readonly string[][], cwd: string): void {
  for (const [command, ...args] of commands) {
    const r = run(command as string, args, cwd);
    if (r.code !== 0) throw new Error(`${[command, ...args].join(' ')} failed in ${cwd} (exit ${r.code}):\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
  }
}

/** The project installed (and prepared) once per version of its files. */
export function installed(name: string, entry: CorpusEntry): string {
  const dir = path.join(CACHE, `${name}-${digest(path.join(CORPUS, name))}`);
  if (existsSync(path.join(dir, '.installed'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(CORPUS, name), dir, { recursive: true });
  runAll(entry.install, dir);
  runAll(entry.setup ?? [], dir);
  runAll(entry.prepare ?? [], dir);
  writeFileSync(path.join(dir, '.installed'), new Date().toISOString());
  return dir;
}

/** A copy of the installed project with the bug's edit: its node_modules linked, not copied. */
export function withBug(dir: string, entry: CorpusEntry): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'lc-corpus-bug-'));
  cpSync(dir, copy, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' && path.basename(src) !== 'cdk.out' });
  for (const sub of ['', ...readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)]) {
    if (existsSync(path.join(dir, sub, 'node_modules'))) symlinkSync(path.join(dir, sub, 'node_modules'), path.join(copy, sub, 'node_modules'), 'dir');
  }
  const file = path.join(copy, entry.bug.file);
  const before = readFileSync(file, 'utf8');
  if (!before.includes(entry.bug.find)) throw new Error(`the bug's edit finds nothing to replace in ${entry.bug.file}`);
  writeFileSync(file, before.replace(entry.bug.find, entry.bug.replace));
  runAll(entry.prepare ?? [], copy);
  return copy;
}

/** The CLI's verdict: its exit code, and each finding of its failed cases as `operationId rule`. */
export function verdict(dir: string, args: readonly string[]): { exit: number; findings: string[]; text: string } {
  const r = run(process.execPath, [CLI, ...args, '--format', 'json'], dir);
  let report: RunReport;
  try {
    report = JSON.parse(r.stdout) as RunReport;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  }
  const findings = new Set(report.results.filter((x) => !x.ok).flatMap((x) => x.violations.map((v) => `${v.operationId} ${v.rule}`)));
  return { exit: r.code, findings: [...findings].sort(), text: r.stderr };
}

