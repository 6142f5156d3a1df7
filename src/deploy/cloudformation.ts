/**
 * The deployment a CloudFormation or SAM template describes (CDK synthesizes the same resources): its
 * Node.js functions, with SAM's Globals merged, and every route an API, a function URL or ALB sends to them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractError } from '../errors';
import type { RestPreflight, SourceName } from '../gateway/types';
import { Resolver } from './intrinsics';
import { bucketsOf, tablesOf } from './tables';
import type { DeployedApi, DeployedFunction, DeployedJwtAuthorizer, DeployedRoute, DeployedTable, Deployment, TemplateOptions } from './model';
import { cfnGatewayResponse, cfnMethodGateway, cfnMockAnswer, httpCors, modelSchema, samEventGateway, samPreflight, samRestApi, templateSetting, type SamRestApi } from './gateway';
import { isCorsMock } from '../gateway/mock';
import { albPattern, findHandlerFile } from './paths';
import { isServerlessFile, loadServerless } from './serverless';
import { readTemplate, type TemplateObject } from './template';

export type { TemplateOptions };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObject(v) ? v : {});

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

/** Reads a template file, or a `cdk.out` folder (its stack templates), as a deployment. */
export function loadDeployment(file: string, options: TemplateOptions = {}): Deployment {
  const absolute = path.resolve(file);
  if (isServerlessFile(absolute)) return loadServerless(absolute, options);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    // Each stack of the app; a nested stack's template is read through its parent, with the parameters it passes.
    const templates = readdirSync(absolute).filter((n) => n.endsWith('.template.json') && !n.endsWith('.nested.template.json')).sort();
    if (templates.length === 0) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${absolute}: no *.template.json in the folder (run \`cdk synth\` first)`, { file: absolute });
    const assets = assetFolders(absolute);
    // Several stacks of one app: what one exports, another imports (Fn::ImportValue).
    const exports = exportsOf(templates.map((t) => path.join(absolute, t)), options.parameterOverrides ?? {});
    return merged(absolute, templates.map((t) => withNested(path.join(absolute, t), { ...options, assets, exports }, [])));
  }
  return withNested(absolute, options, []);
}

/** How a template is read: its parameters, and in a cdk.out its asset folders and the other stacks' exports. */
type LoadOptions = TemplateOptions & { assets?: ReadonlyMap<string, string>; exports?: ReadonlyMap<string, unknown> };

/** The exports of the stacks (`Outputs.*.Export.Name` → its value), each resolved in its own template. */
function exportsOf(files: readonly string[], overrides: Record<string, string>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const file of files) {
    const template = readTemplate(file);
    const outputs = Object.entries(obj(template.Outputs)).filter(([, o]) => obj(o).Export !== undefined);
    if (outputs.length === 0) continue;
    const resolver = new Resolver({ file, resources: obj(template.Resources), parameters: obj(template.Parameters), overrides, conditions: obj(template.Conditions), mappings: obj(template.Mappings) });
    for (const [id, o] of outputs) {
      const name = resolver.resolve(obj(obj(o).Export).Name, `Outputs.${id}.Export.Name`);
      if (typeof name === 'string') out.set(name, resolver.resolve(obj(o).Value, `Outputs.${id}.Value`));
    }
  }
  return out;
}

/** Deployments side by side as one. */
function merged(file: string, parts: readonly Deployment[]): Deployment {
  const tables = parts.flatMap((p) => p.tables ?? []);
  const buckets = parts.flatMap((p) => p.buckets ?? []);
  return { file, functions: parts.flatMap((p) => p.functions), routes: parts.flatMap((p) => p.routes), apis: parts.flatMap((p) => p.apis), warnings: parts.flatMap((p) => p.warnings), ...(tables.length ? { tables } : {}), ...(buckets.length ? { buckets } : {}) };
}

/**
 * A template's deployment with its nested stacks' (`AWS::CloudFormation::Stack`): each read from its
 * local template (the CDK's `aws:asset:path` in cdk.out, or a local `TemplateURL`) with the
 * parameters the parent passes, resolved in the parent. A stack that nests itself is an error naming the chain.
 */
