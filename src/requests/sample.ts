/**
 * One deterministic, valid value for a schema: `const`, `enum`, `default`, then a value built from
 * the type, format and bounds. Patterns are satisfied with fast-check's `stringMatching` under a
 * fixed seed. readOnly properties are left out of requests, writeOnly ones out of responses.
 */
import { fc, type Arbitrary } from './fc';
import { follow, isObject, type JsonObject } from '../document/pointer';
import { patternMatches } from '../verify/regexp';

export interface SampleOptions {
  /** The bundled document, for `$ref`s. */
  root: unknown;
  /** Which side the value is for: decides readOnly/writeOnly. */
  side: 'request' | 'response';
  /** Seed for pattern-driven strings. */
  seed?: number;
  /** Depth beyond which only required properties are filled (recursive schemas). */
  maxDepth?: number;
  /** Which `oneOf`/`anyOf` branch to start from (rotated per site); callers try several until one is valid. */
  branch?: number;
  /** Use a schema's `default` as its value (on by default; documents' defaults do not always satisfy their own schema). */
  defaults?: boolean;
  /**
   * For `oneOf` objects: add a property another branch declares, with a type that branch rejects, so the
   * value matches exactly one branch even when the branches overlap (no `required` or
   * `additionalProperties: false` to tell them apart).
   */
  disambiguate?: boolean;
}

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-01T12:00:00Z',
  date: '2026-01-01',
  time: '12:00:00Z',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  uri: 'https://example.com/resource',
  'uri-reference': '/resource',
  url: 'https://example.com/resource',
  iri: 'https://example.com/resource',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'bGFtYmRhLWNvbnRyYWN0',
  binary: 'lambda-contract',
  password: 'correct-horse-battery',
  duration: 'P1D',
  'json-pointer': '/a',
  regex: '^a$',
};

/**
 * An object schema's properties as one side sees them: readOnly ones (request) or writeOnly ones
 * (response) are left out, required or not (OAS 3.0.3 §4.7.25.1); `undeclared` are required names
 * with no property schema.
 */
export function sideProperties(root: unknown, schema: JsonObject, side: 'request' | 'response'): { properties: Array<[string, unknown]>; required: Set<string>; undeclared: string[] } {
  const props = isObject(schema.properties) ? schema.properties : {};
  const hidden = side === 'request' ? 'readOnly' : 'writeOnly';
  const properties = Object.entries(props).filter(([, prop]) => {
    const target = follow(root, prop, '').value;
    return !(isObject(target) && target[hidden] === true);
  });
  const required = new Set((Array.isArray(schema.required) ? schema.required.map(String) : []).filter((name) => !Object.hasOwn(props, name) || properties.some(([n]) => n === name)));
  return { properties, required, undeclared: [...required].filter((name) => !Object.hasOwn(props, name)) };
}

/**
 * A pattern's sample for a seed and length bounds is always the same string, and a big response schema
 * asks for it again at every position and on every retry: drawn once.
 */
const patternSamples = new Map<string, string | undefined>();

/** Building a `stringMatching` arbitrary costs far more than drawing from it: one per pattern. */
const patternArbitraries = new Map<string, Arbitrary<string> | undefined>();

export function patternArbitrary(pattern: string): Arbitrary<string> | undefined {
  if (patternArbitraries.has(pattern)) return patternArbitraries.get(pattern);
  let arbitrary: Arbitrary<string> | undefined;
  for (const flags of ['u', '']) {
    try {
      arbitrary = fc.stringMatching(new RegExp(pattern, flags));
      break;
    } catch {
      arbitrary = undefined;
    }
  }
  patternArbitraries.set(pattern, arbitrary);
  return arbitrary;
}

/**
 * Shallow merge of `allOf` branches: properties and required lists combine, other keywords first-wins.
 * A branch met again on the way down (`Pet: {allOf: [{$ref: Pet}, …]}`) adds nothing and is skipped.
 */
export function mergeAllOf(root: unknown, schema: JsonObject, seen: Set<object> = new Set([schema])): JsonObject {
  const { allOf, ...base } = schema;
  const out: JsonObject = { ...base };
  const parts = (Array.isArray(allOf) ? allOf : []).map((p) => follow(root, p, '').value).filter(isObject);
  for (const part of parts) {
    if (seen.has(part)) continue;
    seen.add(part);
    const p = Array.isArray(part.allOf) ? mergeAllOf(root, part, seen) : part;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties' && isObject(v)) out.properties = { ...(isObject(out.properties) ? out.properties : {}), ...v };
      else if (k === 'required' && Array.isArray(v)) out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), ...v])];
      else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

/** Depth at which sampling gives up even on required properties. */
const HARD_DEPTH = 24;
/**
 * Values one sample may hold. Required recursion that branches (`minItems: 3` of itself, two required
 * children) grows as a power of the depth; past this many the sample stops growing (and fails
 * validation: the schema admits no value of reasonable size).
 */
const NODE_BUDGET = 5_000;

class Sampler {
  private site = 0;
  private nodes = 0;
  constructor(private readonly o: Required<Omit<SampleOptions, 'seed'>> & { seed: number }) {}

