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

/** Who the gateway's authorizer vouched for (REST/HTTP API event), else anonymous. */
function owner(req: Request): string {
  const event = (req as Request & { event?: { requestContext?: { authorizer?: Record<string, unknown> } } }).event;
  const authorizer = event?.requestContext?.authorizer;
  const lambda = authorizer?.lambda as Record<string, unknown> | undefined;
  const found = authorizer?.owner ?? lambda?.owner ?? authorizer?.principalId;
  return typeof found === 'string' ? found : 'anonymous';
}

const app = express();
app.use(express.json());

app.get('/notes', (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 50) || 50, 50);
  const page = [...notes].reverse().slice(0, limit);
  res.set('X-Total-Count', String(notes.length)).json(page);
});

app.post('/notes', (req, res) => {
  const body = req.body as { text?: unknown; tags?: unknown };
  if (typeof body?.text !== 'string' || body.text.length === 0) {
    res.status(400).json({ message: 'text is required' });
    return;
  }
  const tags = Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : [];
  const note: Note = { id: notes.length + 1, text: body.text, tags, owner: owner(req) };
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

export const handler = serverless(app, {
  binary: ['image/png'],
  request(req: Request, event: unknown) {
    (req as Request & { event?: unknown }).event = event;
  },
});
