// The Items API on DynamoDB, through the AWS SDK v3 document client. One function serves every route
// (REST or HTTP API events). The table is ITEMS_TABLE; AWS_ENDPOINT_URL_DYNAMODB points the SDK at a
// local DynamoDB-compatible server when set (the tests start one on loopback).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { invalidId, json, readInput, validId } from './http.mjs';

// Created once per container: every invocation of a warm function reuses it.
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => process.env.ITEMS_TABLE ?? 'items';

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
  if (!validId(id)) return invalidId();

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
