/**
 * The deployment a Serverless Framework service describes (`serverless.yml`): its functions with the
 * provider's settings under their own, variables resolved, and the routes its events make.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { ContractError } from '../errors';
import type { SourceName } from '../gateway/types';
import { albPattern, findHandlerFile } from './paths';
import { serverlessCors, serverlessHttpCors, serverlessHttpGateway, serverlessPreflight, templateSetting, type ServerlessCors } from './gateway';
import type { DeployedApi, DeployedFunction, DeployedRoute, Deployment, TemplateOptions } from './model';
import { Resolver } from './intrinsics';
import { bucketsOf, tablesOf } from './tables';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObject(v) ? v : {});

/** Whether a file is a Serverless Framework service file (by name). */
export function isServerlessFile(file: string): boolean {
  return /^serverless\.(ya?ml|json)$/.test(path.basename(file));
}

/** Reads a `serverless.yml` (or `.json`) as a deployment. */
export function loadServerless(file: string, options: TemplateOptions = {}): Deployment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `cannot read ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : yaml.load(text, { filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}: the service file is neither valid YAML nor JSON: ${(error as { reason?: string }).reason ?? (error as Error).message}`, { file });
  }
  const service = new Variables(file, obj(raw), options.parameterOverrides ?? {}).resolveAll();
  return serverlessDeployment(file, service);
}

/**
 * Serverless variables: `${self:a.b}`, `${opt:stage, 'dev'}`, `${sls:stage}`, `${env:NAME}`, each with
 * an optional fallback after a comma, innermost first; anything else (`ssm:`, `cf:`, `file(…)`) needs a
 * fallback, else it is an error naming it.
 */
class Variables {
  private readonly resolving = new Set<string>();

  constructor(private readonly file: string, private readonly root: Obj, private readonly options: Record<string, string>) {}

  resolveAll(): Obj {
    return this.walk(this.root, '') as Obj;
  }

  private walk(node: unknown, where: string): unknown {
    if (typeof node === 'string') return this.string(node, where);
    if (Array.isArray(node)) return node.map((n, i) => this.walk(n, `${where}[${i}]`));
    if (isObject(node)) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(node)) out[k] = this.walk(v, where ? `${where}.${k}` : k);
      return out;
    }
    return node;
  }

  private string(text: string, where: string): unknown {
    let current: unknown = text;
    for (let guard = 0; typeof current === 'string' && /\$\{[^{}]*\}/.test(current); guard++) {
      if (guard > 50) throw this.error(where, `variables in ${JSON.stringify(text)} do not settle`);
      const whole = /^\$\{([^{}]*)\}$/.exec(current);
      if (whole) {
        current = this.variable(whole[1] ?? '', where);
        continue;
      }
      current = current.replace(/\$\{([^{}]*)\}/g, (_m, inner: string) => {
        const v = this.variable(inner, where);
        return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
      });
    }
    return current;
  }

  private variable(inner: string, where: string): unknown {
    const [reference = '', ...rest] = splitTopLevel(inner);
    const fallback = rest.length > 0 ? rest.join(',').trim() : undefined;
    const value = this.lookup(reference.trim(), where);
    if (value !== undefined) return value;
    if (fallback !== undefined) return unquote(fallback);
    throw this.error(where, `the variable \${${inner}} cannot be resolved here${reference.trim().startsWith('env:') ? ' (the environment has no such variable)' : ''}; give it a fallback (\${${reference.trim()}, 'value'})`);
  }

  private lookup(reference: string, where: string): unknown {
    if (reference.startsWith('self:')) {
      const key = reference.slice(5);
      if (this.resolving.has(key)) throw this.error(where, `\${self:${key}} refers to itself`);
      this.resolving.add(key);
      try {
        let node: unknown = this.root;
        for (const part of key.split('.').filter(Boolean)) node = isObject(node) ? node[part] : undefined;
        return node === undefined ? undefined : this.walk(node, key);
      } finally {
        this.resolving.delete(key);
      }
    }
    if (reference.startsWith('opt:')) return this.options[reference.slice(4)];
    if (reference === 'sls:stage') return this.options.stage ?? this.string(String(obj(this.root.provider).stage ?? 'dev'), 'provider.stage');
    if (reference === 'sls:instanceId') return 'lambda-contract';
    if (reference.startsWith('env:')) return process.env[reference.slice(4)];
    if (reference.startsWith('aws:')) return { region: 'us-east-1', accountId: '123456789012' }[reference.slice(4)];
    return undefined;
  }

  private error(where: string, message: string): ContractError {
    return new ContractError('ERR_CONTRACT_TEMPLATE', `${this.file}: ${where ? `${where}: ` : ''}${message}`, { file: this.file, where });
  }
}

