/**
 * A streaming handler behind a function URL (InvokeMode: RESPONSE_STREAM): the response's status and
 * headers go first, through awslambda.HttpResponseStream.from, then the rows as they are read.
 */
import type { Writable } from 'node:stream';
import type { LambdaFunctionURLEvent } from 'aws-lambda';

interface StreamPrelude {
  statusCode: number;
  headers?: Record<string, string>;
}
/** The global the Node.js runtime gives handler code (lambda-contract provides the same in tests). */
declare const awslambda: {
  streamifyResponse<T>(handler: T): T;
  HttpResponseStream: { from(stream: Writable, prelude: StreamPrelude): Writable };
};

const ROWS = [
  { isbn: '9780135957059', title: 'The Pragmatic Programmer', year: 2019 },
  { isbn: '9780134757599', title: 'Refactoring', year: 2018 },
  { isbn: '9780201633610', title: 'Design Patterns', year: 1994 },
];

export const handler = awslambda.streamifyResponse(async (event: LambdaFunctionURLEvent, responseStream: Writable): Promise<void> => {
  const since = event.queryStringParameters?.since;
  if (since !== undefined && !(/^[0-9]+$/.test(since) && Number(since) >= 1450 && Number(since) <= 2100)) {
    const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 400, headers: { 'content-type': 'application/problem+json' } });
    out.end(JSON.stringify({ title: 'since must be a year', status: 400 }));
    return;
  }
  const rows = ROWS.filter((r) => since === undefined || r.year >= Number(since));
  const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: { 'content-type': 'application/json', 'x-export-rows': String(rows.length) } });
  out.write('[');
  for (const [i, row] of rows.entries()) {
    await new Promise((resolve) => setImmediate(resolve)); // a row at a time, as a reader would deliver them
    out.write(`${i > 0 ? ',' : ''}${JSON.stringify(row)}`);
  }
  out.end(']');
});
