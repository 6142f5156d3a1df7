// The orders function, behind an HTTP API (payload 2.0).
exports.handler = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body ?? '');
  } catch {
    return { statusCode: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'not JSON' }) };
  }
  if (!order || typeof order.petId !== 'string' || Object.keys(order).length !== 1 || (event.headers['content-type'] ?? '') !== 'application/json') {
    return { statusCode: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: 'an order is { petId }' }) };
  }
  return { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '100', petId: order.petId }) };
};