  /** `oneOf`/`anyOf` choices made so far. */
  get sites(): number {
    return this.site;
  }

  value(node: unknown, depth: number, variant: number): unknown {
    // A required property that recurses forever (`parent: {$ref: TreeNode}` required) has no finite
    // value: stop, and let the caller's validation report the schema as unsatisfiable.
    if (depth > HARD_DEPTH || ++this.nodes > NODE_BUDGET) return null;
    const schema = follow(this.o.root, node, '').value;
    if (schema === true || schema === undefined) return 'value';
    if (!isObject(schema)) return null;
    if (Object.hasOwn(schema, 'const')) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const choices = schema.enum.filter((v) => v !== null);
      return choices.length > 0 ? choices[variant % choices.length] : null;
    }
    if (schema.default !== undefined && variant === 0 && this.o.defaults) return schema.default;
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return this.value(this.merge(schema), depth, variant);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.length > 0) {
        const candidates = branches.filter((b) => !this.isNull(b));
        // Branch `branch` at the first site, the next one at the second…: retries reach other combinations.
        const pick = candidates.length > 0 ? candidates[(this.o.branch + this.site++) % candidates.length] : branches[0];
        const { [key]: _drop, discriminator, ...rest } = schema;
        const value = this.value(Object.keys(rest).length > 0 ? { allOf: [rest, pick] } : pick, depth, variant);
        const single = key === 'oneOf' && this.o.disambiguate ? this.exclude(value, pick, candidates) : value;
        return this.withDiscriminator(single, discriminator, pick);
      }
    }
    const type = this.typeOf(schema);
    switch (type) {
      case 'null': return null;
      case 'boolean': return true;
      case 'integer': case 'number': return this.number(schema, type, variant);
      case 'string': return this.string(schema, variant);
      case 'array': return this.array(schema, depth, variant);
      case 'object': return this.object(schema, depth);
      default: return 'value';
    }
  }

  /** Makes an object value fail every other `oneOf` branch that could accept it (see `disambiguate`). */
  private exclude(value: unknown, pick: unknown, candidates: unknown[]): unknown {
    if (!isObject(value)) return value;
    const mine = this.resolved(pick);
    if (mine.additionalProperties === false || mine.unevaluatedProperties === false) return value;
    const own = isObject(mine.properties) ? mine.properties : {};
    const out: JsonObject = { ...value };
    for (const other of candidates) {
      if (other === pick) continue;
      const theirs = this.resolved(other);
      const props = isObject(theirs.properties) ? theirs.properties : {};
      const name = Object.keys(props).find((k) => !(k in own) && !(k in out));
      if (name === undefined) continue;
      const type = this.typeOf(this.resolved(props[name]));
      out[name] = type === 'string' ? 0 : 'lambda-contract';
    }
    return out;
  }

  private resolved(node: unknown): JsonObject {
    const s = follow(this.o.root, node, '').value;
    if (!isObject(s)) return {};
    return Array.isArray(s.allOf) ? this.merge(s) : s;
  }

  private isNull(node: unknown): boolean {
    const s = follow(this.o.root, node, '').value;
    return isObject(s) && s.type === 'null';
  }

  private withDiscriminator(value: unknown, discriminator: unknown, pick: unknown): unknown {
    if (!isObject(value) || !isObject(discriminator) || typeof discriminator.propertyName !== 'string') return value;
    const prop = discriminator.propertyName;
    const ref = isObject(pick) && typeof pick.$ref === 'string' ? pick.$ref : undefined;
    if (!ref) return value;
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    const mapped = Object.entries(mapping).find(([, target]) => target === ref || `#/components/schemas/${String(target)}` === ref)?.[0];
    return { ...value, [prop]: mapped ?? ref.split('/').pop() };
  }

  private typeOf(schema: JsonObject): string | undefined {
    if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'null';
    if (typeof schema.type === 'string') return schema.type;
    if (isObject(schema.properties) || schema.additionalProperties !== undefined || Array.isArray(schema.required)) return 'object';
    if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
    if (schema.minimum !== undefined || schema.maximum !== undefined) return 'number';
    if (schema.pattern !== undefined || schema.format !== undefined || schema.minLength !== undefined) return 'string';
    return undefined;
  }

  private merge(schema: JsonObject): JsonObject {
    return mergeAllOf(this.o.root, schema);
  }

  private number(schema: JsonObject, type: string, variant: number): number {
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    let lo = num(schema.minimum);
    let hi = num(schema.maximum);
    const exLo = schema.exclusiveMinimum;
    const exHi = schema.exclusiveMaximum;
    const step = num(schema.multipleOf) ?? (type === 'integer' ? 1 : 0.5);
    if (typeof exLo === 'number') lo = Math.max(lo ?? -Infinity, exLo + (type === 'integer' ? 1 : step));
    else if (exLo === true && lo !== undefined) lo += type === 'integer' ? 1 : step;
    if (typeof exHi === 'number') hi = Math.min(hi ?? Infinity, exHi - (type === 'integer' ? 1 : step));
    else if (exHi === true && hi !== undefined) hi -= type === 'integer' ? 1 : step;
    let candidate = 1 + variant;
    if (lo !== undefined && candidate < lo) candidate = lo;
    if (hi !== undefined && candidate > hi) candidate = hi;
    if (schema.multipleOf !== undefined) {
      const m = step;
      let c = Math.ceil(candidate / m) * m;
      if (hi !== undefined && c > hi) c = Math.floor(candidate / m) * m;
      candidate = Number(c.toFixed(10));
    }
    if (type === 'integer') candidate = lo !== undefined && Math.ceil(candidate) > (hi ?? Infinity) ? Math.floor(candidate) : Math.ceil(candidate);
    return candidate;
  }

  private string(schema: JsonObject, variant: number): string {
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
    const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
    if (typeof schema.pattern === 'string') {
      // A format's sample that also matches the pattern satisfies both; a pattern's own draw may not.
      if (format !== undefined && format.length >= min && format.length <= max && patternMatches(schema.pattern, format)) return format;
      const fromPattern = this.fromPattern(schema.pattern, min, max, variant);
      if (fromPattern !== undefined) return fromPattern;
    }
    let text = format ?? (variant === 0 ? 'string' : `string${variant}`);
    if (format === undefined || text.length < min) while (text.length < min) text += 'x';
    if (text.length > max) text = text.slice(0, max);
    return text;
  }

  private fromPattern(pattern: string, min: number, max: number, variant: number): string | undefined {
    const key = `${this.o.seed + variant} ${min} ${max} ${pattern}`;
    if (patternSamples.has(key)) return patternSamples.get(key);
    const arbitrary = patternArbitrary(pattern);
    let found: string | undefined;
    if (arbitrary) {
      try {
        found = fc.sample(arbitrary, { seed: this.o.seed + variant, numRuns: 50 }).find((s) => s.length >= min && s.length <= max);
      } catch {
        found = undefined;
      }
    }
    if (patternSamples.size > 10_000) patternSamples.clear();
    patternSamples.set(key, found);
    return found;
  }

  private array(schema: JsonObject, depth: number, variant: number): unknown[] {
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const count = Math.min(max, Math.max(min, prefix.length, depth >= this.o.maxDepth ? 0 : 1));
    const items: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const itemSchema = i < prefix.length ? prefix[i] : Array.isArray(schema.items) ? true : schema.items ?? true;
      items.push(this.value(itemSchema, depth + 1, schema.uniqueItems === true ? variant + i : variant));
    }
    return items;
  }

  private object(schema: JsonObject, depth: number): JsonObject {
    const out: JsonObject = {};
    const { properties, required, undeclared } = sideProperties(this.o.root, schema, this.o.side);
    for (const [name, prop] of properties) {
      if (!required.has(name) && depth >= this.o.maxDepth) continue;
      out[name] = this.value(prop, depth + 1, 0);
    }
    for (const name of undeclared) out[name] = 'value';
    const minProps = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : schema.additionalProperties === false ? undefined : true;
    for (let i = 0; Object.keys(out).length < minProps && extra !== undefined && i < minProps; i++) {
      out[`property${i + 1}`] = this.value(extra, depth + 1, i);
    }
    return out;
  }
}

