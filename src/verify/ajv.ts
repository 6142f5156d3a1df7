/**
 * One validator factory per contract and side (request / response): the interpreter first, ajv —
 * loaded on first need — when a value fails, the schema is beyond the interpreter, or compiling pays.
 */
import type Ajv from 'ajv';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import type { SchemaRef } from '../document/model';
import { getAt, type JsonObject } from '../document/pointer';
import type { OpenApiVersion } from '../document/schema';
import { contractFormats } from './formats';
import { SchemaInterpreter, type Side } from './interpret';
import { linearRegExp } from './regexp';


/** A schema's check: true when the value conforms; `errors` (ajv's) say why when it does not. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const DOC_ID = 'lambda-contract://document';
/** Schemas longer than this (as JSON) are not worth comparing by text: they are rarely repeated verbatim. */
const SHARED_TEXT_LIMIT = 2000;
/**
 * How much interpreting one validator may cost before it is compiled, in schema visits (the balance of
 * a visit against a compile is measured in docs/performance.md). Before ajv is loaded the first compile
 * also pays for loading ajv and registering the document, so a validator is interpreted ten times longer.
 * A check counts at least `CHECK_COST_FLOOR` visits: a small schema checked over and over is compiled
 * too (after 100 checks, or 1,000 before ajv is loaded).
 */
const INTERPRETED_VISITS = 20_000;
const INTERPRETED_VISITS_BEFORE_AJV = 200_000;
const CHECK_COST_FLOOR = 200;
/** Keys that give a schema a base URI or a name of its own: with them, `$ref`s are left to ajv. */
const SCOPED = /"\$(id|anchor|dynamicAnchor|recursiveAnchor)"/;

/** An interpreted verdict beside ajv's for the same schema and value (see {@link auditInterpreter}). */
export interface AuditedCheck {
  schema: unknown;
  data: unknown;
  interpreted: boolean;
  ajv: boolean;
}

let audit: ((check: AuditedCheck) => void) | undefined;

/**
 * From now on, every interpreted verdict is also asked of ajv (slow: every schema is compiled) and both
 * are reported; `undefined` stops. For the differential tests and `bench/corpus.js --audit`.
 */
export function auditInterpreter(observe: ((check: AuditedCheck) => void) | undefined): void {
  audit = observe;
}

/** Validators for one document and one side. */
export class SchemaCompiler {
  /** How many schemas ajv compiled, and how many checks the interpreter answered. */
  readonly stats = { compiled: 0, interpreted: 0 };
  private ajvInstance: Ajv | undefined;
  private broken: Error | undefined;
  private readonly byPointer = new Map<string, Validator | Error>();
  private readonly byInline = new WeakMap<object, Validator | Error>();
  /**
   * Validators by the schema's JSON text: a big contract repeats the same small schemas (`{ type:
   * integer }`, `{ $ref: Thing }`) at hundreds of positions, and each would otherwise be compiled anew.
   * Only when the document sets no `$id`, so equal text means equal meaning.
   */
  private readonly byText: Map<string, Validator | Error> | undefined;
  private readonly document: JsonObject;
  /** For schemas of the document, and for inline ones (whose `$ref`s ajv would resolve against themselves). */
  private readonly interpreters: { document: SchemaInterpreter; inline: SchemaInterpreter } | undefined;

  constructor(schemaDocument: JsonObject, private readonly version: OpenApiVersion, private readonly side: Side) {
    this.document = schemaDocument;
    const { ids, scoped } = scopesOf(schemaDocument);
    this.byText = ids ? undefined : new Map();
    if (!scoped) {
      const dialect = version === '3.1' ? '2020-12' : 'draft-07';
      this.interpreters = { document: new SchemaInterpreter(schemaDocument, dialect, side), inline: new SchemaInterpreter(undefined, dialect, side) };
    }
  }

