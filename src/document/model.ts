/**
 * The version-neutral operation model: what every other part of lambda-contract reads instead of the
 * raw document. Swagger 2.0 is mapped onto the 3.x shape here (body/formData → requestBody,
 * `produces` → response content), so nothing downstream branches on the version.
 */
import { follow, isObject, pointer, type JsonObject } from './pointer';
import type { AuthorizerSettings } from '../gateway/authorizer';
import type { OpenApiVersion } from './schema';
import { routeShape } from './route';
import { documentGateway, operationGateway, type OperationGateway } from './gateway-settings';
import { isCorsMock } from '../gateway/mock';
import type { CorsConfiguration, GatewayResponses } from '../gateway/types';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** Where a schema lives: a pointer into the document (compiled by reference), or an inline schema. */
export interface SchemaRef {
  /** JSON pointer into the document, for ajv (`/components/schemas/Pet`). */
  pointer?: string;
  /** A schema built by lambda-contract (Swagger 2.0 formData), when there is no pointer. */
  inline?: JsonObject;
  /** The schema object itself, `$ref`s followed at the top (for sampling and messages). */
  schema: unknown;
}

/** A named example of a parameter, body or response. */
export interface NamedExample {
  name: string;
  value: unknown;
}

export interface MediaTypeSpec {
  /** As written in the document: `application/json`, `image/*`, `application/problem+json`. */
  mediaType: string;
  schema?: SchemaRef;
  examples: NamedExample[];
  /** Per-property encoding of form bodies (3.x `encoding`). */
  encoding?: JsonObject;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterSpec {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: string;
  explode: boolean;
  allowReserved: boolean;
  /** Swagger 2.0 `collectionFormat`, when given. */
  collectionFormat?: string;
  schema?: SchemaRef;
  /** A parameter described by `content` instead of `schema` (3.x). */
  content?: MediaTypeSpec;
  examples: NamedExample[];
  pointer: string;
}

export interface RequestBodySpec {
  required: boolean;
  content: MediaTypeSpec[];
  pointer: string;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  style: string;
  explode: boolean;
  schema?: SchemaRef;
  pointer: string;
}

export interface ResponseSpec {
  /** `200`, `2XX` or `default`, as written. */
  status: string;
  description: string;
  headers: HeaderSpec[];
  content: MediaTypeSpec[];
  pointer: string;
  /** OpenAPI 3 `links`: operations a client may call next with values from this response (read by `document/links.ts`). */
  links?: LinkSpec[];
}

/** One entry of a response's `links`, as written. */
export interface LinkSpec {
  name: string;
  operationId?: string;
  operationRef?: string;
  /** Parameter name (or `in.name`) → a runtime expression (`$response.body#/id`) or a constant. */
  parameters: Record<string, unknown>;
  /** Set when the link gives the request body. */
  requestBody?: { value: unknown };
  pointer: string;
}

/** API Gateway's `x-amazon-apigateway-authorizer` on a security scheme: how the gateway calls a Lambda authorizer. */
/**
 * The gateway's authorizer for a security scheme (`x-amazon-apigateway-authorizer`): a Lambda
 * authorizer's settings, or a JWT / Cognito authorizer the gateway checks by itself.
 */
export type SchemeAuthorizer = AuthorizerSettings | { type: 'JWT' | 'COGNITO_USER_POOLS'; identitySource?: string[] };

export type SecuritySchemeSpec = (
  | { name: string; type: 'http'; scheme: string; bearerFormat?: string }
  | { name: string; type: 'apiKey'; in: 'header' | 'query' | 'cookie'; paramName: string }
  | { name: string; type: 'oauth2' | 'openIdConnect' | 'mutualTLS' }
) & { gatewayAuthorizer?: SchemeAuthorizer };

/** One alternative of an operation's security: every scheme in it must be satisfied. */
export type SecurityRequirement = Array<{ scheme: SecuritySchemeSpec; scopes: string[] }>;

export interface Operation {
  /** The id users address the operation by: its `operationId`, else `METHOD /path`. */
  id: string;
  operationId?: string;
  /** Upper-case method. */
  method: string;
  /** The path template as written: `/pets/{petId}`. */
  path: string;
  /** JSON pointer of the operation object. */
  pointer: string;
  summary?: string;
  tags: string[];
  parameters: ParameterSpec[];
  requestBody?: RequestBodySpec;
  responses: ResponseSpec[];
  /** Alternatives (OR) of requirements (AND); empty when the operation is public. */
  security: SecurityRequirement[];
  /** True when one alternative needs no credentials (`{}` in the list). */
  securityOptional: boolean;
  /**
   * What API Gateway's `x-amazon-apigateway-integration` says about the backend: the event source it
   * implies (`aws_proxy` with `payloadFormatVersion`), or that it is not a Lambda proxy at all.
   */
  integration?: { type: string; source?: 'rest' | 'http' | 'http-v1' };
  /** What the gateway does before calling the function: its request validator, an API key, a mock answer. */
  gateway?: OperationGateway;
}

export interface ContractModel {
  version: OpenApiVersion;
  title: string;
  /** `x-amazon-apigateway-binary-media-types`: the REST API's binaryMediaTypes, when the document sets them. */
  binaryMediaTypes?: string[];
  operations: Operation[];
  /** REST: `x-amazon-apigateway-gateway-responses`. */
  gatewayResponses?: GatewayResponses;
  /** HTTP API: `x-amazon-apigateway-cors`. */
  cors?: CorsConfiguration;
  /** Document problems that did not stop loading (duplicate operation ids, unresolvable refs). */
  warnings: string[];
}

function examplesOf(node: JsonObject, root: unknown): NamedExample[] {
  const out: NamedExample[] = [];
  if (isObject(node.examples)) {
    for (const [name, ex] of Object.entries(node.examples)) {
      const resolved = follow(root, ex, '').value;
      if (isObject(resolved) && Object.hasOwn(resolved, 'value')) out.push({ name, value: resolved.value });
    }
  }
  if (node.example !== undefined) out.push({ name: 'example', value: node.example });
  return out;
}

function schemaRef(root: unknown, node: unknown, at: string): SchemaRef | undefined {
  if (node === undefined) return undefined;
  const { value } = follow(root, node, at);
  return { pointer: at, schema: value };
}

function mediaTypes(root: unknown, content: unknown, at: string): MediaTypeSpec[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const mt = isObject(raw) ? raw : {};
    const spec: MediaTypeSpec = { mediaType, examples: examplesOf(mt, root) };
    const s = schemaRef(root, mt.schema, pointer(at, mediaType, 'schema'));
    if (s) spec.schema = s;
    if (isObject(mt.encoding)) spec.encoding = mt.encoding;
    // An example in the schema counts when the media type has none of its own.
    if (spec.examples.length === 0 && s && isObject(s.schema) && s.schema.example !== undefined) {
      spec.examples.push({ name: 'schema example', value: s.schema.example });
    }
    return spec;
  });
}

