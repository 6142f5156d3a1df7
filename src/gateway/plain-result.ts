/**
 * The runtime serializes a handler's value to JSON and the gateway parses it back. For a plain value
 * (objects, arrays, strings, finite numbers, booleans, null — what a proxy result is) that round trip is
 * the identity, so a bare result judged in-process skips it: the outcome carries the value itself and
 * writes its JSON text only when something reads it. Any other value (a Date, a class instance, a
 * `toJSON`, `undefined` members, `-0`, NaN) goes through JSON as on Lambda.
 */
import type { InvokeOutcome } from './types';

const DEPTH = 64;

/**
 * An upper bound of the value's JSON size in bytes (a UTF-16 unit never takes more than six), or
 * undefined when the value is not plain.
 */
function plainBound(value: unknown, depth: number): number | undefined {
  switch (typeof value) {
    case 'string': return value.length * 6 + 2;
    case 'boolean': return 5;
    case 'number': return Number.isFinite(value) && !Object.is(value, -0) ? 24 : undefined;
    case 'object': {
      if (value === null) return 4;
      if (depth === 0) return undefined;
      if (Array.isArray(value)) {
        let total = 2;
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined; // a hole is null in JSON
          const b = plainBound(value[i], depth - 1);
          if (b === undefined) return undefined;
          total += b + 1;
        }
        return total;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
      let total = 2;
      for (const key in value) {
        const b = plainBound((value as Record<string, unknown>)[key], depth - 1);
        if (b === undefined) return undefined;
        total += key.length * 6 + 4 + b;
      }
      return total;
    }
    default: return undefined;
  }
}

/** A returned plain value: its JSON text written on first read. */
class PlainOutcome {
  readonly kind = 'returned' as const;
  private text: string | undefined;
  constructor(
    readonly value: unknown,
    readonly bound: number,
  ) {}
  get payload(): string {
    return (this.text ??= JSON.stringify(this.value));
  }
  toJSON(): { kind: 'returned'; payload: string } {
    return { kind: 'returned', payload: this.payload };
  }
}

/** The outcome of a returned value: a plain one carried as it is (its JSON written on demand), else undefined. */
export function returnedOutcome(value: unknown): InvokeOutcome | undefined {
  const bound = plainBound(value, DEPTH);
  return bound === undefined ? undefined : new PlainOutcome(value, bound);
}

/** The value a plain outcome carries and the bound of its JSON size, when it carries one. */
export function parsedOutcome(outcome: InvokeOutcome): { value: unknown; bound: number } | undefined {
  return outcome instanceof PlainOutcome ? outcome : undefined;
}
