import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { add, json } from '../lib/store';

export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return json(400, { message: 'send the note as application/json' });
  let body: unknown;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? ''));
  } catch {
    return json(400, { message: 'the body is not JSON' });
  }
  const text = (body as { text?: unknown } | null)?.text;
  const extra = body && typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'text') : [];
  if (typeof text !== 'string' || text.length < 1 || text.length > 200 || extra.length > 0 || Array.isArray(body)) {
    return json(400, { message: 'text must be a string of 1 to 200 characters, and nothing else' });
  }
  return json(201, await add(text));
};
