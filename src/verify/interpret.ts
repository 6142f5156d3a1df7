/**
 * A JSON Schema interpreter that gives ajv's verdict, with `SchemaCompiler`'s options, without compiling.
 * It mirrors ajv exactly or declines (`supports()`); the differential tests hold it to ajv's verdicts.
 */
import type { Format } from 'ajv';
import { contractFormats } from './formats';
import { linearRegExp, type RegExpLike } from './regexp';

/** Which side of the exchange a schema judges: `readOnly` and `writeOnly` apply per side. */
export type Side = 'request' | 'response';

type Dialect = 'draft-07' | '2020-12';
type SchemaType = 'string' | 'number' | 'boolean' | 'object' | 'array';
type DataGroup = 'number' | 'string' | 'array' | 'object';

/** What ajv knows of a keyword: the data it applies to and the values it takes. */
interface KeywordRule {
  group?: DataGroup[];
  takes: SchemaType[];
  /** This file implements it; otherwise a schema using it goes to ajv. */
  implemented: boolean;
}

const kw = (takes: SchemaType[], group?: DataGroup[], implemented = true): KeywordRule => ({ takes, ...(group ? { group } : {}), implemented });
const NUMBER: DataGroup[] = ['number'];
const STRING: DataGroup[] = ['string'];
const ARRAY: DataGroup[] = ['array'];
const OBJECT: DataGroup[] = ['object'];
const SCHEMA: SchemaType[] = ['object', 'boolean'];

/**
 * ajv's rules (`ajv.RULES.all`) for our options, both dialects; a test compares this table with a live
 * ajv instance, so an ajv upgrade that adds or changes a keyword fails the tests, not the verdicts.
 */
const COMMON: Record<string, KeywordRule> = {
  $comment: kw([]),
  id: kw([], undefined, false), // ajv refuses the draft-04 `id` keyword at compile time
  $ref: kw(['string']),
  maximum: kw(['number'], NUMBER),
  minimum: kw(['number'], NUMBER),
  exclusiveMaximum: kw(['number'], NUMBER),
  exclusiveMinimum: kw(['number'], NUMBER),
  multipleOf: kw(['number'], NUMBER),
  maxLength: kw(['number'], STRING),
  minLength: kw(['number'], STRING),
  pattern: kw(['string'], STRING),
  maxProperties: kw(['number'], OBJECT),
  minProperties: kw(['number'], OBJECT),
  required: kw(['array'], OBJECT),
  maxItems: kw(['number'], ARRAY),
  minItems: kw(['number'], ARRAY),
  uniqueItems: kw(['boolean'], ARRAY),
  type: kw(['string', 'array']),
  nullable: kw(['boolean']),
  const: kw([]),
  enum: kw(['array']),
  not: kw(SCHEMA),
  anyOf: kw(['array']),
  oneOf: kw(['array']),
  allOf: kw(['array']),
  if: kw(SCHEMA),
  then: kw(SCHEMA),
  else: kw(SCHEMA),
  propertyNames: kw(SCHEMA, OBJECT),
  additionalProperties: kw(['boolean', 'object'], OBJECT),
  dependencies: kw(['object'], OBJECT, false),
  properties: kw(['object'], OBJECT),
  patternProperties: kw(['object'], OBJECT),
  contains: kw(SCHEMA, ARRAY),
  format: kw(['string'], ['number', 'string']),
  formatMaximum: kw(['string'], STRING, false),
  formatMinimum: kw(['string'], STRING, false),
  formatExclusiveMaximum: kw(['string'], STRING, false),
  formatExclusiveMinimum: kw(['string'], STRING, false),
  'x-lc-discriminator': kw(['object']),
};

const DRAFT7: Record<string, KeywordRule> = {
  ...COMMON,
  additionalItems: kw(['boolean', 'object'], ARRAY),
  items: kw(['object', 'array', 'boolean'], ARRAY),
};

