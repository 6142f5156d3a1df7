// The Items API on DynamoDB, through the AWS SDK v3 document client. One function serves every route
// (REST or HTTP API events). The table is ITEMS_TABLE; AWS_ENDPOINT_URL_DYNAMODB points the SDK at a
// local DynamoDB-compatible server when set (the tests start one on loopback).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

// Created once per container: every invocation of a warm function reuses it.
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => process.env.ITEMS_TABLE ?? 'items';

const json = (statusCode, body, headers = {}) => ({ statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

function readInput(event) {
  const contentType = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (contentType.split(';')[0].trim().toLowerCase() !== 'application/json') return { problem: 'send JSON' };
  let body;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '');
  } catch {
    return { problem: 'the body is not JSON' };
  }
  const ok = body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).every((k) => k === 'name' || k === 'quantity')
    && typeof body.name === 'string' && body.name.length >= 1 && body.name.length <= 40
    && Number.isInteger(body.quantity) && body.quantity >= 0 && body.quantity <= 1000;
  return ok ? { input: { name: body.name, quantity: body.quantity } } : { problem: 'an item is { name (1 to 40 characters), quantity (0 to 1000) }' };
}

export const handler = async (event) => {
  const method = event.requestContext?.http?.method ?? event.httpMethod;
  const id = event.pathParameters?.itemId;

  if (id === undefined && method === 'POST') {
    const { input, problem } = readInput(event);
    if (problem) return json(400, { message: problem });
    const item = { id: randomUUID(), ...input };
    await db.send(new PutCommand({ TableName: table(), Item: item }));
    return json(201, item, { location: `/items/${item.id}` });
  }
  if (id === undefined) return json(404, { message: 'no such route' });
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return json(400, { message: 'an item id is 1 to 64 letters, digits or dashes' });

  if (method === 'GET') {
    const { Item } = await db.send(new GetCommand({ TableName: table(), Key: { id } }));
    return Item ? json(200, Item) : json(404, { message: `no item ${id}` });
  }
  if (method === 'PUT') {
    const { input, problem } = readInput(event);
    if (problem) return json(400, { message: problem });
    const item = { id, ...input };
    try {
      await db.send(new PutCommand({ TableName: table(), Item: item, ConditionExpression: 'attribute_exists(id)' }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return json(404, { message: `no item ${id}` });
      throw error;
    }
    return json(200, item);
  }
  if (method === 'DELETE') {
    await db.send(new DeleteCommand({ TableName: table(), Key: { id } }));
    return { statusCode: 204 };
  }
  return json(404, { message: 'no such route' });
};
