/**
 * Links between operations: what a client may call next with values from a response. OpenAPI 3's own
 * `links` when the document has any; otherwise links inferred from the document's shape, each saying
 * what it assumed — the collection's `POST` leads to its item's `GET`/`PUT`/`PATCH`/`DELETE`, with the
 * item's id from a response field named like the path parameter or from the `Location` header. Runtime
 * expressions (`$response.body#/id`, `$request.path.petId`, `{$response.header.Location}`) are read here
 * and evaluated against a step's request and response.
 */
import type { HttpRequest, HttpResponse } from '../gateway/types';
import { matchRoute } from '../gateway/route-match';
import { decodeQueryComponent, headerValue, splitQuery } from '../gateway/wire';
import type { LinkSpec, Operation, ParameterLocation, ResponseSpec } from './model';
import { decodeFragment, getAt, isObject } from './pointer';
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';

/** Where a linked value comes from. */
export type LinkValue =
  /** A runtime expression, whole (`$response.body#/id`) or embedded in text (`items/{$request.path.id}`). */
  | { kind: 'expression'; expression: string }
  /** A constant the link gives. */
  | { kind: 'constant'; value: unknown }
  /**
   * A path parameter read from the `Location` header (inferred links): the header's path is matched
   * against `template`, the created resource's own path (`/items/{itemId}`), so a link to what lies
   * beneath it (`/items/{itemId}/cover`) takes the same id.
   */
  | { kind: 'location'; template: string };

export interface LinkParameter {
  in: ParameterLocation;
  name: string;
  value: LinkValue;
}

/** A link from one operation's response to another operation. */
export interface Link {
  /** `createItem 201 → getItem`. */
  name: string;
  source: Operation;
  /** The source response it hangs on, as documented (`201`, `2XX`). */
  status: string;
  target: Operation;
  parameters: LinkParameter[];
  requestBody?: LinkValue;
  /** Why an inferred link was assumed; absent for the document's own links. */
  inferred?: string;
  /**
   * For inferred links: whether the id is read back for certain — from the `Location` header, or from a
   * body field named like the path parameter (`itemId`, `item_id`) — rather than guessed (a field `id`).
   * Only a certain link can fail a stateful check (`ensure_resource_availability`, `use_after_free`).
   */
  certain?: boolean;
  /**
   * For inferred links: the target addresses something beneath the created resource
   * (`/items/{itemId}/cover`), not the resource itself, so not finding it says nothing about the create.
   */
  beneath?: boolean;
  /** The document's link (its pointer), for explicit links. */
  pointer?: string;
}

export interface LinkGraph {
  links: Link[];
  /** True when the links were inferred (the document has none of its own). */
  inferred: boolean;
  /** Links that could not be read (unknown operation, unknown parameter), named by pointer. */
  warnings: string[];
}

const SUCCESS = /^2(\d\d|XX)$/;

/** The links of a document: its own when it has any, else the inferred ones. */
export function linkGraph(operations: readonly Operation[], root: unknown): LinkGraph {
  const warnings: string[] = [];
  const explicit = operations.some((op) => op.responses.some((r) => r.links !== undefined));
  if (explicit) return { links: explicitLinks(operations, warnings), inferred: false, warnings };
  return { links: inferredLinks(operations, root), inferred: true, warnings };
}

function explicitLinks(operations: readonly Operation[], warnings: string[]): Link[] {
  const out: Link[] = [];
  for (const source of operations) {
    for (const response of source.responses) {
      for (const spec of response.links ?? []) {
        const target = linkTarget(spec, operations);
        if (typeof target === 'string') {
          warnings.push(`link "${spec.name}" at #${spec.pointer}: ${target}; not followed`);
          continue;
        }
        const parameters: LinkParameter[] = [];
        for (const [key, raw] of Object.entries(spec.parameters)) {
          const param = linkParameter(key, target);
          if (!param) {
            warnings.push(`link "${spec.name}" at #${spec.pointer}: ${target.id} has no parameter "${key}"; that value is not carried`);
            continue;
          }
          const value = linkValue(raw);
          const problem = value.kind === 'expression' ? expressionProblem(value.expression) : undefined;
          if (problem) {
            warnings.push(`link "${spec.name}" at #${spec.pointer}: parameter "${key}": ${problem}; that value is not carried`);
            continue;
          }
          parameters.push({ ...param, value });
        }
        const link: Link = { name: `${source.id} ${statusName(response)} → ${target.id}`, source, status: statusName(response), target, parameters, pointer: spec.pointer };
        if (spec.requestBody) {
          const value = linkValue(spec.requestBody.value);
          const problem = value.kind === 'expression' ? expressionProblem(value.expression) : undefined;
          if (problem) warnings.push(`link "${spec.name}" at #${spec.pointer}: requestBody: ${problem}; no body is carried`);
          else link.requestBody = value;
        }
        out.push(link);
      }
    }
  }
  return out;
}

