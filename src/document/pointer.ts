/** JSON pointers (RFC 6901) and local `$ref` resolution over a bundled document. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes one pointer segment: `~` → `~0`, `/` → `~1`. */
export function escapeSegment(segment: string | number): string {
  const text = String(segment);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** Joins segments onto a pointer: `pointer('/paths', '/pets', 'get')` → `/paths/~1pets/get`. */
export function pointer(base: string, ...segments: Array<string | number>): string {
  return base + segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** Percent-decodes a URI fragment segment (or a path segment); a malformed escape stays as written. */
export function decodeFragment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A local `$ref` (`#/components/schemas/Pet%20Kind`) as a plain JSON pointer (`/components/schemas/Pet Kind`). */
export function refPointer(ref: string): string {
  return ref.slice(1).split('/').map(decodeFragment).join('/');
}

/**
 * The value at a pointer, or undefined. A plain JSON pointer (`/a/b`) is taken literally; a URI
 * fragment (`#/a%20b`, as `$ref`s write it) is percent-decoded first.
 */
export function getAt(root: unknown, ptr: string): unknown {
  // `$ref`s are resolved again and again (every sample, every retry, every operation that uses a schema):
  // their targets are remembered per document, which is not changed once loaded.
  if (ptr.startsWith('#') && typeof root === 'object' && root !== null) {
    let known = refTargets.get(root);
    if (!known) refTargets.set(root, (known = new Map()));
    if (known.has(ptr)) return known.get(ptr);
    const value = walkPointer(root, ptr);
    known.set(ptr, value);
    return value;
  }
  return walkPointer(root, ptr);
}

const refTargets = new WeakMap<object, Map<string, unknown>>();
const unescapeTilde = (m: string): string => (m === '~1' ? '/' : '~');
/** Names every object or array answers to without holding them. */
const INHERITED = new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Array.prototype)]);

function walkPointer(root: unknown, ptr: string): unknown {
  const fragment = ptr.startsWith('#');
  const p = fragment ? ptr.slice(1) : ptr;
  if (p === '') return root;
  let node: unknown = root;
  for (const raw of p.slice(1).split('/')) {
    const decoded = fragment && raw.includes('%') ? decodeFragment(raw) : raw;
    const seg = decoded.includes('~') ? decoded.replace(/~[01]/g, unescapeTilde) : decoded;
    if (typeof node !== 'object' || node === null) return undefined;
    if (INHERITED.has(seg)) {
      // `constructor`, `length`, `__proto__`: only an own property of that name counts
      node = Array.isArray(node) ? node[Number(seg)] : Object.hasOwn(node, seg) ? (node as JsonObject)[seg] : undefined;
    } else {
      const next: unknown = (node as JsonObject)[seg];
      // an array index written otherwise than in digits (`01`) is read as the number it spells, as before
      node = next === undefined && Array.isArray(node) ? node[Number(seg)] : next;
    }
  }
  return node;
}

/**
 * Follows `$ref` chains within the document. Returns the target and its pointer; stops (returning
 * the last reachable node) on a cycle or a reference that leaves the document.
 */
export function follow(root: unknown, node: unknown, at: string): { value: unknown; pointer: string } {
  let value = node;
  let ptr = at;
  const seen = new Set<string>();
  while (isObject(value) && typeof value.$ref === 'string' && value.$ref.startsWith('#')) {
    const target = value.$ref.slice(1);
    if (seen.has(target)) break;
    seen.add(target);
    const next = getAt(root, value.$ref);
    if (next === undefined) break;
    value = next;
    ptr = target;
  }
  return { value, pointer: ptr };
}
