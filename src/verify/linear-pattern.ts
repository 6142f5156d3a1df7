/**
 * Which schema patterns V8's backtracking engine runs in linear time, so they need not pay for RE2.
 *
 * A pattern qualifies when it is anchored at its start (`^`, so the engine tries one start position)
 * and deterministic: read as a Glushkov automaton (a state per character position), no two positions
 * that can come next — first in the pattern, or after any position — share a character. A backtracking
 * engine then follows one path: at every choice (stay in a loop or leave it, one branch or another) at
 * most one option can take the next character, so each choice is undone at most once and the match is
 * linear in the input. Repetition of something that can match nothing (`(a?)*`, `(a*){2,}`) is refused
 * outright, whatever the characters. Only plain constructs are read — literals, escapes, classes, `.`,
 * groups, alternation, quantifiers; anything else (lookaround, backreferences, `\b`, `\p{…}`) goes to
 * RE2. test/verify/linear-pattern.test.ts holds the analysis to recheck, a ReDoS checker, on known
 * vulnerable patterns and generated ones.
 */

/** A set of code points as sorted, disjoint, inclusive ranges. */
export type CharSet = ReadonlyArray<readonly [number, number]>;

const MAX = 0x10ffff;

function normalize(ranges: Array<[number, number]>): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

function intersects(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a, b] = x[i] as readonly [number, number];
    const [c, d] = y[j] as readonly [number, number];
    if (b < c) i++;
    else if (d < a) j++;
    else return true;
  }
  return false;
}

const code = (c: string): number => c.codePointAt(0) as number;
/** The one code point a set holds, if it holds exactly one. */
const single = (set: CharSet): number | undefined => (set.length === 1 && set[0]?.[0] === set[0]?.[1] ? set[0]?.[0] : undefined);
const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
/** ECMA-262 WhiteSpace and LineTerminator: what `\s` means in JavaScript (regexp.ts writes it for RE2 too). */
export const ECMA_SPACE: CharSet = normalize([[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]]);
/** ECMA-262 LineTerminator: what `.` excludes without the `s` flag. */
export const ECMA_LINE_TERMINATORS: CharSet = normalize([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);
const SPACE = ECMA_SPACE;
const DOT: CharSet = complement(ECMA_LINE_TERMINATORS);

type Node =
  | { kind: 'char'; set: CharSet }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'rep'; body: Node; min: number; max: number };

class Unsupported extends Error {}

