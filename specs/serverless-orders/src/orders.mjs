import { json, orders } from './store.mjs';

export const list = async () => json(200, [...orders().values()]);

export const get = async (event) => {
  const id = event.pathParameters?.orderId ?? '';
  if (!/^[a-z0-9-]{1,20}$/.test(id)) return json(400, { message: 'orderId must be 1 to 20 of a-z, 0-9 and -' });
  const order = orders().get(id);
  return order ? json(200, { ...order, table: process.env.TABLE }) : json(404, { message: `no order ${id}` });
};
