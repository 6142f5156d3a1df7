/** The JSON report: the run as data, every violation with the request and event behind it. */
import type { RunReport } from '../run/run';
import { serializeRequest, type SerializedRequest } from './request';

export interface JsonReport extends Omit<RunReport, 'results'> {
  tool: 'lambda-contract';
  results: Array<Omit<RunReport['results'][number], 'request'> & { request: SerializedRequest }>;
}

export function toJsonReport(report: RunReport): JsonReport {
  return {
    tool: 'lambda-contract',
    ...report,
    results: report.results.map((r) => ({ ...r, request: serializeRequest(r.request) })),
  };
}

export function formatJson(report: RunReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
}
