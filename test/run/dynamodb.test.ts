/**
 * The Items example keeps its items in DynamoDB through the AWS SDK v3 document client. Here it runs
 * against dynalite, a DynamoDB-compatible server this test starts in-process on loopback (the run's
 * network isolation lets loopback through); the table is created before and dropped after. Its
 * sequences pass; a variant whose DELETE deletes nothing is found by use_after_free.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as path from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { runIn } from '../cli/in-process';
import type { RunReport } from '../../src/run/run';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number }) => Server;

const ROOT = path.resolve(__dirname, '../..');
const TABLE = `items-${process.pid}`;
const saved = { ...process.env };
let server: Server;
let db: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // What the functions' environment would hold, pointed at the local server.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ITEMS_TABLE: TABLE,
  });
  db = new DynamoDBClient({});
  await db.send(new CreateTableCommand({ TableName: TABLE, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
  const { Table } = await db.send(new DescribeTableCommand({ TableName: TABLE }));
  expect(Table?.TableStatus).toBe('ACTIVE');
}, 30_000);

afterAll(async () => {
  await db?.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => undefined);
  db?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  process.env = saved;
});

const check = async (handler: string): Promise<{ code: number; report: RunReport }> => {
  const { code, stdout } = await runIn(ROOT, 'check', '--spec', 'specs/items/openapi.yaml', '--handler', handler, '--format', 'json');
  return { code, report: JSON.parse(stdout) as RunReport };
};

describe('the DynamoDB Items example against a local DynamoDB', () => {
  it('passes check with default flags: created items are read back, replaced ones keep the change, deleted ones are gone', async () => {
    const { code, report } = await check('specs/items/handler.mjs');
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.operationId} ${r.case}: ${r.violations[0]?.message ?? r.internalError} ${r.error?.message ?? ""}`)).toEqual([]);
    expect(code).toBe(0);
    expect(report.results.filter((r) => r.sequence).map((r) => r.case)).toEqual([
      'sequence createItem → getItem', 'sequence createItem → replaceItem → getItem', 'sequence createItem → deleteItem → getItem', 'sequences from createItem ×20',
    ]);
    // The items really went to the table: every create that was not deleted afterwards is still there.
    const { Count } = await db.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }));
    expect(Count).toBeGreaterThan(0);
  }, 60_000);

  it('finds the variant whose DELETE deletes nothing with use_after_free, shrunk, with its seed', async () => {
    const { code, report } = await check('test/fixtures/handlers/items-dynamodb-broken.mjs');
    expect(code).toBe(1);
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.map((r) => [r.sequence?.kind, r.violations[0]?.rule])).toEqual([
      ['sequence createItem → deleteItem → getItem', 'use_after_free'],
      ['sequences from createItem ×20', 'use_after_free'],
    ]);
    const shrunk = failed.find((r) => r.sequence?.shrunk);
    expect(shrunk?.sequence?.steps.map((s) => `${s.method} ${s.status}`)).toEqual(['POST 201', 'DELETE 204', 'GET 200']);
    expect(shrunk?.notes.some((n) => n.startsWith('reproduce: --seed 1 '))).toBe(true);
  }, 60_000);
});