function withNested(file: string, options: LoadOptions, chain: readonly string[]): Deployment {
  if (chain.includes(file)) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}: nested stacks form a cycle (${[...chain, file].map((f) => path.basename(f)).join(' → ')})`, { file });
  const template = readTemplate(file);
  const own = deploymentOf(file, template, options);
  const nested = nestedStacks(file, template, options.parameterOverrides ?? {}, options.exports);
  if (nested.length === 0) return own;
  const parts = nested.map((n) => {
    if (!existsSync(n.file)) return { file: n.file, functions: [], routes: [], apis: [], warnings: [`Resources.${n.id} (${path.basename(file)}): its nested template ${n.file} is not here; its resources are not read`] } satisfies Deployment;
    return withNested(n.file, { ...options, parameterOverrides: n.parameters }, [...chain, file]);
  });
  return { ...merged(own.file, [own, ...parts]), file: own.file };
}

/** The nested stacks a template declares: where each template is, and the parameters passed to it. */
function nestedStacks(file: string, template: TemplateObject, overrides: Record<string, string>, exports: ReadonlyMap<string, unknown> | undefined): Array<{ id: string; file: string; parameters: Record<string, string> }> {
  const resources = obj(template.Resources);
  const stacks = Object.entries(resources).filter(([, r]) => obj(r).Type === 'AWS::CloudFormation::Stack');
  if (stacks.length === 0) return [];
  const resolver = new Resolver({ file, resources, parameters: obj(template.Parameters), overrides, conditions: obj(template.Conditions), mappings: obj(template.Mappings), ...(exports ? { exports } : {}) });
  const dir = path.dirname(file);
  return stacks.flatMap(([id, raw]) => {
    const r = obj(raw);
    const url = obj(r.Properties).TemplateURL;
    const asset = obj(r.Metadata)['aws:asset:path'];
    const local = typeof asset === 'string' ? asset : typeof url === 'string' && !/^https?:|^s3:/.test(url) ? url : undefined;
    if (!local) return [];
    const parameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj(obj(r.Properties).Parameters))) {
      const value = resolver.resolve(v, `Resources.${id}.Properties.Parameters.${k}`);
      parameters[k] = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'string' ? value : JSON.stringify(value);
    }
    return [{ id, file: path.resolve(dir, local), parameters }];
  });
}

/** CDK's asset manifests (`*.assets.json`): each file asset's S3 object key → its folder in `cdk.out`. */
function assetFolders(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.assets.json'))) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue; // a broken manifest: functions fall back to their asset metadata
    }
    for (const asset of Object.values(obj(obj(manifest).files))) {
      const source = obj(obj(asset).source);
      if (typeof source.path !== 'string') continue;
      for (const destination of Object.values(obj(obj(asset).destinations))) {
        const key = obj(destination).objectKey;
        if (typeof key === 'string') out.set(key, path.join(dir, source.path));
      }
    }
  }
  return out;
}

/** SAM's Globals merge: maps merged key by key, lists appended, everything else the function's own. */
export function mergeGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals;
  if (isObject(globals) && isObject(own)) {
    const out: Obj = { ...globals };
    for (const [k, v] of Object.entries(own)) out[k] = mergeGlobals(globals[k], v);
    return out;
  }
  if (Array.isArray(globals) && Array.isArray(own)) return [...globals, ...own];
  return own;
}

/** The deployment of one template already parsed. */
export function deploymentOf(file: string, template: TemplateObject, options: LoadOptions = {}): Deployment {
  const dir = path.dirname(file);
  const resources = obj(template.Resources);
  const resolver = new Resolver({
    file, resources, parameters: obj(template.Parameters), overrides: options.parameterOverrides ?? {},
    conditions: obj(template.Conditions), mappings: obj(template.Mappings), ...(options.exports ? { exports: options.exports } : {}),
  });
  const warnings: string[] = [];
  const globals = obj(obj(template.Globals).Function);
  const deployed = (id: string, r: Obj): boolean => typeof r.Condition !== 'string' || resolver.condition(r.Condition, `Resources.${id}.Condition`);

  const functions: DeployedFunction[] = [];
  const functionIds = new Set<string>();
  const routes: DeployedRoute[] = [];
  const apis = new Map<string, DeployedApi>();
  const api = (id: string, kind: DeployedApi['kind']): DeployedApi => {
    let a = apis.get(id);
    if (!a) apis.set(id, (a = { id, kind }));
    return a;
  };
  /** SAM event routes and the authorizer each names (undefined: the API's default). */
  const pendingAuth: Array<{ route: DeployedRoute; name: string | undefined; scopes: string[] | undefined }> = [];
  const addRoute = (r: DeployedRoute): DeployedRoute => {
    const known = routes.find((x) => x.method === r.method && x.path === r.path && x.apiId === r.apiId);
    if (known) return known;
    routes.push(r);
    return r;
  };
  const templateGlobals = obj(template.Globals);
  // SAM REST APIs' gateway settings (explicit ones merged with Globals.Api; the implicit one is Globals.Api).
  const samRest = new Map<string, SamRestApi>();
  const samRestOf = (apiId: string): SamRestApi => {
    let known = samRest.get(apiId);
    if (known) return known;
    const own = obj(resources[apiId]);
    const explicit = own.Type === 'AWS::Serverless::Api';
    const ownProps = obj(own.Properties);
    const props = explicit ? obj(mergeGlobals(obj(templateGlobals.Api), ownProps)) : own.Type === undefined ? obj(templateGlobals.Api) : {};
    const at = (...parts: string[]): string => templateSetting(file, ...(explicit && parts[0] !== undefined && parts[0] in ownProps ? ['Resources', apiId, 'Properties'] : ['Globals', 'Api']), ...parts);
    const resolved = { ...props, GatewayResponses: resolver.resolve(props.GatewayResponses, `Resources.${apiId}.GatewayResponses`), Cors: resolver.resolve(props.Cors, `Resources.${apiId}.Cors`) };
    known = samRestApi(resolved, at, warnings);
    samRest.set(apiId, known);
    return known;
  };
  /** Mock `OPTIONS` methods of CloudFormation REST APIs, by API and path: they answer preflights for the path's other routes. */
  const mockOptions: Array<{ apiId: string; path: string; preflight: RestPreflight }> = [];

  for (const [id, raw] of Object.entries(resources)) {
    const r = obj(raw);
    if (!FUNCTION_TYPES.has(String(r.Type)) || !deployed(id, r)) continue;
    const sam = r.Type === 'AWS::Serverless::Function';
    const props = obj(sam ? mergeGlobals(globals, obj(r.Properties)) : obj(r.Properties));
    const fn = functionOf(id, props, obj(r.Metadata), sam, dir, resolver, warnings, options.assets);
    if (!fn) continue;
    functions.push(fn);
    functionIds.add(id);
    if (!sam) continue;
    for (const [eventName, rawEvent] of Object.entries(obj(props.Events))) {
      const event = obj(rawEvent);
      const p = obj(resolver.resolve(withoutIds(obj(event.Properties)), `Resources.${id}.Events.${eventName}`));
      const auth = obj(obj(event.Properties).Auth).Authorizer;
      const authName = typeof auth === 'string' ? auth : undefined;
      const authScopes = resolver.resolve(obj(obj(event.Properties).Auth).AuthorizationScopes, `Resources.${id}.Events.${eventName}.Properties.Auth.AuthorizationScopes`);
      const scopes = Array.isArray(authScopes) ? authScopes.map(String) : undefined;
      if (event.Type === 'Api') {
        const apiId = refName(obj(event.Properties).RestApiId) ?? 'ServerlessRestApi';
        api(apiId, 'rest');
        const route = addRoute({ method: methodOf(p.Method), path: String(p.Path ?? '/'), functionId: id, source: 'rest', apiId });
        const eventAt = (...parts: string[]): string => templateSetting(file, 'Resources', id, 'Properties', 'Events', eventName, 'Properties', ...parts);
        const gateway = samEventGateway({ ...p, Auth: obj(obj(event.Properties).Auth) }, samRestOf(apiId), eventAt);
        if (gateway) route.gateway = { ...route.gateway, ...gateway };
        pendingAuth.push({ route, name: authName, scopes });
      } else if (event.Type === 'HttpApi') {
        const apiId = refName(obj(event.Properties).ApiId) ?? 'ServerlessHttpApi';
        api(apiId, 'http');
        const version = String(p.PayloadFormatVersion ?? '2.0');
        const source: SourceName = version === '1.0' ? 'http-v1' : 'http';
        if (p.Path === undefined && p.Method === undefined) addRoute({ method: 'ANY', path: '/{proxy+}', functionId: id, source, apiId, catchAll: true });
        else addRoute({ method: methodOf(p.Method), path: String(p.Path ?? '/'), functionId: id, source, apiId });
        pendingAuth.push({ route: routes[routes.length - 1] as DeployedRoute, name: authName, scopes });
      }
    }
    if (props.FunctionUrlConfig !== undefined) {
      api(`${id}Url`, 'url');
      const mode = obj(props.FunctionUrlConfig).InvokeMode;
      addRoute({ method: 'ANY', path: '/{proxy+}', functionId: id, source: 'url', apiId: `${id}Url`, catchAll: true, ...(mode === 'RESPONSE_STREAM' || mode === 'BUFFERED' ? { invokeMode: mode } : {}) });
    }
  }

  const fnIn = (node: unknown): string | undefined => functionNamedIn(node, functionIds);
  // SAM's Auth: each route's authorizer, from its event or its API's DefaultAuthorizer (implicit APIs: Globals).
  const authOf = (apiId: string, rest: boolean): Obj => {
    const own = obj(resources[apiId]);
    return own.Type ? obj(obj(own.Properties).Auth) : obj(obj(obj(template.Globals)[rest ? 'Api' : 'HttpApi']).Auth);
  };
  for (const { route, name, scopes } of pendingAuth) {
    const auth = authOf(route.apiId, route.source === 'rest');
    const chosen = name ?? (typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined);
    if (!chosen || chosen === 'NONE' || chosen === 'AWS_IAM') continue;
    const declared = obj(obj(auth.Authorizers)[chosen]);
    const authorizer = templateAuthorizer(chosen, declared, route.source === 'rest', fnIn);
    const jwt = authorizer ? undefined : jwtAuthorizer(chosen, declared, resolver, path.basename(file), `Resources.${route.apiId}.Properties.Auth.Authorizers.${chosen}`, scopes);
    if (authorizer) route.authorizer = authorizer;
    else if (jwt) route.jwt = jwt;
    else warnings.push(`${route.method} ${route.path}: authorizer ${chosen} is not a Lambda authorizer of ${route.apiId} that lambda-contract can run (JWT and Cognito authorizers are checked by the gateway itself)`);
  }
  const restPaths = new Map<string, string>(); // AWS::ApiGateway::Resource id → its path
  const pathOf = (resourceId: string, seen: string[] = []): string => {
    const known = restPaths.get(resourceId);
    if (known !== undefined) return known;
    const p = obj(obj(resources[resourceId]).Properties);
    if (seen.includes(resourceId)) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}: AWS::ApiGateway::Resource ${resourceId} is its own ancestor (${[...seen, resourceId].join(' → ')})`, { file });
    const parent = refName(p.ParentId);
    const base = parent && obj(resources[parent]).Type === 'AWS::ApiGateway::Resource' ? pathOf(parent, [...seen, resourceId]) : '';
    const full = `${base}/${String(p.PathPart ?? '')}`;
    restPaths.set(resourceId, full);
    return full;
  };
  const v2Integrations = new Map<string, { functionId: string; version: string }>();
  for (const [id, raw] of Object.entries(resources)) {
    const r = obj(raw);
    if (r.Type === 'AWS::ApiGatewayV2::Integration' && deployed(id, r)) {
      const p = obj(r.Properties);
      const fnId = fnIn(p.IntegrationUri);
      if (fnId) v2Integrations.set(id, { functionId: fnId, version: String(p.PayloadFormatVersion ?? '2.0') });
    }
  }
  for (const [id, raw] of Object.entries(resources)) {
    const r = obj(raw);
    if (!deployed(id, r)) continue;
    const p = obj(r.Properties);
    const where = `Resources.${id}`;
    switch (r.Type) {
      case 'AWS::Serverless::Api':
      case 'AWS::Serverless::HttpApi': {
        const a = api(id, r.Type === 'AWS::Serverless::Api' ? 'rest' : 'http');
        if (r.Type === 'AWS::Serverless::Api') samRestOf(id);
        else {
          const own = p.CorsConfiguration !== undefined;
          const cors = httpCors(resolver.resolve(own ? p.CorsConfiguration : obj(templateGlobals.HttpApi).CorsConfiguration, `${where}.CorsConfiguration`), own ? templateSetting(file, 'Resources', id, 'Properties', 'CorsConfiguration') : templateSetting(file, 'Globals', 'HttpApi', 'CorsConfiguration'));
          if (cors) a.cors = cors;
        }
        const definition = definitionOf(p.DefinitionBody, p.DefinitionUri, dir, where, warnings);
        if (definition) a.definition = definition;
        if (isObject(definition)) routesFromDefinition(definition, id, a.kind === 'rest' ? 'rest' : 'http', fnIn, addRoute);
        break;
      }
      case 'AWS::ApiGateway::RestApi': {
        const a = api(id, 'rest');
        const definition = definitionOf(p.Body, typeof p.BodyS3Location === 'string' ? p.BodyS3Location : undefined, dir, where, warnings);
        if (definition) a.definition = definition;
        if (isObject(definition)) routesFromDefinition(definition, id, 'rest', fnIn, addRoute);
        break;
      }
      case 'AWS::ApiGateway::Method': {
        const integration = obj(p.Integration);
        const apiId = refName(p.RestApiId) ?? 'RestApi';
        const resourceId = refName(p.ResourceId);
        const routePath = resourceId && obj(resources[resourceId]).Type === 'AWS::ApiGateway::Resource' ? pathOf(resourceId) : '/';
        const method = methodOf(resolver.resolve(p.HttpMethod, `${where}.HttpMethod`));
        const at = (...parts: string[]): string => templateSetting(file, 'Resources', id, 'Properties', ...parts);
        const keysFromAuthorizer = obj(obj(resources[apiId]).Properties).ApiKeySourceType === 'AUTHORIZER';
        const mock = method === 'OPTIONS' ? cfnMockAnswer(p, at('Integration')) : undefined;
        if (mock && !isCorsMock(mock)) break; // an OPTIONS mock that is not about CORS: the gateway's, and no route of a function
        if (mock && isCorsMock(mock)) {
          const authorization = String(p.AuthorizationType ?? 'NONE');
          mockOptions.push({
            apiId, path: routePath,
            preflight: {
              ...mock,
              ...(p.ApiKeyRequired === true && !keysFromAuthorizer ? { apiKeyRequired: at('ApiKeyRequired') } : {}),
              ...(authorization !== 'NONE' ? { authorizer: { name: authorization, setting: at('AuthorizationType') } } : {}),
            },
          });
          break;
        }
        const fnId = fnIn(integration.Uri);
        if (!fnId || (integration.Type !== undefined && integration.Type !== 'AWS_PROXY')) break;
        api(apiId, 'rest');
        const route = addRoute({ method, path: routePath, functionId: fnId, source: 'rest', apiId });
        const validatorId = refName(p.RequestValidatorId);
        const validatorProps = validatorId ? obj(obj(resources[validatorId]).Properties) : undefined;
        const validator = validatorProps && validatorId
          ? { name: typeof validatorProps.Name === 'string' ? validatorProps.Name : validatorId, body: validatorProps.ValidateRequestBody === true, parameters: validatorProps.ValidateRequestParameters === true }
          : undefined;
        // RequestModels name an AWS::ApiGateway::Model (by Ref, or by its Name as a string).
        const modelOf = (node: unknown): { name: string; schema: Record<string, unknown> } | undefined => {
          const ref = refName(node);
          const entry = ref ? (isObject(resources[ref]) ? [ref, resources[ref]] : Object.entries(resources).find(([, res]) => obj(res).Type === 'AWS::ApiGateway::Model' && obj(obj(res).Properties).Name === ref)) : undefined;
          const props = entry ? obj(obj(entry[1]).Properties) : {};
          const schema = modelSchema(props.Schema);
          return entry && schema ? { name: typeof props.Name === 'string' ? props.Name : String(entry[0]), schema } : undefined;
        };
        const gateway = cfnMethodGateway(p, validator, at, keysFromAuthorizer, modelOf);
        if (gateway) route.gateway = { ...route.gateway, ...gateway };
        if (p.AuthorizationType === 'COGNITO_USER_POOLS') {
          const jwt = cfnTokenAuthorizer(refName(p.AuthorizerId), p.AuthorizationScopes, 'rest', resources, resolver, file);
          if (jwt) route.jwt = jwt;
        }
        break;
      }
      case 'AWS::ApiGateway::GatewayResponse': {
        const apiId = refName(p.RestApiId);
        if (!apiId) break;
        const response = cfnGatewayResponse(obj(resolver.resolve(p, where)), templateSetting(file, 'Resources', id, 'Properties'));
        if (!response) {
          warnings.push(`${where}: ResponseType ${JSON.stringify(p.ResponseType)} is not a gateway response type; ignored`);
          break;
        }
        const a = api(apiId, 'rest');
        a.gatewayResponses = { ...a.gatewayResponses, [response.type]: response.response };
        break;
      }
      case 'AWS::ApiGatewayV2::Api': {
        if (p.ProtocolType !== undefined && p.ProtocolType !== 'HTTP') break;
        const a = api(id, 'http');
        if (isObject(p.Body)) a.definition = p.Body;
        const cors = httpCors(resolver.resolve(p.CorsConfiguration, `${where}.CorsConfiguration`), templateSetting(file, 'Resources', id, 'Properties', 'CorsConfiguration'));
        if (cors) a.cors = cors;
        break;
      }
      case 'AWS::ApiGatewayV2::Route': {
        const target = typeof p.Target === 'string' ? p.Target : '';
        const integrationId = refName(isObject(p.Target) ? findRef(p.Target) : undefined) ?? target.replace(/^integrations\//, '');
        const integration = v2Integrations.get(integrationId);
        if (!integration) break;
        const apiId = refName(p.ApiId) ?? 'HttpApi';
        api(apiId, 'http');
        const key = String(resolver.resolve(p.RouteKey, `${where}.RouteKey`));
        const [method = 'ANY', routePath = '/{proxy+}'] = key === '$default' ? ['ANY', '/{proxy+}'] : key.split(/\s+/);
        const route = addRoute({ method: methodOf(method), path: routePath, functionId: integration.functionId, source: integration.version === '1.0' ? 'http-v1' : 'http', apiId, ...(key === '$default' ? { catchAll: true as const } : {}) });
        if (p.AuthorizationType === 'JWT') {
          const jwt = cfnTokenAuthorizer(refName(p.AuthorizerId), p.AuthorizationScopes, 'http', resources, resolver, file);
          if (jwt) route.jwt = jwt;
        }
        break;
      }
      case 'AWS::ElasticLoadBalancingV2::ListenerRule': {
        // A rule forwarding to a target group of type lambda: its path-pattern and http-request-method conditions.
        const groupId = (Array.isArray(p.Actions) ? p.Actions : []).map((a) => refName(obj(a).TargetGroupArn) ?? refName(obj(obj(obj(a).ForwardConfig).TargetGroups)[0])).find((g) => g !== undefined);
        const group = groupId ? obj(obj(resources[groupId]).Properties) : undefined;
        if (!group || group.TargetType !== 'lambda') break;
        const fnId = fnIn((Array.isArray(group.Targets) ? group.Targets : []).map((t) => obj(t).Id));
        if (!fnId) break;
        const multi = (Array.isArray(group.TargetGroupAttributes) ? group.TargetGroupAttributes : []).some((a) => obj(a).Key === 'lambda.multi_value_headers.enabled' && String(obj(a).Value) === 'true');
        const conditions = (Array.isArray(p.Conditions) ? p.Conditions : []).map(obj);
        const values = (field: string, config: string): string[] => conditions.filter((c) => c.Field === field).flatMap((c) => [...(Array.isArray(c.Values) ? c.Values : []), ...(Array.isArray(obj(c[config]).Values) ? (obj(c[config]).Values as unknown[]) : [])]).map((v) => String(resolver.resolve(v, `${where}.Conditions`)));
        const paths = values('path-pattern', 'PathPatternConfig');
        const methods = values('http-request-method', 'HttpRequestMethodConfig');
        api(groupId as string, 'alb');
        for (const pattern of paths.length ? paths : ['/*']) {
          for (const method of methods.length ? methods : ['ANY']) {
            addRoute({ method: methodOf(method), path: albPattern(pattern), functionId: fnId, source: multi ? 'alb-multi' : 'alb', apiId: groupId as string });
          }
        }
        break;
      }
      case 'AWS::Lambda::Url': {
        const fnId = fnIn(p.TargetFunctionArn);
        if (!fnId) break;
        api(id, 'url');
        const mode = p.InvokeMode;
        addRoute({ method: 'ANY', path: '/{proxy+}', functionId: fnId, source: 'url', apiId: id, catchAll: true, ...(mode === 'RESPONSE_STREAM' || mode === 'BUFFERED' ? { invokeMode: mode } : {}) });
        break;
      }
      default:
        break;
    }
  }
  // The implicit HTTP API takes its CORS from Globals.HttpApi.
  const implicitHttp = apis.get('ServerlessHttpApi');
  if (implicitHttp && resources.ServerlessHttpApi === undefined) {
    const cors = httpCors(resolver.resolve(obj(templateGlobals.HttpApi).CorsConfiguration, 'Globals.HttpApi.CorsConfiguration'), templateSetting(file, 'Globals', 'HttpApi', 'CorsConfiguration'));
    if (cors) implicitHttp.cors = cors;
  }
  // SAM REST APIs: their gateway responses, and the OPTIONS mock Cors adds to each path that has no OPTIONS route.
  for (const [apiId, settings] of samRest) {
    if (settings.gatewayResponses) api(apiId, 'rest').gatewayResponses = settings.gatewayResponses;
    if (!settings.cors) continue;
    const byPath = new Map<string, DeployedRoute[]>();
    for (const r of routes) if (r.apiId === apiId) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const list of byPath.values()) {
      if (list.some((r) => r.method === 'OPTIONS')) continue;
      const preflight = samPreflight(settings, list.map((r) => r.method));
      if (preflight) for (const r of list) r.gateway = { ...r.gateway, preflight };
    }
  }
  for (const { apiId, path: mockPath, preflight } of mockOptions) {
    for (const r of routes) if (r.apiId === apiId && r.path === mockPath && r.method !== 'OPTIONS') r.gateway = { ...r.gateway, preflight };
  }
  const tables = tablesOf(resources, resolver, deployed, file);
  const buckets = bucketsOf(resources, resolver, deployed);
  resolver.assertComplete();
  // A REST API's stage (its requestContext.stage and the stage in requestContext.path): SAM's
  // StageName, the implicit API's `Prod`, or the stage a CloudFormation (CDK) Stage or Deployment names.
  const stageOf = (apiId: string): string | undefined => {
    const own = obj(resources[apiId]);
    if (own.Type === undefined) return apiId === 'ServerlessRestApi' ? 'Prod' : undefined;
    if (own.Type === 'AWS::Serverless::Api') {
      const name = resolver.resolve(obj(mergeGlobals(obj(templateGlobals.Api), obj(own.Properties))).StageName, `Resources.${apiId}.Properties.StageName`);
      return typeof name === 'string' && name !== '' ? name : undefined;
    }
    for (const [stageId, raw] of Object.entries(resources)) {
      const r = obj(raw);
      if ((r.Type !== 'AWS::ApiGateway::Stage' && r.Type !== 'AWS::ApiGateway::Deployment') || refName(obj(r.Properties).RestApiId) !== apiId) continue;
      const name = resolver.resolve(obj(r.Properties).StageName, `Resources.${stageId}.Properties.StageName`);
      if (typeof name === 'string' && name !== '') return name;
    }
    return undefined;
  };
  for (const a of apis.values()) {
    const stage = a.kind === 'rest' ? stageOf(a.id) : undefined;
    if (stage) a.stage = stage;
  }
  return { file, functions, routes, apis: [...apis.values()], warnings: [...warnings, ...resolver.warnings], ...(tables.length ? { tables } : {}), ...(buckets.length ? { buckets } : {}) };
}