const statusName = (r: ResponseSpec): string => (r.status === 'DEFAULT' ? 'default' : r.status);

/** The operation a link names by `operationId` or by a local `operationRef` (`#/paths/~1items~1{id}/get`); else why not. */
function linkTarget(spec: LinkSpec, operations: readonly Operation[]): Operation | string {
  if (spec.operationId !== undefined) {
    return operations.find((op) => op.operationId === spec.operationId) ?? `no operation has operationId "${spec.operationId}"`;
  }
  if (spec.operationRef !== undefined) {
    const ref = spec.operationRef;
    const hash = ref.indexOf('#');
    if (hash > 0) return `operationRef ${ref} points into another document`;
    const pointer = ref.slice(hash + 1).split('/').map((s) => decodeFragment(s).replace(/~1/g, '/').replace(/~0/g, '~'));
    if (pointer.length !== 4 || pointer[0] !== '' || pointer[1] !== 'paths') return `operationRef ${ref} does not point at an operation (#/paths/…/method)`;
    const found = operations.find((op) => op.path === pointer[2] && op.method === String(pointer[3]).toUpperCase());
    return found ?? `operationRef ${ref} names no operation of the document`;
  }
  return 'it names neither operationId nor operationRef';
}

/** A link's parameter key (`petId` or `path.petId`) as the target's parameter; a bare name prefers the path. */
function linkParameter(key: string, target: Operation): { in: ParameterLocation; name: string } | undefined {
  const dot = key.indexOf('.');
  const where = dot > 0 ? key.slice(0, dot) : undefined;
  if (where === 'path' || where === 'query' || where === 'header' || where === 'cookie') {
    const name = key.slice(dot + 1);
    const p = target.parameters.find((x) => x.in === where && x.name === name);
    if (p) return { in: p.in, name: p.name };
    if (where === 'path' && target.path.includes(`{${name}}`)) return { in: 'path', name };
    return undefined;
  }
  const order: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
  const p = [...target.parameters].sort((a, b) => order.indexOf(a.in) - order.indexOf(b.in)).find((x) => x.name === key);
  if (p) return { in: p.in, name: p.name };
  return target.path.includes(`{${key}}`) ? { in: 'path', name: key } : undefined;
}

function linkValue(raw: unknown): LinkValue {
  if (typeof raw === 'string' && (raw.startsWith('$') || /\{\$[^}]+\}/.test(raw))) return { kind: 'expression', expression: raw };
  return { kind: 'constant', value: raw };
}

