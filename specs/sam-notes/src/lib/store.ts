/** The notes, kept in the module as a warm container keeps them (a real app would use TABLE_NAME). */
export interface Note {
  id: string;
  text: string;
}

const notes = new Map<string, Note>([['1', { id: '1', text: 'Buy milk' }]]);
let next = 2;

export function list(): Note[] {
  return [...notes.values()];
}

export function get(id: string): Note | undefined {
  return notes.get(id);
}

export function add(text: string): Note {
  const note = { id: String(next++), text };
  notes.set(note.id, note);
  return note;
}

export const json = (statusCode: number, body: unknown): { statusCode: number; headers: Record<string, string>; body: string } => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