/**
 * A SAM JWT authorizer (HTTP API `JwtConfiguration`) or Cognito user-pool authorizer (REST
 * `UserPoolArn`): what the gateway checks (issuer, audience, the route's scopes, the header it reads)
 * and the claims it passes on a valid token. Undefined for anything else.
 */
function jwtAuthorizer(name: string, declared: Obj, resolver: Resolver, file: string, where: string, routeScopes: string[] | undefined): DeployedRoute['jwt'] {
  const jwt = obj(declared.JwtConfiguration);
  const scopes = routeScopes ?? (Array.isArray(declared.AuthorizationScopes) ? declared.AuthorizationScopes.map(String) : []);
  const setting = templateSetting(file, ...where.split('.'));
  const header = identityHeader(declared.IdentitySource ?? obj(declared.Identity).Header) ?? 'Authorization';
  if (declared.JwtConfiguration !== undefined) {
    const issuer = String(resolver.resolve(jwt.issuer ?? jwt.Issuer, `${where}.JwtConfiguration.issuer`) ?? '');
    const audience = resolver.resolve(jwt.audience ?? jwt.Audience, `${where}.JwtConfiguration.audience`);
    const aud = Array.isArray(audience) ? audience.map(String) : audience === undefined ? [] : [String(audience)];
    return jwtGate({ name, issuer, audience: aud, scopes, header, setting });
  }
  if (declared.UserPoolArn !== undefined) {
    return cognitoGate({ name, issuer: poolIssuer([declared.UserPoolArn].flat()[0], resolver, `${where}.UserPoolArn`), scopes, header, setting });
  }
  return undefined;
}

