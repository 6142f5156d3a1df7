// Orders kept in the module, as a warm container keeps them (a real service would use process.env.TABLE).
export const orders = new Map([['o-1', { id: 'o-1', item: 'tea' }]]);
export const json = (statusCode, body) => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
