/**
 * The project's default contract, for `eventFor()` and the matchers when no contract is passed:
 * user-visible module state (docs/design.md lists all of it); `useContract()` sets and clears it.
 */
import * as path from 'node:path';
import { ContractError } from '../errors';
import { Contract } from '../contract';
import { contractOptions, findConfig } from './config';

let current: Contract | undefined;
let pending: Promise<Contract> | undefined;

/** Makes `contract` the default for `eventFor()` and `toMatchOperation()`; `undefined` forgets it. */
export function useContract<T extends Contract | undefined>(contract: T): T {
  current = contract;
  pending = undefined;
  return contract;
}

/** Forgets the default contract. */
export function resetContract(): void {
  current = undefined;
  pending = undefined;
}

/** The default contract if one is loaded (synchronous, for matchers). */
export function currentContract(): Contract | undefined {
  return current;
}

/** Loads the default contract from the project configuration (once), or returns the one set. */
export function defaultContract(cwd: string = process.cwd()): Promise<Contract> {
  if (current) return Promise.resolve(current);
  pending ??= (async () => {
    const { config, dir, file } = findConfig(cwd);
    if (!config.spec) {
      throw new ContractError(
        'ERR_CONTRACT_CONFIG',
        `no contract: add "spec" to lambda-contract.config.json (or a "lambdaContract" key in package.json)${file ? ` — found ${file} without it` : ''}, or call useContract(await loadContract('openapi.yaml'))`,
        { cwd },
      );
    }
    const contract = await Contract.load(path.resolve(dir, config.spec), contractOptions(config, dir));
    return useContract(contract);
  })();
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}
