import { json, orders } from './store.mjs';

export const handler = async (event) => {
  // HTTP APIs lower-case header names; REST APIs keep the client's casing.
  const contentType = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (contentType.split(';')[0].trim().toLowerCase() !== 'application/json') return json(400, { message: 'send JSON' });
  let body;
  try {
    body = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '');
  } catch {
    return json(400, { message: 'the body is not JSON' });
  }
  const ok = body && typeof body === 'object' && !Array.isArray(body) && typeof body.item === 'string' && body.item.length >= 1 && body.item.length <= 50 && Object.keys(body).length === 1;
  if (!ok) return json(400, { message: 'an order is { item } (1 to 50 characters)' });
  const table = orders();
  const order = { id: `o-${table.size + 1}`, item: body.item };
  table.set(order.id, order);
  return json(201, order);
};