/** A recursive-descent reader of the ECMA-262 (`u` mode) constructs the analysis handles. */
class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  done(): boolean {
    return this.i >= this.src.length;
  }
  peek(): string | undefined {
    return this.src[this.i];
  }
  eat(s: string): boolean {
    if (this.src.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  alternation(): Node {
    const options = [this.sequence()];
    while (this.eat('|')) options.push(this.sequence());
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (!this.done() && this.peek() !== '|' && this.peek() !== ')') {
      if (this.peek() === '^' || this.peek() === '$') throw new Unsupported('an anchor inside the pattern');
      items.push(this.quantified(this.atom()));
    }
    return { kind: 'seq', items };
  }

  private quantified(body: Node): Node {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new Unsupported('a brace that is not a quantifier');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return body;
    this.i++;
    this.eat('?'); // lazy: the same choices, tried in the other order
    const after = this.peek();
    if (after !== undefined && '*+?{'.includes(after)) throw new Unsupported('a quantifier on a quantifier');
    return { kind: 'rep', body, min, max };
  }

  private atom(): Node {
    const c = this.peek() as string;
    if (c === '(') {
      this.i++;
      if (this.eat('?')) {
        // (?:…) and (?<name>…) group; (?=…), (?!…), (?<=…), (?<!…) look around and are not read here.
        const named = /^<[A-Za-z_$][\w$]*>/.exec(this.src.slice(this.i));
        if (named) this.i += named[0].length;
        else if (!this.eat(':')) throw new Unsupported('a lookaround');
      }
      const inner = this.alternation();
      if (!this.eat(')')) throw new Unsupported('an unclosed group');
      return inner;
    }
    if (c === '[') return { kind: 'char', set: this.charClass() };
    if (c === '.') {
      this.i++;
      return { kind: 'char', set: DOT };
    }
    if (c === '\\') return { kind: 'char', set: this.escape(false) };
    if (')]{}*+?'.includes(c)) throw new Unsupported(`a lone ${c}`);
    const cp = code(this.src.slice(this.i));
    this.i += cp > 0xffff ? 2 : 1;
    return { kind: 'char', set: [[cp, cp]] };
  }

  private charClass(): CharSet {
    this.i++; // [
    const negated = this.eat('^');
    const ranges: Array<[number, number]> = [];
    while (!this.eat(']')) {
      if (this.done()) throw new Unsupported('an unclosed class');
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const a = single(lo);
        const b = single(this.classAtom());
        if (a === undefined || b === undefined) throw new Unsupported('a range with a class escape at one end');
        if (a > b) throw new Unsupported('a range out of order');
        ranges.push([a, b]);
      } else ranges.push(...lo.map(([a, b]) => [a, b] as [number, number]));
    }
    const set = normalize(ranges);
    return negated ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const c = this.peek() as string;
    if (c === '\\') return this.escape(true);
    const cp = code(this.src.slice(this.i));
    this.i += cp > 0xffff ? 2 : 1;
    return [[cp, cp]];
  }

  private escape(inClass: boolean): CharSet {
    this.i++; // backslash
    const c = this.peek();
    if (c === undefined) throw new Unsupported('a trailing backslash');
    this.i++;
    const one = (n: number): CharSet => [[n, n]];
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 't': return one(0x09);
      case 'n': return one(0x0a);
      case 'r': return one(0x0d);
      case 'f': return one(0x0c);
      case 'v': return one(0x0b);
      case '0':
        if (/\d/.test(this.peek() ?? '')) throw new Unsupported('an octal escape');
        return one(0);
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
        if (!m) throw new Unsupported('a bad \\x escape');
        this.i += 2;
        return one(parseInt(m[0], 16));
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i));
        const plain = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return one(parseInt(braced[1] as string, 16));
        }
        if (!plain) throw new Unsupported('a bad \\u escape');
        const hi = parseInt(plain[0], 16);
        this.i += 4;
        // A surrogate pair written as two \u escapes is one code point in u mode.
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.src.slice(this.i));
        if (hi >= 0xd800 && hi <= 0xdbff && low) {
          this.i += 6;
          return one((hi - 0xd800) * 0x400 + (parseInt(low[1] as string, 16) - 0xdc00) + 0x10000);
        }
        return one(hi);
      }
      default:
        // Identity escapes of syntax characters (and `-` in a class); everything else (\b, \B, \1, \k, \p, \c) is not read here.
        if ('^$\\.*+?()[]{}|/'.includes(c) || (inClass && c === '-')) return one(code(c));
        throw new Unsupported(`the escape \\${c}`);
    }
  }
}

interface Info {
  nullable: boolean;
  first: number[];
  last: number[];
}

class NotLinear extends Error {}

/** Counted repetitions up to this many are read unrolled. */
const UNROLL = 8;

function nullable(node: Node): boolean {
  switch (node.kind) {
    case 'char': return false;
    case 'seq': return node.items.every(nullable);
    case 'alt': return node.options.some(nullable);
    case 'rep': return node.min === 0 || nullable(node.body);
  }
}

function size(node: Node): number {
  switch (node.kind) {
    case 'char': return 1;
    case 'seq': return node.items.reduce((n, x) => n + size(x), 0);
    case 'alt': return node.options.reduce((n, x) => n + size(x), 0);
    case 'rep': return size(node.body) * (node.max !== Infinity && node.max <= UNROLL ? node.max : 1);
  }
}

/** Glushkov positions, their character sets, and what can follow each. */
class Automaton {
  readonly sets: CharSet[] = [];
  readonly follow: Array<Set<number>> = [];
  /** Whether each position sits inside a loop (a repetition read as one): a choice there recurs. */
  readonly inLoop: boolean[] = [];
  private loops = 0;

