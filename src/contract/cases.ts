/**
 * The requests of one operation under one set of options (seed, overrides), resolved once: the valid
 * cases, the forbidden ones, property draws, and requests built from chosen values all read the same
 * resolved options, so a run's plan, its property cases and its sequence steps agree on every request.
 */
import type { MediaTypeSpec, Operation } from '../document/model';
import type { JsonObject } from '../document/pointer';
import { fc, type Arbitrary } from '../requests/fc';
import { bodyMediaType, buildCase, defaultCaseValues, requestCases, type CaseOptions, type CaseValues, type RequestCase, type RequestOverrides } from '../requests/cases';
import { negativeCases, type NegativeCase } from '../requests/negative';
import { operationSeed, propertyValues, type PropertyDraw } from '../requests/property-values';
import type { ContractSchemas } from './schemas';

export interface RequestOptions {
  /** Seed for generated values. */
  seed?: number;
  overrides?: RequestOverrides;
}

/**
 * One operation's request generators, sharing one resolved set of options.
 *
 * @example
 * const cases = contract.cases('createPet', { seed: 7 });
 * cases.valid()[0]?.request.headers; // [['Accept', 'application/json'], …]
 */
export class OperationCases {
  /** The seed every generator here draws from (default 1). */
  readonly seed: number;
  /** The body's media type the requests send (the overrides' Content-Type, else the document's first). */
  readonly media: MediaTypeSpec | undefined;
  private readonly options: CaseOptions;
  private readonly root: JsonObject;
  private readonly schemas: ContractSchemas;

  constructor(readonly operation: Operation, root: JsonObject, schemas: ContractSchemas, options: RequestOptions = {}) {
    this.root = root;
    this.schemas = schemas;
    this.seed = options.seed ?? 1;
    this.media = bodyMediaType(operation, options.overrides?.contentType);
    this.options = {
      root,
      isValid: (schema, value) => schemas.isValidRequestValue(schema, value),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
    };
  }

  /** Valid requests, from the operation's examples and schemas. */
  valid(): RequestCase[] {
    return requestCases(this.operation, this.options);
  }

  /** Requests the contract forbids, one broken rule each, and for secured operations requests without credentials. */
  negative(): NegativeCase[] {
    return negativeCases(this.operation, this.options, this.media);
  }

  /**
   * A fast-check arbitrary of parameter and body values, each draw marked with the parts the validator
   * rejects. Kept out of the published types (fast-check's declarations need node16/bundler resolution).
   * @internal
   */
  propertyValues(): Arbitrary<PropertyDraw> {
    const schemas = this.schemas;
    return propertyValues(this.operation, { root: this.root, isValid: (schema, value) => schemas.isValidRequestValue(schema, value), ...(this.media ? { media: this.media } : {}) });
  }

  /** `runs` valid requests drawn as the run's property cases draw them, named `property #1`, `property #2`, …. */
  property(runs: number): RequestCase[] {
    const draws = fc.sample(this.propertyValues(), { seed: operationSeed(this.seed, this.operation.id), numRuns: runs * 4 });
    return draws
      .filter((draw) => draw.invalid.length === 0)
      .slice(0, runs)
      .map((draw, i) => ({ ...this.build(`property #${i + 1}`, draw.values), seed: this.seed }));
  }

  /** The request for chosen values, with overrides and credentials applied. */
  build(name: string, values: CaseValues): RequestCase {
    return buildCase(this.operation, this.options, name, values);
  }

  /** The values of the first valid request, to build requests that change only some parts. */
  defaults(): CaseValues {
    return defaultCaseValues(this.operation, this.options);
  }
}
