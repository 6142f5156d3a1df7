/**
 * A test file sets an environment variable for its handler (a table name, a local endpoint). Jest gives
 * each test file a copy of process.env, while a handler module loaded through jiti reads the main
 * realm's: the loader and the run lay what the test file set over it, at load time and at call time.
 */
import * as path from 'node:path';
import { loadContract } from '../../src/contract';
import { loadHandler } from '../../src/invoke/load';
import { runContract } from '../../src/run/run';

const ROOT = path.resolve(__dirname, '../..');
const doc = {
  openapi: '3.0.3',
  info: { title: 'Env', version: '1' },
  paths: { '/greeting': { get: { operationId: 'greet', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['atLoad', 'atCall'], properties: { atLoad: { enum: ['hello'] }, atCall: { enum: ['hello'] } } } } } } } } } },
};

afterEach(() => {
  delete process.env.LC_GREETING;
});

it('lets a handler read, as it loads and as it answers, what the test file set in process.env', async () => {
  process.env.LC_GREETING = 'hello';
  const handler = await loadHandler('test/fixtures/handlers/env-reader.mjs', ROOT, { fresh: true });
  const report = await runContract(await loadContract(doc), handler as never, { runs: 0 });
  expect(report.results.map((r) => [r.case, r.ok, r.violations.map((v) => v.received)])).toEqual([['schema', true, []]]);
});

it('leaves nothing behind: a module loaded with no variable set sees none', async () => {
  const handler = await loadHandler('test/fixtures/handlers/env-reader.mjs', ROOT, { fresh: true });
  const answer = (await (handler as () => Promise<{ body: string }>)()).body;
  expect(JSON.parse(answer)).toEqual({ atLoad: null, atCall: null });
});
