/**
 * The process environment a handler reads. Inside a test runner's sandbox (Jest runs each test file in a
 * `vm` context with a copy of `process.env`), a handler module loaded through jiti reads the main
 * realm's `process.env`: variables are laid over both, and what a test file set in its copy is laid
 * over the main realm's while a run lasts, so the handler sees what the test set.
 */
import * as vm from 'node:vm';

/**
 * The environments a handler may read: ours, and the main realm's when we run inside a `vm` context
 * (Jest), since a handler module loaded through jiti reads the main realm's `process.env`.
 */
function environments(): NodeJS.ProcessEnv[] {
  const main = (vm.runInThisContext('process') as NodeJS.Process).env;
  return main === process.env ? [process.env] : [process.env, main];
}

/** Lays `env` over process.env (and the main realm's); returns what puts every variable back. */
function layEnvironment(env: Record<string, string>): () => void {
  const saved: Array<[NodeJS.ProcessEnv, string, string | undefined]> = [];
  for (const target of environments()) {
    for (const [k, v] of Object.entries(env)) {
      saved.push([target, k, target[k]]);
      target[k] = v;
    }
  }
  return () => {
    for (const [target, k, v] of saved.reverse()) {
      if (v === undefined) delete target[k];
      else target[k] = v;
    }
  };
}

/** `withEnvironment` for synchronous work. */
export function withEnvironmentSync<T>(env: Record<string, string>, work: () => T): T {
  const restore = layEnvironment(env);
  try {
    return work();
  } finally {
    restore();
  }
}

/** Runs `work` with `env` laid over process.env, restoring every variable after. */
export async function withEnvironment<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const restore = layEnvironment(env);
  try {
    return await work();
  } finally {
    restore();
  }
}

/** The variables a test file set in its sandbox's copy of `process.env` that the main realm's lacks or holds otherwise. */
export function sandboxEnvironment(): Record<string, string> {
  const envs = environments();
  const main = envs[1];
  if (!main) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && main[k] !== v) out[k] = v;
  return out;
}
