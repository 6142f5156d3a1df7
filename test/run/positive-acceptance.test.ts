/**
 * positive_data_acceptance: a request the contract allows, answered with a 4xx outside the accepted
 * statuses, means the handler is stricter than its contract — even when that 4xx is documented, which
 * is why conformance alone never sees it. Schemathesis found a Bookshop handler rejecting ids above
 * 2^53 where the contract sets no maximum; so does this check.
 */
import { loadContract, type Contract } from '../../src/contract';
import { runContract } from '../../src/run/run';
import { formatText } from '../../src/report/text';

const doc = {
  openapi: '3.0.3',
  info: { title: 'Counters', version: '1' },
  paths: {
    '/counters': {
      post: {
        operationId: 'createCounter',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['start'], properties: { start: { type: 'integer', minimum: 0 } } }, examples: { big: { value: { start: 9007199254740993 } }, small: { value: { start: 7 } } } } },
        },
        responses: {
          '201': { description: 'Created', content: { 'application/json': { schema: { type: 'object', required: ['start'], properties: { start: { type: 'number' } } } } } },
          '400': { description: 'Invalid', content: { 'application/json': { schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } } },
          '422': { description: 'Unprocessable', content: { 'application/json': { schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } } },
        },
      },
    },
  },
};

type Result = { statusCode: number; headers: Record<string, string>; body: string };
const json = (statusCode: number, body: unknown): Result => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const startOf = (event: { body: string | null }): unknown => (JSON.parse(event.body ?? '{}') as { start?: unknown }).start;

/** Refuses what JavaScript cannot hold exactly, though the contract sets no maximum. */
const strict = async (event: { body: string | null }): Promise<Result> => {
  const start = startOf(event);
  return typeof start === 'number' && Number.isSafeInteger(start) ? json(201, { start }) : json(400, { message: 'start is too large' });
};
/** Takes every integer the contract allows. */
const lenient = async (event: { body: string | null }): Promise<Result> => json(201, { start: startOf(event) });
/** Answers 422 to every request. */
const unprocessable = async (): Promise<Result> => json(422, { message: 'no' });

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract(doc);
});
const run = (handler: unknown, extra: Record<string, unknown> = {}) => runContract(contract, handler as never, { runs: 0, checks: ['conformance', 'no_server_errors', 'positive_data_acceptance'], ...extra });

describe('positive_data_acceptance', () => {
  it('fails a handler that rejects an integer above 2^53 where the contract sets no maximum, though its 400 is documented', async () => {
    const report = await run(strict);
    const failed = report.results.filter((r) => !r.ok);
    expect(failed.map((r) => [r.case, r.status, r.violations.map((v) => v.rule)])).toEqual([['example "big"', 400, ['positive_data_acceptance']]]);
    expect(failed[0]?.violations[0]?.message).toBe('the contract allows this request, but the handler rejected it with 400: the handler is stricter than its contract');
    expect(formatText(report)).toContain('[positive_data_acceptance]');
    // Conformance alone is satisfied: the 400 is documented.
    expect((await run(strict, { checks: ['conformance'] })).summary.failed).toBe(0);
  });

  it('passes the handler that accepts it', async () => {
    expect((await run(lenient)).summary.failed).toBe(0);
  });

  it('accepts a 422 the operation documents (meaning a schema cannot say), and fails one it does not', async () => {
    expect((await run(unprocessable)).summary.failed).toBe(0);
    const undocumented = JSON.parse(JSON.stringify(doc)) as { paths: { '/counters': { post: { responses: Record<string, unknown> } } } };
    delete undocumented.paths['/counters'].post.responses['422'];
    undocumented.paths['/counters'].post.responses['4XX'] = doc.paths['/counters'].post.responses['422'];
    const report = await runContract(await loadContract(undocumented as never), unprocessable as never, { runs: 0, checks: ['conformance', 'no_server_errors', 'positive_data_acceptance'] });
    expect(report.results.every((r) => r.violations.some((v) => v.rule === 'positive_data_acceptance'))).toBe(true);
    expect(report.results[0]?.violations[0]?.expected).toBe('a status that accepts the request (2xx, 401, 403, 404, 409)');
    expect(report.results[0]?.violations[0]?.basis).toEqual({ from: 'document', pointer: '/paths/~1counters/post/parameters' });
  });

  it('counts only the statuses the run names once --accepted-statuses is given: a documented 422 fails then, passes once named', async () => {
    const report = await run(unprocessable, { acceptedStatuses: ['2xx'] });
    expect(report.results.every((r) => r.violations.some((v) => v.rule === 'positive_data_acceptance'))).toBe(true);
    expect((await run(unprocessable, { acceptedStatuses: ['2xx', '422'] })).summary.failed).toBe(0);
  });

  it('does not call a handler stricter than its contract when it answered 4xx or 5xx because the run blocked its network call: the blocked call is the finding', async () => {
    const offline = async (): Promise<Result> => {
      const reached = await fetch('https://api.partner.example/v1/limits').then(() => true, () => false);
      return reached ? json(201, { start: 1 }) : json(400, { message: 'limits unavailable' });
    };
    const report = await run(offline);
    for (const r of report.results) {
      expect(r.violations.map((v) => v.rule)).toEqual(['outbound_request']);
      expect(r.notes.join()).toContain('not judged (positive_data_acceptance): the handler answered 400 after the run blocked its call to api.partner.example');
    }
    const crashing = async (): Promise<Result> => (await fetch('https://api.partner.example/v1/limits').then(() => json(201, { start: 1 }), () => json(500, { message: 'down' })));
    const crashed = await run(crashing);
    expect(crashed.results.flatMap((r) => r.violations.map((v) => v.rule))).not.toContain('server_error');
  });

  it('shows a failing case\'s response, status, type and body, under its request', async () => {
    const report = await run(strict);
    const failed = report.results.find((r) => !r.ok);
    expect(failed?.response).toEqual({ status: 400, headers: [['Content-Type', 'application/json']], body: '{"message":"start is too large"}' });
    expect(formatText(report)).toContain('      response: 400 application/json {"message":"start is too large"}');
    expect(report.results.filter((r) => r.ok).every((r) => r.response === undefined)).toBe(true);
  });
});