/** A deterministic value that satisfies `schema` (as far as a sampler can; callers validate it). */
export function sampleValue(schema: unknown, options: SampleOptions): unknown {
  return sampleWithSites(schema, options).value;
}

/** A sample and how many `oneOf`/`anyOf` choices it made (none: every `branch` gives the same value). */
function sampleWithSites(schema: unknown, options: SampleOptions): { value: unknown; sites: number } {
  const sampler = new Sampler({ root: options.root, side: options.side, seed: options.seed ?? 1, maxDepth: options.maxDepth ?? 4, branch: options.branch ?? 0, defaults: options.defaults ?? true, disambiguate: options.disambiguate ?? false });
  const value = sampler.value(schema, 0, 0);
  return { value, sites: sampler.sites };
}

/** How many `oneOf`/`anyOf` starting branches {@link sampleValid} tries before giving up. */
const BRANCH_TRIES = 16;

/**
 * A sampled value that `isValid` accepts, trying other `oneOf`/`anyOf` branches when the first pick
 * is ambiguous (it matches several branches) or invalid. Returns the first attempt, flagged, when none is.
 */
export function sampleValid(schema: unknown, options: Omit<SampleOptions, 'branch'>, isValid: (value: unknown) => boolean): { value: unknown; valid: boolean } {
  const first = sampleValue(schema, options);
  if (isValid(first)) return { value: first, valid: true };
  // Last resort: required properties only, at every depth (an optional property may be unsatisfiable).
  for (const [defaults, disambiguate, minimal] of [[true, false, false], [false, false, false], [false, true, false], [false, false, true]] as const) {
    for (let branch = defaults ? 1 : 0; branch < BRANCH_TRIES; branch++) {
      const { value, sites } = sampleWithSites(schema, { ...options, branch, defaults, disambiguate, ...(minimal ? { maxDepth: 0 } : {}) });
      if (isValid(value)) return { value, valid: true };
      if (sites === 0) break; // no choice was made: other branches would give the same value
    }
  }
  return { value: first, valid: false };
}