/**
 * A CloudFormation authorizer resource the gateway runs itself (what the CDK's `HttpJwtAuthorizer` and
 * `CognitoUserPoolsAuthorizer` synthesize): `AWS::ApiGatewayV2::Authorizer` of type JWT, or
 * `AWS::ApiGateway::Authorizer` of type COGNITO_USER_POOLS. Undefined for any other.
 */
function cfnTokenAuthorizer(id: string | undefined, routeScopes: unknown, kind: 'rest' | 'http', resources: Obj, resolver: Resolver, file: string): DeployedRoute['jwt'] {
  const r = id ? obj(resources[id]) : {};
  const p = obj(r.Properties);
  if (!id) return undefined;
  const where = `Resources.${id}.Properties`;
  const setting = templateSetting(path.basename(file), 'Resources', id, 'Properties');
  const name = typeof p.Name === 'string' ? p.Name : id;
  const scopes = Array.isArray(routeScopes) ? routeScopes.map((x) => String(resolver.resolve(x, `${where}.AuthorizationScopes`))) : [];
  const header = identityHeader(p.IdentitySource) ?? 'Authorization';
  if (kind === 'http' && r.Type === 'AWS::ApiGatewayV2::Authorizer' && p.AuthorizerType === 'JWT') {
    const jwt = obj(p.JwtConfiguration);
    const issuer = String(resolver.resolve(jwt.Issuer, `${where}.JwtConfiguration.Issuer`) ?? '');
    const audience = [resolver.resolve(jwt.Audience, `${where}.JwtConfiguration.Audience`) ?? []].flat().map(String);
    return jwtGate({ name, issuer, audience, scopes, header, setting });
  }
  if (kind === 'rest' && r.Type === 'AWS::ApiGateway::Authorizer' && p.Type === 'COGNITO_USER_POOLS') {
    return cognitoGate({ name, issuer: poolIssuer([p.ProviderARNs].flat()[0], resolver, `${where}.ProviderARNs`), scopes, header, setting });
  }
  return undefined;
}

