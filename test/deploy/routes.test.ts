/** Which route serves an operation: the method before ANY, an exact path before a greedy one, and renamed parameters. */
import { deploymentFromText } from './copy';
import { routeFor, routesOf } from '../../src/run/deployment';
import type { DeployedRoute } from '../../src/deploy/model';
import type { Operation } from '../../src/document/model';

const op = (method: string, path: string): Operation => ({ id: `${method} ${path}`, method, path } as unknown as Operation);
const route = (method: string, path: string, functionId: string): DeployedRoute => ({ method, path, functionId, source: 'rest', apiId: 'Api' });

const ROUTES = [
  route('ANY', '/{proxy+}', 'Fallback'),
  route('ANY', '/pets/{petId}', 'AnyPet'),
  route('GET', '/pets/{id}', 'GetPet'),
  route('ANY', '/files/{path+}', 'Files'),
  route('POST', '/pets', 'CreatePet'),
];

test('the route with the method wins over ANY on the same path, and names a renamed parameter', () => {
  const r = routeFor(op('GET', '/pets/{petId}'), ROUTES);
  expect(r.route?.functionId).toBe('GetPet');
  expect(r.renamed).toBe('the route names /pets/{id}, the contract /pets/{petId}');
  expect(routeFor(op('DELETE', '/pets/{petId}'), ROUTES)).toEqual({ operation: op('DELETE', '/pets/{petId}'), route: ROUTES[1] });
});

test('without --api, the routes of the APIs that serve the contract count; an unrelated API of the template does not', () => {
  const admin = route('GET', '/admin/stats', 'Stats');
  const deployment = { file: 't', functions: [], apis: [{ id: 'Public', kind: 'rest' as const }, { id: 'Admin', kind: 'rest' as const }], warnings: [], routes: [{ ...ROUTES[4] as DeployedRoute, apiId: 'Public' }, { ...admin, apiId: 'Admin' }] };
  expect(routesOf(deployment, undefined, { operations: [op('POST', '/pets')] }).map((r) => r.functionId)).toEqual(['CreatePet']);
  expect(routesOf(deployment, undefined, { operations: [op('GET', '/nothing')] })).toHaveLength(2); // none serves it: all count
  expect(routesOf(deployment, 'Admin').map((r) => r.functionId)).toEqual(['Stats']);
});

test('an exact path wins over a greedy one, and the longest greedy prefix over the catch-all', () => {
  expect(routeFor(op('POST', '/pets'), ROUTES).route?.functionId).toBe('CreatePet');
  expect(routeFor(op('GET', '/files/{dir}/{name}'), ROUTES).route?.functionId).toBe('Files');
  expect(routeFor(op('GET', '/health'), ROUTES).route?.functionId).toBe('Fallback');
  expect(routeFor(op('GET', '/health'), ROUTES.slice(1)).route).toBeUndefined();
});

test('a function URL or an HTTP API $default route takes `/` too; a REST API\'s /{proxy+} does not', () => {
  const url: DeployedRoute = { ...route('ANY', '/{proxy+}', 'Streamer'), source: 'url', catchAll: true };
  expect(routeFor(op('GET', '/'), [url]).route?.functionId).toBe('Streamer');
  expect(routeFor(op('GET', '/export/{id}'), [url]).route?.functionId).toBe('Streamer');
  expect(routeFor(op('GET', '/'), [route('ANY', '/{proxy+}', 'Rest')]).route).toBeUndefined();
  // An exact route still wins over the catch-all.
  expect(routeFor(op('GET', '/'), [url, route('GET', '/', 'Root')]).route?.functionId).toBe('Root');
});

test('read from a template, a function URL and an HTTP API event with no path are catch-alls that serve `/`', () => {
  const template = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Streamer:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: slow.handler, Runtime: nodejs24.x, FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM } }
  Everything:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: slow.handler, Runtime: nodejs22.x, Events: { All: { Type: HttpApi } } }
`;
  const d = deploymentFromText(template);
  expect(d.routes.map((r) => [r.functionId, r.source, r.path, r.catchAll])).toEqual([['Streamer', 'url', '/{proxy+}', true], ['Everything', 'http', '/{proxy+}', true]]);
  expect(routeFor(op('GET', '/'), d.routes.filter((r) => r.source === 'url')).route?.functionId).toBe('Streamer');
  expect(routeFor(op('GET', '/'), d.routes.filter((r) => r.source === 'http')).route?.functionId).toBe('Everything');
});
