/**
 * Schema `pattern`s in linear time, so no pattern a document carries can stop a run: V8's own engine for
 * the patterns it provably runs in linear time (linear-pattern.ts), RE2 (re2js, the pattern translated
 * from ECMA-262) for the others; patterns RE2 cannot express keep V8's engine and are listed.
 */
import type * as Re2Module from 're2js';
import { ECMA_LINE_TERMINATORS, ECMA_SPACE, linearOnBacktracking, type CharSet } from './linear-pattern';

/** What ajv needs of a compiled pattern. */
export interface RegExpLike {
  test(input: string): boolean;
  /** `/pattern/flags`: ajv keys compiled patterns by it. */
  toString(): string;
}

/** A set of code points as the inside of an RE2 class: `\x{9}-\x{D}\x{20}…`. */
const re2Ranges = (set: CharSet): string => set.map(([a, b]) => (a === b ? `\\x{${a.toString(16)}}` : `\\x{${a.toString(16)}}-\\x{${b.toString(16)}}`)).join('');
// What `\s` means in JavaScript (RE2's `\s` is ASCII only).
const SPACE = re2Ranges(ECMA_SPACE);
// What `.` excludes in JavaScript without the `s` flag (RE2's `.` excludes only `\n`).
const NOT_LINE_END = `[^${re2Ranges(ECMA_LINE_TERMINATORS)}]`;

/**
 * Rewrites an ECMA-262 pattern in RE2 syntax with the same meaning, or returns undefined when there is
 * a construct this translation does not handle (RE2 then never sees it).
 */
export function toRe2Syntax(pattern: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      i++;
      if (next === 'u') {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 1));
        const plain = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 1));
        if (braced) {
          out += `\\x{${braced[1]}}`;
          i += braced[0].length;
        } else if (plain) {
          out += `\\x{${plain[0]}}`;
          i += 4;
        } else return undefined;
      } else if (next === 's') {
        out += inClass ? SPACE : `[${SPACE}]`;
      } else if (next === 'S') {
        if (inClass) return undefined; // only `[\s\S]` is translated, where the class opens
        out += `[^${SPACE}]`;
      } else if (next === '0' && !/[0-9]/.test(pattern[i + 1] ?? '')) {
        out += '\\x{0}';
      } else if (/[dDwWfnrtvpPx]/.test(next) || (/[bB]/.test(next) && !inClass) || !/[0-9A-Za-z_]/.test(next)) {
        // the same meaning in both (ASCII \d \w \b; \p{…}; an escaped punctuation character)
        out += `\\${next}`;
      } else {
        // backreferences, \k<name>, \cX, [\b], and letters RE2 reads differently (\a, \A, \z, \Q)
        return undefined;
      }
      continue;
    }
    if (inClass) {
      if (c === '[') return undefined; // RE2 reads `[:alpha:]` inside a class as a POSIX class
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      if (pattern.startsWith('[\\s\\S]', i) || pattern.startsWith('[\\S\\s]', i)) {
        out += '[\\x{0}-\\x{10FFFF}]';
        i += 5;
        continue;
      }
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      // A `]` right after `[` or `[^` is an empty class in JavaScript and a literal in RE2.
      if (pattern[i + 1] === ']') return undefined;
      continue;
    }
    if (c === '.') {
      out += NOT_LINE_END;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && /^(?:[=!]|<[=!])/.test(pattern.slice(i + 2, i + 4))) return undefined;
    out += c;
  }
  return inClass ? undefined : out;
}

let re2: typeof Re2Module.RE2JS | undefined;
const compiled = new Map<string, RegExpLike>();
const fallbacks = new Set<string>();

/**
 * The engine ajv calls for every `pattern` (its `code.regExp` option): RE2 when the pattern can be
 * translated and RE2 accepts it, else JavaScript's own (with the `u` flag when the pattern allows it).
 * Throws only for a pattern JavaScript rejects too — ajv reports that as an unusable schema.
 */
export function linearRegExp(pattern: string, flags: string): RegExpLike {
  const key = `${flags}/${pattern}`;
  const known = compiled.get(key);
  if (known) return known;
  // JavaScript's verdict on the syntax stands: JSON Schema patterns are ECMA-262 expressions.
  const native = backtracking(pattern, flags);
  // A pattern V8 runs in linear time (anchored, deterministic: see linear-pattern.ts) keeps V8's engine,
  // 20–50 ns a test against RE2's 60–800.
  if (native.flags === 'u' && linearOnBacktracking(pattern)) {
    compiled.set(key, native);
    return native;
  }
  let engine: RegExpLike | undefined;
  // Translated only when JavaScript reads the pattern in Unicode mode, the mode the translation assumes.
  const translated = native.flags === 'u' ? toRe2Syntax(pattern) : undefined;
  if (translated !== undefined) {
    re2 ??= (require('re2js') as typeof Re2Module).RE2JS;
    try {
      const program = re2.compile(translated);
      // ajv tells patterns apart by their toString(): it must be the pattern's, as a RegExp's is.
      engine = { test: (input: string) => program.test(input), toString: () => native.toString() };
    } catch {
      engine = undefined;
    }
  }
  if (!engine) {
    engine = native;
    fallbacks.add(pattern);
  }
  compiled.set(key, engine);
  return engine;
}
// ajv names the engine by this in generated code; our validators are never emitted as standalone code.
linearRegExp.code = 'linearRegExp';

function backtracking(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    if (flags.includes('u')) return new RegExp(pattern, flags.replace('u', ''));
    throw error;
  }
}

/**
 * `pattern` on RE2 alone (translated as for {@link linearRegExp}), or undefined when RE2 cannot take it:
 * for tests that hold both engines to the same verdicts.
 */
export function re2RegExp(pattern: string): RegExpLike | undefined {
  const translated = toRe2Syntax(pattern);
  if (translated === undefined) return undefined;
  re2 ??= (require('re2js') as typeof Re2Module).RE2JS;
  try {
    const program = re2.compile(translated);
    return { test: (input: string) => program.test(input), toString: () => `/${pattern}/u` };
  } catch {
    return undefined;
  }
}

/** Whether `text` matches `pattern` (linear time where RE2 can take the pattern); false for an invalid pattern. */
export function patternMatches(pattern: string, text: string): boolean {
  try {
    return linearRegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}

/** Patterns met so far that RE2 could not take and V8's backtracking engine evaluates. */
export function backtrackingPatterns(): string[] {
  return [...fallbacks];
}