type GateFacts = Pick<DeployedJwtAuthorizer, 'name' | 'issuer' | 'scopes' | 'header' | 'setting'>;

/** An HTTP API JWT authorizer, with the claims it passes on a valid token (for runs without the token issuer). */
function jwtGate(facts: GateFacts & { audience: string[] }): DeployedJwtAuthorizer {
  const { issuer, audience, scopes } = facts;
  const claims = { sub: 'lambda-contract-user', ...(issuer ? { iss: issuer } : {}), ...(audience.length ? { aud: audience.length === 1 ? audience[0] : audience } : {}), ...(scopes.length ? { scope: scopes.join(' ') } : {}) };
  return { ...facts, kind: 'jwt', claims };
}

/** A REST Cognito user-pool authorizer (the pool's issuer; no audience checked). */
function cognitoGate(facts: GateFacts): DeployedJwtAuthorizer {
  return { ...facts, kind: 'cognito', audience: [], claims: { sub: 'lambda-contract-user', iss: facts.issuer, 'cognito:username': 'lambda-contract-user', token_use: 'id' } };
}

/**
 * The issuer of a user pool's tokens, from the node naming its ARN. A pool the template creates
 * (`!GetAtt UserPool.Arn`) has no ARN yet: its id stands in as `REGION_LogicalId`.
 */
