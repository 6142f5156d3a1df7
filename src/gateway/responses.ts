/**
 * A REST API's gateway responses (`x-amazon-apigateway-gateway-responses`, SAM `GatewayResponses`): what
 * the gateway answers when it answers itself — a request its validator refuses, a missing API key, an
 * authorizer's refusal, a failed function. Each answer the gateway produces goes through here: the
 * configured response for its type, else `DEFAULT_4XX` / `DEFAULT_5XX`, else AWS's own default.
 * docs/configured-gateway.md records the AWS facts; unconfirmed choices are in docs/unconfirmed.md.
 */
import { resolveGatewayOptions } from './options';
import { type GatewayFaultKind, type GatewayOptions, type GatewayResponseType, type HttpRequest, type HttpResponse } from './types';
import { headerValue, splitQuery, decodeQueryComponent, essence } from './wire';

/** The gateway's own answer and, when a configured response shaped it, where that is set. */
export interface RenderedAnswer {
  response: HttpResponse;
  /** The configured response used (`#/x-amazon-apigateway-gateway-responses/BAD_REQUEST_BODY`). */
  setting?: string;
  /** The type whose setting applied (`DEFAULT_4XX` when the specific one is not configured). */
  appliedType?: GatewayResponseType;
  /** VTL the template uses that lambda-contract does not evaluate, named. */
  warnings: string[];
}

/** What the gateway knows about the error it answers for: `$context.error.*`. */
export interface GatewayErrorContext {
  /** `$context.error.message`: `Invalid request body`. */
  message: string;
  /** `$context.error.validationErrorString`: the validator's findings. */
  validationErrorString?: string;
}

/** The gateway response type of a fault the gateway answers for a function (REST, Lambda proxy). */
export function faultResponseType(kind: GatewayFaultKind, status: number): GatewayResponseType {
  if (kind === 'timeout' && status === 504) return 'INTEGRATION_TIMEOUT';
  if (kind === 'unauthorized') return status === 401 ? 'UNAUTHORIZED' : 'ACCESS_DENIED';
  if (kind === 'authorizer_error') return 'AUTHORIZER_FAILURE';
  // A Lambda proxy's function error and malformed result have no type of their own: DEFAULT_5XX shapes them.
  return status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/** The message of a gateway answer's default body (`{"message": "…"}`), else its text. */
export function answerMessage(response: HttpResponse): string {
  const text = response.body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  } catch {
    // not JSON: the text is the message
  }
  return text;
}

/**
 * The gateway's answer of `type` as the REST API's gateway responses shape it: `fallback` is AWS's
 * default answer (status, headers, `{"message": …}` body), used as is when nothing is configured.
 */
export function renderGatewayAnswer(type: GatewayResponseType, fallback: HttpResponse, request: HttpRequest, options: GatewayOptions, requestContext: unknown, error: GatewayErrorContext = { message: answerMessage(fallback) }): RenderedAnswer {
  const responses = options.gatewayResponses;
  const family: GatewayResponseType = fallback.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const appliedType = responses?.[type] ? type : responses?.[family] ? family : undefined;
  const setting = appliedType ? responses?.[appliedType] : undefined;
  if (!setting || !appliedType) return { response: fallback, warnings: [] };
  const warnings: string[] = [];
  const where = setting.setting ?? `gateway response ${appliedType}`;
  const context = contextValues(requestContext, error);
  const headers: Array<[string, string]> = fallback.headers.filter(([name]) => name.toLowerCase() !== 'content-type');
  let contentType = headerValue(fallback.headers, 'content-type') ?? 'application/json';
  let body = fallback.body;
  const templates = setting.responseTemplates ?? {};
  const chosen = chooseTemplate(templates, request);
  if (chosen) {
    contentType = chosen.contentType;
    body = Buffer.from(substitute(chosen.template, context, options.stageVariables, (what) => warnings.push(`${where}: the template uses ${what}, which lambda-contract does not evaluate; it is left as written`)), 'utf8');
  } // no template: the default body, {"message":$context.error.messageString}, stays
  headers.unshift(['Content-Type', contentType]);
  for (const [key, expression] of Object.entries(setting.responseParameters ?? {})) {
    const name = key.replace(/^gatewayresponse\.header\./i, '');
    const value = mappingValue(expression, request, options, context);
    if (value === undefined) {
      warnings.push(`${where}: header ${name} maps ${JSON.stringify(expression)}, which has no value for this request; the header is left out`);
      continue;
    }
    const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) headers.splice(at, 1);
    headers.push([name, value]);
  }
  return { response: { statusCode: setting.statusCode ?? fallback.statusCode, headers, body }, setting: where, appliedType, warnings };
}

