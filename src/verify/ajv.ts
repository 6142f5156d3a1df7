/**
 * One ajv instance per contract and side (request / response), with the whole converted document
 * registered once; each schema compiles on first use, by reference, and is cached. Recursive schemas
 * stay references, so ajv handles them without unrolling.
 */
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { SchemaRef } from '../contract/model';
import type { JsonObject } from '../contract/pointer';
import type { OpenApiVersion } from '../contract/schema';

export type Side = 'request' | 'response';

const DOC_ID = 'lambda-contract://document';

/** ECMA-262 patterns: with the `u` flag when the pattern allows it, without otherwise (OpenAPI uses plain ECMA regexes). */
function tolerantRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    if (flags.includes('u')) return new RegExp(pattern, flags.replace('u', ''));
    throw error;
  }
}
tolerantRegExp.code = 'new RegExp';

/** Compiled validators for one document and one side. */
export class SchemaCompiler {
  private readonly ajv: Ajv;
  private readonly byPointer = new Map<string, ValidateFunction | Error>();
  private readonly byInline = new WeakMap<object, ValidateFunction | Error>();

  constructor(schemaDocument: JsonObject, version: OpenApiVersion, side: Side) {
    const options = {
      strict: false,
      allErrors: true,
      verbose: true,
      logger: false as const,
      validateSchema: false,
      discriminator: false,
      code: { regExp: tolerantRegExp },
    };
    this.ajv = version === '3.1' ? new Ajv2020(options) : new Ajv(options);
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
    this.ajv.addSchema({ ...schemaDocument, $id: DOC_ID } as AnySchema);
  }

  /** The validator for a schema position, compiled on first use. Returns the compile error, not throws it. */
  validator(ref: SchemaRef): ValidateFunction | Error {
    if (ref.pointer !== undefined) {
      let v = this.byPointer.get(ref.pointer);
      if (!v) {
        v = this.compile({ $ref: `${DOC_ID}#${encodePointer(ref.pointer)}` });
        this.byPointer.set(ref.pointer, v);
      }
      return v;
    }
    const inline = ref.inline ?? {};
    let v = this.byInline.get(inline);
    if (!v) {
      v = this.compile(inline);
      this.byInline.set(inline, v);
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

/** Pointers go into a URI fragment: percent-encode what a fragment cannot hold. */
function encodePointer(ptr: string): string {
  return ptr.split('/').map((seg) => encodeURIComponent(seg).replace(/%7E/gi, '~')).join('/');
}
