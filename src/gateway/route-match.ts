/** Route templates matched against concrete paths, as API Gateway fills path parameters. */

/** Escapes a string for use inside a regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A route template taken apart once: by segment when every variable is a whole one, else as a regex. */
type CompiledRoute =
  | { kind: 'segments'; parts: Array<string | { name: string }>; greedy?: string }
  | { kind: 'regex'; regex: RegExp; names: string[] };

const templateCache = new Map<string, CompiledRoute>();

function compileRoute(template: string): CompiledRoute {
  const parts = template.split('/');
  const segmentsOnly = parts.every((p, i) => !/[{}]/.test(p) || (/^\{[^{}]+\}$/.test(p) && (!p.endsWith('+}') || i === parts.length - 1)));
  if (segmentsOnly) {
    const last = parts[parts.length - 1] ?? '';
    const greedy = last.endsWith('+}') ? last.slice(1, -2) : undefined;
    const fixed = (greedy === undefined ? parts : parts.slice(0, -1)).map((p) => (p.startsWith('{') ? { name: p.slice(1, -1) } : p));
    return greedy === undefined ? { kind: 'segments', parts: fixed } : { kind: 'segments', parts: fixed, greedy };
  }
  const names: string[] = [];
  let source = '';
  let lastIndex = 0;
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    source += escapeRegExp(template.slice(lastIndex, m.index));
    const raw = m[1] ?? '';
    const isGreedy = raw.endsWith('+');
    names.push(isGreedy ? raw.slice(0, -1) : raw);
    source += isGreedy ? '(.+?)' : '([^/]+)';
    lastIndex = m.index + m[0].length;
  }
  source += escapeRegExp(template.slice(lastIndex));
  return { kind: 'regex', regex: new RegExp(`^${source}/?$`), names };
}

/**
 * Matches a concrete (encoded) path against a route template, returning the raw values of its
 * variables. `{proxy+}` is greedy and may span slashes; one trailing slash is allowed, as
 * `^template/?$` would.
 */
export function matchRoute(template: string, path: string): Record<string, string> | undefined {
  let compiled = templateCache.get(template);
  if (!compiled) templateCache.set(template, (compiled = compileRoute(template)));
  const values: Record<string, string> = {};
  if (compiled.kind === 'regex') {
    const match = compiled.regex.exec(path);
    if (!match) return undefined;
    compiled.names.forEach((name, i) => {
      values[name] = match[i + 1] ?? '';
    });
    return values;
  }
  const { parts, greedy } = compiled;
  const segs = path.split('/');
  if (greedy === undefined) {
    if (segs.length === parts.length + 1 && segs[segs.length - 1] === '') segs.pop(); // the trailing slash
    if (segs.length !== parts.length) return undefined;
  } else if (segs.length <= parts.length) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | { name: string };
    const seg = segs[i] as string;
    if (typeof part === 'string') {
      if (part !== seg) return undefined;
    } else {
      if (seg === '') return undefined;
      values[part.name] = seg;
    }
  }
  if (greedy !== undefined) {
    let rest = segs.slice(parts.length).join('/');
    if (rest.length > 1 && rest.endsWith('/')) rest = rest.slice(0, -1);
    if (rest === '') return undefined;
    values[greedy] = rest;
  }
  return values;
}
