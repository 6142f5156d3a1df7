/**
 * One ajv instance per contract and side (request / response), with the whole converted document
 * registered once; each schema compiles on first use, by reference, and is cached. Recursive schemas
 * stay references, so ajv handles them without unrolling.
 */
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import type Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { SchemaRef } from '../contract/model';
import { getAt, type JsonObject } from '../contract/pointer';
import type { OpenApiVersion } from '../contract/schema';
import { linearRegExp } from './regexp';

export type Side = 'request' | 'response';

const DOC_ID = 'lambda-contract://document';
/** Schemas longer than this (as JSON) are not worth comparing by text: they are rarely repeated verbatim. */
const SHARED_TEXT_LIMIT = 2000;


/** Compiled validators for one document and one side. */
export class SchemaCompiler {
  private readonly ajv: Ajv;
  private readonly byPointer = new Map<string, ValidateFunction | Error>();
  private readonly byInline = new WeakMap<object, ValidateFunction | Error>();
  /**
   * Validators by the schema's JSON text: a big contract repeats the same small schemas (`{ type:
   * integer }`, `{ $ref: Thing }`) at hundreds of positions, and each would otherwise be compiled anew.
   * Only when the document sets no `$id`, so equal text means equal meaning.
   */
  private readonly byText: Map<string, ValidateFunction | Error> | undefined;
  private readonly document: JsonObject;
  private readonly broken: Error | undefined;

  constructor(schemaDocument: JsonObject, version: OpenApiVersion, side: Side) {
    const options = {
      strict: false,
      allErrors: true,
      verbose: true,
      logger: false as const,
      validateSchema: false,
      discriminator: false,
      code: { regExp: linearRegExp, optimize: false },
    };
    this.ajv = version === '3.1' ? new ((require('ajv/dist/2020') as { default: typeof Ajv2020 }).default)(options) : new Ajv(options);
    addFormats(this.ajv);
    // OpenAPI formats that ajv-formats does not define: accepted, never guessed at.
    for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
      if (!this.ajv.formats[format]) this.ajv.addFormat(format, true);
    }
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('byte', { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 });
    // readOnly / writeOnly and side-specific required lists (see contract/schema.ts).
    const forbidden = side === 'response' ? 'x-lc-writeonly' : 'x-lc-readonly';
    const allowed = side === 'response' ? 'x-lc-readonly' : 'x-lc-writeonly';
    this.ajv.addKeyword({ keyword: forbidden, schemaType: 'boolean', validate: (flag: boolean) => !flag, errors: false });
    this.ajv.addKeyword({ keyword: allowed, schemaType: 'boolean' });
    this.ajv.addKeyword({ keyword: `x-lc-required-in-${side}`, type: 'object', schemaType: 'array', macro: (names: string[]) => ({ required: names }) });
    this.ajv.addKeyword({ keyword: `x-lc-required-in-${side === 'response' ? 'request' : 'response'}`, schemaType: 'array' });
    this.ajv.addKeyword({ keyword: 'x-lc-discriminator', schemaType: 'object' });
    try {
      this.ajv.addSchema({ ...schemaDocument, $id: DOC_ID } as AnySchema);
    } catch (error) {
      // Two schemas claim one `$id`: no schema of the document can be compiled; each verdict says why.
      this.broken = error instanceof Error ? error : new Error(String(error));
    }
    this.document = schemaDocument;
    this.byText = jsonText(schemaDocument)?.includes('"$id"') === false ? new Map() : undefined;
  }

  /** The validator for a schema position, compiled on first use. Returns the compile error, not throws it. */
  validator(ref: SchemaRef): ValidateFunction | Error {
    if (this.broken) return this.broken;
    if (ref.pointer !== undefined) {
      let v = this.byPointer.get(ref.pointer);
      if (!v) {
        const pointer = ref.pointer;
        v = this.shared(getAt(this.document, pointer), () => this.compile({ $ref: `${DOC_ID}#${encodePointer(pointer)}` }));
        this.byPointer.set(pointer, v);
      }
      return v;
    }
    const inline = ref.inline ?? {};
    let v = this.byInline.get(inline);
    if (!v) {
      v = this.shared(inline, () => this.compile(inline));
      this.byInline.set(inline, v);
    }
    return v;
  }

  /** The validator already compiled for an equal schema, else a new one. */
  private shared(schema: unknown, make: () => ValidateFunction | Error): ValidateFunction | Error {
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

  private compile(schema: AnySchema): ValidateFunction | Error {
    try {
      return this.ajv.compile(schema);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
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
