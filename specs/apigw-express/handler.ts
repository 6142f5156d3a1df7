/**
 * The example Express app behind serverless-http: implements specs/apigw-express/openapi.yaml and
 * conforms behind every source (REST, HTTP API 2.0 and 1.0, function URL, ALB in both modes) —
 * serverless-http translates each event shape, lambda-contract checks what reaches the client.
 */
import express, { type Request } from 'express';
import serverless from 'serverless-http';

interface Note {
  id: number;
  text: string;
  tags: string[];
  owner: string;
}

/** A 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const notes: Note[] = [{ id: 1, text: 'welcome', tags: ['intro'], owner: 'system' }];

/**
 * Who the caller is: the principal the gateway's authorizer vouched for (REST/HTTP API), else — behind
 * a function URL or an ALB, where no authorizer runs — the app checks the Authorization header itself.
 */
function owner(req: Request): string | undefined {
  const event = (req as Request & { event?: { requestContext?: { authorizer?: Record<string, unknown> } } }).event;
  const authorizer = event?.requestContext?.authorizer;
  const lambda = authorizer?.lambda as Record<string, unknown> | undefined;
  const found = authorizer?.owner ?? lambda?.owner ?? authorizer?.principalId;
  if (typeof found === 'string') return found;
  const token = /^(?:Bearer )?([a-z0-9-]+)$/i.exec(req.get('authorization') ?? '');
  return token?.[1];
}

/** Secured routes: 401 unless someone is vouched for. */
function requireOwner(req: Request, res: express.Response): string | undefined {
  const who = owner(req);
  if (who === undefined) res.status(401).json({ message: 'Unauthorized' });
  return who;
}

/** Why a new note breaks NewNote, or undefined when it is valid. */
function invalidNote(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const note = body as Record<string, unknown>;
  const extra = Object.keys(note).find((k) => k !== 'text' && k !== 'tags');
  if (extra) return `unknown property ${extra}`;
  if (typeof note.text !== 'string' || note.text.length < 1 || note.text.length > 500) return 'text must be 1 to 500 characters';
  if (note.tags !== undefined && !(Array.isArray(note.tags) && note.tags.every((t) => typeof t === 'string' && /^[a-z]+$/.test(t)))) return 'tags must be lower-case words';
  return undefined;
}

const app = express();
app.use(express.json());

app.get('/notes', (req, res) => {
  if (requireOwner(req, res) === undefined) return;
  const raw = req.query.limit;
  const limit = raw === undefined ? 50 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    res.status(400).json({ message: 'limit must be an integer from 1 to 50' });
    return;
  }
  const page = [...notes].reverse().slice(0, limit);
  res.set('X-Total-Count', String(notes.length)).json(page);
});

app.post('/notes', (req, res) => {
  const who = requireOwner(req, res);
  if (who === undefined) return;
  if (!req.is('application/json')) {
    res.status(400).json({ message: 'the body must be application/json' });
    return;
  }
  const invalid = invalidNote(req.body);
  if (invalid) {
    res.status(400).json({ message: invalid });
    return;
  }
  const body = req.body as { text: string; tags?: string[] };
  const note: Note = { id: notes.length + 1, text: body.text, tags: body.tags ?? [], owner: who };
  notes.push(note);
  res.status(201).location(`/notes/${note.id}`).json(note);
});

app.get('/notes/:noteId/attachment', (req, res) => {
  if (!notes.some((n) => String(n.id) === req.params.noteId)) {
    res.status(404).json({ message: `no note ${req.params.noteId}` });
    return;
  }
  res.type('image/png').send(PNG);
});

app.use((req, res) => {
  res.status(404).json({ message: `no route for ${req.method} ${req.path}` });
});

// Express answers a body it cannot parse with an HTML page; the contract promises JSON errors.
app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status ?? 500).json({ message: error.status === 400 ? 'the body is not valid JSON' : 'internal error' });
});

export const handler = serverless(app, {
  binary: ['image/png'],
  request(req: Request, event: unknown) {
    (req as Request & { event?: unknown }).event = event;
  },
});
