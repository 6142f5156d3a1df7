/**
 * What the DynamoDB stand-in costs, measured in one run: `node bench/dynamodb.js [--round-trips 1000] [--repeats 3]`.
 *
 * - starting the local DynamoDB (dynalite) and creating a template's tables, the median of 5 starts:
 *   what a run that declares tables pays before its first case
 * - a DynamoDB round trip from a handler's SDK client (GetItem through @aws-sdk/lib-dynamodb to
 *   `dynamodb.us-east-1.amazonaws.com`, redirected as a sandbox redirects it to the run's front on
 *   loopback, which passes it to the local DynamoDB), the median of N
 * - `check --template` of a 5-function CRUD app over one table, whole, against the same app with its
 *   table calls stubbed out (an in-memory Map, no SDK, no emulator): the ratio, the median of the repeats
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startDynamo } = require('../dist/aws/dynamodb');
const { AwsStandIns } = require('../dist/aws/stand-ins');
const { redirectAws } = require('../dist/invoke/aws-redirect');
const { flag, median } = require('./common');

const ROUND_TRIPS = flag('round-trips', 1000);
const REPEATS = flag('repeats', 3);
const CLI = path.join(__dirname, '../dist/cli/bin.js');
const TABLES = [
  { id: 'Items', name: 'Items', keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'kind', AttributeType: 'S' }], globalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] },
];

/** One handler per operation; `STORE=memory` swaps the table for a Map (the stubbed app). */
const HANDLERS = `
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand, PutCommand, DeleteCommand, ScanCommand } = require('@aws-sdk/lib-dynamodb');
const memory = new Map();
const db = process.env.STORE === 'memory' ? undefined : DynamoDBDocumentClient.from(new DynamoDBClient({}));
const T = process.env.TABLE;
const json = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
const isJson = (event) => (event.headers?.['content-type'] ?? '').toLowerCase().startsWith('application/json');
const get = async (id) => (db ? (await db.send(new GetCommand({ TableName: T, Key: { id } }))).Item : memory.get(id));
const put = async (item) => (db ? db.send(new PutCommand({ TableName: T, Item: item })) : memory.set(item.id, item));
exports.list = async () => json(200, db ? (await db.send(new ScanCommand({ TableName: T }))).Items ?? [] : [...memory.values()]);
exports.create = async (event) => {
  if (!isJson(event)) return json(400, { message: 'JSON only' });
  let body;
  try { body = JSON.parse(event.body ?? ''); } catch { return json(400, { message: 'not JSON' }); }
  if (typeof body?.name !== 'string') return json(400, { message: 'name required' });
  const item = { id: String(Math.floor(Math.random() * 1e9)), name: body.name, kind: 'item' };
  await put(item);
  return { ...json(201, item), headers: { 'content-type': 'application/json', location: '/items/' + item.id } };
};
exports.read = async (event) => { const item = await get(event.pathParameters.id); return item ? json(200, item) : json(404, { message: 'not found' }); };
exports.update = async (event) => {
  if (!isJson(event)) return json(400, { message: 'JSON only' });
  let body;
  try { body = JSON.parse(event.body ?? ''); } catch { return json(400, { message: 'not JSON' }); }
  if (typeof body?.name !== 'string') return json(400, { message: 'name required' });
  const item = await get(event.pathParameters.id);
  if (!item) return json(404, { message: 'not found' });
  const next = { ...item, name: body.name };
  await put(next);
  return json(200, next);
};
exports.remove = async (event) => { if (db) await db.send(new DeleteCommand({ TableName: T, Key: { id: event.pathParameters.id } })); else memory.delete(event.pathParameters.id); return json(204); };
`;

const ITEM = "{ type: object, required: [id, name], properties: { id: { type: string }, name: { type: string }, kind: { type: string } } }";
const ERROR = "{ type: object, required: [message], properties: { message: { type: string } } }";
const SPEC = `openapi: 3.0.3
info: { title: items, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      responses: { '200': { description: ok, content: { application/json: { schema: { type: array, items: ${ITEM} } } } } }
    post:
      operationId: createItem
      requestBody: { required: true, content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string } } } } } }
      responses:
        '201': { description: created, content: { application/json: { schema: ${ITEM} } } }
        '400': { description: bad, content: { application/json: { schema: ${ERROR} } } }
  /items/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      operationId: getItem
      responses:
        '200': { description: ok, content: { application/json: { schema: ${ITEM} } } }
        '404': { description: missing, content: { application/json: { schema: ${ERROR} } } }
    put:
      operationId: updateItem
      requestBody: { required: true, content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string } } } } } }
      responses:
        '200': { description: ok, content: { application/json: { schema: ${ITEM} } } }
        '400': { description: bad, content: { application/json: { schema: ${ERROR} } } }
        '404': { description: missing, content: { application/json: { schema: ${ERROR} } } }
    delete:
      operationId: deleteItem
      responses: { '204': { description: deleted } }
`;

