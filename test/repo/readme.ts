/**
 * What the README check reads: its code blocks, and whether a failure it shows is what a run prints.
 * The e2e tier (test/e2e/packed.test.ts) runs the blocks in a consumer project; test/repo/readme.test.ts
 * shows these two can fail.
 */

/** The README's languages that are code a user runs: TypeScript and JavaScript under every fence name. */
const LANGUAGES: Record<string, 'ts' | 'tsx' | 'js'> = { ts: 'ts', typescript: 'ts', tsx: 'tsx', js: 'js', javascript: 'js', jsx: 'js', mjs: 'js', cjs: 'js' };

export interface ReadmeBlock {
  /** How to compile it: `ts`, `tsx` or `js`. */
  lang: 'ts' | 'tsx' | 'js';
  code: string;
  /** The file it stands for, from its first line (`// test/pets.test.ts`). */
  file?: string;
}

/** Every TypeScript or JavaScript block of a Markdown text, whatever its fence calls the language. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  return [...markdown.matchAll(/```([A-Za-z]+)[^\n]*\n([\s\S]*?)```/g)]
    .filter((m) => LANGUAGES[(m[1] ?? '').toLowerCase()] !== undefined)
    .map((m) => {
      const code = m[2] ?? '';
      const file = /^\/\/ (\S+)\n/.exec(code)?.[1];
      return { lang: LANGUAGES[(m[1] ?? '').toLowerCase()] as ReadmeBlock['lang'], code, ...(file !== undefined ? { file } : {}) };
    });
}

/**
 * The lines of a shown output (trimmed; blank lines and `…` elisions dropped) that the printed output
 * does not hold in the same order: each must come after the one before it.
 */
export function missingInOrder(shown: string, printed: string): string[] {
  const lines = printed.split('\n').map((l) => l.trim());
  const missing: string[] = [];
  let at = 0;
  for (const line of shown.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== '…')) {
    const found = lines.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}
