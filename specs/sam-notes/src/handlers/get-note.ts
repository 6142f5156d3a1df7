import type { APIGatewayProxyHandler } from 'aws-lambda';
import { get, json } from '../lib/store';

export const handler: APIGatewayProxyHandler = async (event) => {
  const id = event.pathParameters?.noteId ?? '';
  if (!/^[0-9]{1,6}$/.test(id)) return json(400, { message: 'noteId must be 1 to 6 digits' });
  const note = await get(id);
  return note ? json(200, note) : json(404, { message: `no note ${id}` });
};
