import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { loadContract } from '../../src';
import { backtrackingPatterns, linearRegExp, re2RegExp, toRe2Syntax } from '../../src/verify/regexp';

/** A contract with one operation, `a`, whose 200 answers JSON of this schema. */
function oneResponse(schema: Record<string, unknown>): ReturnType<typeof loadContract> {
  return loadContract({ openapi: '3.0.3', info: { title: 'patterns', version: '1' }, paths: { '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok', content: { 'application/json': { schema } } } } } } } });
}

// Patterns of the kinds API descriptions use, plus the constructs whose meaning differs between
// ECMA-262 and RE2 (\s, ., \uXXXX, [\s\S]).
const patterns = [
  '^[a-z0-9-]+$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^[A-Za-z0-9+/]+={0,2}$',
  '^(?:[a-z]+\\.)*[a-z]+$',
  '^\\S+$',
  '\\s',
  '^[^\\s@]+@[^\\s@]+$',
  '^.+$',
  '^[\\s\\S]*x$',
  '^\\u00e9+$',
  '^\\u{1F600}$',
  '\\p{L}+',
  '^[\\w.-]+$',
  '\\bword\\b',
  '^\\/repos\\/[^/]+$',
  '^(a|b)*c?$',
  '^\\x41\\0?$',
  '^[^\\]]*$',
  '[.]',
];

// Characters where the engines could disagree: Unicode spaces, line terminators, NUL, astral, `]`.
const alphabet = fc.constantFrom('a', 'b', 'c', 'x', 'z', 'A', '0', '9', '-', '.', '/', '@', '+', '=', ']', ' ', '\t', '\n', '\r', '\v', '\u00a0', '\u2028', '\u3000', '\ufeff', '\0', 'é', '😀', '_', 'w', 'o', 'r', 'd');

describe('schema patterns are matched in linear time with ECMA-262 meaning', () => {
  it.each(patterns)('RE2 agrees with V8 on %s', (pattern) => {
    expect(toRe2Syntax(pattern)).toBeDefined();
    const v8 = new RegExp(pattern, 'u');
    const re2 = re2RegExp(pattern);
    expect(re2).toBeDefined();
    const linear = linearRegExp(pattern, 'u');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')), (text) => re2?.test(text) === v8.test(text) && linear.test(text) === v8.test(text)),
      { numRuns: 300, seed: 7 },
    );
  });

  it("runs the patterns V8 provably matches in linear time on V8's engine, the others on RE2", () => {
    expect(linearRegExp('^[a-z0-9-]+$', 'u')).toBeInstanceOf(RegExp);
    expect(linearRegExp('^\\d{4}-\\d{2}-\\d{2}$', 'u')).toBeInstanceOf(RegExp);
    for (const risky of ['^(a+)+$', '^(?:[a-z]+\\.)*[a-z]+$', '\\s', '^[\\s\\S]*x$']) expect(linearRegExp(risky, 'u')).not.toBeInstanceOf(RegExp);
  });

  it('keeps V8 for what RE2 cannot express, and rejects what JavaScript rejects', () => {
    for (const pattern of ['(?<=a)b', '(a)\\1', '^(?!x)', '\\cJ', '[[a]+']) {
      expect(linearRegExp(pattern, 'u').test('ab')).toBe(new RegExp(pattern, 'u').test('ab'));
      expect(backtrackingPatterns()).toContain(pattern);
    }
    expect(() => linearRegExp('([a-z', 'u')).toThrow(/Invalid regular expression/);
    // valid only without the u flag: kept as JavaScript reads it
    expect(linearRegExp('\\-', 'u').test('-')).toBe(true);
  });

  it('judges a response against a catastrophically backtracking pattern at once', async () => {
    const contract = await oneResponse({ type: 'string', pattern: '^(a+)+$' });
    // With V8's engine this one check takes longer than the test's timeout (2^40 steps).
    const judged = contract.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(`${'a'.repeat(40)}!`) });
    expect(judged.result.ok).toBe(false);
    expect(judged.result.violations).toEqual([expect.objectContaining({ rule: 'body_schema', keyword: 'pattern', expected: 'a string matching /^(a+)+$/' })]);
    expect(contract.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify('aaaa') }).result.ok).toBe(true);
  });
});

describe('patterns inside one contract', () => {
  it('keeps each pattern to its own schema when several are compiled together', async () => {
    const contract = await oneResponse({ type: 'object', properties: { long: { type: 'string', pattern: '^[0-9]{15}$' }, short: { type: 'string', pattern: '^[0-9]+$' } } });
    const judge = (body: unknown) => contract.judge('a', { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).result.violations.map((v) => v.pointer);
    expect(judge({ long: '123456789012345', short: '1' })).toEqual([]);
    expect(judge({ long: '1', short: '123456789012345x' })).toEqual(['/long', '/short']);
  });
});
