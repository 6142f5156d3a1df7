/**
 * Progress while a contract runs, on stderr: a bar redrawn in place on a terminal, or one plain line per
 * case elsewhere (CI logs, files), so a long run shows it is alive either way.
 */
import type { CaseResult } from '../run/run';
import { formatCaseLine } from './text';

export interface Progress {
  /** Called with each case's verdict as the run makes it. */
  onResult: (r: CaseResult) => void;
  /** The run is over: clear the bar. */
  done: () => void;
}

export interface BarOptions {
  /** Operations (× sources) the run will judge. */
  total: number;
  /** Terminal width (default 80). */
  columns?: number;
  /** Milliseconds between redraws (default 80); the clock is injectable for tests. */
  interval?: number;
  now?: () => number;
}

const CLEAR = '\r\u001b[2K';

/**
 * A one-line bar: `▕████████░░░░▏ 2/4 operations · 14 cases · 1 failed · getPet`.
 *
 * @example
 * const bar = progressBar((t) => process.stderr.write(t), { total: contract.operations.length });
 * await runContract(contract, handler, { onResult: bar.onResult });
 * bar.done();
 */
export function progressBar(write: (text: string) => void, options: BarOptions): Progress {
  const { total, columns = 80, interval = 80, now = () => performance.now() } = options;
  const seen = new Set<string>();
  let cases = 0;
  let failed = 0;
  let last = -Infinity;
  let current = '';
  let drawn = false;
  const draw = (): void => {
    const width = 20;
    const doneOps = Math.max(0, Math.min(total, seen.size - 1));
    const filled = total > 0 ? Math.round((doneOps / total) * width) : width;
    const bar = `▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏`;
    let line = `${bar} ${doneOps}/${total} operations · ${cases} case${cases === 1 ? '' : 's'} · ${failed} failed · ${current}`;
    if (line.length > columns - 1) line = `${line.slice(0, columns - 2)}…`;
    write(CLEAR + line);
    drawn = true;
  };
  return {
    onResult(r) {
      cases++;
      if (!r.ok) failed++;
      const key = `${r.source} ${r.operationId}`;
      if (!seen.has(key)) {
        seen.add(key);
        current = `${r.operationId} ${r.method} ${r.path}`;
      }
      const t = now();
      if (t - last >= interval) {
        last = t;
        draw();
      }
    },
    done() {
      if (drawn) write(CLEAR);
    },
  };
}

/** One plain line per case, prefixed by its source. */
export function progressLines(write: (text: string) => void): Progress {
  return {
    onResult: (r) => write(`${r.source.padEnd(9)} ${formatCaseLine(r, false)}\n`),
    done: () => undefined,
  };
}
