/**
 * fast-check arbitraries from OpenAPI schemas (2.0, 3.0, 3.1): values that respect the schema's keywords
 * by side, shrinking to the smallest failing request; the validator has the final word.
 */
import { fc, type Arbitrary } from './fc';
import { follow, isObject, type JsonObject } from '../document/pointer';
import { discriminatorMapping } from '../document/schema';
import { mergeAllOf, patternArbitrary, sideProperties } from './sample';

export interface ArbitraryOptions {
  /** The bundled document, for `$ref`s. */
  root: unknown;
  side: 'request' | 'response';
  /** Depth beyond which only required properties and empty arrays are generated. */
  maxDepth?: number;
}

/** Unbounded strings and arrays stay short: failures shrink anyway, and events stay readable. */
const MAX_STRING = 24;
const MAX_ITEMS = 3;
/** Levels past `maxDepth` at which even required values stop (an unsatisfiable schema then fails validation). */
const HARD_EXTRA_DEPTH = 6;
/**
 * How many values one draw may hold at a level: the product of the widths (array lengths, property
 * counts) above it. Required recursion with `minItems: 3` or two required children grows as a power of
 * the depth; past this the draw stops there (and fails validation: the schema admits no small value).
 */
const FANOUT_LIMIT = 10_000;

const FORMATS: Record<string, () => Arbitrary<string>> = {
  'date-time': () => fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  date: () => fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  time: () => fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}Z`),
  email: () => fc.emailAddress(),
  'idn-email': () => fc.emailAddress(),
  uuid: () => fc.uuid(),
  uri: () => fc.webUrl(),
  url: () => fc.webUrl(),
  iri: () => fc.webUrl(),
  'uri-reference': () => fc.webPath().map((p) => p || '/'),
  hostname: () => fc.domain(),
  'idn-hostname': () => fc.domain(),
  ipv4: () => fc.ipV4(),
  ipv6: () => fc.ipV6(),
  byte: () => fc.base64String({ maxLength: MAX_STRING }),
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

class Builder {
  private fanout = 1;
  constructor(private readonly o: Required<ArbitraryOptions>) {}

  of(node: unknown, depth: number): Arbitrary<unknown> {
    // Required recursion (`parent` required, a `oneOf` that refers back) has no finite bottom: stop.
    if (depth > this.o.maxDepth + HARD_EXTRA_DEPTH || this.fanout > FANOUT_LIMIT) return fc.constant(null);
    const { value: schema } = follow(this.o.root, node, '');
    if (schema === true || schema === undefined) return this.any();
    if (schema === false || !isObject(schema)) return fc.constant(null);
    const nullable = schema.nullable === true || schema['x-nullable'] === true;
    const base = this.nonNull(schema, depth);
    return nullable ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : base;
  }

  private any(): Arbitrary<unknown> {
    return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  }

  private nonNull(schema: JsonObject, depth: number): Arbitrary<unknown> {
    if (Object.hasOwn(schema, 'const')) return fc.constant(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return this.nonNull(mergeAllOf(this.o.root, schema), depth + 1);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.length > 0) {
        const { [key]: _drop, discriminator, ...rest } = schema;
        const extra = Object.keys(rest).filter((k) => !['description', 'title', 'example', 'examples', 'nullable', 'x-nullable'].includes(k)).length > 0;
        return fc.oneof(...branches.map((b) => this.withDiscriminator(this.of(extra ? { allOf: [rest, b] } : b, depth + 1), discriminator, b, branches)));
      }
    }
    const types = Array.isArray(schema.type) ? (schema.type as unknown[]).map(String) : typeof schema.type === 'string' ? [schema.type] : [inferType(schema)];
    const arbitraries = types.filter((t): t is string => t !== undefined).map((t) => this.typed(t, schema, depth));
    if (arbitraries.length === 0) return this.any();
    return arbitraries.length === 1 ? (arbitraries[0] as Arbitrary<unknown>) : fc.oneof(...arbitraries);
  }

  /** A discriminated branch's values carry the value that selects it. */
  private withDiscriminator(arb: Arbitrary<unknown>, discriminator: unknown, branch: unknown, branches: readonly unknown[]): Arbitrary<unknown> {
    if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string' || !isObject(branch) || typeof branch.$ref !== 'string') return arb;
    const prop = discriminator.propertyName;
    const ref = branch.$ref;
    const value = [...discriminatorMapping(discriminator, branches)].find(([, target]) => target === ref)?.[0];
    return value === undefined ? arb : arb.map((v) => (isObject(v) ? { ...v, [prop]: value } : v));
  }

  private typed(type: string, schema: JsonObject, depth: number): Arbitrary<unknown> {
    switch (type) {
      case 'null': return fc.constant(null);
      case 'boolean': return fc.boolean();
      case 'integer': return this.integer(schema);
      case 'number': return this.number(schema);
      case 'string': return this.string(schema);
      case 'array': return this.array(schema, depth);
      case 'object': return this.object(schema, depth);
      case 'file': return fc.string({ maxLength: MAX_STRING });
      default: return this.any();
    }
  }

  /** Inclusive integer bounds from minimum/maximum, 3.0 boolean and 3.1 numeric exclusives, and int32. */
  private bounds(schema: JsonObject, integer: boolean): { min: number | undefined; max: number | undefined; minExcluded: boolean; maxExcluded: boolean } {
    let min = num(schema.minimum);
    let max = num(schema.maximum);
    let minExcluded = schema.exclusiveMinimum === true;
    let maxExcluded = schema.exclusiveMaximum === true;
    const exMin = num(schema.exclusiveMinimum);
    const exMax = num(schema.exclusiveMaximum);
    if (exMin !== undefined && (min === undefined || exMin >= min)) { min = exMin; minExcluded = true; }
    if (exMax !== undefined && (max === undefined || exMax <= max)) { max = exMax; maxExcluded = true; }
    if (integer && schema.format === 'int32') { min = Math.max(min ?? -2147483648, -2147483648); max = Math.min(max ?? 2147483647, 2147483647); }
    return { min, max, minExcluded, maxExcluded };
  }

  private integer(schema: JsonObject): Arbitrary<unknown> {
    const b = this.bounds(schema, true);
    let min = b.min === undefined ? -1_000_000 : b.minExcluded ? Math.floor(b.min) + 1 : Math.ceil(b.min);
    let max = b.max === undefined ? 1_000_000 : b.maxExcluded ? Math.ceil(b.max) - 1 : Math.floor(b.max);
    if (b.min !== undefined && b.max === undefined) max = min + 1_000_000;
    if (b.max !== undefined && b.min === undefined) min = max - 1_000_000;
    const step = num(schema.multipleOf);
    if (step !== undefined && step > 0 && Number.isInteger(step)) {
      const lo = Math.ceil(min / step);
      const hi = Math.floor(max / step);
      return lo > hi ? fc.constant(lo * step) : fc.integer({ min: lo, max: hi }).map((k) => k * step);
    }
    return min > max ? fc.constant(min) : fc.integer({ min, max });
  }

  private number(schema: JsonObject): Arbitrary<unknown> {
    const b = this.bounds(schema, false);
    // A one-sided bound spans a million from itself, as for integers (`maximum: -5e6` alone is satisfiable).
    const low = b.min ?? (b.max !== undefined ? Math.min(-1e6, b.max - 1e6) : -1e6);
    const high = b.max ?? (b.min !== undefined ? Math.max(1e6, b.min + 1e6) : 1e6);
    const step = num(schema.multipleOf);
    if (step !== undefined && step > 0) {
      const lo = Math.ceil(low / step) + (b.minExcluded && Number.isInteger((b.min ?? 0) / step) ? 1 : 0);
      const hi = Math.floor(high / step) - (b.maxExcluded && Number.isInteger((b.max ?? 0) / step) ? 1 : 0);
      return lo > hi ? fc.constant(lo * step) : fc.integer({ min: lo, max: hi }).map((k) => Number((k * step).toPrecision(12)));
    }
    if (low > high || (low === high && (b.minExcluded || b.maxExcluded))) return fc.constant(low);
    return fc.double({
      min: low,
      max: high,
      minExcluded: b.minExcluded,
      maxExcluded: b.maxExcluded,
      noNaN: true,
      noDefaultInfinity: true,
    }).map((d) => (Object.is(d, -0) ? 0 : d));
  }

  private string(schema: JsonObject): Arbitrary<unknown> {
    const minLength = num(schema.minLength) ?? 0;
    const maxLength = num(schema.maxLength) ?? Math.max(minLength + MAX_STRING, MAX_STRING);
    // A pattern or format sets its own lengths: only the schema's bounds apply. Out-of-bounds strings
    // are cut or padded, never filtered (a filter retries forever when pattern and bounds disagree);
    // if that breaks the pattern, the validator marks the draw invalid and it is skipped.
    const bound = num(schema.maxLength) ?? Infinity;
    const fit = (s: string): string => {
      const chars = [...s];
      if (chars.length > bound) return chars.slice(0, bound).join('');
      return chars.length < minLength ? s + (chars.at(-1) ?? 'a').repeat(minLength - chars.length) : s;
    };
    if (typeof schema.pattern === 'string') {
      const arbitrary = patternArbitrary(schema.pattern);
      if (arbitrary) return arbitrary.map(fit);
    }
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format) return format().map(fit);
    return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + MAX_STRING) });
  }

  private array(schema: JsonObject, depth: number): Arbitrary<unknown> {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const minItems = num(schema.minItems) ?? 0;
    const deep = depth >= this.o.maxDepth;
    const maxItems = Math.min(num(schema.maxItems) ?? Infinity, deep ? Math.max(minItems, prefix.length) : Math.max(minItems, prefix.length) + MAX_ITEMS);
    const itemSchema = Array.isArray(schema.items) ? (schema.additionalItems ?? true) : (schema.items ?? true);
    const restCount = { min: Math.max(0, minItems - prefix.length), max: Math.max(0, maxItems - prefix.length) };
    const outer = this.fanout;
    this.fanout *= Math.max(1, prefix.length + restCount.max);
    const head = fc.tuple(...prefix.map((p) => this.of(p, depth + 1)));
    const rest = itemSchema === false
      ? fc.constant([] as unknown[])
      : schema.uniqueItems === true
        ? uniqueItems(this.of(itemSchema, depth + 1), restCount.min, restCount.max)
        : fc.array(this.of(itemSchema, depth + 1), { minLength: restCount.min, maxLength: restCount.max });
    this.fanout = outer;
    return fc.tuple(head, rest).map(([h, r]) => [...h, ...r]);
  }

  private object(schema: JsonObject, depth: number): Arbitrary<unknown> {
    const { properties, required, undeclared } = sideProperties(this.o.root, schema, this.o.side);
    const record: Record<string, Arbitrary<unknown>> = {};
    const requiredKeys: string[] = [];
    const built = properties.filter(([name]) => required.has(name) || depth < this.o.maxDepth);
    const outer = this.fanout;
    this.fanout *= Math.max(1, built.length);
    for (const [name, prop] of built) {
      record[name] = this.of(prop, depth + 1);
      if (required.has(name)) requiredKeys.push(name);
    }
    this.fanout = outer;
    for (const name of undeclared) {
      record[name] = this.any();
      requiredKeys.push(name);
    }
    const base = fc.record(record, { requiredKeys, noNullPrototype: true });
    const minProperties = num(schema.minProperties) ?? 0;
    const extra = schema.additionalProperties;
    if (minProperties === 0 || extra === false) return base;
    // Extra properties only to reach minProperties, under names the schema leaves free.
    const extraArb = this.of(isObject(extra) ? extra : true, depth + 1);
    return fc.tuple(base, fc.array(extraArb, { minLength: minProperties, maxLength: minProperties })).map(([obj, values]) => {
      const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
      for (let i = 0; Object.keys(out).length < minProperties && i < values.length; i++) out[`property${i + 1}`] = values[i];
      return out;
    });
  }
}

function inferType(schema: JsonObject): string | undefined {
  if (isObject(schema.properties) || schema.additionalProperties !== undefined || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  if (schema.pattern !== undefined || schema.format !== undefined || schema.minLength !== undefined) return 'string';
  return undefined;
}

/** An arbitrary for values of a schema (shrinkable; validate what it gives before relying on it). */
export function arbitraryFor(schema: unknown, options: ArbitraryOptions): Arbitrary<unknown> {
  return new Builder({ root: options.root, side: options.side, maxDepth: options.maxDepth ?? 3 }).of(schema, 0);
}

/**
 * Arrays of distinct items. fast-check's `uniqueArray` with a `minLength` draws for ever when the items
 * admit fewer distinct values than that (`items: {type: object, additionalProperties: false}` with
 * `minItems: 3`), so the floor is reached here: a draw short of it is topped up from spare items, and
 * when even those hold too few distinct values, with repeats — which the schema rejects and a property
 * run skips, reporting the schema as unsatisfiable when every draw falls short.
 */
function uniqueItems(item: Arbitrary<unknown>, min: number, max: number): Arbitrary<unknown[]> {
  const key = (v: unknown): string => JSON.stringify(v) ?? 'undefined';
  const base = fc.uniqueArray(item, { minLength: 0, maxLength: max, selector: key });
  if (min === 0) return base;
  return fc.tuple(base, fc.array(item, { minLength: 2 * min + 2, maxLength: 2 * min + 2 })).map(([items, spare]) => {
    const out = [...items];
    const seen = new Set(out.map(key));
    for (const s of spare) {
      if (out.length >= min) break;
      if (!seen.has(key(s))) {
        seen.add(key(s));
        out.push(s);
      }
    }
    while (out.length < min) out.push(out[0] ?? spare[0] ?? null);
    return out;
  });
}
