import type { APIGatewayProxyHandler } from 'aws-lambda';
import { json } from '../lib/store';

export const handler: APIGatewayProxyHandler = async () => {
  const table = process.env.TABLE_NAME;
  const stage = process.env.STAGE;
  if (!table || !stage) return json(500, { message: 'TABLE_NAME and STAGE must be set' });
  return json(200, { status: 'ok', table, stage });
};