  /** ajv, made on first use, with the whole document registered. */
  get ajv(): Ajv {
    if (this.ajvInstance) return this.ajvInstance;
    const options = {
      strict: false,
      allErrors: true,
      verbose: true,
      logger: false as const,
      validateSchema: false,
      discriminator: false,
      code: { regExp: linearRegExp, optimize: false },
    };
    /* eslint-disable @typescript-eslint/no-require-imports */
    const ajv: Ajv = this.version === '3.1' ? new ((require('ajv/dist/2020') as { default: typeof Ajv2020 }).default)(options) : new ((require('ajv') as { default: typeof Ajv }).default)(options);
    (require('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default(ajv);
    /* eslint-enable @typescript-eslint/no-require-imports */
    for (const [name, format] of Object.entries(contractFormats())) ajv.addFormat(name, format);
    // readOnly / writeOnly and side-specific required lists (see contract/schema.ts).
    const side = this.side;
    const forbidden = side === 'response' ? 'x-lc-writeonly' : 'x-lc-readonly';
    const allowed = side === 'response' ? 'x-lc-readonly' : 'x-lc-writeonly';
    ajv.addKeyword({ keyword: forbidden, schemaType: 'boolean', validate: (flag: boolean) => !flag, errors: false });
    ajv.addKeyword({ keyword: allowed, schemaType: 'boolean' });
    ajv.addKeyword({ keyword: `x-lc-required-in-${side}`, type: 'object', schemaType: 'array', macro: (names: string[]) => ({ required: names }) });
    ajv.addKeyword({ keyword: `x-lc-required-in-${side === 'response' ? 'request' : 'response'}`, schemaType: 'array' });
    ajv.addKeyword({ keyword: 'x-lc-discriminator', schemaType: 'object' });
    try {
      ajv.addSchema({ ...this.document, $id: DOC_ID } as AnySchema);
    } catch (error) {
      // Two schemas claim one `$id`: no schema of the document can be compiled; each verdict says why.
      this.broken = error instanceof Error ? error : new Error(String(error));
    }
    this.ajvInstance = ajv;
    return ajv;
  }

  /** The validator for a schema position, made on first use. Returns ajv's compile error, not throws it. */
  validator(ref: SchemaRef): Validator | Error {
    if (ref.pointer !== undefined) {
      let v = this.byPointer.get(ref.pointer);
      if (!v) {
        const pointer = ref.pointer;
        const schema = getAt(this.document, pointer);
        v = this.shared(schema, () => this.tiered(schema, this.interpreters?.document, () => this.compile({ $ref: `${DOC_ID}#${encodePointer(pointer)}` })));
        this.byPointer.set(pointer, v);
      }
      return v;
    }
    const inline = ref.inline ?? {};
    let v = this.byInline.get(inline);
    if (!v) {
      v = this.shared(inline, () => this.tiered(inline, this.interpreters?.inline, () => this.compile(inline)));
      this.byInline.set(inline, v);
    }
    return v;
  }

  /** The validator already made for an equal schema, else a new one. */
  private shared(schema: unknown, make: () => Validator | Error): Validator | Error {
    if (!this.byText || schema === undefined) return make();
    const text = jsonText(schema);
    if (text === undefined || text.length > SHARED_TEXT_LIMIT) return make();
    let v = this.byText.get(text);
    if (!v) {
      v = make();
      this.byText.set(text, v);
    }
    return v;
  }

  /**
   * Interpreted while the schema is cold and values conform; compiled (once) for the first value the
   * interpreter rejects, and for every value once interpreting it has cost about what compiling would.
   */
  private tiered(schema: unknown, interpreter: SchemaInterpreter | undefined, compile: () => ValidateFunction | Error): Validator | Error {
    if (!interpreter || !interpreter.supports(schema)) return compile();
    const interpreted = schema as boolean | Record<string, unknown>;
    let compiled: ValidateFunction | Error | undefined;
    let spent = 0;
    const validate: Validator = (data: unknown): boolean => {
      if (spent < (this.ajvInstance ? INTERPRETED_VISITS : INTERPRETED_VISITS_BEFORE_AJV) && (!compiled || audit)) {
        const before = interpreter.visits;
        let verdict = false;
        let deep = false;
        try {
          verdict = interpreter.validate(interpreted, data);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          deep = true; // nested too deep for the interpreter: ajv may manage
        }
        spent += Math.max(interpreter.visits - before, CHECK_COST_FLOOR);
        this.stats.interpreted++;
        if (audit && !deep) this.audited(interpreted, data, verdict, (compiled ??= compile()));
        if (verdict) {
          validate.errors = null;
          return true;
        }
      }
      compiled ??= compile();
      if (compiled instanceof Error) {
        // The interpreter accepts only schemas ajv compiles: this is our bug, and says so.
        throw new Error(`lambda-contract: ajv cannot compile a schema its interpreter accepted (${compiled.message.split('\n')[0]})`);
      }
      const ok = compiled(data) === true;
      validate.errors = compiled.errors ?? null;
      return ok;
    };
    return validate;
  }

  private audited(schema: unknown, data: unknown, interpreted: boolean, compiled: ValidateFunction | Error): void {
    const byAjv = compiled instanceof Error ? compiled : compiled(data) === true;
    audit?.({ schema, data, interpreted, ajv: byAjv === true });
  }

  private compile(schema: AnySchema): ValidateFunction | Error {
    const ajv = this.ajv;
    if (this.broken) return this.broken;
    this.stats.compiled++;
    try {
      return ajv.compile(schema);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}

const scopes = new WeakMap<object, { ids: boolean; scoped: boolean }>();

/**
 * Whether a document sets `$id`s (then equal schema text need not mean equal meaning) or anything else
 * that scopes `$ref`s (then the interpreter leaves them to ajv). Read once per document, for both sides.
 */
function scopesOf(document: JsonObject): { ids: boolean; scoped: boolean } {
  let known = scopes.get(document);
  if (!known) {
    const text = jsonText(document);
    known = text === undefined ? { ids: true, scoped: true } : { ids: text.includes('"$id"'), scoped: SCOPED.test(text) };
    scopes.set(document, known);
  }
  return known;
}

/** JSON text, or undefined for a value JSON cannot hold (a cycle). */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Pointers go into a URI fragment: percent-encode what a fragment cannot hold. */
function encodePointer(ptr: string): string {
  return ptr.split('/').map((seg) => encodeURIComponent(seg).replace(/%7E/gi, '~')).join('/');
}
