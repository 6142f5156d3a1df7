/** ajv errors → violations: the keyword, the place, what the schema wants and what was there. */
import type { ErrorObject } from 'ajv';
import { getAt } from '../contract/pointer';
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
    default:
      return e.message ?? e.keyword;
  }
}

function receivedOf(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  const value = getAt(data, e.instancePath);
  switch (e.keyword) {
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
  return e.instancePath;
}

/**
 * Keeps the errors a user acts on. Errors inside a failed `oneOf`/`anyOf` are narrowed to the branch
 * that came closest (fewest errors); a discriminator's `if` wrapper errors are dropped (the `then`
 * branch's own errors remain).
 */
export function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const composite = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  let kept = errors.filter((e) => e.keyword !== 'if');
  for (const c of composite) {
    const prefix = c.schemaPath + '/';
    const inside = kept.filter((e) => e !== c && e.schemaPath.startsWith(prefix));
    if (inside.length === 0) continue;
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of inside) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      (byBranch.get(branch) ?? byBranch.set(branch, []).get(branch))?.push(e);
    }
    const closest = [...byBranch.values()].sort((a, b) => a.length - b.length)[0] ?? [];
    // A discriminator already picked a branch: its `then` errors say it better than the oneOf.
    const discriminated = kept.some((e) => e.schemaPath.includes('/then/') && e.instancePath.startsWith(c.instancePath) && !e.schemaPath.startsWith(prefix));
    kept = kept.filter((e) => !inside.includes(e) || (!discriminated && closest.includes(e)));
    if (discriminated) kept = kept.filter((e) => e !== c);
  }
  return kept;
}

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
    const place = base.rule === 'body_schema' ? `body${ptr === '' ? '' : ` at ${ptr}`}` : base.where;
    const v: Violation = {
      rule: base.rule,
      operationId: base.operationId,
      where: base.where,
      keyword: e.keyword.replace(/^x-lc-/, ''),
      expected,
      received,
      message: `${place}: expected ${expected}, received ${received}`,
    };
    if (base.status !== undefined) v.status = base.status;
    if (base.rule === 'body_schema') v.pointer = ptr;
    if (base.specPointer !== undefined) v.specPointer = base.specPointer + (e.schemaPath.startsWith('#') ? '' : '');
    return v;
  });
}