/** One runtime expression as OpenAPI defines them (`$url`, `$method`, `$statusCode`, `$request.…`, `$response.…`). */
const EXPRESSION = /^\$(?:url|method|statusCode|request\.(?:(?:path|query|header)\.[^\s{}]+|body(?:#[^\s{}]*)?)|response\.(?:header\.[^\s{}]+|body(?:#[^\s{}]*)?))$/;

/** Why a link value's expression (whole, or `{$…}` inside text) is not one OpenAPI defines; undefined when it is. */
export function expressionProblem(expression: string): string | undefined {
  const parts = expression.startsWith('$') && !/\{\$/.test(expression) ? [expression] : [...expression.matchAll(/\{(\$[^}]*)\}/g)].map((m) => m[1] as string);
  const bad = parts.find((p) => !EXPRESSION.test(p));
  return bad === undefined ? undefined : `${JSON.stringify(bad)} is not a runtime expression ($url, $method, $statusCode, $request.path|query|header.NAME, $request.body#/…, $response.header.NAME, $response.body#/…)`;
}

const ITEM_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE'];

/**
 * Links the document implies: each collection `POST` (`/items`) to the operations on its item
 * (`/items/{itemId}`: `GET`, `PUT`, `PATCH`, `DELETE`) and under it (`/items/{itemId}/reviews`: any
 * method), the id from the success response's body field named like the parameter (`itemId`,
 * `item_id`), else from a documented `Location` header read as the item's path, else from a field `id`
 * (a guess: such a link steers exploration but never fails a check). A nested collection's parents
 * (`POST /items/{itemId}/reviews` → `GET /items/{itemId}/reviews/{reviewId}`) are carried from the
 * request's own path, so every path parameter of the target is known, never guessed.
 */
function inferredLinks(operations: readonly Operation[], root: unknown): Link[] {
  const out: Link[] = [];
  const blank = (path: string): string => path.replace(/\{[^}/]+\}/g, '{}');
  const names = (path: string): string[] => [...path.matchAll(/\{([^}/+]+)\}/g)].map((m) => m[1] as string);
  // The operations by the collection whose item they address, found once: `GET /items/{itemId}` and
  // `GET /items/{itemId}/reviews` under `/items`; what follows the item's parameter has no other.
  const under = new Map<string, Array<{ target: Operation; param: string; parents: string[]; item: string }>>();
  for (const target of operations) {
    const segments = target.path.replace(/\/+$/, '').split('/');
    let last = -1;
    segments.forEach((segment, i) => {
      if (/^\{[^}/+]+\}$/.test(segment)) last = i;
    });
    if (last < 1 || segments.slice(last).some((segment) => segment.endsWith('+}'))) continue;
    if (last === segments.length - 1 && !ITEM_METHODS.includes(target.method)) continue;
    const collection = segments.slice(0, last).join('/');
    const list = under.get(blank(collection)) ?? [];
    list.push({ target, param: (segments[last] as string).slice(1, -1), parents: names(collection), item: segments.slice(0, last + 1).join('/') });
    under.set(blank(collection), list);
  }
  for (const source of operations) {
    if (source.method !== 'POST') continue;
    const success = source.responses.find((r) => SUCCESS.test(r.status));
    if (!success) continue;
    const own = names(source.path);
    for (const { target, param, parents, item } of under.get(blank(source.path.replace(/\/+$/, ''))) ?? []) {
      const field = idField(success, param, root);
      const located = success.headers.some((h) => h.name.toLowerCase() === 'location');
      if (field === undefined && !located) continue;
      // A field named like the parameter is read back for certain; a bare `id` only when no Location says more.
      const named = field !== undefined && field !== 'id';
      const fromField = field !== undefined && (named || !located);
      const value: LinkValue = fromField ? { kind: 'expression', expression: `$response.body#/${field}` } : { kind: 'location', template: item };
      const from = fromField ? `the response field "${field}"` : `the Location header, read as ${item}`;
      const carried = parents.map((name, i) => ({ in: 'path' as const, name, value: { kind: 'expression' as const, expression: `$request.path.${own[i] ?? name}` } }));
      const beneath = target.path.replace(/\/+$/, '') !== item;
      const why = `${source.method} ${source.path} creates what ${target.method} ${target.path} addresses${beneath ? ` (beneath ${item})` : ''}; {${param}} from ${from}${parents.length ? `, ${parents.map((n) => `{${n}}`).join(', ')} from the request's path` : ''}`;
      out.push({
        name: `${source.id} ${statusName(success)} → ${target.id}`, source, status: statusName(success), target, parameters: [...carried, { in: 'path', name: param, value }],
        inferred: why, certain: !fromField || named, beneath,
      });
    }
  }
  // A PUT to a path the client names stores what the other operations on that very path address: the
  // same path parameters, carried from the PUT's own request (`PUT /documents/{key}` → `GET /documents/{key}`).
  for (const source of operations) {
    if (source.method !== 'PUT') continue;
    const success = source.responses.find((r) => SUCCESS.test(r.status));
    const params = names(source.path);
    // A PUT that only replaces what a POST created adds nothing the POST's links do not already reach.
    const creates = source.responses.some((r) => r.status === '201');
    if (!success || params.length === 0 || (!creates && out.some((l) => l.target.path === source.path))) continue;
    for (const target of operations) {
      if (target === source || target.path !== source.path || !['GET', 'PATCH', 'DELETE'].includes(target.method)) continue;
      out.push({
        name: `${source.id} ${statusName(success)} → ${target.id}`, source, status: statusName(success), target,
        parameters: params.map((name) => ({ in: 'path' as const, name, value: { kind: 'expression' as const, expression: `$request.path.${name}` } })),
        inferred: `PUT ${source.path} stores what ${target.method} ${target.path} addresses; ${params.map((n) => `{${n}}`).join(', ')} from the request's path`,
        certain: true, beneath: false,
      });
    }
  }
  return out;
}

