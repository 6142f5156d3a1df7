/**
 * The run loop stays readable: no function in run/ or the contract's modules is longer than a screen
 * (60 lines), so a newcomer can follow a case from its plan to its verdict stage by stage. A stage that
 * grows past that is split before it lands.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '../../src');
const LIMIT = 60;
/** Where the rule holds: the run loop and the `Contract` with its concerns. */
const SCOPE = ['run', 'contract', 'contract.ts'];

function files(entry: string): string[] {
  const full = path.join(SRC, entry);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) => files(path.join(entry, name))).filter((f) => /\.(ts|mts|cts)$/.test(f));
}

/** Each function (declaration, method, arrow, expression) longer than `limit` lines, as `file:line name (N lines)`. */
function longFunctions(name: string, text: string, limit: number): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      const named = node.name ? node.name.getText(source) : '(anonymous)';
      if (lines > limit) out.push(`${name}:${first + 1} ${named} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('the run loop', () => {
  it(`has no function over ${LIMIT} lines in ${SCOPE.join(', ')}`, () => {
    const found = SCOPE.flatMap(files).flatMap((file) => longFunctions(path.relative(SRC, file), readFileSync(file, 'utf8'), LIMIT));
    expect(found).toEqual([]);
  });

  it('would name a long function, arrows and methods included (the check can fail)', () => {
    const body = Array.from({ length: LIMIT }, (_, i) => `  x += ${i};`).join('\n');
    const text = `export function long(x: number) {\n${body}\n  return x;\n}\nclass C { m() {\n${body}\n} }\nconst a = () => {\n${body}\n};\nfunction short() { return 1; }\n`;
    expect(longFunctions('fixture.ts', text, LIMIT)).toEqual(['fixture.ts:1 long (63 lines)', 'fixture.ts:64 m (62 lines)', 'fixture.ts:126 (anonymous) (62 lines)']);
  });
});
