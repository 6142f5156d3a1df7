/** ajv errors → violations: the keyword, the place, what the schema wants and what was there. */
import type { ErrorObject } from 'ajv';
import { getAt } from '../document/pointer';
import type { Violation } from './violation';

const MAX_TEXT = 120;

/** A short JSON rendering for messages; long values are cut with `…`. */
export function preview(value: unknown, max = MAX_TEXT): string {
  let text: string;
  if (value === undefined) return 'nothing';
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function expectedOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return `type ${Array.isArray(p.type) ? p.type.join(' | ') : String(p.type)}`;
    case 'enum':
      return `one of ${preview(p.allowedValues)}`;
    case 'const':
      return `exactly ${preview(p.allowedValue)}`;
    case 'required':
      return `property ${JSON.stringify(p.missingProperty)}`;
    case 'additionalProperties':
      return 'no properties beyond those documented';
    case 'unevaluatedProperties':
      return 'no properties beyond those evaluated';
    case 'format':
      return `format "${String(p.format)}"`;
    case 'pattern':
      return `a string matching /${String(p.pattern)}/`;
    case 'x-lc-writeonly':
      return 'no writeOnly property in a response';
    case 'x-lc-readonly':
      return 'no readOnly property in a request';
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties':
      return `${e.keyword.startsWith('min') ? 'at least' : 'at most'} ${String(p.limit)} ${e.keyword.endsWith('Length') ? 'characters' : e.keyword.endsWith('Items') ? 'items' : 'properties'}`;
    case 'multipleOf':
      return `a multiple of ${String(p.multipleOf)}`;
    case 'uniqueItems':
      return 'unique items';
    case 'items': case 'additionalItems':
      return typeof p.limit === 'number' ? `at most ${p.limit} items` : e.message ?? e.keyword;
    case 'dependentRequired': case 'dependencies':
      return `property ${JSON.stringify(p.missingProperty)} when ${JSON.stringify(p.property)} is present`;
    case 'propertyNames':
      return `property names matching the schema`;
    case 'contains':
      return typeof p.minContains === 'number' ? `at least ${p.minContains} matching item${p.minContains === 1 ? '' : 's'}` : 'a matching item';
    case 'not':
      return 'a value the `not` schema rejects';
    case 'oneOf': case 'anyOf':
      return `${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${branchNames(e).join(', ')}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** The branches of a `oneOf`/`anyOf`: the name of each `$ref`'d schema, else `#i`. */
function branchNames(e: ErrorObject): string[] {
  return Array.isArray(e.schema)
    ? (e.schema as unknown[]).map((b, i) => (typeof b === 'object' && b !== null && typeof (b as { $ref?: unknown }).$ref === 'string' ? String((b as { $ref: string }).$ref).split('/').pop() ?? `#${i}` : `#${i}`))
    : [];
}

function receivedOf(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  const value = getAt(data, e.instancePath);
  switch (e.keyword) {
    case 'oneOf':
      if (Array.isArray(p.passingSchemas)) {
        // More than one branch accepts the value: say which, since the fix is usually in the document.
        const names = branchNames(e);
        const matched = (p.passingSchemas as number[]).map((i) => names[i] ?? `#${i}`);
        return `${preview(value, 60)}, which matches ${matched.join(' and ')} (the branches overlap: make them exclusive with required, const or a discriminator, or use anyOf)`;
      }
      return preview(value);
    case 'required':
      return `no ${JSON.stringify(p.missingProperty)} in ${preview(value, 60)}`;
    case 'additionalProperties':
      return `property ${JSON.stringify(p.additionalProperty)}`;
    case 'unevaluatedProperties':
      return `property ${JSON.stringify(p.unevaluatedProperty)}`;
    case 'type':
      return `${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value} ${preview(value, 60)}`;
    default:
      return preview(value);
  }
}

function pointerOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${e.instancePath}/${String(p.missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${String(p.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (e.keyword === 'unevaluatedProperties') return `${e.instancePath}/${String(p.unevaluatedProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return e.instancePath;
}

function branchPrefixes(composite: ErrorObject, index: number): string[] {
  const prefixes = [`${composite.schemaPath}/${index}/`];
  const branches = composite.schema;
  const branch = Array.isArray(branches) ? (branches[index] as unknown) : undefined;
  if (typeof branch === 'object' && branch !== null && typeof (branch as { $ref?: unknown }).$ref === 'string') {
    prefixes.push(`${(branch as { $ref: string }).$ref}/`);
  }
  return prefixes;
}

function belongs(e: ErrorObject, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => e.schemaPath.startsWith(p));
}

/**
 * Keeps the errors a user acts on. Inside a failed `oneOf`/`anyOf`, a discriminator picks the branch
 * whose errors are reported (and the composite error goes); without one, only the branch that came
 * closest (fewest errors) is kept. Macro and `if` wrapper errors are dropped, duplicates merged.
 */
export function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = errors.filter((e) => e.keyword !== 'if' && !e.keyword.startsWith('x-lc-required'));
  for (const c of errors.filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && Array.isArray(e.schema))) {
    const count = (c.schema as unknown[]).length;
    const perBranch = Array.from({ length: count }, (_, i) => {
      const prefixes = branchPrefixes(c, i);
      return kept.filter((e) => e !== c && e.instancePath.startsWith(c.instancePath) && belongs(e, prefixes));
    });
    const discriminator = (c.parentSchema as Record<string, unknown> | undefined)?.['x-lc-discriminator'] as
      | { propertyName: string; mapping: Record<string, string> }
      | undefined;
    const data = c.data as Record<string, unknown> | undefined;
    const value = discriminator && data && typeof data === 'object' ? data[discriminator.propertyName] : undefined;
    const chosenRef = discriminator && typeof value === 'string' ? discriminator.mapping[value] : undefined;
    let chosen: number | undefined;
    if (chosenRef !== undefined) {
      chosen = (c.schema as unknown[]).findIndex((b) => typeof b === 'object' && b !== null && (b as { $ref?: unknown }).$ref === chosenRef);
    }
    if (chosen === undefined || chosen < 0) {
      let best = Infinity;
      perBranch.forEach((errs, i) => {
        if (errs.length < best) {
          best = errs.length;
          chosen = i;
        }
      });
    }
    const keep = new Set(perBranch[chosen ?? 0] ?? []);
    const drop = new Set(perBranch.flat().filter((e) => !keep.has(e)));
    kept = kept.filter((e) => !drop.has(e) && !(chosenRef !== undefined && e === c && keep.size > 0));
  }
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${e.schemaPath}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one value a `const` or a one-value `enum` allows, when that is what failed. */
function exactValue(e: ErrorObject): { value: unknown } | undefined {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'const') return { value: p.allowedValue };
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues) && p.allowedValues.length === 1) return { value: p.allowedValues[0] };
  return undefined;
}

/** Our stand-ins for OpenAPI keywords, reported under the OpenAPI name. */
const OPENAPI_KEYWORDS: Record<string, string> = { 'x-lc-writeonly': 'writeOnly', 'x-lc-readonly': 'readOnly' };

/** Turns the ajv errors of one validation into body violations. */
export function schemaViolations(
  errors: readonly ErrorObject[],
  data: unknown,
  base: Pick<Violation, 'operationId' | 'status' | 'specPointer'> & { where: string; rule: 'body_schema' | 'header_schema'; pointerPrefix?: string },
): Violation[] {
  return relevantErrors(errors).map((e) => {
    const ptr = pointerOf(e);
    const expected = expectedOf(e);
    const received = receivedOf(e, data);
    const place = `${base.rule === 'body_schema' ? 'body' : base.where}${ptr === '' ? '' : ` at ${ptr}`}`;
    const v: Violation = {
      rule: base.rule,
      operationId: base.operationId,
      // A header's items and properties are named by pointer too (`header X-Tags /2`).
      where: base.rule === 'header_schema' && ptr !== '' ? `${base.where} ${ptr}` : base.where,
      keyword: OPENAPI_KEYWORDS[e.keyword] ?? e.keyword,
      expected,
      received,
      message: `${place}: expected ${expected}, received ${received}`,
    };
    if (base.status !== undefined) v.status = base.status;
    if (base.rule === 'body_schema') v.pointer = ptr;
    const exact = exactValue(e);
    if (exact) v.diff = { expected: exact.value, received: getAt(data, e.instancePath) };
    if (base.specPointer !== undefined) v.specPointer = base.specPointer;
    return v;
  });
}
