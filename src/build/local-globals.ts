/**
 * Build step: makes each built module read JavaScript's built-ins (`Array`, `JSON`, `Map`…) from local
 * bindings instead of the global object, which is slow inside Jest's `vm` contexts (docs/performance.md).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Built-ins every supported Node has, that nothing replaces as a whole. */
export const LOCALIZED = [
  'Array', 'Object', 'JSON', 'String', 'Number', 'Boolean', 'Math', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol',
  'Error', 'TypeError', 'RangeError', 'RegExp', 'Promise', 'BigInt', 'Reflect', 'Proxy', 'parseInt', 'parseFloat',
  'isFinite', 'isNaN', 'encodeURIComponent', 'decodeURIComponent', 'Buffer', 'URL', 'Uint8Array', 'ArrayBuffer',
] as const;

const STRICT = '"use strict";';

/**
 * The module's text with its body wrapped in a function that takes the built-ins it names as
 * parameters, passed once when it loads: the same objects, read at the same moment, so nothing changes
 * but the cost. Left global: what Jest's fake timers or a test may replace wholesale (`Date`,
 * `setTimeout`, `performance`, `process`, `console`, `fetch`), and any name the module declares itself.
 * Line numbers stay where they were, so source maps hold. Unchanged when it names none of the built-ins.
 */
export function localizeGlobals(text: string): string {
  if (!text.startsWith(STRICT)) return text;
  const names = LOCALIZED.filter((name) => {
    if (!new RegExp(`(?<![.\\w$])${name}(?![\\w$])`).test(text)) return false;
    // A module that declares the name itself (even in a comment that reads like it) keeps it as it is.
    return !new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}(?![\\w$])`).test(text);
  });
  if (names.length === 0) return text;
  const list = names.join(', ');
  const lines = text.split('\n');
  let end = lines.length;
  while (end > 0 && ((lines[end - 1] ?? '') === '' || (lines[end - 1] ?? '').startsWith('//# sourceMappingURL='))) end--;
  lines[0] = `${STRICT}(function (${list}) {${(lines[0] ?? '').slice(STRICT.length)}`;
  lines.splice(end, 0, `}).call(this, ${list});`);
  return lines.join('\n');
}

/** Rewrites every `.js` file under `dir`; returns how many changed. */
export function localizeTree(dir: string): number {
  let changed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) changed += localizeTree(file);
    else if (entry.name.endsWith('.js')) {
      const before = readFileSync(file, 'utf8');
      const after = localizeGlobals(before);
      if (after !== before) {
        writeFileSync(file, after);
        changed++;
      }
    }
  }
  return changed;
}

if (require.main === module) {
  const dir = process.argv[2] ?? path.join(__dirname, '..');
  process.stdout.write(`built-ins made local in ${localizeTree(dir)} modules of ${dir}\n`);
}
