/** The README check's own parts, shown able to fail (the check itself runs in the e2e tier). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { missingInOrder, readmeBlocks } from './readme';

describe('the README check', () => {
  it('reads every TypeScript and JavaScript block, whatever the fence calls the language', () => {
    const md = ['```ts', '// a.ts', 'a', '```', '```typescript', '// b.ts', 'b', '```', '```tsx', '// c.tsx', 'c', '```', '```javascript', 'd', '```', '```sh', 'npm test', '```', ''].join('\n');
    expect(readmeBlocks(md)).toEqual([
      { lang: 'ts', code: '// a.ts\na\n', file: 'a.ts' },
      { lang: 'ts', code: '// b.ts\nb\n', file: 'b.ts' },
      { lang: 'tsx', code: '// c.tsx\nc\n', file: 'c.tsx' },
      { lang: 'js', code: 'd\n' },
    ]);
  });

  it('finds the README\'s own blocks, each naming its file', () => {
    const blocks = readmeBlocks(readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.file === undefined)).toEqual([]);
  });

  it('wants the shown failure\'s lines in the printed order, elisions allowed', () => {
    const printed = 'header\n  first\n  second\n  noise\n  third\n';
    expect(missingInOrder('first\n…\nthird', printed)).toEqual([]);
    expect(missingInOrder('first\nsecond\nthird', printed)).toEqual([]);
    expect(missingInOrder('third\nfirst', printed)).toEqual(['first']);
    expect(missingInOrder('first\nfourth', printed)).toEqual(['fourth']);
  });
});
