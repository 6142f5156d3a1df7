/**
 * The repository stands alone: a user's clone has nothing beside it, so no source, test, bench, example,
 * CI, configuration or documentation file may name a path that leaves the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCANNED = ['src', 'test', 'bench', 'specs', '.ci', 'docs', 'examples'];
/** The files at the top: the package, its configurations, the README. */
const TOP = /^(?:package\.json|tsconfig[\w.]*\.json|jest[\w.]*\.[cm]?js|vitest[\w.]*\.[cm]?[jt]s|README\.md|\.gitignore|\.npmignore)$/;
const TEXT = /\.(?:[cm]?[jt]sx?|json|ya?ml|sh|md|toml)$|^run$/;

/** Absolute places that exist on one machine only (temporary folders come from `os.tmpdir()`). */
const MACHINE_PATH = /(?:^|[\s'"`(=:])(\/(?:home|Users|root|work|mnt|srv|opt|var|tmp|private|Volumes|media)\/[\w.@-]+|[A-Za-z]:\\\\?Users\\)/;
/**
 * Folders inside Lambda's execution environment (where the runtime lives, where a function's code is):
 * values Lambda sets (LAMBDA_RUNTIME_DIR), not places on this machine.
 */
const LAMBDA_PLACES = /(?<=['"`\s])\/var\/(?:runtime|task)(?=['"`\s/]|$)/g;
/** The user's own home folder: never the same on two machines. */
const HOME = /\b(?:os\.)?homedir\(\)|process\.env\.(?:HOME|USERPROFILE)\b|['"`]~\//;
/** `'..' + '/shared'`: string literals joined with `+`, read as one. */
const JOINED = /(['"`])([^'"`]*)\1\s*\+\s*(['"`])([^'"`]*)\3/;
/** A template literal that starts at this file's folder: `${__dirname}/../../x`. */
const DIRNAME_TEMPLATE = /`\$\{__dirname\}([^`$]*)`/g;
/** A folder that sits beside the repository on our own machines and CI's, never on a user's. */
const BESIDE = /(?:\.\.[/\\])+shared\b|(?:^|[\s'"`])shared[/\\](?:events|DESIGN|GATEWAYS|STYLE)/;
/** A quoted relative path, and `path.join/resolve(__dirname, '..', …)` calls made of literals. */
const RELATIVE = /['"`]((?:\.\.?\/)*\.\.(?:\/[^'"`\s]*)?)['"`]/g;
/** A relative path in a command line (a script in package.json, a CI step): `cp ../../x .`. */
const BARE = /(?:^|\s)((?:\.\.\/)+[^\s'"`;)]*)/g;
const DIRNAME_CALL = /path\.(join|resolve)\(\s*__dirname\s*((?:,\s*(?:'[^']*'|"[^"]*"|`[^`$]*`)\s*)+)\)/g;

export interface Escape {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Every place in `text` (the file `file`, relative to the root) that names a path outside `root`. */
export function escapes(root: string, file: string, text: string): Escape[] {
  const found: Escape[] = [];
  const dir = path.dirname(path.join(root, file));
  const outside = (target: string): boolean => {
    const rel = path.relative(root, target);
    return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  };
  text.split('\n').forEach((raw, i) => {
    const add = (why: string): void => void found.push({ file, line: i + 1, text: raw.trim(), why });
    let line = raw;
    for (let joined = JOINED.exec(line); joined; joined = JOINED.exec(line)) line = line.replace(joined[0], `'${joined[2] ?? ''}${joined[4] ?? ''}'`);
    if (MACHINE_PATH.test(line.replace(LAMBDA_PLACES, ''))) add('an absolute path of one machine');
    if (HOME.test(line)) add('the user\'s home folder');
    // Prose shows a user's own project (`import { handler } from '../src/handler'`): only what no user has counts there.
    if (file.endsWith('.md')) return;
    for (const m of line.matchAll(DIRNAME_TEMPLATE)) if (outside(path.join(dir, m[1] ?? ''))) add(`\`\${__dirname}${m[1]}\` resolves outside the repository`);
    if (BESIDE.test(line)) add('the shared/ folder beside the repository');
    const relative = new Set([...line.matchAll(RELATIVE), ...line.matchAll(BARE)].map((m) => m[1] ?? ''));
    for (const r of relative) if (r && outside(path.resolve(dir, r))) add(`${r} resolves outside the repository`);
    for (const m of line.matchAll(DIRNAME_CALL)) {
      const parts = [...(m[2] ?? '').matchAll(/'([^']*)'|"([^"]*)"|`([^`]*)`/g)].map((p) => p[1] ?? p[2] ?? p[3] ?? '');
      if (outside(path.resolve(dir, ...parts))) add(`path.${m[1]}(__dirname, ${parts.map((p) => `'${p}'`).join(', ')}) resolves outside the repository`);
    }
  });
  return found;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir))) {
    if (entry === 'node_modules') continue;
    const rel = path.join(dir, entry);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...files(rel));
    else if (TEXT.test(entry)) out.push(rel);
  }
  return out;
}

