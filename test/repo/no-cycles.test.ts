/**
 * No import cycles in src/: dependencies run one way (document and gateway at the bottom, the facade
 * above them, run/ and the entries on top). Type-only imports count, as a cycle through a type is
 * still two modules that cannot be understood apart. dpdm reads the graph.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

// In its own Node process: dpdm loads ESM-only packages, which Jest's module system cannot require.
const SCRIPT = `
const { parseCircular, parseDependencyTree } = require(${JSON.stringify(require.resolve('dpdm'))});
const [cwd, glob, tsconfig] = process.argv.slice(1);
parseDependencyTree([glob], { context: cwd, transform: false, skipDynamicImports: false, tsconfig })
  .then((tree) => console.log(JSON.stringify(parseCircular(tree, false))));
`;

function cyclesIn(cwd: string, glob: string): string[] {
  const out = execFileSync(process.execPath, ['-e', SCRIPT, cwd, glob, path.join(ROOT, 'tsconfig.json')], { cwd, encoding: 'utf8' });
  const cycles = JSON.parse(out) as string[][];
  return cycles.map((cycle) => cycle.map((file) => path.relative(cwd, path.resolve(cwd, file))).join(' → '));
}

describe('the import graph of src/', () => {
  it('has no cycle', () => {
    expect(cyclesIn(ROOT, 'src/**/*.ts')).toEqual([]);
  }, 60_000);

  it('would name a cycle, type-only imports included (the check can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b?: B }\n");
      writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a?: A }\n");
      writeFileSync(path.join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
      const found = cyclesIn(dir, '*.ts');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^(a\.ts → b\.ts|b\.ts → a\.ts)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