/**
 * Links a `Location` header teaches: a success response of `source` whose `Location` path matches
 * another operation's path template leads to every operation on that path, each path parameter read
 * from the header. Links already known (same source and target) are not repeated.
 *
 * @example
 * linksFromLocation(createOrder, 201, '/prod/orders/o-7', operations, known); // createOrder 201 → getOrder, cancelOrder
 */
export function linksFromLocation(source: Operation, status: number, location: string, operations: readonly Operation[], known: readonly Link[]): Link[] {
  const path = locationPath(location);
  // The most specific template that matches: literal segments before parameters.
  const literal = (template: string): number => template.split('/').filter((seg) => seg !== '' && !seg.startsWith('{')).length;
  const matching = operations.filter((op) => op !== source && ITEM_METHODS.includes(op.method) && matchPath(op.path, path) !== undefined);
  const best = Math.max(-1, ...matching.map((op) => literal(op.path)));
  const items = new Set(matching.filter((op) => literal(op.path) === best).map((op) => op.path.replace(/\/+$/, '')));
  const out: Link[] = [];
  for (const item of items) {
    // The resource the Location names, and what lies beneath it: each takes the ids the header holds.
    const params = [...item.matchAll(/\{([^}/+]+)\}/g)].map((m) => m[1] as string);
    const targets = operations.filter((op) => op !== source && (op.path.replace(/\/+$/, '') === item ? ITEM_METHODS.includes(op.method) : op.path.startsWith(`${item}/`)));
    for (const target of targets) {
      if (known.some((l) => l.source === source && l.target === target)) continue;
      const beneath = target.path.replace(/\/+$/, '') !== item;
      out.push({
        name: `${source.id} ${status} → ${target.id}`, source, status: String(status), target,
        parameters: params.map((name) => ({ in: 'path' as const, name, value: { kind: 'location' as const, template: item } })),
        inferred: `a ${status} of ${source.method} ${source.path} had Location ${location}, which ${beneath ? `names ${item}, beneath which ${target.method} ${target.path} lies` : `${target.method} ${target.path} addresses`}`,
        certain: true, beneath,
      });
    }
  }
  return out;
}

/** The response body field that holds the item's id for `{param}`: the same name, snake or camel, else `id`. */
function idField(response: ResponseSpec, param: string, root: unknown): string | undefined {
  const names = new Set<string>();
  for (const media of response.content) {
    if (!/json/i.test(media.mediaType) || !media.schema) continue;
    for (const n of propertyNames(media.schema.schema, root, 0)) names.add(n);
  }
  const flat = (s: string): string => s.replace(/[_-]/g, '').toLowerCase();
  const same = [...names].find((n) => flat(n) === flat(param));
  if (same !== undefined) return same;
  return names.has('id') ? 'id' : undefined;
}

function propertyNames(schema: unknown, root: unknown, depth: number): string[] {
  if (!isObject(schema) || depth > 4) return [];
  if (typeof schema.$ref === 'string') return propertyNames(schema.$ref.startsWith('#') ? getAt(root, schema.$ref) : undefined, root, depth + 1);
  const own = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  const all = Array.isArray(schema.allOf) ? schema.allOf.flatMap((s) => propertyNames(s, root, depth + 1)) : [];
  return [...own, ...all];
}

/** A link's parameters and body written out: `itemId ← $response.body#/id`. */
export function describeLink(link: Link): string {
  const show = (v: LinkValue): string => (v.kind === 'expression' ? v.expression : v.kind === 'location' ? 'the Location header' : JSON.stringify(v.value));
  const parts = link.parameters.map((p) => `${p.in === 'path' ? '' : `${p.in}.`}${p.name} ← ${show(p.value)}`);
  if (link.requestBody) parts.push(`body ← ${show(link.requestBody)}`);
  return parts.join(', ');
}

/** A link as reports and `events` list it: plain data, operations by id. */
export interface LinkSummary {
  name: string;
  from: string;
  status: string;
  to: string;
  /** `itemId ← $response.body#/id`. */
  carries: string;
  /** Why it was assumed, for inferred links. */
  inferred?: string;
  /** The document's link, for explicit ones. */
  pointer?: string;
}

export function summarizeLink(link: Link): LinkSummary {
  return {
    name: link.name, from: link.source.id, status: link.status, to: link.target.id, carries: describeLink(link),
    ...(link.inferred ? { inferred: link.inferred } : {}), ...(link.pointer ? { pointer: link.pointer } : {}),
  };
}

