/** Route paths as the deployment formats write them, in the contract's template syntax. */

/** An ALB path pattern as a route path: a trailing `*` is a greedy segment (`/pets/*` → `/pets/{proxy+}`). */
export function albPattern(pattern: string): string {
  return pattern.endsWith('*') ? `${pattern.slice(0, -1).replace(/\/?$/, '/')}{proxy+}` : pattern;
}
