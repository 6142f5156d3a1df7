/**
 * What the configured gateway answers itself, before any function runs: a CORS preflight (HTTP API),
 * a mock integration (REST `OPTIONS` methods), a missing API key, a request its validator refuses. Each
 * answer names the setting that decided it and goes through the API's gateway responses.
 * docs/configured-gateway.md records the AWS facts this follows.
 */
import type { Operation, SchemaRef } from '../document/model';
import { sourceFor } from '../gateway';
import { isPreflight, preflightAnswer, preflightRefusal } from '../gateway/cors';
import { corsOfMock, mockResponse } from '../gateway/mock';
import { restRefusals } from '../gateway/rest';
import { matchRoute } from '../gateway/route-match';
import type { GatewayOptions, GatewayResponseType, HttpRequest, HttpResponse, RestPreflight, SourceName } from '../gateway/types';
import { decodeQueryComponent, essence, headerValue, splitQuery } from '../gateway/wire';
import type { Violation } from './violation';

/** Which of the gateway's own rules answered. */
export type GatewayRule = 'cors_preflight' | 'mock_integration' | 'api_key' | 'request_validator';

/** The gateway answered a request itself; the function was not called. */
export interface GatewayAnswer {
  rule: GatewayRule;
  /** The setting that decided it: a document pointer (`#/paths/~1pets/post/x-amazon-apigateway-request-validator`). */
  setting: string;
  /** Why, in a user's words: `the body breaks the model: /name is required`. */
  reason: string;
  response: HttpResponse;
  /** The configured gateway response that shaped the answer, when one did. */
  shapedBy?: string;
  /** Template features lambda-contract did not evaluate. */
  warnings: string[];
  /** A preflight the browser cannot go on from: what it asked that the answer does not allow. */
  refused?: string;
}

/** When in the gateway's order a rule applies: before the authorizer (preflight, mock) or after it. */
export type AdmissionStage = 'before_authorizer' | 'after_authorizer';

export interface AdmissionContext {
  source: SourceName;
  gateway: GatewayOptions;
  /** Why a value breaks a request schema (empty when it satisfies it). */
  problems: (schema: SchemaRef, value: unknown) => string[];
}

/**
 * The gateway's own answer to `request` at `stage`, or undefined when the request goes on. API Gateway's
 * order: CORS preflight and mock integrations need no authorization; then the authorizer; then the API
 * key; then the request validator (parameters, then body).
 */
export function gatewayAnswer(op: Operation, request: HttpRequest, stage: AdmissionStage, ctx: AdmissionContext): GatewayAnswer | undefined {
  const isHttpApi = ctx.source === 'http' || ctx.source === 'http-v1';
  const isRest = ctx.source === 'rest';
  if (stage === 'before_authorizer') {
    const cors = ctx.gateway.cors;
    if (isHttpApi && cors && isPreflight(request)) {
      const refused = preflightRefusal(cors, request);
      return {
        rule: 'cors_preflight', setting: cors.setting ?? 'cors', warnings: [],
        reason: refused ? `a CORS preflight the configuration refuses (${refused}): the gateway answers 204 without allow headers` : 'a CORS preflight: the gateway answers it with the configured allow headers',
        response: preflightAnswer(cors, request),
        ...(refused ? { refused } : {}),
      };
    }
    const preflight = op.gateway?.preflight;
    if (isRest && preflight && op.method !== 'OPTIONS' && isPreflight(request)) return restPreflight(preflight, request, ctx);
    const mock = op.gateway?.mock;
    if (isRest && mock) {
      return {
        rule: 'mock_integration', setting: mock.setting, warnings: [], reason: 'a mock integration: the gateway answers with its configured response',
        response: mockResponse(mock),
      };
    }
    return undefined;
  }
  if (!isRest) return undefined;
  const apiKey = op.gateway?.apiKey;
  if (apiKey && (headerValue(request.headers, apiKey.header) ?? '').trim() === '') {
    return shaped('api_key', apiKey.setting, `the operation requires an API key and the request has no ${apiKey.header} header`, 'INVALID_API_KEY', restRefusals.missingApiKey(), request, ctx);
  }
  const validator = op.gateway?.validator;
  if (!validator) return undefined;
  if (validator.parameters) {
    const missing = missingParameters(op, request, validator.requiredParameters);
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      return shaped('request_validator', validator.setting, `validator "${validator.name}" checks parameters: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing or blank`, 'BAD_REQUEST_PARAMETERS', restRefusals.badRequest(message), request, ctx, { message, validationErrorString: message });
    }
  }
  if (validator.body) {
    const problem = bodyProblem(op, request, ctx);
    if (problem !== undefined) {
      const message = 'Invalid request body';
      return shaped('request_validator', validator.setting, `validator "${validator.name}" checks the body: ${problem}`, 'BAD_REQUEST_BODY', restRefusals.badRequest(message), request, ctx, { message, validationErrorString: `[${problem}]` });
    }
  }
  return undefined;
}