function poolIssuer(node: unknown, resolver: Resolver, where: string): string {
  const created = obj(node)['Fn::GetAtt'];
  const pool = Array.isArray(created) ? String(created[0]) : typeof created === 'string' ? created.split('.')[0] : undefined;
  const region = String(resolver.resolve({ Ref: 'AWS::Region' }, where) ?? 'us-east-1');
  return pool ? `https://cognito-idp.${region}.amazonaws.com/${region}_${pool}` : userPoolIssuer(String(resolver.resolve(node, where) ?? ''));
}

/** The header an identity source names (`$request.header.Authorization`, `method.request.header.Auth`, or a bare name). */
function identityHeader(source: unknown): string | undefined {
  const first = String([source].flat()[0] ?? '');
  if (!first) return undefined;
  const m = /(?:^\$request\.header\.|^method\.request\.header\.)(.+)$/.exec(first);
  return m ? m[1] : /^[\w-]+$/.test(first) ? first : undefined;
}

/**
 * The issuer of a user pool's tokens, `https://cognito-idp.REGION.amazonaws.com/POOL_ID`, from its ARN
 * (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`); a pool the template creates resolves to a
 * stand-in ARN, whose region and name stand in the same way.
 */
export function userPoolIssuer(arn: string): string {
  const m = /^arn:aws[\w-]*:cognito-idp:([^:]*):[^:]*:userpool\/(.+)$/.exec(arn);
  const region = m?.[1] || 'us-east-1';
  const pool = m?.[2] ?? (arn.replace(/[^\w-]/g, '') || 'UserPool');
  return `https://cognito-idp.${region}.amazonaws.com/${pool}`;
}

