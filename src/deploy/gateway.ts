/**
 * The gateway's configuration as a template writes it, in the terms the document's extensions use
 * (docs/configured-gateway.md, "From a template"): SAM's `GatewayResponses`, `Cors`, `Auth.ApiKeyRequired`,
 * `RequestModel` and `RequestParameters` on REST APIs and their events, `CorsConfiguration` on HTTP APIs;
 * CloudFormation's (and so CDK's) `AWS::ApiGateway::GatewayResponse`, `RequestValidator`, a method's
 * `ApiKeyRequired` / `RequestValidatorId` / `RequestParameters`, mock `OPTIONS` methods, and
 * `AWS::ApiGatewayV2::Api` `CorsConfiguration`. Each setting names where it is written
 * (`template.yaml#/Resources/BooksApi/Properties/Cors`), so a report can point at it.
 */
import * as path from 'node:path';
import { readCorsConfiguration } from '../gateway/cors';
import { chosenMockResponse, mockAnswer } from '../gateway/mock';
import { GATEWAY_RESPONSE_TYPES, type CorsConfiguration, type GatewayResponses, type GatewayResponseType, type OperationGateway, type RestPreflight } from '../gateway/types';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObject(v) ? v : {});

/** Where a template setting is written: `template.yaml#/Resources/Api/Properties/Cors`. */
export function templateSetting(file: string, ...parts: Array<string | number>): string {
  return `${path.basename(file)}#/${parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** A literal the gateway reads as a static value: `'*'` → `*`; a bare value as it is. */
function unquote(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  return /^'(.*)'$/s.exec(value.trim())?.[1] ?? value.trim();
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;

/**
 * SAM `GatewayResponses` (`StatusCode`, `ResponseParameters: { Headers, Paths, QueryStrings }`,
 * `ResponseTemplates`) or one `AWS::ApiGateway::GatewayResponse`'s properties, as the extension's setting.
 */
export function samGatewayResponses(value: unknown, setting: (type: string) => string, warnings: string[]): GatewayResponses | undefined {
  if (!isObject(value)) return undefined;
  const out: GatewayResponses = {};
  for (const [type, raw] of Object.entries(value)) {
    if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
      warnings.push(`${setting(type)}: "${type}" is not a gateway response type; ignored`);
      continue;
    }
    const r = obj(raw);
    const parameters: Record<string, string> = {};
    // SAM writes headers by name; the gateway's own key is gatewayresponse.header.<Name>.
    const prefixes: Record<string, string> = { Headers: 'header', Paths: 'path', QueryStrings: 'querystring' };
    for (const [group, prefix] of Object.entries(prefixes)) {
      for (const [name, v] of Object.entries(obj(obj(r.ResponseParameters)[group]))) if (typeof v === 'string') parameters[`gatewayresponse.${prefix}.${name}`] = v;
    }
    out[type as GatewayResponseType] = responseSetting(r.StatusCode, parameters, r.ResponseTemplates, setting(type));
  }
  return out;
}

/** One `AWS::ApiGateway::GatewayResponse` (its parameters already carry the gateway's own keys). */
export function cfnGatewayResponse(props: Obj, setting: string): { type: GatewayResponseType; response: NonNullable<GatewayResponses[GatewayResponseType]> } | undefined {
  const type = String(props.ResponseType ?? '');
  if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) return undefined;
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(props.ResponseParameters))) if (typeof v === 'string') parameters[k] = v;
  return { type: type as GatewayResponseType, response: responseSetting(props.StatusCode, parameters, props.ResponseTemplates, setting) };
}

function responseSetting(status: unknown, parameters: Record<string, string>, templates: unknown, setting: string): NonNullable<GatewayResponses[GatewayResponseType]> {
  const code = status === undefined ? undefined : Number(status);
  const bodies: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(templates))) if (typeof v === 'string') bodies[k] = v;
  return {
    ...(code !== undefined && Number.isInteger(code) && code >= 100 && code <= 599 ? { statusCode: code } : {}),
    ...(Object.keys(parameters).length ? { responseParameters: parameters } : {}),
    ...(Object.keys(bodies).length ? { responseTemplates: bodies } : {}),
    setting,
  };
}

/**
 * An HTTP API's `CorsConfiguration` (SAM) or `CorsConfiguration` (`AWS::ApiGatewayV2::Api`): `true`
 * allows every origin (SAM's translator), a string one origin, an object its lists.
 */
export function httpCors(value: unknown, setting: string): CorsConfiguration | undefined {
  if (value === true) return { allowOrigins: ['*'], setting };
  if (typeof value === 'string') return { allowOrigins: [unquote(value) ?? value], setting };
  return isObject(value) ? readCorsConfiguration(value, 'cloudformation', setting) : undefined;
}

/** A SAM REST API's settings that reach its routes. */
export interface SamRestApi {
  gatewayResponses?: GatewayResponses;
  /** `Cors`: what SAM's `OPTIONS` mocks answer, before the allowed methods are known per path. */
  cors?: { origin: string; headers?: string; methods?: string; maxAge?: string; credentials: boolean; setting: string };
  /** `Auth.ApiKeyRequired`: every method requires a key unless its event says otherwise. */
  apiKeyRequired?: { value: boolean; setting: string };
  /** `ApiKeySourceType: AUTHORIZER`: the authorizer supplies the key; the gateway checks none in the header. */
  keysFromAuthorizer: boolean;
  /** Whether the API's key requirement and default authorizer cover the `OPTIONS` mocks (SAM's defaults: yes). */
  keyOnPreflight: boolean;
  authorizerOnPreflight: boolean;
  defaultAuthorizer?: { name: string; setting: string };
  /** `Models`: JSON Schemas by name, for `RequestModel`. */
  models: Map<string, Record<string, unknown>>;
}

/** A model's schema as the validator uses it: its `$schema` (draft 4) left to the gateway. */
export function modelSchema(given: unknown): Record<string, unknown> | undefined {
  let value = given;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown; // CloudFormation takes a model's Schema as JSON text too
    } catch {
      return undefined;
    }
  }
  if (!isObject(value)) return undefined;
  const { $schema: _draft, ...schema } = value;
  return schema;
}

/** Reads a SAM REST API's properties (`AWS::Serverless::Api`, or `Globals.Api` for the implicit one). */
export function samRestApi(props: Obj, at: (...parts: string[]) => string, warnings: string[]): SamRestApi {
  const out: SamRestApi = { keysFromAuthorizer: props.ApiKeySourceType === 'AUTHORIZER', keyOnPreflight: true, authorizerOnPreflight: true, models: new Map() };
  for (const [name, schema] of Object.entries(obj(props.Models))) {
    const usable = modelSchema(schema);
    if (usable) out.models.set(name, usable);
  }
  const responses = samGatewayResponses(props.GatewayResponses, (type) => at('GatewayResponses', type), warnings);
  if (responses) out.gatewayResponses = responses;
  const cors = props.Cors;
  if (typeof cors === 'string' || isObject(cors)) {
    const c = typeof cors === 'string' ? { AllowOrigin: cors } : cors;
    const origin = typeof c.AllowOrigin === 'string' ? c.AllowOrigin : undefined;
    if (origin === undefined) warnings.push(`${at('Cors')}: AllowOrigin is required (SAM refuses the template); CORS left out`);
    else {
      out.cors = {
        origin, credentials: c.AllowCredentials === true, setting: at('Cors'),
        ...(typeof c.AllowHeaders === 'string' ? { headers: c.AllowHeaders } : {}),
        ...(typeof c.AllowMethods === 'string' ? { methods: c.AllowMethods } : {}),
        // MaxAge is an integer (SAM quotes it for the gateway); a quoted string is taken as written.
        ...(c.MaxAge !== undefined ? { maxAge: /^'.*'$/s.test(String(c.MaxAge)) ? String(c.MaxAge) : `'${String(c.MaxAge)}'` } : {}),
      };
    }
  }
  const auth = obj(props.Auth);
  if (typeof auth.ApiKeyRequired === 'boolean') out.apiKeyRequired = { value: auth.ApiKeyRequired, setting: at('Auth', 'ApiKeyRequired') };
  if (auth.AddApiKeyRequiredToCorsPreflight === false) out.keyOnPreflight = false;
  if (auth.AddDefaultAuthorizerToCorsPreflight === false) out.authorizerOnPreflight = false;
  if (typeof auth.DefaultAuthorizer === 'string' && auth.DefaultAuthorizer !== 'NONE') out.defaultAuthorizer = { name: auth.DefaultAuthorizer, setting: at('Auth', 'DefaultAuthorizer') };
  return out;
}

type RequiredParameter = { in: 'path' | 'query' | 'header'; name: string };

/** `method.request.querystring.limit` → `{ in: 'query', name: 'limit' }`. */
export function methodRequestParameter(key: string): RequiredParameter | undefined {
  const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
  if (!m) return undefined;
  return { in: m[1] === 'querystring' ? 'query' : (m[1] as 'path' | 'header'), name: m[2] as string };
}

/**
 * What a SAM `Api` event adds at the gateway for its route: the API key (`Auth.ApiKeyRequired`, the
 * event's own before the API's) and the request validator SAM makes from `RequestModel`'s
 * `ValidateBody` / `ValidateParameters` (one set, the other counts as false), checking the
 * `RequestParameters` marked `Required`.
 */
export function samEventGateway(event: Obj, api: SamRestApi, at: (...parts: string[]) => string): OperationGateway | undefined {
  const out: OperationGateway = {};
  const own = obj(event.Auth).ApiKeyRequired;
  const key = typeof own === 'boolean' ? { value: own, setting: at('Auth', 'ApiKeyRequired') } : api.apiKeyRequired;
  if (key?.value && !api.keysFromAuthorizer) out.apiKey = { header: 'x-api-key', setting: key.setting };
  const model = obj(event.RequestModel);
  if (model.ValidateBody !== undefined || model.ValidateParameters !== undefined) {
    const body = model.ValidateBody === true;
    const parameters = model.ValidateParameters === true;
    if (body || parameters) {
      const required: RequiredParameter[] = [];
      for (const entry of Array.isArray(event.RequestParameters) ? event.RequestParameters : []) {
        // A bare name is declared but optional; `{ name: { Required: true } }` is required.
        if (!isObject(entry)) continue;
        for (const [name, settings] of Object.entries(entry)) {
          const p = methodRequestParameter(name);
          if (p && obj(settings).Required === true) required.push(p);
        }
      }
      const name = typeof model.Model === 'string' ? model.Model : 'RequestModel';
      const schema = api.models.get(name);
      out.validator = { name, body, parameters, setting: at('RequestModel'), requiredParameters: required, ...(schema ? { model: { name, schema } } : {}) };
    }
  }
  return out.apiKey || out.validator ? out : undefined;
}

/**
 * The `OPTIONS` mock SAM's `Cors` adds to a path that has none: `Access-Control-Allow-Origin` and the
 * configured headers, `Allow-Methods` defaulting to the path's methods and `OPTIONS` (every method for
 * `ANY`), `Allow-Credentials: 'true'` only when allowed; status 200, body `{}`. The API's key
 * requirement and default authorizer cover it unless the API turns that off.
 */
export function samPreflight(api: SamRestApi, methods: readonly string[]): RestPreflight | undefined {
  const cors = api.cors;
  if (!cors) return undefined;
  const all = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
  const allowed = methods.includes('ANY') ? all : [...new Set([...methods.map((m) => m.toUpperCase()), 'OPTIONS'])].sort();
  const parameters: Record<string, string> = { 'method.response.header.Access-Control-Allow-Origin': cors.origin };
  if (cors.headers) parameters['method.response.header.Access-Control-Allow-Headers'] = cors.headers;
  parameters['method.response.header.Access-Control-Allow-Methods'] = cors.methods ?? `'${allowed.join(',')}'`;
  if (cors.maxAge !== undefined) parameters['method.response.header.Access-Control-Max-Age'] = cors.maxAge;
  if (cors.credentials) parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
  const mock = mockAnswer({ statusCode: 200, responseParameters: parameters, responseTemplates: { 'application/json': '{}\n' } }, cors.setting);
  const preflight: RestPreflight = { ...mock };
  if (api.defaultAuthorizer && api.authorizerOnPreflight) preflight.authorizer = api.defaultAuthorizer;
  if (api.apiKeyRequired?.value && api.keyOnPreflight && !api.keysFromAuthorizer) preflight.apiKeyRequired = api.apiKeyRequired.setting;
  return preflight;
}

/** A CloudFormation `AWS::ApiGateway::Method` with a `MOCK` integration: its answer. */
export function cfnMockAnswer(props: Obj, setting: string): ReturnType<typeof mockAnswer> | undefined {
  const integration = obj(props.Integration);
  if (String(integration.Type ?? '').toUpperCase() !== 'MOCK') return undefined;
  return mockAnswer(chosenMockResponse(integration.IntegrationResponses), setting);
}

/**
 * What a CloudFormation `AWS::ApiGateway::Method` sets at the gateway: `ApiKeyRequired`, and its
 * `RequestValidatorId` with the `RequestParameters` marked `true` (required).
 */
export function cfnMethodGateway(props: Obj, validator: { name: string; body: boolean; parameters: boolean } | undefined, at: (...parts: string[]) => string, keysFromAuthorizer: boolean, modelOf: (node: unknown) => { name: string; schema: Record<string, unknown> } | undefined): OperationGateway | undefined {
  const out: OperationGateway = {};
  if (props.ApiKeyRequired === true && !keysFromAuthorizer) out.apiKey = { header: 'x-api-key', setting: at('ApiKeyRequired') };
  if (validator && (validator.body || validator.parameters)) {
    const required: RequiredParameter[] = [];
    for (const [key, value] of Object.entries(obj(props.RequestParameters))) {
      const p = methodRequestParameter(key);
      if (p && (value === true || value === 'true')) required.push(p);
    }
    const models = obj(props.RequestModels);
    const model = modelOf(models['application/json'] ?? Object.values(models)[0]);
    out.validator = { ...validator, setting: at('RequestValidatorId'), requiredParameters: required, ...(model ? { model } : {}) };
  }
  return out.apiKey || out.validator ? out : undefined;
}

/** The headers Serverless Framework allows by default for `cors: true` (REST `http` events and `httpApi.cors`). */
const SERVERLESS_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent', 'X-Amzn-Trace-Id'];

/** An `http` event's `cors` (Serverless Framework): `true`, or `origin(s)`, `headers`, `allowCredentials`, `maxAge`. */
export interface ServerlessCors {
  origin: string;
  headers: string[];
  credentials: boolean;
  maxAge?: number;
  setting: string;
}

export function serverlessCors(value: unknown, setting: string, warnings: string[]): ServerlessCors | undefined {
  if (value === true) return { origin: '*', headers: SERVERLESS_CORS_HEADERS, credentials: false, setting };
  if (!isObject(value)) return undefined;
  const origins = strings(value.origins) ?? strings(value.origin) ?? ['*'];
  // Several origins: Serverless's mock picks the request's origin with a VTL template, which is not evaluated here.
  if (origins.length > 1) warnings.push(`${setting}: several origins (${origins.join(', ')}); the OPTIONS mock's VTL that picks the request's origin is not evaluated — the first one, ${origins[0]}, is used`);
  const maxAge = Number(value.maxAge);
  return {
    origin: origins[0] ?? '*', headers: strings(value.headers) ?? SERVERLESS_CORS_HEADERS, credentials: value.allowCredentials === true, setting,
    ...(value.maxAge !== undefined && Number.isFinite(maxAge) ? { maxAge } : {}),
  };
}

/** The `OPTIONS` mock Serverless Framework adds to a path with `cors`: `OPTIONS` and the path's methods, status 200. */
export function serverlessPreflight(cors: ServerlessCors, methods: readonly string[]): RestPreflight {
  const allowed = methods.includes('ANY') ? ['OPTIONS', 'DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'] : ['OPTIONS', ...[...new Set(methods)].sort()];
  const parameters: Record<string, string> = {
    'method.response.header.Access-Control-Allow-Origin': `'${cors.origin}'`,
    'method.response.header.Access-Control-Allow-Headers': `'${cors.headers.join(',')}'`,
    'method.response.header.Access-Control-Allow-Methods': `'${allowed.join(',')}'`,
  };
  if (cors.credentials) parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
  if (cors.maxAge !== undefined) parameters['method.response.header.Access-Control-Max-Age'] = `'${cors.maxAge}'`;
  return mockAnswer({ statusCode: 200, responseParameters: parameters, responseTemplates: { 'application/json': '' } }, cors.setting);
}

/**
 * What an `http` event (Serverless Framework) sets at the gateway: `private: true` requires an API key;
 * `request.schemas` validates bodies (the JSON schema of `application/json`) and parameters, with
 * `request.parameters` marking which are required.
 */
export function serverlessHttpGateway(event: Obj, at: (...parts: string[]) => string, keysFromAuthorizer: boolean, warnings: string[]): OperationGateway | undefined {
  const out: OperationGateway = {};
  if (event.private === true && !keysFromAuthorizer) out.apiKey = { header: 'x-api-key', setting: at('private') };
  const request = obj(event.request);
  const schemas = obj(request.schemas);
  const raw = schemas['application/json'] ?? Object.values(schemas)[0];
  if (raw !== undefined) {
    // `{ schema, name, description }` or the schema itself.
    const wrapped = isObject(raw) && isObject(raw.schema);
    const schema = modelSchema(wrapped ? (raw as Obj).schema : raw);
    if (!schema) warnings.push(`${at('request', 'schemas')}: the schema is not a JSON object; the body is not validated`);
    else {
      const required: RequiredParameter[] = [];
      const parameters = obj(request.parameters);
      for (const [group, where] of [['paths', 'path'], ['querystrings', 'query'], ['headers', 'header']] as const) {
        for (const [name, v] of Object.entries(obj(parameters[group]))) if (v === true || obj(v).required === true) required.push({ in: where, name });
      }
      const name = wrapped && typeof (raw as Obj).name === 'string' ? String((raw as Obj).name) : 'schema';
      out.validator = { name, body: true, parameters: true, setting: at('request', 'schemas'), requiredParameters: required, model: { name, schema } };
    }
  }
  return out.apiKey || out.validator ? out : undefined;
}

/** `provider.httpApi.cors` (Serverless Framework): `true` for its defaults, or its `allowed…` lists. */
export function serverlessHttpCors(value: unknown, methods: readonly string[], setting: string): CorsConfiguration {
  const routeMethods = ['OPTIONS', ...new Set(methods.filter((m) => m !== 'ANY'))];
  if (!isObject(value)) return { allowOrigins: ['*'], allowHeaders: SERVERLESS_CORS_HEADERS, allowMethods: methods.includes('ANY') ? ['*'] : routeMethods, setting };
  const config: CorsConfiguration = { allowOrigins: strings(value.allowedOrigins) ?? ['*'], allowHeaders: strings(value.allowedHeaders) ?? SERVERLESS_CORS_HEADERS, setting };
  const allowedMethods = strings(value.allowedMethods);
  config.allowMethods = allowedMethods ? allowedMethods.map((m) => m.toUpperCase()) : methods.includes('ANY') ? ['*'] : routeMethods;
  const expose = strings(value.exposedResponseHeaders);
  if (expose) config.exposeHeaders = expose;
  if (typeof value.allowCredentials === 'boolean') config.allowCredentials = value.allowCredentials;
  const maxAge = Number(value.maxAge);
  if (value.maxAge !== undefined && Number.isFinite(maxAge)) config.maxAge = maxAge;
  return config;
}