const DRAFT2020: Record<string, KeywordRule> = {
  ...COMMON,
  $dynamicAnchor: kw(['string'], undefined, false),
  $dynamicRef: kw(['string'], undefined, false),
  $recursiveAnchor: kw(['boolean'], undefined, false),
  $recursiveRef: kw(['string'], undefined, false),
  prefixItems: kw(['array'], ARRAY),
  items: kw(SCHEMA, ARRAY),
  dependentRequired: kw(['object'], OBJECT, false),
  dependentSchemas: kw(['object'], OBJECT, false),
  maxContains: kw(['number'], ARRAY, false),
  minContains: kw(['number'], ARRAY, false),
  unevaluatedProperties: kw(['boolean', 'object'], OBJECT, false),
  unevaluatedItems: kw(['boolean', 'object'], ARRAY, false),
};

/** The side-specific OpenAPI keywords `ajv.ts` adds (see contract/schema.ts). */
function sideRules(side: Side): Record<string, KeywordRule> {
  const forbidden = side === 'response' ? 'x-lc-writeonly' : 'x-lc-readonly';
  const allowed = side === 'response' ? 'x-lc-readonly' : 'x-lc-writeonly';
  const other = side === 'response' ? 'request' : 'response';
  return { [forbidden]: kw(['boolean']), [allowed]: kw(['boolean']), [`x-lc-required-in-${side}`]: kw(['array'], OBJECT), [`x-lc-required-in-${other}`]: kw(['array']) };
}

