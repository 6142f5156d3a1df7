/**
 * DynamoDB as the template declares it: every table created empty, with its keys and indexes, in a
 * local DynamoDB (dynalite, a maintained emulator, in memory) listening on loopback for one run. The
 * functions' sandboxes reach it through the run's AWS front (front.ts), to which their calls to
 * `dynamodb.<region>.amazonaws.com` are redirected, whichever SDK makes them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeployedTable } from '../deploy/model';
import { ContractError } from '../errors';

/** Items to put into the template's tables before a run: by table (logical id or name), plain JSON each. */
export interface TableItems {
  /** Where they were read from, for the errors that name an item (`items.json`). */
  file: string;
  items: Record<string, unknown[]>;
}

/**
 * Checks items against the tables before anything starts: each names a table of the template, and
 * carries the table's key attributes with their types. Throws naming the item (`items.json#/Notes/2`).
 */
export function checkTableItems(tables: readonly DeployedTable[], given: TableItems): void {
  const fail = (pointer: string, why: string): never => {
    throw new ContractError('ERR_CONTRACT_CONFIG', `${given.file}#${pointer}: ${why}`, { file: given.file, pointer });
  };
  if (given.items === null || typeof given.items !== 'object' || Array.isArray(given.items)) fail('', 'expected an object of tables, each a list of items');
  for (const [key, list] of Object.entries(given.items)) {
    const table = tables.find((t) => t.id === key || t.name === key);
    if (!table) fail(`/${key}`, `the template has no table ${JSON.stringify(key)}; its tables: ${tables.map((t) => t.id).join(', ') || '(none)'}`);
    if (!Array.isArray(list)) fail(`/${key}`, 'expected a list of items');
    list.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) fail(`/${key}/${i}`, 'an item is an object');
      for (const k of (table as DeployedTable).keySchema) {
        const type = (table as DeployedTable).attributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType;
        const value = (item as Record<string, unknown>)[k.AttributeName];
        if (value === undefined) fail(`/${key}/${i}`, `the item lacks the table's key attribute "${k.AttributeName}"`);
        const ok = type === 'S' ? typeof value === 'string' : type === 'N' ? typeof value === 'number' : type === 'B' ? typeof value === 'string' : true;
        if (!ok) fail(`/${key}/${i}/${k.AttributeName}`, `the key attribute is of type ${type} (${type === 'N' ? 'a number' : 'a string'}), got ${JSON.stringify(value)}`);
      }
    });
  }
}

/** A plain JSON value in DynamoDB's attribute-value form. */
function attribute(value: unknown): unknown {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(attribute) };
  return { M: Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, attribute(v)])) };
}

/** A running local DynamoDB with the template's tables. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Each table and how many items it holds now (what the run's handlers wrote). */
  itemCounts(): Promise<Array<{ id: string; name: string; items: number }>>;
  close(): Promise<void>;
}

type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => http.Server;

/** One call of DynamoDB's JSON protocol (what the SDK sends), signed with keys no one checks. */
function call(endpoint: string, target: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        authorization: 'AWS4-HMAC-SHA256 Credential=lambda-contract/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        'x-amz-date': '20260101T000000Z',
      },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Starts the local DynamoDB and creates each table; throws naming the table a definition fails for. */
export async function startDynamo(tables: readonly DeployedTable[], seed?: TableItems): Promise<LocalDynamo> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as Dynalite;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  try {
    for (const t of tables) {
      const answer = await call(endpoint, 'CreateTable', {
        TableName: t.name, KeySchema: t.keySchema, AttributeDefinitions: t.attributeDefinitions, BillingMode: 'PAY_PER_REQUEST',
        ...(t.globalSecondaryIndexes ? { GlobalSecondaryIndexes: t.globalSecondaryIndexes.map(withoutThroughput) } : {}),
        ...(t.localSecondaryIndexes ? { LocalSecondaryIndexes: t.localSecondaryIndexes } : {}),
      });
      if (answer.status !== 200) throw new Error(`table ${t.id} (${t.name}): the local DynamoDB refused its definition: ${answer.body}`);
      const items = seed ? (seed.items[t.id] ?? seed.items[t.name] ?? []) : [];
      for (const [i, item] of items.entries()) {
        const put = await call(endpoint, 'PutItem', { TableName: t.name, Item: (attribute(item) as { M: unknown }).M });
        if (put.status !== 200) throw new Error(`${seed?.file ?? 'items'}#/${t.id}/${i}: the local DynamoDB refused the item: ${put.body}`);
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  const itemCounts = async (): Promise<Array<{ id: string; name: string; items: number }>> => {
    const out: Array<{ id: string; name: string; items: number }> = [];
    for (const t of tables) {
      let items = 0;
      let start: unknown;
      do {
        const answer = await call(endpoint, 'Scan', { TableName: t.name, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) });
        const page = JSON.parse(answer.body) as { Count?: number; LastEvaluatedKey?: unknown };
        items += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      out.push({ id: t.id, name: t.name, items });
    }
    return out;
  };
  return { endpoint, itemCounts, close };
}

/** A pay-per-request table's indexes carry no provisioned throughput. */
function withoutThroughput(index: unknown): unknown {
  if (typeof index !== 'object' || index === null) return index;
  const { ProvisionedThroughput: _p, ...rest } = index as Record<string, unknown>;
  return rest;
}
