/**
 * The notes, in the table the template names (TABLE_NAME). Each function is its own module — in AWS and
 * under lambda-contract, which loads a function per module instance as Lambda does — so the notes cannot
 * live in a module variable: createNote's module would keep what getNote's never sees. Here the table is
 * a local stand-in that every function naming the same table shares within the process, as functions
 * sharing a DynamoDB table do; a deployed app reads and writes the table through the AWS SDK
 * (`specs/items` does, against a local DynamoDB in its test).
 */
export interface Note {
  id: string;
  text: string;
}

interface Table {
  notes: Map<string, Note>;
  next: number;
}

const tables: Map<string, Table> = ((globalThis as { [k: symbol]: Map<string, Table> | undefined })[Symbol.for('sam-notes.tables')] ??= new Map());

function table(): Table {
  const name = process.env.TABLE_NAME ?? 'notes';
  let t = tables.get(name);
  if (!t) tables.set(name, (t = { notes: new Map([['1', { id: '1', text: 'Buy milk' }]]), next: 2 }));
  return t;
}

export function list(): Note[] {
  return [...table().notes.values()];
}

export function get(id: string): Note | undefined {
  return table().notes.get(id);
}

export function add(text: string): Note {
  const t = table();
  const note = { id: String(t.next++), text };
  t.notes.set(note.id, note);
  return note;
}

export const json = (statusCode: number, body: unknown): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
