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
/** Every TypeScript module: `.ts`, and the ES-module and CommonJS ones (`.mts`, `.cts`: the Vitest entry is one). */
const MODULES = '**/*.{ts,mts,cts}';

// In its own Node process: dpdm loads ESM-only packages, which Jest's module system cannot require.
const SCRIPT = `
const { parseCircular, parseDependencyTree } = require(${JSON.stringify(require.resolve('dpdm'))});
const [cwd, glob, tsconfig] = process.argv.slice(1);
// dpdm reads only .ts/.tsx/.js-like files as code by default: .mts and .cts would count as leaves.
const js = ['.ts', '.tsx', '.mts', '.cts', '.mjs', '.cjs', '.js', '.jsx'];
parseDependencyTree([glob], { context: cwd, transform: false, skipDynamicImports: false, tsconfig, js, extensions: ['', ...js, '.json'] })
  .then((tree) => console.log(JSON.stringify(parseCircular(tree, false))));
`;

function cyclesIn(cwd: string, glob: string): string[] {
  const out = execFileSync(process.execPath, ['-e', SCRIPT, cwd, glob, path.join(ROOT, 'tsconfig.json')], { cwd, encoding: 'utf8' });
  const cycles = JSON.parse(out) as string[][];
  return cycles.map((cycle) => cycle.map((file) => path.relative(cwd, path.resolve(cwd, file))).join(' → '));
}

describe('the import graph of src/', () => {
  it('has no cycle', () => {
    expect(cyclesIn(ROOT, `src/${MODULES}`)).toEqual([]);
  }, 60_000);

  it('would name a cycle, type-only imports included (the check can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b?: B }\n");
      writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a?: A }\n");
      writeFileSync(path.join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
      writeFileSync(path.join(dir, 'm.mts'), "import type { N } from './n.cts';\nexport interface M { n?: N }\n");
      writeFileSync(path.join(dir, 'n.cts'), "import type { M } from './m.mts';\nexport interface N { m?: M }\n");
      const found = cyclesIn(dir, MODULES).sort();
      expect(found).toHaveLength(2);
      expect(found[0]).toMatch(/^(a\.ts → b\.ts|b\.ts → a\.ts)$/);
      expect(found[1]).toMatch(/^(m\.mts → n\.cts|n\.cts → m\.mts)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