/** The template for the request: the one for its Accept type, else `application/json`, else the first. */
function chooseTemplate(templates: Record<string, string>, request: HttpRequest): { contentType: string; template: string } | undefined {
  const entries = Object.entries(templates);
  if (entries.length === 0) return undefined;
  const accepted = (headerValue(request.headers, 'accept') ?? '').split(',').map((t) => essence(t));
  const found = entries.find(([type]) => accepted.includes(essence(type))) ?? entries.find(([type]) => essence(type) === 'application/json') ?? entries[0];
  return found ? { contentType: found[0], template: found[1] } : undefined;
}

/** `$context` as the REST event's `requestContext` carries it, flattened to dotted names, plus `error.*`. */
function contextValues(requestContext: unknown, error: GatewayErrorContext): Map<string, string> {
  const values = new Map<string, string>();
  const flatten = (prefix: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v);
    } else values.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  };
  flatten('', requestContext);
  values.set('error.message', error.message);
  values.set('error.messageString', JSON.stringify(error.message));
  values.set('error.validationErrorString', error.validationErrorString ?? error.message);
  values.set('error.responseType', '');
  return values;
}

/**
 * Substitutes `$context.x` / `${context.x}` (and `$stageVariables.x`) in a template; other VTL
 * (`$util`, `$input`, `#set`, `#if`) is left as written and named through `unsupported`.
 */
function substitute(template: string, context: Map<string, string>, stageVariables: Record<string, string> | undefined, unsupported: (what: string) => void): string {
  const named = new Set<string>();
  const once = (what: string): void => {
    if (named.has(what)) return;
    named.add(what);
    unsupported(what);
  };
  // `$context.a.b`, or the formal `${context.a.b}`: a brace is consumed only when it opened one.
  const out = template.replace(/\$(?:\{(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)\}|(context|stageVariables)((?:\.[A-Za-z0-9_]+)+))/g, (whole: string, formalRoot?: string, formalPath?: string, bareRoot?: string, barePath?: string) => {
    const root = formalRoot ?? bareRoot ?? '';
    const name = (formalPath ?? barePath ?? '').slice(1);
    if (root === 'context') {
      const value = context.get(name);
      if (value !== undefined) return value;
      once(`$context.${name} (no such value for this request)`);
      return '';
    }
    const variable = stageVariables?.[name];
    if (variable !== undefined) return variable;
    once(`$stageVariables.${name} (no such stage variable)`);
    return whole;
  });
  for (const m of out.matchAll(/(\$\{?(?:util|input|method|integration)\b[A-Za-z0-9_.]*|#(?:set|if|foreach|else|elseif|end)\b)/g)) once(m[1] ?? '');
  return out;
}

/** A response parameter's mapping expression, resolved for this request. */
function mappingValue(expression: string, request: HttpRequest, options: GatewayOptions, context: Map<string, string>): string | undefined {
  const e = expression.trim();
  const literal = /^'(.*)'$/s.exec(e);
  if (literal) return literal[1] ?? '';
  const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(e);
  if (m) {
    const [, where, name = ''] = m;
    if (where === 'header') return headerValue(request.headers, name);
    if (where === 'querystring') {
      for (const [k, v] of splitQuery(request.rawQuery)) if (decodeQueryComponent(k) === name) return decodeQueryComponent(v);
      return undefined;
    }
    return undefined; // path parameters are not known to the gateway at this point
  }
  const c = /^context\.(.+)$/.exec(e);
  if (c) return context.get(c[1] ?? '');
  const s = /^stageVariables\.(.+)$/.exec(e);
  if (s) return resolveGatewayOptions(options).stageVariables?.[s[1] ?? ''];
  return undefined;
}
