/**
 * The configured-gateway example's handler. `handler` runs behind the REST API of openapi.yaml and
 * leaves body validation to the gateway's request validator (the API's "all" validator): it trusts
 * that a body that reaches it matches NewBook. It still checks what the gateway does not — parameter
 * types and the Content-Type. `httpHandler` runs behind the HTTP API of http-api.yaml, which has no
 * request validators, so it checks bodies itself.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

interface Book {
  id: number;
  title: string;
  isbn: string;
  year?: number;
}

type Result = APIGatewayProxyResult & APIGatewayProxyStructuredResultV2;

const books = new Map<number, Book>([
  [1, { id: 1, title: 'The Pragmatic Programmer', isbn: '9780135957059', year: 2019 }],
  [2, { id: 2, title: 'Refactoring', isbn: '9780134757599' }],
]);
let nextId = 3;

const json = (statusCode: number, body: unknown): Result => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const problem = (status: number, title: string, detail?: string): Result => ({
  statusCode: status,
  headers: { 'Content-Type': 'application/problem+json' },
  body: JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) }),
});

/** The parts of either payload format this handler reads. */
interface Request {
  route: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  body: string | null;
}

function read(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Request {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v ?? undefined;
  const body = event.body === undefined || event.body === null ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if ('httpMethod' in event) return { route: `${event.httpMethod} ${event.resource}`, query: event.queryStringParameters ?? {}, headers, body };
  return { route: event.routeKey, query: event.queryStringParameters ?? {}, headers, body };
}

/** Why a body breaks NewBook, or undefined. */
function invalidNewBook(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'the body must be an object';
  const b = input as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !['title', 'isbn', 'year'].includes(k));
  if (extra) return `unknown property ${extra}`;
  if (typeof b.title !== 'string' || b.title.length < 1 || b.title.length > 200) return 'title must be 1 to 200 characters';
  if (typeof b.isbn !== 'string' || !/^97[89][0-9]{10}$/.test(b.isbn)) return 'isbn must be an ISBN-13';
  if (b.year !== undefined && (typeof b.year !== 'number' || !Number.isInteger(b.year) || b.year < 1450 || b.year > 2100)) return 'year must be an integer from 1450 to 2100';
  return undefined;
}

function makeHandler(options: { validateBodies: boolean }) {
  return async (event: APIGatewayProxyEvent | APIGatewayProxyEventV2): Promise<Result> => {
    const r = read(event);
    switch (r.route) {
      case 'GET /books': {
        const raw = r.query.limit;
        // The gateway checks that required parameters are present, never their type: that is ours.
        if (raw !== undefined && !/^[0-9]+$/.test(raw)) return problem(400, 'Invalid limit', 'limit must be an integer');
        const limit = raw === undefined ? 50 : Number(raw);
        if (limit < 1 || limit > 50) return problem(400, 'Invalid limit', 'limit must be from 1 to 50');
        return json(200, [...books.values()].slice(0, limit));
      }
      case 'GET /books/search': {
        const q = (r.query.q ?? '').toLowerCase();
        if (q === '') return problem(400, 'Invalid query', 'q is required');
        return json(200, [...books.values()].filter((b) => b.title.toLowerCase().includes(q)));
      }
      case 'POST /books': {
        // No model for other content types: the gateway passes them on unvalidated.
        if (!/^application\/json\b/i.test(r.headers['content-type'] ?? 'application/json')) return problem(415, 'Unsupported media type', 'send application/json');
        let input: unknown;
        try {
          input = JSON.parse(r.body ?? '');
        } catch {
          return problem(400, 'Invalid JSON');
        }
        if (options.validateBodies) {
          const why = invalidNewBook(input);
          if (why) return problem(400, 'Invalid book', why);
        }
        const book = { ...(input as Omit<Book, 'id'>), id: nextId++ };
        books.set(book.id, book);
        return json(201, book);
      }
      default:
        return problem(404, 'Not found', r.route);
    }
  };
}

/** Behind the REST API: bodies are the gateway's to validate. */
export const handler = makeHandler({ validateBodies: false });
/** Behind the HTTP API (no request validators): bodies are checked here. */
export const httpHandler = makeHandler({ validateBodies: true });
