/** Media-type matching as OpenAPI means it: ranges (`image/*`, `*\/*`), parameters ignored. */
import type { MediaTypeSpec } from '../document/model';
import { essence } from '../gateway/wire';

export { essence };

/** How well a documented media type covers a received one: 3 exact, 2 `type/*`, 1 `*\/*`, 0 not at all. */
export function matchScore(documented: string, received: string): number {
  const d = essence(documented);
  const r = essence(received);
  if (d === r) return 3;
  if (d === '*/*' || d === '*') return 1;
  if (d.endsWith('/*') && r.startsWith(d.slice(0, -1))) return 2;
  return 0;
}

/** The documented media type that best matches `received`, if any. */
export function bestMediaType(content: readonly MediaTypeSpec[], received: string): MediaTypeSpec | undefined {
  let best: MediaTypeSpec | undefined;
  let score = 0;
  for (const spec of content) {
    const s = matchScore(spec.mediaType, received);
    if (s > score) {
      best = spec;
      score = s;
    }
  }
  return best;
}

/** JSON media types: `application/json`, `text/json`, any `+json` suffix. */
export function isJsonMediaType(mediaType: string): boolean {
  const e = essence(mediaType);
  return e === 'application/json' || e === 'text/json' || e.endsWith('+json');
}

/** Media types whose body is text. */
export function isTextMediaType(mediaType: string): boolean {
  const e = essence(mediaType);
  return e.startsWith('text/') || isJsonMediaType(e) || e.endsWith('+xml') || ['application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'application/yaml', 'application/x-yaml'].includes(e);
}
