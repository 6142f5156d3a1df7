/**
 * Timers a handler leaves behind: cleared when the run ends (a warm container's leftovers must not
 * outlive the test run), and a fault from a timer no invocation started is named in the report's warnings.
 */
import { describe, expect, it } from '@jest/globals';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadContract, runContract } from '../../src';

const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const pets = { statusCode: 200, headers: { 'Content-Type': 'application/json', 'X-Total-Count': '0' }, body: '[]' };
const only = { operations: ['listPets'], runs: 0, checks: ['conformance' as const] };

describe('timers a handler leaves running', () => {
  it('are cleared when the run ends: an interval and a far timer never fire afterwards', async () => {
    let ticks = 0;
    let late = false;
    const handler = async () => {
      setInterval(() => void ticks++, 2);
      setTimeout(() => void (late = true), 60);
      return pets;
    };
    const report = await runContract(await loadContract(PETSTORE), handler, only);
    expect(report.summary.failed).toBe(0);
    const atEnd = ticks;
    await sleep(100);
    expect([ticks, late]).toEqual([atEnd, false]);
  });

  it('that throw with no invocation to blame are named in a warning, and the run goes on', async () => {
    const contract = await loadContract(PETSTORE);
    const handler = async () => {
      await sleep(40);
      return pets;
    };
    const run = runContract(contract, handler, only);
    // Started outside every invocation (as a module's cache refresher is), firing while the run guards.
    const orphan = setTimeout(() => { throw new Error('cache refresh failed'); }, 10);
    const report = await run;
    clearTimeout(orphan);
    expect(report.summary).toMatchObject({ passed: 1, failed: 0 });
    expect(report.warnings).toContain("the handler's code raised an uncaught Error: cache refresh failed, outside any handler invocation");
  });
});
