/**
 * The repository stands alone: a user's clone has nothing beside it, so no source, test, bench, example
 * or CI file may name a path that leaves the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCANNED = ['src', 'test', 'bench', 'specs', '.ci'];
const TEXT = /\.(?:[cm]?[jt]s|json|ya?ml|sh|md)$|^run$/;

/** Absolute places that exist on one machine only. */
const MACHINE_PATH = /(?:^|[\s'"`(=:])(\/(?:home|Users|root|work|mnt|srv|opt)\/[\w.@-]+|[A-Za-z]:\\\\?Users\\)/;
/** A folder that sits beside the repository on our own machines and CI's, never on a user's. */
const BESIDE = /(?:\.\.[/\\])+shared\b|(?:^|[\s'"`])shared[/\\](?:events|DESIGN|GATEWAYS|STYLE)/;
/** A quoted relative path, and `path.join/resolve(__dirname, '..', …)` calls made of literals. */
const RELATIVE = /['"`]((?:\.\.?\/)*\.\.(?:\/[^'"`\s]*)?)['"`]/g;
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
  text.split('\n').forEach((line, i) => {
    const add = (why: string): void => void found.push({ file, line: i + 1, text: line.trim(), why });
    if (MACHINE_PATH.test(line)) add('an absolute path of one machine');
    if (BESIDE.test(line)) add('the shared/ folder beside the repository');
    for (const m of line.matchAll(RELATIVE)) if (m[1] && outside(path.resolve(dir, m[1]))) add(`${m[1]} resolves outside the repository`);
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
  it('names no path outside itself in src/, test/, bench/, specs/ or .ci/', () => {
    // This file is left out: its examples below are leaks on purpose.
    const scanned = SCANNED.flatMap((d) => files(d)).filter((f) => f !== path.relative(ROOT, __filename));
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
    ];
    expect(leaks.map((text) => escapes(ROOT, 'test/gateway/x.test.ts', text).map((e) => e.why))).toEqual([
      ['the shared/ folder beside the repository', '../../../shared/events resolves outside the repository', "path.resolve(__dirname, '../../../shared/events') resolves outside the repository"],
      ["path.join(__dirname, '..', '..', '..', 'elsewhere', 'x.json') resolves outside the repository"],
      ['an absolute path of one machine'],
      ['../../../../outside.json resolves outside the repository'],
      ['the shared/ folder beside the repository'],
    ]);
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