/** A SAM Lambda authorizer's settings, in API Gateway's terms; undefined for JWT / Cognito / unknown ones. */
function templateAuthorizer(name: string, declared: Obj, rest: boolean, fnIn: (n: unknown) => string | undefined): DeployedRoute['authorizer'] {
  const functionId = fnIn(declared.FunctionArn);
  if (!functionId) return undefined;
  const identity = obj(declared.Identity);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  if (rest) {
    const type = declared.FunctionPayloadType === 'REQUEST' ? 'REQUEST' : 'TOKEN';
    const sources = type === 'TOKEN'
      ? [`method.request.header.${typeof identity.Header === 'string' ? identity.Header : 'Authorization'}`]
      : [...list(identity.Headers).map((h) => `method.request.header.${h}`), ...list(identity.QueryStrings).map((q) => `method.request.querystring.${q}`)];
    return { name, functionId, settings: { type, ...(sources.length ? { identitySource: sources } : {}) } };
  }
  const sources = [...list(identity.Headers).map((h) => `$request.header.${h}`), ...list(identity.QueryStrings).map((q) => `$request.querystring.${q}`)];
  const version = declared.AuthorizerPayloadFormatVersion === '1.0' || declared.AuthorizerPayloadFormatVersion === 1 ? '1.0' : '2.0';
  return {
    name, functionId,
    settings: { payloadFormatVersion: version, ...(sources.length ? { identitySource: sources } : {}), ...(typeof declared.EnableSimpleResponses === 'boolean' ? { enableSimpleResponses: declared.EnableSimpleResponses } : {}) },
  };
}

/**
 * A folder holding inline code as CloudFormation deploys it for a Node.js runtime: the file `index.js`.
 * One per text (named by its hash, in the system's temporary folder), written once.
 */
function inlineCodeFolder(text: string): string {
  const folder = path.join(os.tmpdir(), 'lambda-contract-inline', createHash('sha256').update(text).digest('hex').slice(0, 16));
  const file = path.join(folder, 'index.js');
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, text);
  }
  return folder;
}

/** The function a template function resource deploys, or undefined (with a warning) when it cannot run here. */
function functionOf(id: string, props: Obj, metadata: Obj, sam: boolean, dir: string, resolver: Resolver, warnings: string[], assets?: ReadonlyMap<string, string>): DeployedFunction | undefined {
  const where = `Resources.${id}`;
  const runtime = props.Runtime === undefined ? undefined : String(resolver.resolve(props.Runtime, `${where}.Runtime`));
  if (props.PackageType === 'Image') return skip(warnings, id, 'is an image package');
  if (runtime !== undefined && !runtime.startsWith('nodejs')) return skip(warnings, id, `runs ${runtime}, not Node.js`);
  const handlerText = String(resolver.resolve(props.Handler, `${where}.Handler`) ?? '');
  const dot = handlerText.lastIndexOf('.');
  if (dot <= 0) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${where}: Handler must be "file.export", got ${JSON.stringify(handlerText)}`, { resource: id });
  const modulePath = handlerText.slice(0, dot);
  const exportName = handlerText.slice(dot + 1);
  let codeDir: string | undefined;
  const inline = sam && props.InlineCode !== undefined ? props.InlineCode : isObject(props.Code) ? props.Code.ZipFile : undefined;
  if (inline !== undefined) {
    // Inline code (SAM's InlineCode, CloudFormation's Code.ZipFile): deployed as the file `index.js`.
    const text = resolver.resolve(inline, `${where}.${sam && props.InlineCode !== undefined ? 'InlineCode' : 'Code.ZipFile'}`);
    if (typeof text !== 'string') return skip(warnings, id, 'has inline code that is not text');
    codeDir = inlineCodeFolder(text);
  } else if (sam) {
    const code = resolver.resolve(props.CodeUri ?? '.', `${where}.CodeUri`);
    if (typeof code !== 'string' || code.startsWith('s3://')) return skip(warnings, id, 'has its code in S3');
    codeDir = path.resolve(dir, code);
  } else if (typeof metadata['aws:asset:path'] === 'string') {
    codeDir = path.resolve(dir, metadata['aws:asset:path']); // CDK: the asset folder inside cdk.out
  } else if (assets?.has(String(obj(props.Code).S3Key))) {
    codeDir = assets.get(String(obj(props.Code).S3Key)) as string; // CDK without asset metadata: its assets manifest
  } else if (typeof props.Code === 'string') {
    codeDir = path.resolve(dir, props.Code);
  } else {
    return skip(warnings, id, 'has its code in S3');
  }
  // SAM's esbuild build: the TypeScript entry point the deployed file is built from.
  const entries = metadata.BuildMethod === 'esbuild' ? obj(metadata.BuildProperties).EntryPoints : undefined;
  const entry = Array.isArray(entries)
    ? (entries.map(String).find((e) => e.replace(/\.[cm]?[jt]s$/, '') === modulePath) ??
      entries.map(String).find((e) => path.basename(e).replace(/\.[cm]?[jt]s$/, '') === path.basename(modulePath)) ??
      (entries.length === 1 ? String(entries[0]) : undefined))
    : undefined;
  const base = path.resolve(codeDir, entry ?? modulePath);
  const { found, tried } = findHandlerFile(base, entry !== undefined);
  if (!found) {
    throw new ContractError('ERR_CONTRACT_HANDLER', `${where}: the handler file of function ${id} (Handler ${handlerText}) is missing; tried ${tried.join(', ')}`, { resource: id, file: base, tried });
  }
  const env = obj(resolver.resolve(obj(props.Environment).Variables, `${where}.Environment.Variables`));
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const number = (v: unknown, fallback: number, key: string): number => {
    const n = Number(resolver.resolve(v, `${where}.${key}`));
    return v === undefined || !Number.isFinite(n) ? fallback : n;
  };
  const cdkPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'].replace(/\/Resource$/, '') : undefined;
  return {
    id, name: cdkPath ?? id, handler: `${found}#${exportName}`, file: found, ...(runtime ? { runtime } : {}),
    timeout: number(props.Timeout, 3, 'Timeout'), memorySize: number(props.MemorySize, 128, 'MemorySize'), environment, codeRoot: codeDir,
    ...(props.ReservedConcurrentExecutions !== undefined ? { reservedConcurrency: number(props.ReservedConcurrentExecutions, 1000, 'ReservedConcurrentExecutions') } : {}),
  };
}

