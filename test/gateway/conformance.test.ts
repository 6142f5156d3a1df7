/**
 * The conformance suite every event source runs: one row of facts per source (GATEWAYS.md), the same
 * assertions for all. A new source is its module plus its row here; a source without a row fails.
 */
import { EVENT_SCHEMAS } from './powertools';
import { SOURCE_NAMES, sourceFor } from '../../src/gateway';
import { LAMBDA_PAYLOAD_LIMIT } from '../../src/gateway/pipeline';
import type { GatewayVerdict, HttpRequest, HttpResponse, SourceName } from '../../src/gateway/types';

interface Row {
  /** Status and a piece of the body the client gets when the function raises. */
  thrown: [status: number, body: string];
  /** Status when the function runs past its timeout. */
  timeout: number;
  /** Content-Type added when a result names none. */
  defaultContentType: string;
  /** What a bare JSON value (not a response object) becomes: an inferred 200, or a malformed result. */
  bareValue: 'inferred 200' | 'malformed';
  /** What a payload that is not JSON becomes. */
  notJson: 'inferred 200' | 'malformed';
  /** A result with `isBase64Encoded: true` and a body that is not base64. */
  undecodable: 'undecodable_body' | 'malformed_result' | 'passed through';
  /** The largest response payload taken from a function. */
  responseLimit: number;
  /** The answer when no route matches, or undefined when every request reaches the function. */
  noRoute: number | undefined;
  /** The largest request body passed on. */
  requestBodyLimit: number;
  /** Body of the 413 for a request over that limit. */
  tooLarge: string;
  acceptsAuthorizer: boolean;
}

const MB = 1024 * 1024;
const apiGatewayError = (status: number): [number, string] => [status, '"message"'];
const albHtml: [number, string] = [502, '<h1>502 Bad Gateway</h1>'];

const ROWS: Record<SourceName, Row> = {
  rest: {
    thrown: apiGatewayError(502), timeout: 504, defaultContentType: 'application/json',
    bareValue: 'malformed', notJson: 'malformed',
    // REST hands the body over as it is unless the response's type is a binary media type (§2).
    undecodable: 'passed through',
    responseLimit: LAMBDA_PAYLOAD_LIMIT, noRoute: 403, requestBodyLimit: 10 * MB, tooLarge: 'Request Too Long', acceptsAuthorizer: true,
  },
  'http-v1': {
    thrown: apiGatewayError(500), timeout: 503, defaultContentType: 'text/plain; charset=utf-8',
    bareValue: 'malformed', notJson: 'malformed', undecodable: 'undecodable_body',
    responseLimit: LAMBDA_PAYLOAD_LIMIT, noRoute: 404, requestBodyLimit: 10 * MB, tooLarge: 'Request Entity Too Large', acceptsAuthorizer: true,
  },
  http: {
    thrown: apiGatewayError(500), timeout: 503, defaultContentType: 'text/plain; charset=utf-8',
    bareValue: 'inferred 200', notJson: 'inferred 200', undecodable: 'undecodable_body',
    responseLimit: LAMBDA_PAYLOAD_LIMIT, noRoute: 404, requestBodyLimit: 10 * MB, tooLarge: 'Request Entity Too Large', acceptsAuthorizer: true,
  },
  url: {
    thrown: [502, 'Internal Server Error'], timeout: 502, defaultContentType: 'application/json',
    bareValue: 'inferred 200', notJson: 'inferred 200', undecodable: 'undecodable_body',
    responseLimit: LAMBDA_PAYLOAD_LIMIT, noRoute: undefined, requestBodyLimit: 6 * MB, tooLarge: 'Request Entity Too Large', acceptsAuthorizer: false,
  },
  alb: {
    thrown: albHtml, timeout: 502, defaultContentType: 'application/octet-stream',
    bareValue: 'malformed', notJson: 'malformed', undecodable: 'malformed_result',
    responseLimit: MB, noRoute: undefined, requestBodyLimit: MB, tooLarge: '413 Request Entity Too Large', acceptsAuthorizer: false,
  },
  'alb-multi': {
    thrown: albHtml, timeout: 502, defaultContentType: 'application/octet-stream',
    bareValue: 'malformed', notJson: 'malformed', undecodable: 'malformed_result',
    responseLimit: MB, noRoute: undefined, requestBodyLimit: MB, tooLarge: '413 Request Entity Too Large', acceptsAuthorizer: false,
  },
};