/** Splits `a, 'b, c', d` on the commas outside quotes and braces. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function unquote(text: string): unknown {
  const m = /^(['"])(.*)\1$/s.exec(text);
  if (m) return m[2];
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** The deployment of a resolved service. */
export function serverlessDeployment(file: string, service: Obj): Deployment {
  const dir = path.dirname(file);
  const provider = obj(service.provider);
  const warnings: string[] = [];
  const functions: DeployedFunction[] = [];
  const routes: DeployedRoute[] = [];
  const apis = new Map<string, DeployedApi>();
  const httpPayload = String(obj(provider.httpApi).payload ?? '2.0');
  const add = (r: DeployedRoute, kind: DeployedApi['kind']): DeployedRoute => {
    if (!apis.has(r.apiId)) apis.set(r.apiId, { id: r.apiId, kind });
    const known = routes.find((x) => x.method === r.method && x.path === r.path && x.apiId === r.apiId);
    if (known) return known;
    routes.push(r);
    return r;
  };
  const keysFromAuthorizer = obj(provider.apiGateway).apiKeySourceType === 'AUTHORIZER';
  /** Each REST path's CORS settings (`cors` on its events), merged: the mock Serverless adds answers for all. */
  const restCors = new Map<string, { cors: ServerlessCors; methods: string[] }>();
  for (const [name, rawFn] of Object.entries(obj(service.functions))) {
    const fn = obj(rawFn);
    if (fn.image !== undefined) {
      warnings.push(`function ${name} is an image package: skipped (lambda-contract runs Node.js code from local files)`);
      continue;
    }
    const runtime = String(fn.runtime ?? provider.runtime ?? 'nodejs20.x');
    if (!runtime.startsWith('nodejs')) {
      warnings.push(`function ${name} runs ${runtime}, not Node.js: skipped (lambda-contract runs Node.js code from local files)`);
      continue;
    }
    const handlerText = String(fn.handler ?? '');
    const dot = handlerText.lastIndexOf('.');
    if (dot <= 0) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}: functions.${name}.handler must be "path/file.export", got ${JSON.stringify(handlerText)}`, { file, function: name });
    const base = path.resolve(dir, handlerText.slice(0, dot));
    const { found, tried } = findHandlerFile(base);
    if (!found) throw new ContractError('ERR_CONTRACT_HANDLER', `functions.${name}: the handler file of function ${name} (handler ${handlerText}) is missing; tried ${tried.join(', ')}`, { function: name, file: base, tried });
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...obj(provider.environment), ...obj(fn.environment) })) environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
    functions.push({
      id: name, name, handler: `${found}#${handlerText.slice(dot + 1)}`, file: found, runtime,
      timeout: Number(fn.timeout ?? provider.timeout ?? 6), memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024), environment, codeRoot: dir,
      ...(Number.isFinite(Number(fn.reservedConcurrency)) ? { reservedConcurrency: Number(fn.reservedConcurrency) } : {}),
    });
    for (const rawEvent of Array.isArray(fn.events) ? fn.events : []) {
      const event = obj(rawEvent);
      if (event.http !== undefined) {
        const { method, path: p } = methodAndPath(event.http);
        const route = add({ method, path: p, functionId: name, source: 'rest', apiId: 'ApiGatewayRestApi' }, 'rest');
        const index = (Array.isArray(fn.events) ? fn.events : []).indexOf(rawEvent);
        const at = (...parts: string[]): string => templateSetting(file, 'functions', name, 'events', index, 'http', ...parts);
        const gateway = serverlessHttpGateway(obj(event.http), at, keysFromAuthorizer, warnings);
        if (gateway) route.gateway = { ...route.gateway, ...gateway };
        const cors = serverlessCors(obj(event.http).cors, at('cors'), warnings);
        if (cors) {
          const known = restCors.get(p);
          restCors.set(p, { cors: known?.cors ?? cors, methods: [...(known?.methods ?? []), method] });
        }
      } else if (event.httpApi !== undefined) {
        const { method, path: p } = event.httpApi === '*' ? { method: 'ANY', path: '/{proxy+}' } : methodAndPath(event.httpApi);
        const source: SourceName = httpPayload === '1.0' ? 'http-v1' : 'http';
        add({ method, path: p, functionId: name, source, apiId: 'HttpApi', ...(event.httpApi === '*' ? { catchAll: true as const } : {}) }, 'http');
      } else if (event.alb !== undefined) {
        const alb = obj(event.alb);
        const conditions = obj(alb.conditions);
        const paths = Array.isArray(conditions.path) ? conditions.path.map(String) : [String(conditions.path ?? '/*')];
        const methods = Array.isArray(conditions.method) ? conditions.method.map((m) => String(m).toUpperCase()) : conditions.method ? [String(conditions.method).toUpperCase()] : ['ANY'];
        const source: SourceName = alb.multiValueHeaders === true ? 'alb-multi' : 'alb';
        for (const p of paths) for (const m of methods) add({ method: m, path: albPattern(p), functionId: name, source, apiId: `${name}AlbTargetGroup` }, 'alb');
      }
    }
    if (fn.url !== undefined && fn.url !== false) {
      const mode = obj(fn.url).invokeMode;
      add({ method: 'ANY', path: '/{proxy+}', functionId: name, source: 'url', apiId: `${name}LambdaFunctionUrl`, catchAll: true, ...(mode === 'RESPONSE_STREAM' || mode === 'BUFFERED' ? { invokeMode: mode } : {}) }, 'url');
    }
  }
  for (const [p, { cors, methods }] of restCors) {
    const preflight = serverlessPreflight(cors, methods);
    for (const r of routes) if (r.apiId === 'ApiGatewayRestApi' && r.path === p) r.gateway = { ...r.gateway, preflight };
  }
  const httpCorsSetting = obj(provider.httpApi).cors;
  const httpApi = apis.get('HttpApi');
  if (httpApi && httpCorsSetting !== undefined && httpCorsSetting !== false) {
    httpApi.cors = serverlessHttpCors(httpCorsSetting, routes.filter((r) => r.apiId === 'HttpApi').map((r) => r.method), templateSetting(file, 'provider', 'httpApi', 'cors'));
  }
  // The tables its `resources` define (CloudFormation, under `resources.Resources`), created locally like a template's.
  const resources = obj(obj(service.resources).Resources);
  const resolver = new Resolver({ file, parameters: {}, overrides: {}, conditions: {}, mappings: {}, resources, region: String(provider.region ?? 'us-east-1') });
  const tables = tablesOf(resources, resolver, () => true, file);
  const buckets = bucketsOf(resources, resolver, () => true);
  warnings.push(...resolver.warnings);
  return { file, functions, routes, apis: [...apis.values()], warnings, ...(tables.length > 0 ? { tables } : {}), ...(buckets.length > 0 ? { buckets } : {}) };
}

/** `GET /pets`, `{ path: 'pets/{id}', method: 'get' }` → method and path (leading slash added). */
function methodAndPath(event: unknown): { method: string; path: string } {
  if (typeof event === 'string') {
    const [method = 'ANY', p = '/'] = event.trim().split(/\s+/);
    return { method: method === '*' ? 'ANY' : method.toUpperCase(), path: p.startsWith('/') ? p : `/${p}` };
  }
  const e = obj(event);
  const method = String(e.method ?? 'ANY').toUpperCase();
  const p = String(e.path ?? '/');
  return { method: method === '*' ? 'ANY' : method, path: p.startsWith('/') ? p : `/${p}` };
}