function skip(warnings: string[], id: string, why: string): undefined {
  warnings.push(`function ${id} ${why}: skipped (lambda-contract runs Node.js code from local files)`);
  return undefined;
}

/** An API definition: inline, `Fn::Transform` AWS::Include of a local file, or a local file path. */
function definitionOf(body: unknown, uri: unknown, dir: string, where: string, warnings: string[]): Record<string, unknown> | string | undefined {
  if (isObject(body)) {
    const transform = obj(body['Fn::Transform']);
    if (transform.Name === 'AWS::Include') {
      const location = obj(transform.Parameters).Location;
      if (typeof location === 'string' && !location.startsWith('s3://')) return path.resolve(dir, location);
      warnings.push(`${where}: the definition is included from ${String(location)}, not a local file: left out`);
      return undefined;
    }
    return body;
  }
  if (typeof uri === 'string') {
    if (uri.startsWith('s3://')) {
      warnings.push(`${where}: the definition lives in S3 (${uri}): left out`);
      return undefined;
    }
    return path.resolve(dir, uri);
  }
  return undefined;
}

/** Routes named by `x-amazon-apigateway-integration` URIs in an inline definition. */
function routesFromDefinition(definition: Obj, apiId: string, source: SourceName, fnIn: (n: unknown) => string | undefined, add: (r: DeployedRoute) => void): void {
  for (const [routePath, item] of Object.entries(obj(definition.paths))) {
    for (const [method, op] of Object.entries(obj(item))) {
      const fnId = fnIn(obj(obj(op)['x-amazon-apigateway-integration']).uri);
      if (fnId) add({ method: methodOf(method), path: routePath, functionId: fnId, source, apiId });
    }
  }
}

function methodOf(value: unknown): string {
  const m = String(value ?? 'ANY').toUpperCase();
  return m === 'X-AMAZON-APIGATEWAY-ANY-METHOD' || m === '*' ? 'ANY' : m;
}

/** The logical id a `!Ref X` / `!GetAtt X.Attr` names. */
function refName(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (!isObject(node)) return undefined;
  if (typeof node.Ref === 'string') return node.Ref;
  const att = node['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  return undefined;
}

function findRef(node: unknown): unknown {
  if (isObject(node)) {
    if (typeof node.Ref === 'string') return node;
    for (const v of Object.values(node)) {
      const found = findRef(v);
      if (found) return found;
    }
  } else if (Array.isArray(node)) {
    for (const v of node) {
      const found = findRef(v);
      if (found) return found;
    }
  }
  return undefined;
}

/** The function an integration URI or ARN names: `!GetAtt Fn.Arn`, `!Ref Fn`, or `${Fn.Arn}` in a `!Sub`. */
export function functionNamedIn(node: unknown, functionIds: ReadonlySet<string>): string | undefined {
  if (typeof node === 'string') {
    for (const m of node.matchAll(/\$\{([A-Za-z0-9]+)(?:\.Arn)?\}/g)) if (m[1] && functionIds.has(m[1])) return m[1];
    return undefined;
  }
  if (Array.isArray(node)) {
    for (const v of node) {
      const found = functionNamedIn(v, functionIds);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  const named = refName(node);
  if (named && functionIds.has(named)) return named;
  for (const v of Object.values(node)) {
    const found = functionNamedIn(v, functionIds);
    if (found) return found;
  }
  return undefined;
}

/** Event properties without the API ids (they are logical ids, read as such, not resolved). */
function withoutIds(p: Obj): Obj {
  const { RestApiId: _r, ApiId: _a, Auth: _auth, ...rest } = p;
  return rest;
}

