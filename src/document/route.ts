/**
 * Routing a concrete request to an operation, as API Gateway picks a route: the most specific path
 * (a greedy `{name+}` last, then more literal segments first), and on one path the method's own route
 * before `ANY`.
 */
/** What routing needs of an operation: its method (or `ANY`) and path template. */
export interface Routable {
  method: string;
  path: string;
}

interface CompiledRoute<T extends Routable> {
  operation: T;
  regex: RegExp;
  /** Literal segments: more is more specific. */
  literals: number;
  greedy: boolean;
}

/**
 * A path template with its parameter names erased (`/pets/{petId}` → `/pets/{}`, `/files/{key+}` →
 * `/files/{+}`): two paths with one shape are one route to API Gateway, which refuses to import both,
 * and OpenAPI forbids them.
 */
export function routeShape(path: string): string {
  return path.replace(/\{[^{}]+?(\+?)\}/g, '{$1}');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile<T extends Routable>(operation: T): CompiledRoute<T> {
  const segments = operation.path.split('/').slice(1);
  let literals = 0;
  let greedy = false;
  const parts = segments.map((segment) => {
    if (/^\{[^{}]+\+\}$/.test(segment)) {
      greedy = true;
      return '.+';
    }
    if (!segment.includes('{')) {
      literals++;
      return escape(segment);
    }
    // A segment with a variable inside literal text (`{id}.json`): the literal parts must match.
    return segment.split(/\{[^{}]+\}/).map(escape).join('[^/]+');
  });
  return { operation, regex: new RegExp(`^/${parts.join('/')}/?$`), literals, greedy };
}

/** Routes requests over a fixed set of operations. */
export class Router<T extends Routable> {
  private readonly routes: Array<CompiledRoute<T>>;

  constructor(operations: readonly T[]) {
    this.routes = operations.map(compile);
  }

  /**
   * The operation for a request, or undefined when no route matches (API Gateway's 403 / 404).
   *
   * @example
   * new Router(contract.operations).match('GET', '/pets/7')?.id; // 'getPet'
   */
  match(method: string, rawPath: string): T | undefined {
    let path: string;
    try {
      path = decodeURI(rawPath);
    } catch {
      path = rawPath;
    }
    const upper = method.toUpperCase();
    let best: CompiledRoute<T> | undefined;
    let bestRank: number[] = [];
    for (const route of this.routes) {
      const m = route.operation.method;
      if (m !== upper && m !== 'ANY') continue;
      if (!route.regex.test(path)) continue;
      const rank = [route.greedy ? 0 : 1, route.literals, m === upper ? 1 : 0];
      if (!best || compareRanks(rank, bestRank) > 0) {
        best = route;
        bestRank = rank;
      }
    }
    return best?.operation;
  }
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
