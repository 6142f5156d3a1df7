/**
 * The `format`s a contract is checked against: ajv-formats' set plus OpenAPI's own (`int32`, `int64`,
 * `byte`…), in one table that ajv and the interpreter share.
 */
import type { Format } from 'ajv';

let table: Readonly<Record<string, Format>> | undefined;

/** Format name → ajv format definition. A null-prototype object: `constructor` is no format. */
export function contractFormats(): Readonly<Record<string, Format>> {
  if (table) return table;
  // The formats module alone: ajv-formats' index would load ajv's code generator with it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fullFormats, formatNames } = require('ajv-formats/dist/formats') as { fullFormats: Record<string, Format>; formatNames: string[] };
  const out = Object.create(null) as Record<string, Format>;
  for (const name of formatNames) {
    const f = fullFormats[name];
    if (f !== undefined) out[name] = f;
  }
  for (const name of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) out[name] ??= true;
  out.int32 = { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 };
  out.int64 = { type: 'number', validate: (n: number) => Number.isInteger(n) };
  out.byte = { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 };
  table = Object.freeze(out);
  return table;
}
