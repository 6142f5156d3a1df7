/**
 * The linear-time analysis that lets a pattern run on V8's engine instead of RE2, held to recheck (a
 * ReDoS checker built for the question) and to RE2's verdicts.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkSync } from 'recheck';
import { linearOnBacktracking } from '../../src/verify/linear-pattern';
import { linearRegExp, re2RegExp } from '../../src/verify/regexp';

/** Patterns whose backtracking blows up (exponential or polynomial): from ReDoS reports and checkers' test suites. */
const vulnerable = [
  '^(a+)+$', '^(a*)*$', '^(a|a)*$', '^(a|aa)+$', '^(a|a?)+$', '^(.*a){12}$', '^(\\w+\\s?)*$', '^([a-zA-Z0-9]+)*$',
  '^(\\d+)*\\.$', '^\\d+\\d+$', '^\\s*#?\\s*$', '^(a?){25}a{25}$', '^([a-z]+.)+[a-z]+$', '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  '^(x+x+)+y$', '^(\\w+)+@', '^.*.*=.*$', '^(a+)+b', '^[\\s\\S]*\\s+$', '^(([a-z])+.)+[A-Z]([a-z])+$',
  '^(\\d|\\d\\d)+$', '^([0-9]+,)*[0-9]+$', '^(?:a|b|ab)*c$', '^(a*)+b$', '^(?:\\s*,\\s*)*$',
];

/** Patterns real API descriptions carry (ids, codes, dates, ISBNs, slugs, versions). */
const everyday = [
  '^97[89][0-9]{10}$', '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', '^\\d{4}-\\d{2}-\\d{2}$',
  '^[a-z0-9]+(-[a-z0-9]+)*$', '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$', '^[A-Z]{3}$', '^\\+[1-9]\\d{1,14}$', '^v\\d+$',
  '^[a-z]+$', '^(\\d{3}-){2}\\d{4}$', '^[0-9]{5}(-[0-9]{4})?$', '^#[0-9a-fA-F]{6}$', '^(GET|POST|PUT|DELETE)$',
  '^sha256:[a-f0-9]{64}$', '^[A-Za-z][A-Za-z0-9_]*$', '^\\d+(\\.\\d+)?$', '^(0|[1-9][0-9]*)$', '^[^/]+$',
];

const verdictOfRecheck = (pattern: string): string => checkSync(pattern, 'u').status;

describe('which patterns V8 may run', () => {
  it.each(vulnerable)('refuses %s, which backtracks out of linear time', (pattern) => {
    expect(linearOnBacktracking(pattern)).toBe(false);
  });

  it('accepts the patterns APIs carry every day, and recheck finds none of them vulnerable', () => {
    for (const pattern of everyday) {
      expect([pattern, linearOnBacktracking(pattern)]).toEqual([pattern, true]);
      expect([pattern, verdictOfRecheck(pattern)]).not.toEqual([pattern, 'vulnerable']);
    }
  });

  it('refuses what it does not read or cannot anchor: unanchored, lookaround, backreferences, \\b, top-level alternation', () => {
    for (const pattern of ['[a-z]+$', 'abc', '^(?=a)a$', '^(a)\\1$', '^\\bword$', '^a|b$', '^\\p{L}+$', '^[\\d-z]$']) expect([pattern, linearOnBacktracking(pattern)]).toEqual([pattern, false]);
  });

  it('never accepts a pattern recheck finds vulnerable (generated patterns)', () => {
    const atom = fc.constantFrom('a', 'b', '\\d', '[ab]', '[a-c]', '[^a]', '.', '-', '\\s', '\\w');
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{2,}');
    const pattern = fc.letrec<{ alt: string; seq: string; item: string }>((tie) => ({
      item: fc.oneof({ depthSize: 'small' }, fc.tuple(atom, quantifier).map(([a, q]) => a + q), fc.tuple(tie('alt'), quantifier).map(([g, q]) => `(?:${g})${q}`)),
      seq: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
      alt: fc.array(tie('seq'), { minLength: 1, maxLength: 2 }).map((seqs) => seqs.join('|')),
    })).seq.chain((body) => fc.constantFrom(`^${body}$`, `^${body}`));
    let accepted = 0;
    fc.assert(
      fc.property(pattern, (p) => {
        if (!linearOnBacktracking(p)) return true;
        accepted++;
        return verdictOfRecheck(p) !== 'vulnerable';
      }),
      { numRuns: 250, seed: 11 },
    );
    expect(accepted).toBeGreaterThan(20); // the property is not vacuous
  });

  it("gives the same verdicts on V8's engine as on RE2 for every pattern it lets V8 run (property)", () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'Z', '0', '1', '9', '-', '.', '_', '/', ':', '+', '#', ' ', '\n', '\u00a0', '\u2028', 'é', '😀');
    for (const p of everyday) {
      const v8 = linearRegExp(p, 'u');
      const re2 = re2RegExp(p);
      expect(v8).toBeInstanceOf(RegExp);
      expect(re2).toBeDefined();
      fc.assert(
        fc.property(fc.oneof(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), fc.stringMatching(new RegExp(p))), (text) => v8.test(text) === re2?.test(text)),
        { numRuns: 200, seed: 5 },
      );
    }
  });
});
