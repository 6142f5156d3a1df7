// What every route of the Items API shares, storage aside: JSON answers, and reading an item from a
// request body (REST or HTTP API event) with the contract's rules.
export const json = (statusCode, body, headers = {}) => ({ statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

export function readInput(event) {
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

/** Whether a path's item id has the contract's shape (1 to 64 letters, digits or dashes). */
export const validId = (id) => /^[A-Za-z0-9-]{1,64}$/.test(id);

export const invalidId = () => json(400, { message: 'an item id is 1 to 64 letters, digits or dashes' });
