/**
 * An independent request judge: openapi-backend (its own routing, parameter parsing and request
 * schema assembly) decides whether a request we generate is valid for its operation.
 */
import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { convertObj } = require('swagger2openapi') as { convertObj: (spec: unknown, options: Record<string, unknown>) => Promise<unknown> };
import type { HttpRequest } from '../../src/gateway/types';
import type { Contract } from '../../src/contract';

export class RequestJudge {
  private constructor(private readonly api: OpenAPIBackend) {}

  static async for(contract: Contract): Promise<RequestJudge> {
    // openapi-backend reads OpenAPI 3 only: Swagger 2.0 goes through swagger2openapi (Mermade) first.
    const definition = contract.version === '2.0'
      ? ((await convertObj(structuredClone(contract.document) as never, { patch: true, warnOnly: true })) as { openapi: unknown }).openapi
      : structuredClone(contract.document);
    // openapi-backend judges by operationId: operations without one get ours (`GET /path`), so
    // requests are judged against their own operation, whatever the servers' base paths.
    for (const op of contract.operations) {
      const item = (definition as { paths: Record<string, Record<string, { operationId?: string }>> }).paths[op.path]?.[op.method.toLowerCase()];
      if (item && !item.operationId) item.operationId = op.id;
    }
    const api = new OpenAPIBackend({
      definition: definition as never,
      quick: false,
      validate: true,
      strict: false,
      ajvOpts: { logger: false, strict: false },
      customizeAjv: (ajv) => {
        addFormats(ajv);
        for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) if (!ajv.formats[f]) ajv.addFormat(f, true);
        return ajv;
      },
    });
    // The judge rules on requests, not on the document: some examples documents bend the 3.0 schema.
    api.validateDefinition = () => api.document;
    await api.init();
    return new RequestJudge(api);
  }

  /** The judge's errors for a request (empty when valid), or why it could not judge. */
  errors(operationId: string, request: HttpRequest): string[] {
    const headers: Record<string, string> = {};
    for (const [k, v] of request.headers) headers[k.toLowerCase()] = headers[k.toLowerCase()] === undefined ? v : `${headers[k.toLowerCase()]}, ${v}`;
    // JSON goes as text: openapi-backend parses it itself (and must fail on malformed JSON).
    const body = request.body?.toString('utf8');
    let result;
    try {
      result = this.api.validateRequest({ method: request.method.toLowerCase(), path: request.path, query: request.rawQuery, headers, ...(body !== undefined ? { body } : {}) }, operationId);
    } catch (error) {
      return [`the judge cannot route it: ${(error as Error).message}`];
    }
    return result.valid ? [] : (result.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? e.keyword}`);
  }
}