function template(stubbed) {
  const fns = [['List', 'list', '/items', 'get'], ['Create', 'create', '/items', 'post'], ['Read', 'read', '/items/{id}', 'get'], ['Update', 'update', '/items/{id}', 'put'], ['Remove', 'remove', '/items/{id}', 'delete']];
  return ['Transform: AWS::Serverless-2016-10-31', 'Globals:', '  Function:', '    Runtime: nodejs22.x', '    CodeUri: .', `    Environment: { Variables: { TABLE: !Ref Items${stubbed ? ', STORE: memory' : ''} } }`, 'Resources:',
    ...fns.flatMap(([id, exp, p, m]) => [`  ${id}:`, '    Type: AWS::Serverless::Function', `    Properties: { Handler: app.${exp}, Events: { E: { Type: HttpApi, Properties: { Path: '${p}', Method: ${m} } } } }`]),
    '  Items:', '    Type: AWS::DynamoDB::Table', '    Properties:', '      BillingMode: PAY_PER_REQUEST', '      KeySchema: [{ AttributeName: id, KeyType: HASH }]', '      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]'].join('\n') + '\n';
}

async function main() {
  const starts = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const dynamo = await startDynamo(TABLES);
    starts.push(performance.now() - t);
    await dynamo.close();
  }
  console.log(`starting the local DynamoDB and creating 1 table with an index: the first start (dynalite loaded) ${starts[0].toFixed(1)} ms, then the median of 5 ${median(starts.slice(1)).toFixed(1)} ms (goal ≤ 200 ms)`);

  // The path a sandbox's call takes: the SDK's default endpoint, redirected to the front, on to dynalite.
  const standIns = new AwsStandIns({ tables: TABLES });
  redirectAws(await standIns.redirect());
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'ASIALAMBDACONTRACTFAKE', AWS_SECRET_ACCESS_KEY: 'fake' });
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, GetCommand, PutCommand } = require('@aws-sdk/lib-dynamodb');
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await db.send(new PutCommand({ TableName: 'Items', Item: { id: '1', kind: 'item', name: 'one' } }));
  for (let i = 0; i < 100; i++) await db.send(new GetCommand({ TableName: 'Items', Key: { id: '1' } }));
  const trips = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = performance.now();
    await db.send(new GetCommand({ TableName: 'Items', Key: { id: '1' } }));
    trips.push(performance.now() - t);
  }
  console.log(`a GetItem round trip through the SDK, the run's front and the local DynamoDB (median of ${ROUND_TRIPS}): ${median(trips).toFixed(2)} ms (goal ≤ 2 ms)`);
  db.destroy();
  await standIns.close();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'lc-bench-dynamodb-'));
  try {
    writeFileSync(path.join(dir, 'app.js'), HANDLERS);
    writeFileSync(path.join(dir, 'openapi.yaml'), SPEC);
    // The handlers' SDK is the one the runtime provides: the sandbox finds this package's (runtime-sdk).
    const check = (file) => {
      const t = performance.now();
      try {
        execFileSync(process.execPath, [CLI, 'check', '--template', file, '--spec', 'openapi.yaml', '--runs', '5', '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
      } catch (error) {
        const report = JSON.parse(error.stdout.toString());
        const failed = report.results.filter((r) => !r.ok).map((r) => `${r.operationId} ${r.case}: ${r.violations.map((v) => v.message).join('; ') || r.internalError}`);
        console.log(`  (${file}: ${failed.length} of ${report.summary.cases} cases failed: ${failed.join(' | ')})`);
      }
      return performance.now() - t;
    };
    writeFileSync(path.join(dir, 'real.yaml'), template(false));
    writeFileSync(path.join(dir, 'stubbed.yaml'), template(true));
    check('real.yaml');
    check('stubbed.yaml');
    const real = [];
    const stubbed = [];
    for (let i = 0; i < REPEATS; i++) {
      real.push(check('real.yaml'));
      stubbed.push(check('stubbed.yaml'));
    }
    const r = median(real);
    const s = median(stubbed);
    console.log(`check --template of a 5-function CRUD app (--runs 5, median of ${REPEATS}): over the local DynamoDB ${(r / 1000).toFixed(2)} s, table calls stubbed ${(s / 1000).toFixed(2)} s: ${(r / s).toFixed(2)}× (goal ≤ 2×)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
