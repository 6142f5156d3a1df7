/**
 * Property cases draw requests: an operation that takes no input at all has one request to send, so
 * it gets one property case, not `runs` identical ones (each a full invocation: four seconds apiece on
 * a streaming function that pauses between writes).
 */
import * as path from 'node:path';
import { loadContract } from '../../src';
import { planRun } from '../../src/run/plan';

const SAM_NOTES = path.resolve(__dirname, '../../specs/sam-notes/openapi.yaml');

describe('property cases per operation', () => {
  it('are the run\'s number where the operation takes input, one where it takes none', async () => {
    const contract = await loadContract(SAM_NOTES);
    const plan = planRun(contract, { runs: 20, defaultRuns: 20 });
    const property = (id: string) => plan.operations.find((op) => op.id === id)?.cases.find((c) => c.startsWith('property'));
    // GET /health: no parameter, no body, no credentials.
    expect(property('health')).toBe('property ×1');
    // GET /notes/{noteId} (a path parameter and a bearer token), POST /notes (a body): each draw differs.
    expect([property('getNote'), property('createNote')]).toEqual(['property ×20', 'property ×20']);
  });
});