describe('the repository stands alone', () => {
  it('names no path outside itself in src/, test/, bench/, specs/, .ci/, docs/, its configurations or its README', () => {
    // This file is left out: its examples below are leaks on purpose.
    const top = readdirSync(ROOT).filter((f) => TOP.test(f) && statSync(path.join(ROOT, f)).isFile());
    expect(top).toEqual(expect.arrayContaining(['package.json', 'jest.config.js', 'tsconfig.json', 'README.md']));
    const scanned = [...top, ...SCANNED.filter((d) => existsSync(path.join(ROOT, d))).flatMap((d) => files(d))].filter((f) => f !== path.relative(ROOT, __filename));
    expect(scanned.length).toBeGreaterThan(100);
    const found = scanned.flatMap((file) => escapes(ROOT, file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each way a path can leave it', () => {
    const leaks = [
      `const EVENTS = path.resolve(__dirname, '../../../shared/events');`,
      `const file = path.join(__dirname, '..', '..', '..', 'elsewhere', 'x.json');`,
      `readFileSync('/home/someone/api/openapi.yaml')`,
      `const sample = require('../../../../outside.json');`,
      `cat shared/events/alb__alb-event.json`,
      `const cache = '/var/folders/x/lambda-contract';`,
      `const events = path.join(os.homedir(), '.aws', 'events.json');`,
      `const spec = '..' + '/' + '..' + '/../shared/openapi.yaml';`,
      'const spec = `${__dirname}/../../../outside.yaml`;',
      `const env = { LAMBDA_RUNTIME_DIR: '/var/runtime', TASK: '/var/task' };`,
      `const cache = '/var/runtimes-of-mine/x';`,
    ];
    expect(leaks.map((text) => escapes(ROOT, 'test/gateway/x.test.ts', text).map((e) => e.why))).toEqual([
      ['the shared/ folder beside the repository', '../../../shared/events resolves outside the repository', "path.resolve(__dirname, '../../../shared/events') resolves outside the repository"],
      ["path.join(__dirname, '..', '..', '..', 'elsewhere', 'x.json') resolves outside the repository"],
      ['an absolute path of one machine'],
      ['../../../../outside.json resolves outside the repository'],
      ['the shared/ folder beside the repository'],
      ['an absolute path of one machine'],
      ['the user\'s home folder'],
      ['the shared/ folder beside the repository', '../../../shared/openapi.yaml resolves outside the repository'],
      ['`${__dirname}/../../../outside.yaml` resolves outside the repository'],
      [],
      ['an absolute path of one machine'],
    ]);
  });

  it('reads the configurations and the prose too: the package, the README, the docs', () => {
    expect(escapes(ROOT, 'package.json', '"pretest": "cp ../../../shared/events/*.json test/fixtures"').map((e) => e.why)).toEqual(['the shared/ folder beside the repository', '../../../shared/events/*.json resolves outside the repository']);
    expect(escapes(ROOT, 'README.md', 'Run it on `/Users/me/api/openapi.yaml`.').map((e) => e.why)).toEqual(['an absolute path of one machine']);
    expect(escapes(ROOT, 'docs/cli.md', 'The cache lives in `~/.lambda-contract`.').map((e) => e.why)).toEqual(['the user\'s home folder']);
  });

  it('lets paths inside the repository and temporary folders be', () => {
    const fine = [
      `const EVENTS = path.resolve(__dirname, '../fixtures/aws-events');`,
      `import { invoke } from '../../src/invoke/invoke';`,
      `const ROOT = path.join(__dirname, '..', '..');`,
      `write('api/openapi.json', { $ref: '../common/pet.yaml' }) // a document the test writes in a temporary folder`,
      `mkdtempSync(path.join(tmpdir(), 'lambda-contract-'))`,
    ];
    expect(fine.flatMap((text) => escapes(ROOT, 'test/gateway/x.test.ts', text))).toEqual([]);
  });
});