  build(node: Node): Info {
    switch (node.kind) {
      case 'char': {
        const p = this.sets.length;
        this.sets.push(node.set);
        this.follow.push(new Set());
        this.inLoop.push(this.loops > 0);
        return { nullable: false, first: [p], last: [p] };
      }
      case 'seq': {
        let acc: Info = { nullable: true, first: [], last: [] };
        for (const item of node.items) {
          const next = this.build(item);
          for (const l of acc.last) for (const f of next.first) this.edge(l, f);
          acc = {
            nullable: acc.nullable && next.nullable,
            first: acc.nullable ? [...acc.first, ...next.first] : acc.first,
            last: next.nullable ? [...acc.last, ...next.last] : next.last,
          };
        }
        return acc;
      }
      case 'alt': {
        // Two branches that can both match nothing are two ways to match nothing.
        if (node.options.filter(nullable).length > 1) throw new NotLinear('two branches that can match nothing');
        const infos = node.options.map((o) => this.build(o));
        return { nullable: infos.some((x) => x.nullable), first: infos.flatMap((x) => x.first), last: infos.flatMap((x) => x.last) };
      }
      case 'rep': {
        if (node.max === 0) return { nullable: true, first: [], last: [] };
        // A short counted repetition is read unrolled (`e{2,3}` as `e e e?`), each copy its own positions:
        // `(\d{3}-){2}\d{4}` is deterministic though its loop reading is not.
        if (node.max !== Infinity && node.max > 1 && node.max <= UNROLL && size(node.body) * node.max <= 200) {
          const copies: Node[] = [];
          for (let k = 0; k < node.min; k++) copies.push(node.body);
          for (let k = node.min; k < node.max; k++) copies.push({ kind: 'rep', body: node.body, min: 0, max: 1 });
          if (nullable(node.body)) throw new NotLinear('a repetition of something that can match nothing');
          return this.build({ kind: 'seq', items: copies });
        }
        if (node.max === 1 && nullable(node.body)) throw new NotLinear('an optional part that can match nothing anyway');
        if (node.max > 1) this.loops++;
        const body = this.build(node.body);
        if (node.max > 1) this.loops--;
        if (node.max > 1) {
          // Repeating something that can match nothing lets the engine split the input every which way.
          if (body.nullable) throw new NotLinear('a repetition of something that can match nothing');
          // Counted repetitions are read as loops: a conflict in the unrolled form is one here too.
          for (const l of body.last) for (const f of body.first) this.edge(l, f);
        }
        return { nullable: body.nullable || node.min === 0, first: body.first, last: body.last };
      }
    }
  }

  /**
   * Records that position `to` can follow `from`. The same step reached by two routes through the
   * pattern (`(a+)+`: the inner loop and the outer one) is two ways to match the same text: refused.
   */
  private edge(from: number, to: number): void {
    const f = this.follow[from] as Set<number>;
    if (f.has(to)) throw new NotLinear('one step reached two ways (nested repetition)');
    f.add(to);
  }

  /**
   * Whether every choice the engine meets inside a loop has one option at most for each character. A
   * choice outside any loop (`^(GET|POST|PUT)$`, the start of `^(ab|a+c)$`) is met once, so its options
   * may overlap: each is tried once, a constant factor — bounded here to 64 paths in all.
   */
  deterministic(start: readonly number[]): boolean {
    let paths = 1;
    const choice = (group: readonly number[], recurs: boolean): boolean => {
      let overlapping = 0;
      for (let i = 0; i < group.length; i++) {
        for (let j = i + 1; j < group.length; j++) {
          if (intersects(this.sets[group[i] as number] as CharSet, this.sets[group[j] as number] as CharSet)) {
            if (recurs) return false;
            overlapping++;
          }
        }
      }
      if (overlapping > 0) paths *= group.length;
      return paths <= 64;
    };
    return choice(start, false) && this.follow.every((f, p) => choice([...f], this.inLoop[p] === true));
  }
}

const verdicts = new Map<string, boolean>();

/**
 * Whether V8's backtracking engine runs `pattern` (ECMA-262, `u` flag) in time linear in the input:
 * anchored with `^` and deterministic (see the module's comment). False means "not shown", not "unsafe".
 */
export function linearOnBacktracking(pattern: string): boolean {
  let verdict = verdicts.get(pattern);
  if (verdict !== undefined) return verdict;
  verdict = analyse(pattern);
  if (verdicts.size > 10_000) verdicts.clear();
  verdicts.set(pattern, verdict);
  return verdict;
}

function analyse(pattern: string): boolean {
  if (!pattern.startsWith('^') || pattern.length > 2000) return false;
  const body = pattern.endsWith('$') && !pattern.endsWith('\\$') ? pattern.slice(1, -1) : pattern.slice(1);
  try {
    const reader = new Reader(body);
    const tree = reader.alternation();
    if (!reader.done()) return false; // a stray `)`
    // `^a|b$` is `(^a)|(b$)`: its second branch is not anchored at the start.
    if (tree.kind === 'alt') return false;
    const automaton = new Automaton();
    const info = automaton.build(tree);
    return automaton.deterministic(info.first);
  } catch (error) {
    if (error instanceof Unsupported || error instanceof NotLinear) return false;
    throw error;
  }
}
