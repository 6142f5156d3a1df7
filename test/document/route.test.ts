import { Router } from '../../src/document/route';
import { loadContract } from '../../src';

const ok = { responses: { 200: { description: 'ok' } } };

describe('Router: a request to the operation API Gateway would route it to', () => {
  it('prefers literal paths, then variables, then greedy paths; the method before ANY on one path', async () => {
    const contract = await loadContract({
      openapi: '3.0.3', info: { title: 'routes', version: '1' },
      paths: {
        '/pets/{id}': { get: { operationId: 'getPet', ...ok } },
        '/pets/mine': { get: { operationId: 'getMine', ...ok }, 'x-amazon-apigateway-any-method': { operationId: 'anyMine', ...ok } },
        '/files/{key+}': { get: { operationId: 'getFile', ...ok } },
        '/files/{name}.json': { get: { operationId: 'getJson', ...ok } },
      },
    });
    const router = new Router(contract.operations);
    const at = (method: string, path: string): string | undefined => router.match(method, path)?.id;
    expect(at('GET', '/pets/mine')).toBe('getMine');
    expect(at('POST', '/pets/mine')).toBe('anyMine');
    expect(at('GET', '/pets/7')).toBe('getPet');
    expect(at('GET', '/pets/7/')).toBe('getPet');
    expect(at('DELETE', '/pets/7')).toBeUndefined();
    expect(at('GET', '/files/a/b/c.txt')).toBe('getFile');
    expect(at('GET', '/files/report.json')).toBe('getJson');
    expect(at('GET', '/pets')).toBeUndefined();
    expect(at('GET', '/pets/%E2%9C%93')).toBe('getPet');
    expect(at('GET', '/pets/%E0%A4%A')).toBe('getPet'); // undecodable: matched raw, never thrown
  });
});
