/**
 * The contract's schemas, compiled on first use per side (request or response) and kept compiled: the
 * validity questions the request generators and the verdicts ask of them.
 */
import type { SchemaRef } from '../document/model';
import type { JsonObject } from '../document/pointer';
import type { OpenApiVersion } from '../document/schema';
import { SchemaCompiler } from '../verify/ajv';
import type { Side } from '../verify/interpret';

export class ContractSchemas {
  private readonly compilers: Partial<Record<Side, SchemaCompiler>> = {};

  constructor(
    private readonly document: JsonObject,
    private readonly version: OpenApiVersion,
  ) {}

  /** The compiler of one side: `readOnly`/`writeOnly` and nullable rules differ between them. */
  compiler(side: Side): SchemaCompiler {
    return (this.compilers[side] ??= new SchemaCompiler(this.document, this.version, side));
  }

  /** Whether a value satisfies a schema position as a request value. */
  isValidRequestValue(schema: SchemaRef, value: unknown): boolean {
    const validate = this.compiler('request').validator(schema);
    return !(validate instanceof Error) && withinStack(() => validate(value) === true);
  }

  /** Why a value breaks a schema position as a request value (`/name must be string`); empty when it satisfies it. */
  requestValueProblems(schema: SchemaRef, value: unknown): string[] {
    const validate = this.compiler('request').validator(schema);
    if (validate instanceof Error) return [`the schema cannot be used: ${validate.message}`];
    let ok: boolean;
    try {
      ok = validate(value) === true;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return ['the value nests too deep to be checked'];
    }
    if (ok) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
  }

  /** Whether a value satisfies a schema position as a response value. */
  isValidResponseValue(schema: SchemaRef, value: unknown): boolean {
    const validate = this.compiler('response').validator(schema);
    return !(validate instanceof Error) && withinStack(() => validate(value) === true);
  }
}

/** A check's verdict, false when the value nests too deep to be checked (the stack ran out). */
function withinStack(check: () => boolean): boolean {
  try {
    return check();
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
