/**
 * Plans a contract synchronously while Jest collects tests: a worker thread loads and plans, and
 * {@link planSync} waits on `Atomics.wait` for its answer (the technique of `synckit`).
 */
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ContractError, type ContractErrorCode } from '../errors';
import type { PlanInput, SuitePlan } from './collect-worker';

const WORKER = `
const { workerData } = require('node:worker_threads');
const { signal, port, input, file, jiti } = workerData;
const answer = (message) => {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
};
(async () => {
  const mod = file.endsWith('.ts') ? await require(jiti).createJiti(file).import(file) : require(file);
  answer({ ok: true, plan: await mod.computePlan(input) });
})().catch((error) => answer({ ok: false, message: String((error && error.message) || error), code: error && error.code, details: error && error.details }));
`;

/** Loads the contract and names every case, synchronously. Throws the loader's ContractError. */
export function planSync(input: PlanInput, timeoutMs = 120_000): SuitePlan {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // The worker loads our TypeScript sources in this repository's tests (through jiti, which we ship)
  // and our compiled ones when installed.
  const ext = path.extname(__filename);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { signal, port: port2, input, file: path.join(__dirname, `collect-worker${ext}`), jiti: require.resolve('jiti') },
    transferList: [port2],
  });
  try {
    const woke = Atomics.wait(signal, 0, 0, timeoutMs);
    const received = receiveMessageOnPort(port1)?.message as
      | { ok: true; plan: SuitePlan }
      | { ok: false; message: string; code?: string; details?: Record<string, unknown> }
      | undefined;
    if (woke === 'timed-out' || !received) {
      throw new ContractError('ERR_CONTRACT_SPEC_UNREADABLE', `${input.spec}: loading the contract to plan the suite took longer than ${timeoutMs} ms`, { file: input.spec });
    }
    if (!received.ok) {
      const code = (received.code?.startsWith('ERR_CONTRACT_') ? received.code : 'ERR_CONTRACT_SPEC_UNREADABLE') as ContractErrorCode;
      throw new ContractError(code, received.message, received.details ?? { file: input.spec });
    }
    return received.plan;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