/**
 * A REST API's answer to a browser's preflight: its `OPTIONS` method's mock, unless that method demands
 * what no preflight carries (an authorizer's token, an API key) — then the gateway's 401 or 403.
 */
function restPreflight(preflight: RestPreflight, request: HttpRequest, ctx: AdmissionContext): GatewayAnswer {
  if (preflight.authorizer) {
    const refused = `the OPTIONS method is behind authorizer ${preflight.authorizer.name} and a preflight carries no credentials`;
    return { ...shaped('cors_preflight', preflight.authorizer.setting, `a CORS preflight the gateway refuses: ${refused}`, 'UNAUTHORIZED', restRefusals.unauthorized(), request, ctx), refused };
  }
  if (preflight.apiKeyRequired) {
    const refused = 'the OPTIONS method requires an API key and a preflight carries none';
    return { ...shaped('cors_preflight', preflight.apiKeyRequired, `a CORS preflight the gateway refuses: ${refused}`, 'INVALID_API_KEY', restRefusals.missingApiKey(), request, ctx), refused };
  }
  const refused = preflightRefusal(corsOfMock(preflight), request);
  return {
    rule: 'cors_preflight', setting: preflight.setting, warnings: [],
    reason: refused ? `a CORS preflight the OPTIONS mock's headers do not allow (${refused})` : "a CORS preflight: the path's OPTIONS mock answers it with its headers",
    response: mockResponse(preflight),
    ...(refused ? { refused } : {}),
  };
}

/**
 * The contract's violations of a gateway's own answer, each message saying who answered: `the gateway's
 * own answer (request validator, shaped by #/…): status 400 …`.
 */
export function violationsOfGatewayAnswer(answer: GatewayAnswer, violations: readonly Violation[]): Violation[] {
  const by = `the gateway's own answer (${answer.rule.replace(/_/g, ' ')}, ${answer.shapedBy ? `shaped by ${answer.shapedBy}` : 'its default response'})`;
  return violations.map((v) => ({ ...v, message: `${by}: ${v.message}` }));
}

function shaped(rule: GatewayRule, setting: string, reason: string, type: GatewayResponseType, fallback: HttpResponse, request: HttpRequest, ctx: AdmissionContext, error?: { message: string; validationErrorString: string }): GatewayAnswer {
  const source = sourceFor(ctx.source);
  const rendered = source.shapeAnswer && ctx.gateway.gatewayResponses ? source.shapeAnswer(type, fallback, request, ctx.gateway, error) : undefined;
  const answer: GatewayAnswer = { rule, setting, reason, response: rendered?.response ?? fallback, warnings: rendered?.warnings ?? [] };
  if (rendered?.setting) answer.shapedBy = rendered.setting;
  return answer;
}

/** Required path, query and header parameters that are absent or blank (API Gateway checks presence only, not type). */
export function missingParameters(op: Operation, request: HttpRequest, declared?: ReadonlyArray<{ in: 'path' | 'query' | 'header'; name: string }>): string[] {
  const missing: string[] = [];
  const pathValues = matchRoute(op.path, request.path) ?? {};
  const query = splitQuery(request.rawQuery).map(([k, v]) => [decodeQueryComponent(k), decodeQueryComponent(v)] as const);
  // The method's required parameters: the template's declaration when it makes one, else the document's.
  const required = declared ?? op.parameters.filter((p) => p.required);
  for (const p of required) {
    let value: string | undefined;
    if (p.in === 'path') value = pathValues[p.name];
    else if (p.in === 'query') value = query.find(([k]) => k === p.name)?.[1];
    else if (p.in === 'header') value = headerValue(request.headers, p.name);
    else continue; // a cookie cannot be a required method request parameter
    if (value === undefined || value.trim() === '') missing.push(p.name);
  }
  return missing;
}

/**
 * Why the body breaks the operation's model for its content type (no Content-Type: application/json),
 * or undefined. No model for the content type: not validated. An empty body is checked as `{}`.
 */
function bodyProblem(op: Operation, request: HttpRequest, ctx: AdmissionContext): string | undefined {
  const contentType = essence(headerValue(request.headers, 'content-type') ?? 'application/json');
  const model = op.gateway?.validator?.model;
  const schema = model ? { inline: model.schema, schema: model.schema } : op.requestBody?.content.find((m) => essence(m.mediaType) === contentType)?.schema;
  if (!schema || !/(^application\/json$|\+json$)/.test(contentType)) return undefined;
  const text = request.body?.toString('utf8') ?? '';
  let value: unknown;
  if (text.trim() === '') value = {};
  else {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return 'the body is not valid JSON';
    }
  }
  const problems = ctx.problems(schema, value);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
