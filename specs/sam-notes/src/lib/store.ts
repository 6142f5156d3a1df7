/**
 * The notes, in the DynamoDB table the template defines and names to each function (TABLE_NAME). Each
 * function runs in an environment of its own — on AWS and under lambda-contract, which gives each its
 * own sandbox — so the notes cannot live in a module variable: createNote's module would keep what
 * getNote's never sees. Under lambda-contract the table is a local DynamoDB it starts for the run from
 * the template (`NotesTable`), reached through the AWS SDK as on AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export interface Note {
  id: string;
  text: string;
}

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = (): string => process.env.TABLE_NAME ?? 'notes';

export async function list(): Promise<Note[]> {
  const { Items } = await db.send(new ScanCommand({ TableName: table() }));
  return (Items ?? []) as Note[];
}

export async function get(id: string): Promise<Note | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table(), Key: { id } }));
  return Item as Note | undefined;
}

/** Stores a note under a new id of up to six digits (drawn again in the rare case it is taken). */
export async function add(text: string): Promise<Note> {
  for (;;) {
    const note = { id: String(1 + Math.floor(Math.random() * 999_999)), text };
    try {
      await db.send(new PutCommand({ TableName: table(), Item: note, ConditionExpression: 'attribute_not_exists(id)' }));
      return note;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

export const json = (statusCode: number, body: unknown): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
