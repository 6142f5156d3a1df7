/**
 * Finding a contract's operations by operationId or `METHOD /path`, and the message that names the
 * ones that exist when an id matches none (with the near misses first).
 */
import type { Operation } from '../document/model';

export class OperationIndex {
  private readonly byId = new Map<string, Operation>();

  constructor(operations: readonly Operation[]) {
    for (const op of operations) {
      this.byId.set(op.id, op);
      this.byId.set(`${op.method} ${op.path}`, op);
    }
  }

  /** The operation with this operationId (or `METHOD /path`, any case and spacing of the method). */
  find(id: string): Operation | undefined {
    const direct = this.byId.get(id);
    if (direct) return direct;
    const m = /^([a-z]+)\s+(\/.*)$/i.exec(id.trim());
    return m ? this.byId.get(`${(m[1] ?? '').toUpperCase()} ${m[2] ?? ''}`) : undefined;
  }
}

/** "unknown operation getPett in openapi.yaml; did you mean getPet? operations: …" */
export function unknownOperationMessage(contract: { file: string; operations: readonly Operation[] }, id: string): string {
  const ids = contract.operations.map((o) => o.id);
  const near = ids.filter((k) => k.toLowerCase() === id.toLowerCase() || levenshtein(k.toLowerCase(), id.toLowerCase()) <= 2);
  const list = ids.length > 30 ? `${ids.slice(0, 30).join(', ')}, … (${ids.length} in all)` : ids.join(', ');
  return `unknown operation ${JSON.stringify(id)} in ${contract.file}${near.length ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : ''}; operations: ${list || '(none)'}`;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