function defaultStyle(location: ParameterLocation): string {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

function securitySchemes(doc: JsonObject, version: OpenApiVersion): Map<string, SecuritySchemeSpec> {
  const raw = version === '2.0' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  const out = new Map<string, SecuritySchemeSpec>();
  if (!isObject(raw)) return out;
  for (const [name, node] of Object.entries(raw)) {
    const s = follow(doc, node, '').value;
    if (!isObject(s)) continue;
    const type = String(s.type);
    const gatewayAuthorizer = gatewayAuthorizerOf(s['x-amazon-apigateway-authorizer']);
    const extra = gatewayAuthorizer ? { gatewayAuthorizer } : {};
    if (type === 'http') out.set(name, { name, type: 'http', scheme: String(s.scheme ?? 'bearer').toLowerCase(), ...(typeof s.bearerFormat === 'string' ? { bearerFormat: s.bearerFormat } : {}), ...extra });
    else if (type === 'basic') out.set(name, { name, type: 'http', scheme: 'basic', ...extra });
    else if (type === 'apiKey') {
      const location = s.in === 'query' || s.in === 'cookie' ? s.in : 'header';
      out.set(name, { name, type: 'apiKey', in: location, paramName: String(s.name ?? 'X-API-Key'), ...extra });
    } else if (type === 'oauth2' || type === 'openIdConnect' || type === 'mutualTLS') out.set(name, { name, type, ...extra });
  }
  return out;
}

/** Builds the operation model from a bundled (internally referenced) document. */
export function buildModel(doc: JsonObject, version: OpenApiVersion): ContractModel {
  const warnings: string[] = [];
  const operations: Operation[] = [];
  const schemes = securitySchemes(doc, version);
  const seenIds = new Map<string, string>();
  const paths = isObject(doc.paths) ? doc.paths : {};
  const routes = new Map<string, string>();
  const api = documentGateway(doc, warnings);
  // API Gateway requires an API key on methods whose security names an apiKey scheme called x-api-key in the header.
  const apiKeySchemes = [...schemes.values()].flatMap((s) => (s.type === 'apiKey' && s.in === 'header' && s.paramName.toLowerCase() === 'x-api-key' ? [{ name: s.name, header: s.paramName }] : []));

  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPointer = pointer('/paths', path);
    const route = routeShape(path);
    const same = routes.get(route);
    if (same !== undefined) warnings.push(`path "${path}" at ${itemPointer} is the same route as "${same}": OpenAPI forbids paths that differ only in parameter names and API Gateway refuses to import them; each is tested with its own events`);
    else routes.set(route, path);
    const item = follow(doc, rawItem, itemPointer).value;
    if (!isObject(item)) continue;
    // API Gateway's `x-amazon-apigateway-any-method` is one operation that answers every method.
    for (const method of [...HTTP_METHODS, ANY_METHOD]) {
      const rawOp = item[method];
      if (!isObject(rawOp)) continue;
      const opPointer = pointer(itemPointer, method);
      const key = `${method === ANY_METHOD ? 'ANY' : method.toUpperCase()} ${path}`;
      let id = typeof rawOp.operationId === 'string' && rawOp.operationId !== '' ? rawOp.operationId : key;
      if (seenIds.has(id)) {
        warnings.push(`operationId "${id}" at ${opPointer} repeats ${seenIds.get(id)}; addressing this one as "${key}"`);
        id = key;
      }
      seenIds.set(id, opPointer);
      const operation = buildOperation(doc, version, schemes, { path, item, itemPointer, method: method === ANY_METHOD ? 'ANY' : method, op: rawOp, opPointer, id });
      const security = Array.isArray(rawOp.security) ? { list: rawOp.security, at: opPointer } : { list: doc.security, at: '' };
      const gateway = operationGateway(api, rawOp, opPointer, apiKeySchemes, security, warnings);
      if (gateway) operation.gateway = gateway;
      operations.push(operation);
    }
    // A REST path's CORS mock (an OPTIONS mock that sets Access-Control-Allow-Origin) answers browsers'
    // preflights for every other method of the path; another mock is not about CORS.
    const options = operations.find((o) => o.path === path && o.method === 'OPTIONS' && o.gateway?.mock);
    const mock = options?.gateway?.mock;
    if (mock && isCorsMock(mock)) {
      const keyed = options.gateway?.apiKey;
      for (const o of operations) {
        if (o.path === path && o.method !== 'OPTIONS') o.gateway = { ...o.gateway, preflight: { ...mock, ...(keyed ? { apiKeyRequired: keyed.setting } : {}) } };
      }
    }
  }
  const title = isObject(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : '';
  const model: ContractModel = { version, title, operations, warnings };
  const binary = stringList(doc['x-amazon-apigateway-binary-media-types']);
  if (binary) model.binaryMediaTypes = binary.map((t) => t.replace(/~1/g, '/'));
  if (api.gatewayResponses) model.gatewayResponses = api.gatewayResponses;
  if (api.cors) model.cors = api.cors;
  return model;
}

interface OpInput {
  path: string;
  item: JsonObject;
  itemPointer: string;
  method: string;
  op: JsonObject;
  opPointer: string;
  id: string;
}

function buildOperation(doc: JsonObject, version: OpenApiVersion, schemes: Map<string, SecuritySchemeSpec>, input: OpInput): Operation {
  const { path, item, itemPointer, method, op, opPointer, id } = input;
  // Operation-level parameters override path-level ones with the same name and location.
  const rawParams = new Map<string, { node: JsonObject; at: string }>();
  const collect = (list: unknown, base: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const { value, pointer: at } = follow(doc, p, pointer(base, 'parameters', i));
      if (isObject(value)) rawParams.set(`${String(value.in)}:${String(value.name)}`, { node: value, at });
    });
  };
  collect(item.parameters, itemPointer);
  collect(op.parameters, opPointer);

  const parameters: ParameterSpec[] = [];
  let requestBody: RequestBodySpec | undefined;
  const formFields: Array<{ node: JsonObject; at: string }> = [];
  const consumes = stringList(op.consumes) ?? stringList(doc.consumes) ?? ['application/json'];

  for (const { node, at } of rawParams.values()) {
    const location = String(node.in);
    if (version === '2.0' && location === 'body') {
      const s = schemaRef(doc, node.schema, pointer(at, 'schema'));
      requestBody = {
        required: node.required === true,
        pointer: at,
        content: consumes.map((mediaType) => ({ mediaType, examples: examplesOf(node, doc), ...(s ? { schema: s } : {}) })),
      };
      continue;
    }
    if (version === '2.0' && location === 'formData') {
      formFields.push({ node, at });
      continue;
    }
    if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie') continue;
    const style = typeof node.style === 'string' ? node.style : defaultStyle(location);
    const spec: ParameterSpec = {
      name: String(node.name),
      in: location,
      required: location === 'path' ? true : node.required === true,
      style,
      explode: typeof node.explode === 'boolean' ? node.explode : style === 'form',
      allowReserved: node.allowReserved === true,
      examples: examplesOf(node, doc),
      pointer: at,
    };
    if (version === '2.0') {
      spec.schema = { pointer: at, schema: node };
      if (typeof node.collectionFormat === 'string') spec.collectionFormat = node.collectionFormat;
    } else {
      const s = schemaRef(doc, node.schema, pointer(at, 'schema'));
      if (s) spec.schema = s;
      const content = mediaTypes(doc, node.content, pointer(at, 'content'))[0];
      if (content) spec.content = content;
    }
    if (spec.examples.length === 0 && spec.schema && isObject(spec.schema.schema) && spec.schema.schema.example !== undefined) {
      spec.examples.push({ name: 'schema example', value: spec.schema.schema.example });
    }
    parameters.push(spec);
  }

  if (formFields.length > 0) {
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const { node } of formFields) {
      const { name, in: _in, required: req, description: _d, collectionFormat: _c, allowEmptyValue: _a, ...schema } = node;
      properties[String(name)] = schema.type === 'file' ? { type: 'string', format: 'binary' } : schema;
      if (req === true) required.push(String(name));
    }
    const inline: JsonObject = { type: 'object', properties, ...(required.length ? { required } : {}) };
    const formTypes = consumes.filter((c) => /multipart\/form-data|x-www-form-urlencoded/i.test(c));
    requestBody = {
      required: required.length > 0,
      pointer: formFields[0]?.at ?? opPointer,
      content: (formTypes.length ? formTypes : ['application/x-www-form-urlencoded']).map((mediaType) => ({ mediaType, examples: [], schema: { inline, schema: inline } })),
    };
  }

  if (version !== '2.0' && op.requestBody !== undefined) {
    const { value, pointer: at } = follow(doc, op.requestBody, pointer(opPointer, 'requestBody'));
    if (isObject(value)) requestBody = { required: value.required === true, content: mediaTypes(doc, value.content, pointer(at, 'content')), pointer: at };
  }

  const produces = stringList(op.produces) ?? stringList(doc.produces) ?? ['application/json'];
  const responses: ResponseSpec[] = [];
  if (isObject(op.responses)) {
    for (const [status, raw] of Object.entries(op.responses)) {
      if (status.startsWith('x-')) continue;
      const { value, pointer: at } = follow(doc, raw, pointer(opPointer, 'responses', status));
      if (!isObject(value)) continue;
      const headers: HeaderSpec[] = [];
      if (isObject(value.headers)) {
        for (const [name, rawHeader] of Object.entries(value.headers)) {
          const h = follow(doc, rawHeader, pointer(at, 'headers', name));
          if (!isObject(h.value)) continue;
          const spec: HeaderSpec = {
            name,
            required: h.value.required === true,
            style: typeof h.value.style === 'string' ? h.value.style : 'simple',
            explode: h.value.explode === true,
            pointer: h.pointer,
          };
          const s = version === '2.0' ? { pointer: h.pointer, schema: h.value } : schemaRef(doc, h.value.schema, pointer(h.pointer, 'schema'));
          if (s) spec.schema = s;
          headers.push(spec);
        }
      }
      let content: MediaTypeSpec[];
      if (version === '2.0') {
        const s = schemaRef(doc, value.schema, pointer(at, 'schema'));
        const examples = isObject(value.examples) ? Object.entries(value.examples).map(([name, v]) => ({ name, value: v })) : [];
        content = s ? produces.map((mediaType) => ({ mediaType, examples: examples.filter((e) => e.name === mediaType), schema: s })) : [];
      } else {
        content = mediaTypes(doc, value.content, pointer(at, 'content'));
      }
      const spec: ResponseSpec = { status: status.toUpperCase(), description: String(value.description ?? ''), headers, content, pointer: at };
      if (version !== '2.0' && isObject(value.links)) {
        const links: LinkSpec[] = [];
        for (const [name, rawLink] of Object.entries(value.links)) {
          const l = follow(doc, rawLink, pointer(at, 'links', name));
          if (!isObject(l.value)) continue;
          const link: LinkSpec = { name, parameters: isObject(l.value.parameters) ? { ...l.value.parameters } : {}, pointer: l.pointer };
          if (typeof l.value.operationId === 'string') link.operationId = l.value.operationId;
          if (typeof l.value.operationRef === 'string') link.operationRef = l.value.operationRef;
          if (Object.hasOwn(l.value, 'requestBody')) link.requestBody = { value: l.value.requestBody };
          links.push(link);
        }
        if (links.length > 0) spec.links = links;
      }
      responses.push(spec);
    }
  }

  const rawSecurity = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
  const security: SecurityRequirement[] = [];
  let securityOptional = rawSecurity.length === 0;
  for (const req of rawSecurity) {
    if (!isObject(req)) continue;
    const entries = Object.entries(req);
    if (entries.length === 0) {
      securityOptional = true;
      continue;
    }
    const alt: SecurityRequirement = [];
    for (const [name, scopes] of entries) {
      const scheme = schemes.get(name);
      if (scheme) alt.push({ scheme, scopes: Array.isArray(scopes) ? scopes.map(String) : [] });
    }
    if (alt.length > 0) security.push(alt);
  }

  const operation: Operation = {
    id,
    method: method.toUpperCase(),
    path,
    pointer: opPointer,
    tags: stringList(op.tags) ?? [],
    parameters,
    responses,
    security,
    securityOptional,
  };
  if (typeof op.operationId === 'string' && op.operationId !== '') operation.operationId = op.operationId;
  const integration = integrationOf(doc, op);
  if (integration) operation.integration = integration;
  if (typeof op.summary === 'string') operation.summary = op.summary;
  if (requestBody) operation.requestBody = requestBody;
  return operation;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/**
 * Reads `x-amazon-apigateway-integration`: `aws_proxy` is a Lambda proxy; its `payloadFormatVersion`
 * (HTTP APIs only) picks 1.0 or 2.0. An HTTP API export (`x-amazon-apigateway-importexport-version`)
 * defaults to 2.0; a REST export has no payload version.
 */