/** The keyword table for a dialect and side: what `ajv.RULES.all` holds in `SchemaCompiler`'s ajv. */
export function keywordRules(dialect: Dialect, side: Side): Readonly<Record<string, KeywordRule>> {
  return { ...(dialect === '2020-12' ? DRAFT2020 : DRAFT7), ...sideRules(side) };
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
/** `#/a/b~1c`: plain JSON-pointer fragments, nothing a URI library would rewrite. */
const SIMPLE_REF = /^#(\/[A-Za-z0-9\-._~!$&'()*+,;=:@]*)+$/;

function takesValue(value: unknown, takes: SchemaType[]): boolean {
  if (takes.length === 0) return true;
  return takes.some((t) => (t === 'array' ? Array.isArray(value) : t === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === t));
}

/** A name a plain object inherits (`constructor`, `toString`): ajv reads `data[name]`, which finds it. */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

type Schema = boolean | Record<string, unknown>;

/** Over one converted document (the root `$ref`s point into), one dialect and one side. */
export class SchemaInterpreter {
  /** Schemas visited by `validate`, summed: what the caller weighs against compiling. */
  visits = 0;
  private readonly rules: Readonly<Record<string, KeywordRule>>;
  private readonly formats = contractFormats();
  private readonly forbidden: string;
  private readonly required: string;
  private readonly items2020: boolean;
  /** Schemas (and all they reach) known to be within this interpreter. */
  private readonly fine = new WeakSet<object>();
  private readonly refs = new Map<string, Schema | undefined>();
  private readonly patterns = new Map<string, RegExpLike>();
  private equal: ((a: unknown, b: unknown) => boolean) | undefined;
  private ucs2length: ((s: string) => number) | undefined;

  constructor(private readonly root: Record<string, unknown> | undefined, dialect: Dialect, side: Side) {
    this.rules = keywordRules(dialect, side);
    this.forbidden = side === 'response' ? 'x-lc-writeonly' : 'x-lc-readonly';
    this.required = `x-lc-required-in-${side}`;
    this.items2020 = dialect === '2020-12';
  }

  /**
   * Whether `validate` gives ajv's verdict for this schema (and ajv compiles it): every schema `schema` reaches uses keywords this file implements, with the value types ajv
   * accepts (so ajv would compile it), and `$ref`s it resolves as ajv does. Anything else —
   * `unevaluatedProperties`, `$dynamicRef`, a property named `constructor`, a `$ref` with percent-escapes —
   * is left to ajv.
   */
  supports(schema: unknown): boolean {
    if (typeof schema === 'boolean') return true;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
    if (this.fine.has(schema)) return true;
    const seen = new Set<object>();
    if (!this.check(schema, seen)) return false;
    for (const s of seen) this.fine.add(s);
    return true;
  }

  /** ajv's verdict. Only for schemas `supports` accepted. May throw a RangeError on data nested very deep. */
  validate(schema: Schema, data: unknown): boolean {
    return this.valid(schema, data);
  }

  private check(schema: unknown, seen: Set<object>): boolean {
    if (typeof schema === 'boolean') return true;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
    if (seen.has(schema) || this.fine.has(schema)) return true;
    seen.add(schema);
    const s = schema as Record<string, unknown>;
    for (const key in s) {
      if (key === '$async' || key === '$id' || key === '$schema') return false;
      if (!Object.prototype.hasOwnProperty.call(this.rules, key)) continue; // annotations and unknown keywords: ajv (strict: false) ignores them
      const rule = this.rules[key] as KeywordRule;
      const value = s[key];
      if (!rule.implemented || !takesValue(value, rule.takes)) return false;
      switch (key) {
        case 'enum':
          if ((value as unknown[]).length === 0) return false;
          break;
        case 'required':
        case this.required:
          if (!(value as unknown[]).every((n) => typeof n === 'string' && !inherited(n))) return false;
          break;
        case 'pattern':
          if (!this.regExp(value as string)) return false;
          break;
        case 'anyOf':
        case 'oneOf':
        case 'allOf':
        case 'prefixItems':
          if (key !== 'allOf' && key !== 'prefixItems' && (value as unknown[]).length === 0) return false;
          if (!(value as unknown[]).every((x) => this.check(x, seen))) return false;
          break;
        case 'items':
          if (Array.isArray(value) ? !value.every((x) => this.check(x, seen)) : !this.check(value, seen)) return false;
          break;
        case 'not':
        case 'if':
        case 'then':
        case 'else':
        case 'contains':
        case 'propertyNames':
        case 'additionalItems':
        case 'additionalProperties':
          if (!this.check(value, seen)) return false;
          break;
        case 'properties':
        case 'patternProperties':
          for (const name in value as Record<string, unknown>) {
            if (inherited(name)) return false;
            if (key === 'patternProperties' && !this.regExp(name)) return false;
            if (!this.check((value as Record<string, unknown>)[name], seen)) return false;
          }
          break;
        case '$ref': {
          const target = this.resolve(value as string);
          if (target === undefined || !this.check(target, seen)) return false;
          break;
        }
      }
    }
    return this.checkTypes(s);
  }

  /** ajv's `getSchemaTypes`: the type names must be JSON types, `nullable` needs `type`. */
  private checkTypes(s: Record<string, unknown>): boolean {
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) return false;
    if (types.includes('null')) return s.nullable !== false;
    return types.length > 0 || s.nullable === undefined;
  }

  private regExp(pattern: string): RegExpLike | undefined {
    let re = this.patterns.get(pattern);
    if (!re) {
      try {
        re = linearRegExp(pattern, 'u');
      } catch {
        return undefined;
      }
      this.patterns.set(pattern, re);
    }
    return re;
  }

  /** A local `$ref`'s target, as ajv resolves it in the document; undefined when ajv would differ or fail. */
  private resolve(ref: string): Schema | undefined {
    if (this.refs.has(ref)) return this.refs.get(ref);
    let node: unknown = this.root;
    if (node === undefined || !SIMPLE_REF.test(ref)) node = undefined;
    else {
      for (const raw of ref.slice(2).split('/')) {
        const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, seg)) {
          node = undefined;
          break;
        }
        if (Array.isArray(node) && !/^(0|[1-9]\d*)$/.test(seg)) {
          node = undefined;
          break;
        }
        node = (node as Record<string, unknown>)[seg];
      }
    }
    const target = typeof node === 'boolean' || (typeof node === 'object' && node !== null && !Array.isArray(node)) ? (node as Schema) : undefined;
    this.refs.set(ref, target);
    return target;
  }

  private valid(schema: Schema, data: unknown): boolean {
    if (typeof schema === 'boolean') return schema;
    this.visits++;
    const s = schema;
    if (s.type !== undefined && !this.typeMatches(s, data)) return false;
    if (s.$ref !== undefined && !this.valid(this.refs.get(s.$ref as string) as Schema, data)) return false;
    if (s.enum !== undefined && !this.inEnum(s.enum as unknown[], data)) return false;
    if (s.const !== undefined && !this.same(s.const, data)) return false;
    if (s[this.forbidden] === true) return false;

    if (typeof data === 'number') {
      if (isFinite(data) && !this.validNumber(s, data)) return false;
    } else if (typeof data === 'string') {
      if (!this.validString(s, data)) return false;
    } else if (Array.isArray(data)) {
      if (!this.validArray(s, data)) return false;
    } else if (data && typeof data === 'object') {
      if (!this.validObject(s, data as Record<string, unknown>)) return false;
    }

    if (s.allOf !== undefined) for (const sub of s.allOf as Schema[]) if (!this.valid(sub, data)) return false;
    if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((sub) => this.valid(sub, data))) return false;
    if (s.oneOf !== undefined) {
      let passing = 0;
      for (const sub of s.oneOf as Schema[]) if (this.valid(sub, data) && ++passing > 1) return false;
      if (passing !== 1) return false;
    }
    if (s.not !== undefined && this.valid(s.not as Schema, data)) return false;
    if (s.if !== undefined && (s.then !== undefined || s.else !== undefined)) {
      const branch = this.valid(s.if as Schema, data) ? s.then : s.else;
      if (branch !== undefined && !this.valid(branch as Schema, data)) return false;
    }
    return true;
  }

  /** ajv's `checkDataType`, with `strictNumbers` (NaN and ±Infinity are no numbers) and `nullable`. */
  private typeMatches(s: Record<string, unknown>, data: unknown): boolean {
    const t = s.type;
    const types = Array.isArray(t) ? (t as string[]) : [t as string];
    if (types.length === 0) return true; // `type: []` checks nothing, as in ajv
    if (s.nullable === true && data === null) return true;
    for (const type of types) {
      switch (type) {
        case 'null':
          if (data === null) return true;
          break;
        case 'array':
          if (Array.isArray(data)) return true;
          break;
        case 'object':
          if (data && typeof data === 'object' && !Array.isArray(data)) return true;
          break;
        case 'integer':
          if (typeof data === 'number' && !(data % 1) && !isNaN(data) && isFinite(data)) return true;
          break;
        case 'number':
          if (typeof data === 'number' && isFinite(data)) return true;
          break;
        default:
          if (typeof data === type) return true;
      }
    }
    return false;
  }

  private inEnum(values: unknown[], data: unknown): boolean {
    for (const v of values) {
      if (typeof v === 'object' && v !== null ? this.deepEqual(data, v) : data === v) return true;
    }
    return false;
  }

  private same(expected: unknown, data: unknown): boolean {
    return typeof expected === 'object' && expected !== null ? this.deepEqual(data, expected) : expected === data;
  }

  private deepEqual(a: unknown, b: unknown): boolean {
    // ajv's own equality (fast-deep-equal), so `enum`, `const` and `uniqueItems` agree on what is equal.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.equal ??= (require('ajv/dist/runtime/equal') as { default: (a: unknown, b: unknown) => boolean }).default;
    return this.equal(a, b);
  }

  private validNumber(s: Record<string, unknown>, n: number): boolean {
    if (s.maximum !== undefined && n > (s.maximum as number)) return false;
    if (s.minimum !== undefined && n < (s.minimum as number)) return false;
    if (s.exclusiveMaximum !== undefined && n >= (s.exclusiveMaximum as number)) return false;
    if (s.exclusiveMinimum !== undefined && n <= (s.exclusiveMinimum as number)) return false;
    if (s.multipleOf !== undefined) {
      const m = s.multipleOf as number;
      if (m === 0) return false;
      const q = n / m;
      if (q !== parseInt(String(q))) return false; // ajv's test: `res !== parseInt(res)`
    }
    if (s.format !== undefined) {
      const f = this.formats[s.format as string];
      if (typeof f === 'object' && !(f instanceof RegExp) && f.type === 'number' && !runFormat(f.validate, n)) return false;
    }
    return true;
  }

  private validString(s: Record<string, unknown>, text: string): boolean {
    if (s.maxLength !== undefined || s.minLength !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.ucs2length ??= (require('ajv/dist/runtime/ucs2length') as { default: (s: string) => number }).default;
      const length = this.ucs2length(text);
      if (s.maxLength !== undefined && length > (s.maxLength as number)) return false;
      if (s.minLength !== undefined && length < (s.minLength as number)) return false;
    }
    if (s.pattern !== undefined && !(this.patterns.get(s.pattern as string) as RegExpLike).test(text)) return false;
    if (s.format !== undefined) {
      const f: Format | undefined = this.formats[s.format as string];
      if (f !== undefined && f !== true) {
        if (f instanceof RegExp || typeof f === 'function') {
          if (!runFormat(f, text)) return false;
        } else if (typeof f === 'object' && (f.type ?? 'string') === 'string' && !runFormat(f.validate, text)) return false;
      }
    }
    return true;
  }

  private validArray(s: Record<string, unknown>, data: unknown[]): boolean {
    if (s.maxItems !== undefined && data.length > (s.maxItems as number)) return false;
    if (s.minItems !== undefined && data.length < (s.minItems as number)) return false;
    const items = s.items as Schema | Schema[] | undefined;
    const tuple = this.items2020 ? (s.prefixItems as Schema[] | undefined) : Array.isArray(items) ? items : undefined;
    if (tuple) {
      for (let i = 0; i < tuple.length && i < data.length; i++) if (!this.valid(tuple[i] as Schema, data[i])) return false;
      const rest = this.items2020 ? items : s.additionalItems;
      if (rest !== undefined && !this.validEach(rest as Schema, data, tuple.length)) return false;
    } else if (items !== undefined && !Array.isArray(items) && !this.validEach(items, data, 0)) return false;
    if (s.contains !== undefined && !data.some((d) => this.valid(s.contains as Schema, d))) return false;
    if (s.uniqueItems === true) {
      // Stricter than ajv at worst (ajv skips items of a type `items` excludes): a false answer goes to ajv.
      for (let i = data.length; i-- > 1; ) for (let j = i; j-- > 0; ) if (this.deepEqual(data[i], data[j])) return false;
    }
    return true;
  }

  private validEach(schema: Schema, data: unknown[], from: number): boolean {
    if (schema === true) return true;
    for (let i = from; i < data.length; i++) if (!this.valid(schema, data[i])) return false;
    return true;
  }

  private validObject(s: Record<string, unknown>, data: Record<string, unknown>): boolean {
    for (const key of ['required', this.required]) {
      const names = s[key] as string[] | undefined;
      if (names) for (const name of names) if (data[name] === undefined) return false;
    }
    if (s.maxProperties !== undefined && Object.keys(data).length > (s.maxProperties as number)) return false;
    if (s.minProperties !== undefined && Object.keys(data).length < (s.minProperties as number)) return false;
    const props = s.properties as Record<string, Schema> | undefined;
    if (props) {
      for (const name in props) {
        const value = data[name];
        if (value !== undefined && !this.valid(props[name] as Schema, value)) return false;
      }
    }
    const patterns = s.patternProperties as Record<string, Schema> | undefined;
    const additional = s.additionalProperties as Schema | undefined;
    if (patterns || (additional !== undefined && additional !== true)) {
      for (const key in data) {
        let matched = props !== undefined && Object.prototype.hasOwnProperty.call(props, key);
        if (patterns) {
          for (const p in patterns) {
            if ((this.patterns.get(p) as RegExpLike).test(key)) {
              matched = true;
              if (!this.valid(patterns[p] as Schema, data[key])) return false;
            }
          }
        }
        if (!matched && additional !== undefined && !this.valid(additional, data[key])) return false;
      }
    }
    if (s.propertyNames !== undefined) for (const key in data) if (!this.valid(s.propertyNames as Schema, key)) return false;
    return true;
  }
}

function runFormat(f: unknown, value: string | number): boolean {
  if (typeof f === 'function') return Boolean((f as (v: unknown) => unknown)(value));
  if (f instanceof RegExp) return f.test(String(value));
  return true;
}
