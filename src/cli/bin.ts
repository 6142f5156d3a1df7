#!/usr/bin/env node
/** The `lambda-contract` executable. */
import { createInterface } from 'node:readline/promises';
import { main } from './main';

/** A question on the terminal; only when stdin is one (CI and pipes get no questions). */
async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  env: process.env,
  ...(process.stdin.isTTY ? { ask } : {}),
  interrupted: () =>
    new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }),
}).then(
  (code) => {
    process.exitCode = code;
    // Handlers may leave timers or sockets open; the verdict is in, so do not wait for them.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (error: unknown) => {
    process.stderr.write(`lambda-contract: ${String(error)}\n`);
    process.exit(2);
  },
);
