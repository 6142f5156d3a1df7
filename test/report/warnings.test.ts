/**
 * A report's warnings as a reader takes them in: one project printed 38 warning lines, most of them
 * the same warning about different routes. Each is now said once, the routes it concerns listed.
 */
import { formatText, groupWarnings } from '../../src/report/text';
import type { RunReport } from '../../src/run/run';
import { computeCoverage } from '../../src/run/coverage';

describe('warnings in the text report', () => {
  it('says a repeated warning once, and one about several routes once with the routes listed', () => {
    const same = 'authorizer Jwt is not a Lambda authorizer of Api that lambda-contract can run';
    const routes = ['GET /a', 'POST /a', 'GET /b', 'PUT /b', 'DELETE /b', 'GET /c', 'GET /d'];
    const grouped = groupWarnings([...routes.map((r) => `${r}: ${same}`), 'tables are empty', 'tables are empty', `GET /a: ${same}`]);
    expect(grouped).toEqual([`GET /a, POST /a, GET /b, PUT /b, DELETE /b and 2 more: ${same}`, 'tables are empty']);
  });

  it('keeps warnings that differ apart', () => {
    expect(groupWarnings(['GET /a: one thing', 'GET /b: another thing', 'plain'])).toEqual(['GET /a: one thing', 'GET /b: another thing', 'plain']);
  });

  it('prints the grouped warnings in the text report', () => {
    const report = { spec: 'openapi.yaml', title: 'T', version: '3.0.3', source: 'rest', results: [], summary: { operations: 0, failedOperations: 0, cases: 0, passed: 0, failed: 0 }, coverage: computeCoverage([], [], []), warnings: ['GET /a: x', 'GET /b: x'], durationMs: 1 } as unknown as RunReport;
    expect(formatText(report).split('\n').filter((l) => l.startsWith('  ! '))).toEqual(['  ! GET /a, GET /b: x']);
  });
});
