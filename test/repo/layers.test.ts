/**
 * The house's floors: what each part of `src/` may import (docs/design.md). A part that reaches up —
 * the gateway into the run, the document into the facade — fails here, named with the file and import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../../src');

/** Each part (a folder of src/, or a top-level file without its extension) and the parts it may import. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  gateway: ['errors'],
  document: ['errors', 'gateway'],
  verify: ['errors', 'gateway', 'document'],
  requests: ['errors', 'gateway', 'document', 'verify'],
  invoke: ['errors', 'gateway', 'verify'],
  contract: ['errors', 'gateway', 'document', 'verify', 'requests', 'invoke'],
  invocation: ['errors', 'gateway', 'invoke'],
  deploy: ['errors', 'gateway'],
  // Local stand-ins for the AWS services a deployment declares.
  aws: ['errors', 'gateway', 'deploy', 'invoke'],
  run: ['errors', 'gateway', 'document', 'verify', 'requests', 'invoke', 'contract', 'deploy', 'aws'],
  config: ['errors', 'gateway', 'requests', 'run', 'contract'],
  downstream: ['errors', 'gateway', 'document', 'verify', 'invoke', 'contract'],
  server: ['errors', 'gateway', 'document', 'verify', 'invoke', 'contract', 'deploy', 'run', 'config', 'aws'],
  report: ['gateway', 'verify', 'run'],
  build: [],
  // What every test runner's door shares: the matchers, the generated suite.
  testing: ['errors', 'gateway', 'document', 'verify', 'requests', 'invoke', 'contract', 'deploy', 'run', 'config', 'report', 'aws'],
  // The doors: they may import anything below them.
  jest: ['*'],
  vitest: ['*'],
  cli: ['*'],
  entries: ['*'],
  index: ['*'],
};

function partOf(file: string): string {
  const [first = '', ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length > 0 ? first : first.replace(/\.(ts|cjs)$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|mts|cjs)$/.test(name) ? [full] : [];
  });
}

/** The relative imports of a file (comments and strings aside), resolved to the file they name. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const target = path.resolve(path.dirname(file), name);
      // ES modules name the built file (`./x.js`, `./x.mjs`): the source is its .ts / .mts.
      for (const candidate of [`${target}.ts`, path.join(target, 'index.ts'), target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), target]) {
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          /* next */
        }
      }
      return target;
    });
}

/** Every import that reaches a part its importer may not import, as `file → import (part)`. */
function breaches(files: readonly string[], imports: (file: string) => string[], rules: Record<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = partOf(file);
    const allowed = rules[from];
    if (!allowed) {
      out.push(`${path.relative(SRC, file)}: part "${from}" has no row in MAY_IMPORT`);
      continue;
    }
    for (const target of imports(file)) {
      const to = partOf(target);
      if (to === from || allowed.includes('*') || allowed.includes(to)) continue;
      out.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)} ("${from}" may not import "${to}")`);
    }
  }
  return out;
}

test('every part of src/ imports only the parts below it', () => {
  expect(breaches(sourceFiles(SRC), importsOf, MAY_IMPORT)).toEqual([]);
});

test('the check names an import that reaches up, and a part without a row', () => {
  const files = [path.join(SRC, 'gateway/rest.ts'), path.join(SRC, 'newpart/x.ts')];
  const imports = (file: string): string[] => (file.endsWith('rest.ts') ? [path.join(SRC, 'run/run.ts'), path.join(SRC, 'errors.ts')] : []);
  expect(breaches(files, imports, MAY_IMPORT)).toEqual([
    'gateway/rest.ts → run/run.ts ("gateway" may not import "run")',
    'newpart/x.ts: part "newpart" has no row in MAY_IMPORT',
  ]);
});
