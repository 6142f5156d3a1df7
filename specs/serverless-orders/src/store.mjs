// The orders, in the table the service names (process.env.TABLE). Each function is its own module, in
// AWS and under lambda-contract, so orders cannot live in a module variable: createOrder's would keep
// what getOrder's never sees. This is a local stand-in for the table that every function naming the
// same table shares within the process, as functions sharing a DynamoDB table do; a deployed service
// uses the AWS SDK (specs/items does, against a local DynamoDB in its test).
const tables = (globalThis[Symbol.for('serverless-orders.tables')] ??= new Map());

/** The table's orders by id. */
export function orders() {
  const name = process.env.TABLE ?? 'orders';
  let table = tables.get(name);
  if (!table) tables.set(name, (table = new Map([['o-1', { id: 'o-1', item: 'tea' }]])));
  return table;
}

export const json = (statusCode, body) => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