function integrationOf(doc: JsonObject, op: JsonObject): Operation['integration'] {
  const raw = op['x-amazon-apigateway-integration'];
  if (!isObject(raw)) return undefined;
  const type = String(raw.type ?? '').toLowerCase();
  if (type !== 'aws_proxy') return { type };
  const version = raw.payloadFormatVersion === undefined ? undefined : String(raw.payloadFormatVersion);
  const httpApi = doc['x-amazon-apigateway-importexport-version'] !== undefined;
  const source = version === '2.0' ? 'http' : version === '1.0' ? 'http-v1' : httpApi ? 'http' : 'rest';
  return { type, source };
}

/**
 * Reads `x-amazon-apigateway-authorizer`: REST uses `identitySource: "method.request.header.A, …"`
 * (a comma-separated string), HTTP APIs `"$request.header.A"` or a list, plus
 * `authorizerPayloadFormatVersion` and `enableSimpleResponses`.
 */
function gatewayAuthorizerOf(raw: unknown): SchemeAuthorizer | undefined {
  if (!isObject(raw)) return undefined;
  const type = String(raw.type ?? '').toUpperCase();
  if (type !== 'TOKEN' && type !== 'REQUEST' && type !== 'JWT' && type !== 'COGNITO_USER_POOLS') return undefined;
  const source = raw.identitySource;
  const identitySource = (Array.isArray(source) ? source.map(String) : typeof source === 'string' ? source.split(',') : []).map((s) => s.trim()).filter((s) => s !== '');
  const identity = identitySource.length > 0 ? { identitySource } : {};
  if (type === 'JWT' || type === 'COGNITO_USER_POOLS') return { type, ...identity };
  const settings: AuthorizerSettings = { type, ...identity };
  const version = raw.authorizerPayloadFormatVersion;
  if (version === '1.0' || version === '2.0') settings.payloadFormatVersion = version;
  if (typeof raw.enableSimpleResponses === 'boolean') settings.enableSimpleResponses = raw.enableSimpleResponses;
  return settings;
}
