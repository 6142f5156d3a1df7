/**
 * `matchRoute` takes a route template apart by segment when it can (every variable a whole segment,
 * `{proxy+}` last) and falls back to a regex otherwise. Both must read paths as `^template/?$` does,
 * with `{x}` as `([^/]+)` and `{x+}` as `(.+?)`: checked against that regex on random templates and paths.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { matchRoute } from '../../src/gateway/route-match';

function byRegex(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = template.replace(/\{([^}]+)\}|[.*+?^${}()|[\]\\]/g, (m: string, name: string | undefined) => {
    if (name === undefined) return `\\${m}`;
    const greedy = name.endsWith('+');
    names.push(greedy ? name.slice(0, -1) : name);
    return greedy ? '(.+?)' : '([^/]+)';
  });
  const match = new RegExp(`^${source}/?$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, match[i + 1] ?? '']));
}

const literal = fc.constantFrom('pets', 'v1', 'a.b', 'x+y', '', 'files', 'a');
const variable = fc.constantFrom('{id}', '{petId}', '{name}.json', 'v{version}', '{a}-{b}');
const segment = fc.oneof(literal, literal, variable);
const template = fc.tuple(fc.array(segment, { maxLength: 4 }), fc.boolean()).map(([segs, greedy]) => `/${[...segs, ...(greedy ? ['{proxy+}'] : [])].join('/')}`);
const pathSegment = fc.constantFrom('pets', 'v1', 'a.b', 'x+y', '', '42', 'files', 'a', 'n.json', 'v2', '1-2', 'x%2Fy');
const path = fc.array(pathSegment, { maxLength: 6 }).map((segs) => `/${segs.join('/')}`);

describe('matchRoute', () => {
  it('reads every path as the template\'s regex does', () => {
    fc.assert(
      fc.property(template, fc.array(path, { minLength: 5, maxLength: 5 }), (t, paths) => {
        for (const p of paths) expect(matchRoute(t, p)).toEqual(byRegex(t, p));
        // paths made to fit the template, so matches are exercised too
        const fitted = t.replace(/\{[^}]+\+\}/, 'a/b/').replace(/\{[^}]+\}/g, '7');
        expect(matchRoute(t, fitted)).toEqual(byRegex(t, fitted));
        expect(matchRoute(t, `${fitted}/`)).toEqual(byRegex(t, `${fitted}/`));
      }),
      { seed: 1129, numRuns: 3000 },
    );
  });

  it('gives the values of whole-segment variables and of a greedy tail', () => {
    expect(matchRoute('/pets/{petId}', '/pets/42')).toEqual({ petId: '42' });
    expect(matchRoute('/pets/{petId}', '/pets/42/')).toEqual({ petId: '42' });
    expect(matchRoute('/pets/{petId}', '/pets/')).toBeUndefined();
    expect(matchRoute('/files/{proxy+}', '/files/a/b/c')).toEqual({ proxy: 'a/b/c' });
    expect(matchRoute('/files/{name}.json', '/files/report.json')).toEqual({ name: 'report' });
  });
});
