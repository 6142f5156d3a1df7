/**
 * A REST API's mock integration (`type: mock`): the gateway answers from the integration response's
 * static settings without calling anything. The `OPTIONS` methods SAM's `Cors` and CDK's
 * `defaultCorsPreflightOptions` create are such mocks; what their headers allow is what a browser's
 * preflight gets.
 */
import type { CorsConfiguration, HttpResponse, MockAnswer } from './types';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The answer of one integration response, in either spelling: the extension's (`statusCode`,
 * `responseParameters`, `responseTemplates`) or CloudFormation's (`StatusCode`, `ResponseParameters`,
 * `ResponseTemplates`). Headers come from `method.response.header.<Name>` mappings to a quoted literal
 * (`'*'`); the first template is the body, its key the Content-Type.
 */
export function mockAnswer(response: unknown, setting: string): MockAnswer {
  const r = isObject(response) ? response : {};
  const parameters = r.responseParameters ?? r.ResponseParameters;
  const templates = r.responseTemplates ?? r.ResponseTemplates;
  const headers: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(isObject(parameters) ? parameters : {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    const literal = typeof value === 'string' ? /^'(.*)'$/s.exec(value)?.[1] : typeof value === 'number' ? String(value) : undefined;
    if (name && literal !== undefined) headers.push([name, literal]);
  }
  const bodies = Object.entries(isObject(templates) ? templates : {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  const [contentType, body] = bodies[0] ?? [undefined, ''];
  if (contentType && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', contentType]);
  const status = Number(r.statusCode ?? r.StatusCode ?? 200);
  return { statusCode: Number.isInteger(status) ? status : 200, headers, body: body.trim(), setting };
}

/** What the client receives from a mock: its status, static headers and body. */
export function mockResponse(mock: MockAnswer): HttpResponse {
  return { statusCode: mock.statusCode, headers: [...mock.headers], body: Buffer.from(mock.body, 'utf8') };
}

/** The integration response a mock answers with: `default` (or CloudFormation's one without a pattern), else the first. */
export function chosenMockResponse(responses: unknown): unknown {
  if (Array.isArray(responses)) return responses.find((r) => isObject(r) && (r.SelectionPattern === undefined || r.SelectionPattern === '')) ?? responses[0];
  if (!isObject(responses)) return undefined;
  return responses.default ?? Object.values(responses)[0];
}

/** Whether a mock answers CORS preflights: it sets `Access-Control-Allow-Origin`. */
export function isCorsMock(mock: MockAnswer): boolean {
  return mock.headers.some(([name]) => name.toLowerCase() === 'access-control-allow-origin');
}

const list = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== ''));

/**
 * What a preflight mock's static headers allow, as a CORS configuration: its `Access-Control-Allow-Origin`
 * (one origin or `*`), `-Methods`, `-Headers`, `-Credentials` and `-Max-Age`. A browser goes on only when
 * the origin, the method and every header it asked for are among them.
 */
export function corsOfMock(mock: MockAnswer): CorsConfiguration {
  const header = (name: string): string | undefined => mock.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const origin = header('access-control-allow-origin');
  const methods = list(header('access-control-allow-methods'));
  const headers = list(header('access-control-allow-headers'));
  const maxAge = Number(header('access-control-max-age'));
  const config: CorsConfiguration = { allowOrigins: origin === undefined ? [] : [origin], setting: mock.setting };
  if (methods) config.allowMethods = methods.map((m) => m.toUpperCase());
  if (headers) config.allowHeaders = headers;
  if (header('access-control-allow-credentials') === 'true') config.allowCredentials = true;
  if (Number.isFinite(maxAge) && header('access-control-max-age') !== undefined) config.maxAge = maxAge;
  return config;
}