/** What a runtime expression is evaluated against: one step's request and response. */
export interface LinkContext {
  request: HttpRequest;
  /** The request's body as the client sent it, parsed when JSON. */
  requestBody?: unknown;
  /** The path parameters the request filled, by name. */
  pathParameters: Record<string, string>;
  response: HttpResponse;
}

/** An expression's value, or undefined (with the reason) when the step does not hold it. */
export type Evaluated = { value: unknown } | { missing: string };

/** Evaluates a link value against a step, for the target's `parameter` (a `location` value reads it from the header). */
export function evaluateLinkValue(value: LinkValue, context: LinkContext, parameter: string): Evaluated {
  if (value.kind === 'constant') return { value: value.value };
  if (value.kind === 'location') {
    const location = headerValue(context.response.headers, 'location');
    if (location === undefined) return { missing: 'the response has no Location header' };
    const got = matchPath(value.template, locationPath(location));
    const v = got?.[parameter];
    return v === undefined ? { missing: `Location ${location} does not match ${value.template}` } : { value: v };
  }
  const e = value.expression;
  if (e.startsWith('$') && !/\{\$/.test(e)) return evaluateExpression(e, context);
  // Embedded expressions: each `{$…}` replaced by its value as text.
  let missing: string | undefined;
  const text = e.replace(/\{(\$[^}]+)\}/g, (_m, inner: string) => {
    const r = evaluateExpression(inner, context);
    if ('missing' in r) {
      missing ??= r.missing;
      return '';
    }
    return typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
  });
  return missing !== undefined ? { missing } : { value: text };
}

function evaluateExpression(e: string, c: LinkContext): Evaluated {
  if (e === '$url') return { value: c.request.path + (c.request.rawQuery ? `?${c.request.rawQuery}` : '') };
  if (e === '$method') return { value: c.request.method };
  if (e === '$statusCode') return { value: c.response.statusCode };
  const m = /^\$(request|response)\.(path|query|header|body)(?:\.([^#]+))?(#.*)?$/.exec(e);
  if (!m) return { missing: `${e} is not a runtime expression` };
  const [, side, part, name, fragment] = m as unknown as [string, 'request' | 'response', string, string | undefined, string | undefined];
  const fail = { missing: `${e}: not in the ${side}` };
  if (part === 'body') {
    const body = side === 'request' ? c.requestBody : parseJsonBody(c.response.body);
    if (body === undefined) return { missing: `${e}: the ${side} has no JSON body` };
    const v = fragment === undefined || fragment === '#' ? body : getAt(body, fragment);
    return v === undefined ? fail : { value: v };
  }
  if (name === undefined) return fail;
  if (side === 'response') {
    if (part !== 'header') return fail;
    const v = headerValue(c.response.headers, name);
    return v === undefined ? fail : { value: v };
  }
  if (part === 'path') return c.pathParameters[name] !== undefined ? { value: c.pathParameters[name] } : fail;
  if (part === 'header') {
    const v = headerValue(c.request.headers, name);
    return v === undefined ? fail : { value: v };
  }
  const q = splitQuery(c.request.rawQuery).find(([k]) => decodeQueryComponent(k) === name);
  return q === undefined ? fail : { value: decodeQueryComponent(q[1]) };
}

/**
 * A request's or response's body as JSON, or undefined when it has none or it is not JSON. Integers
 * beyond 2^53 (int64 ids) are read exactly, as BigInt: `JSON.parse` would round them to another id.
 */
export function parseJsonBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return parseLossless(body.toString('utf8'), undefined, (n) => (isInteger(n) && !isSafeNumber(n) ? BigInt(n) : Number(n)));
  } catch {
    return undefined;
  }
}

/** The path of a Location header's URL (absolute or relative), query dropped. */
function locationPath(location: string): string {
  try {
    return new URL(location, 'http://location.invalid').pathname;
  } catch {
    return location.split('?')[0] ?? location;
  }
}

/**
 * The path parameters of `path` under a template, or undefined when it does not match. A stage or base
 * path before the template's first segment is allowed (`/prod/items/7` matches `/items/{id}`).
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const depth = template.split('/').filter(Boolean).length;
  const segments = path.split('/').filter(Boolean);
  if (segments.length < depth) return undefined;
  const raw = matchRoute(template, `/${segments.slice(segments.length - depth).join('/')}`);
  return raw && Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodeFragment(value)]));
}