const request: HttpRequest = {
  method: 'POST', path: '/pets/7', route: '/pets/{id}', rawQuery: 'tag=a&tag=b',
  headers: [['Content-Type', 'application/json'], ['Cookie', 'a=1; b=2'], ['X-Trace', 'x']],
  body: Buffer.from('{"name":"Rex"}'),
};

const header = (r: HttpResponse, name: string): string | undefined => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const returned = (source: SourceName, payload: unknown): GatewayVerdict =>
  sourceFor(source).fromResult({ kind: 'returned', payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }, request);
const reading = (v: GatewayVerdict): string => (v.ok ? `inferred ${v.response.statusCode}` : 'malformed');

test('every source has a row, and every row a source', () => {
  expect(Object.keys(ROWS).sort()).toEqual([...SOURCE_NAMES].sort());
});

describe.each(SOURCE_NAMES.map((name) => [name, ROWS[name]] as const))('%s', (name, row) => {
  const source = sourceFor(name);

  test('builds an event its Powertools schema accepts, carrying the request', () => {
    const event = source.toEvent(request);
    expect(EVENT_SCHEMAS[name].safeParse(event).success).toBe(true);
    const text = JSON.stringify(event);
    expect(text).toContain('/pets/7');
    expect(text).toContain('POST');
    expect(text).toMatch(/X-Trace|x-trace/);
  });

  test('passes a well-formed result to the client, adding its default Content-Type', () => {
    const v = returned(name, { statusCode: 201, body: 'made' });
    if (!v.ok) throw new Error(v.fault.reason);
    expect(v.response.statusCode).toBe(201);
    expect(v.response.body.toString()).toBe('made');
    expect(header(v.response, 'content-type')).toBe(row.defaultContentType);
    expect(source.defaultContentType).toBe(row.defaultContentType);
  });

  test('answers for a function that raised, and one that timed out', () => {
    const thrown = source.fromResult({ kind: 'threw', errorType: 'TypeError', errorMessage: 'boom' }, request);
    expect(thrown.ok).toBe(false);
    if (thrown.ok) return;
    expect(thrown.fault.kind).toBe('function_error');
    expect(thrown.fault.reason).toContain('TypeError: boom');
    expect(thrown.fault.response.statusCode).toBe(row.thrown[0]);
    expect(thrown.fault.response.body.toString()).toContain(row.thrown[1]);
    const late = source.fromResult({ kind: 'timeout', timeoutMs: 3000 }, request);
    expect(late.ok ? 0 : late.fault.response.statusCode).toBe(row.timeout);
    expect(late.ok ? '' : late.fault.reason).toContain('Task timed out after 3.00 seconds');
  });

  test('reads a bare JSON value and a payload that is not JSON by its own rules', () => {
    expect(reading(returned(name, 'hello'))).toBe(row.bareValue);
    expect(reading(returned(name, 'not json {'))).toBe(row.notJson);
  });

  test('judges a body flagged base64 that is not base64', () => {
    const v = returned(name, { statusCode: 200, body: '%%%', isBase64Encoded: true });
    expect(v.ok ? 'passed through' : v.fault.kind).toBe(row.undecodable);
  });

  test('refuses a response payload over its limit, and takes one just under', () => {
    const over = source.fromResult({ kind: 'returned', payload: JSON.stringify({ statusCode: 200, body: 'x'.repeat(row.responseLimit) }) }, request);
    expect(over.ok ? undefined : over.fault.kind).toBe('payload_too_large');
    const under = source.fromResult({ kind: 'returned', payload: JSON.stringify({ statusCode: 200, body: 'x'.repeat(row.responseLimit - 100) }) }, request);
    expect(under.ok).toBe(true);
  });

  test('has its own no-route answer, body limit and 413, and says whether an authorizer can front it', () => {
    expect(source.noRouteAnswer?.().statusCode).toBe(row.noRoute);
    expect(source.requestBodyLimit).toBe(row.requestBodyLimit);
    const tooLarge = source.tooLargeAnswer();
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body.toString()).toContain(row.tooLarge);
    expect(source.acceptsAuthorizer).toBe(row.acceptsAuthorizer);
  });
});
