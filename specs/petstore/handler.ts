/**
 * The example handler: implements specs/petstore/openapi.yaml behind an API Gateway REST API
 * (Lambda proxy integration). It conforms; the tests break copies of it to show what is caught.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

interface Pet {
  id: number;
  name: string;
  kind: 'cat' | 'dog' | 'bird';
  tag: string | null;
  createdAt: string;
}

const CREATED = '2026-01-01T12:00:00.000Z';
const pets = new Map<number, Pet>([
  [1, { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: CREATED }],
  [2, { id: 2, name: 'Rex', kind: 'dog', tag: 'good boy', createdAt: CREATED }],
]);
let nextId = 3;

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const problem = (status: number, title: string, detail?: string): APIGatewayProxyResult => ({
  statusCode: status,
  headers: { 'Content-Type': 'application/problem+json' },
  body: JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) }),
});

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === lower) return v ?? undefined;
  return undefined;
}

const KINDS = ['cat', 'dog', 'bird'];
/** A bearer token shaped like a JWT (header.payload.signature); verifying it is the authorizer's job. */
const BEARER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Why a create request breaks NewPet, or undefined when it is valid. */
function invalidNewPet(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'the body must be an object';
  const pet = input as Record<string, unknown>;
  const extra = Object.keys(pet).find((k) => !['name', 'kind', 'tag', 'microchip'].includes(k));
  if (extra) return `unknown property ${extra}`;
  if (typeof pet.name !== 'string' || pet.name.length < 1 || pet.name.length > 50) return 'name must be 1 to 50 characters';
  if (!KINDS.includes(String(pet.kind))) return `kind must be one of ${KINDS.join(', ')}`;
  if (pet.tag !== undefined && pet.tag !== null && typeof pet.tag !== 'string') return 'tag must be a string or null';
  if (pet.microchip !== undefined && (typeof pet.microchip !== 'string' || !/^[0-9]{15}$/.test(pet.microchip))) return 'microchip must be 15 digits';
  return undefined;
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const route = `${event.httpMethod} ${event.resource}`;
  switch (route) {
    case 'GET /pets': {
      const limit = Number(event.queryStringParameters?.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return problem(400, 'Bad Request', 'limit must be 1..100');
      const kind = event.queryStringParameters?.kind;
      if (kind !== undefined && !KINDS.includes(kind)) return problem(400, 'Bad Request', `kind must be one of ${KINDS.join(', ')}`);
      const all = [...pets.values()].filter((p) => !kind || p.kind === kind);
      return json(200, all.slice(0, limit), { 'X-Total-Count': String(all.length) });
    }
    case 'POST /pets': {
      if (!BEARER.test(header(event, 'authorization') ?? '')) return problem(401, 'Unauthorized');
      if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? '')) return problem(400, 'Bad Request', 'the body must be application/json');
      let input: unknown;
      try {
        input = JSON.parse(event.body ?? '');
      } catch {
        return problem(400, 'Bad Request', 'body must be JSON');
      }
      const invalid = invalidNewPet(input);
      if (invalid) return problem(400, 'Bad Request', invalid);
      const valid = input as { name: string; kind: Pet['kind']; tag?: string | null };
      const pet: Pet = { id: nextId++, name: valid.name, kind: valid.kind, tag: typeof valid.tag === 'string' ? valid.tag : null, createdAt: CREATED };
      pets.set(pet.id, pet);
      return json(201, pet, { Location: `/pets/${pet.id}` });
    }
    case 'GET /pets/{petId}': {
      const pet = pets.get(Number(event.pathParameters?.petId));
      return pet ? json(200, pet) : problem(404, 'Not Found', `no pet ${event.pathParameters?.petId}`);
    }
    case 'DELETE /pets/{petId}': {
      if (!header(event, 'x-api-key')) return problem(401, 'Unauthorized');
      const id = Number(event.pathParameters?.petId);
      if (!pets.delete(id)) return problem(404, 'Not Found', `no pet ${id}`);
      return { statusCode: 204, body: '' };
    }
    default:
      return problem(404, 'Not Found', `no route ${route}`);
  }
}
