/**
 * A validating local gateway: real HTTP in, the source's event through the handler, the gateway's
 * answer out — and every exchange judged against the contract as it happens. `lambda-contract serve`
 * listens with it; tests hand it to supertest.
 */
import * as http from 'node:http';
import { currentContract } from '../config/default';
import { Router } from '../document/route';
import { ContractError, describeThrown } from '../errors';
import { sourceFor, unroutedAnswer } from '../gateway';
import { LAMBDA_PAYLOAD_LIMIT } from '../gateway/pipeline';
import type { AuthorizerContext, HttpRequest, HttpResponse, SourceName } from '../gateway/types';
import type { InvokeOptions, LambdaHandler } from '../invoke/invoke';
import { targetOf as asFunctionTarget, type FunctionTarget } from '../invoke/target';
import type { Authorizer } from '../invoke/authorize';
import type { Contract } from '../contract';
import { authorizerForOperation, namesLambdaAuthorizers } from '../document/authorizers';
import type { Operation } from '../document/model';
import type { DeployedRoute, Deployment } from '../deploy/model';
import type { TokenGate } from '../aws/identity';
import { routeGates } from '../run/token-cases';
import { contractBehindDeployment, DeployedFunctions, jwtContext, routeFor, routesOf } from '../run/deployment';
import { faultViolation } from '../verify/verify';
import { violationsOfGatewayAnswer, type GatewayAnswer, type GatewayRule } from '../verify/admission';
import { isPreflight, preflightAnswer, preflightRefusal } from '../gateway/cors';
import { headerValue } from '../gateway/wire';
import type { Violation } from '../verify/violation';

export interface ServerOptions {
  /** The contract (default: the project's, loaded by the Jest preset or `useContract`). */
  contract?: Contract;
  /** The event source to emulate (default: the contract's). */
  source?: SourceName;
  /** A Lambda authorizer in front of secured operations (REST and HTTP APIs). */
  authorizer?: Authorizer;
  /** Per-invocation timeout in ms (default 3000). */
  timeout?: number;
  /** The largest request body passed on (default: the source's limit — 10 MB API Gateway, 6 MB function URL, 1 MB ALB). */
  maxBodyBytes?: number;
  /** Called after every exchange, with its verdict. */
  onExchange?: (exchange: Exchange) => void;
}

export interface DeploymentServerOptions extends Omit<ServerOptions, 'source' | 'authorizer'> {
  /** The API whose routes are served, when the template has several (logical id). */
  api?: string;
  /** Environment values over the template's: SAM's `--env-vars` shape (per function id, or `Parameters` for all). */
  envVars?: Record<string, Record<string, string>>;
  /** A fresh sandbox for every request (`--cold`). */
  cold?: boolean;
  /**
   * Told, once they are made, the tokens the template's JWT and Cognito authorizers accept (one each,
   * minted by the server's issuer, valid for an hour): what a client sends in their header.
   */
  onTokens?: (tokens: ServedToken[]) => void;
}

/** A token the served gateway's JWT or Cognito authorizer accepts. */
export interface ServedToken {
  /** The authorizer's name in the template. */
  authorizer: string;
  /** The header it reads the token from. */
  header: string;
  /** The scopes the token carries (those its routes require). */
  scopes: string[];
  token: string;
}

/** What serves one operation: a deployment's function, its source, its authorizer, as the template wires them. */
export interface ServerTarget {
  /** The handler function (run in this process) or the function's sandboxes. */
  handler: LambdaHandler<never> | FunctionTarget;
  source: SourceName;
  authorizer?: Authorizer;
  /** What the gateway's own authorizer (JWT, Cognito) passes the function, when one stands in front. */
  authorizerContext?: AuthorizerContext;
  /** Per-invocation timeout in ms (the function's `Timeout`). */
  timeout?: number;
  /** Lambda context fields (function name, memory). */
  context?: InvokeOptions['context'];
  /** The template's JWT or Cognito authorizer, checked by the gateway before the function. */
  gate?: TokenGate;
  /** Runs an invocation inside the function's environment. */
  within?: <T>(work: () => Promise<T>) => Promise<T>;
  /** The function's name, for the log. */
  name?: string;
}

/** One request through the local gateway and its verdict. */
export interface Exchange {
  request: HttpRequest;
  /** The operation the request was routed to, when one matched. */
  operationId?: string;
  /** The deployed function that answered (`serve --template`). */
  function?: string;
  /** The status the client received. */
  status: number;
  /** Contract and gateway violations (empty: the response conforms). */
  violations: Violation[];
  /** What the gateway did on its own: `no route`, `request too large`, `not in the contract`. */
  note?: string;
  /** The gateway answered by one of its configured rules (CORS preflight, validator, API key, mock), and where that is set. */
  answeredBy?: { rule: GatewayRule; setting: string; reason: string };
  /** The handler's error, when it threw. */
  error?: { type: string; message: string };
  durationMs: number;
}

/** Headers Node sets itself for the body it writes. */
const NODE_OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

function send(res: http.ServerResponse, response: HttpResponse, head: boolean): void {
  const flat: string[] = [];
  for (const [name, value] of response.headers) if (!NODE_OWNED.has(name.toLowerCase())) flat.push(name, value);
  flat.push('Content-Length', String(response.body.length));
  res.writeHead(response.statusCode, flat);
  res.end(head ? undefined : response.body);
}

/**
 * An HTTP server (not yet listening) that serves the handler as the source's gateway would.
 *
 * @example
 * import request from 'supertest';
 * const server = createServer(handler, { contract, source: 'http' });
 * const res = await request(server).get('/pets/1');
 * expect(res).toMatchOperation('getPet');
 */
export function createServer(handler: LambdaHandler<never> | FunctionTarget, options: ServerOptions = {}): http.Server {
  const contract = contractOf(options);
  const source = options.source ?? contract.source;
  if (options.authorizer && !sourceFor(source).acceptsAuthorizer) {
    throw new ContractError('ERR_CONTRACT_CONFIG', `a Lambda authorizer stands in front of REST and HTTP APIs only; source "${source}" has none`, { option: 'authorizer', source });
  }
  // The authorizer stands where API Gateway puts it: the document's settings, on the operations it secures.
  const documentAuthorizers = namesLambdaAuthorizers(contract.operations);
  const target: ServerTarget = { handler, source, ...(options.timeout !== undefined ? { timeout: options.timeout } : {}) };
  return serveTargets(contract, source, async (op) => {
    const authorizer = op && options.authorizer ? authorizerForOperation(op, options.authorizer, documentAuthorizers) : undefined;
    return authorizer ? { ...target, authorizer } : target;
  }, options);
}

function contractOf(options: ServerOptions): Contract {
  const given = options.contract ?? currentContract();
  if (!given) {
    throw new ContractError('ERR_CONTRACT_USAGE', 'createServer needs a contract: pass { contract: await loadContract(file) }, or use the Jest preset with "spec" in lambda-contract.config.json', { option: 'contract' });
  }
  return given;
}

/**
 * A local gateway in front of a deployment: each request goes to the function its route reaches, as
 * that route's source, with that function's authorizer, environment and timeout; a request no route
 * takes gets the gateway's own answer. Invocations run one at a time, since each sets its function's
 * environment.
 */
export function createDeploymentServer(deployment: Deployment, options: DeploymentServerOptions = {}): http.Server {
  const given = contractOf(options);
  const routes = routesOf(deployment, options.api, given);
  // The gateway as the template configures it: validators, API keys, preflight mocks; the API's gateway responses and CORS.
  const contract = contractBehindDeployment(given, deployment, options.api, routes);
  // Each function in sandboxes of its own: as many as it has requests in flight (up to its reserved concurrency).
  const functions = new DeployedFunctions(deployment, options.envVars, options.cold ? { cold: true } : {});
  const fallback = routes[0]?.source ?? contract.source;
  // The template's JWT and Cognito authorizers, enforced as API Gateway enforces them: one gate each, trusting the server's issuer.
  const gates = gatesOf(routes, functions, options.onTokens);
  // What serves each route, made on its first request (its module loaded then) and kept.
  const targets = new Map<DeployedRoute, Promise<ServerTarget | undefined>>();
  const targetOf = async (route: DeployedRoute): Promise<ServerTarget | undefined> => {
    const fn = deployment.functions.find((f) => f.id === route.functionId);
    if (!fn) return undefined;
    const authorizer = route.authorizer ? await functions.authorizerOf(route.authorizer) : undefined;
    const gate = route.jwt && gates ? (await gates).get(route) : undefined;
    return {
      handler: await functions.targetOf(fn), source: route.source, name: fn.name,
      ...(authorizer ? { authorizer } : {}),
      ...(route.jwt ? { authorizerContext: jwtContext(route.jwt) } : {}),
      ...(gate ? { gate } : {}),
      timeout: options.timeout ?? fn.timeout * 1000,
      context: { functionName: fn.id, memoryLimitInMB: fn.memorySize, timeoutMs: fn.timeout * 1000 },
    };
  };
  const server = serveTargets(contract, fallback, (op) => {
    const route = op ? routeFor(op, routes).route : undefined;
    if (!route) return Promise.resolve(undefined);
    let target = targets.get(route);
    if (!target) targets.set(route, (target = targetOf(route)));
    return target;
  }, options);
  server.on('close', () => void functions.close());
  return server;
}

/** One gate per JWT or Cognito authorizer of the routes, made at once (their tokens told), by route. */
function gatesOf(routes: readonly DeployedRoute[], functions: DeployedFunctions, onTokens: DeploymentServerOptions['onTokens']): Promise<Map<DeployedRoute, TokenGate>> | undefined {
  if (!functions.standIns || !routes.some((r) => r.jwt)) return undefined;
  const standIns = functions.standIns;
  const made = routeGates(routes, () => standIns.issuer()).then((byRoute) => {
    const gates = [...new Set(byRoute.values())];
    onTokens?.(gates.map((g) => ({ authorizer: g.authorizer.name, header: g.authorizer.header, scopes: g.authorizer.scopes, token: g.token })));
    return byRoute;
  });
  made.catch(() => undefined); // its failure is told by the first request that needs it
  return made;
}

/** The server itself: `targetOf` says what serves each matched operation (undefined: no function does). */
function serveTargets(contract: Contract, defaultSource: SourceName, targetOf: (op: Operation | undefined) => Promise<ServerTarget | undefined>, options: ServerOptions): http.Server {
  const profile = sourceFor(defaultSource);
  const router = new Router(contract.operations);
  const limit = options.maxBodyBytes ?? profile.requestBodyLimit;
  let sequence = 0;

  const exchange = async (request: HttpRequest, size: number): Promise<Exchange & { response: HttpResponse }> => {
    const started = performance.now();
    const done = (e: Omit<Exchange, 'durationMs' | 'request'> & { response: HttpResponse }) => ({ ...e, request, durationMs: performance.now() - started });
    if (size > limit) return done({ status: 413, violations: [], note: `request too large (${size} bytes; limit ${limit})`, response: profile.tooLargeAnswer() });
    // An HTTP API with CORS answers every browser preflight itself, whatever routes exist.
    const cors = contract.corsFor(defaultSource);
    if (cors && isPreflight(request)) {
      const refused = preflightRefusal(cors, request);
      const reason = refused ? `CORS preflight refused: ${refused}` : 'CORS preflight';
      return done({ status: 204, violations: [], note: reason, answeredBy: { rule: 'cors_preflight', setting: cors.setting ?? 'cors', reason }, response: preflightAnswer(cors, request) });
    }
    const op = router.match(request.method, request.path);
    // A REST API answers a preflight with the path's OPTIONS mock, found through the method it asks about.
    if (!op && isPreflight(request) && defaultSource === 'rest') {
      const asked = router.match((headerValue(request.headers, 'access-control-request-method') ?? '').toUpperCase(), request.path);
      const answer = asked ? contract.gatewayAnswer(asked.id, request, 'before_authorizer', { source: defaultSource }) : undefined;
      if (asked && answer?.rule === 'cors_preflight') {
        return done({ operationId: asked.id, status: answer.response.statusCode, violations: [], note: answer.reason, answeredBy: { rule: answer.rule, setting: answer.setting, reason: answer.reason }, response: answer.response });
      }
    }
    if (op) {
      request.route = op.path;
      if (op.method !== request.method) request.routeMethod = op.method;
    }
    const target = await targetOf(op);
    if (!op || !target) {
      const answer = profile.noRouteAnswer?.();
      if (answer || !target) {
        const response = answer ?? unroutedAnswer(defaultSource);
        return done({ ...(op ? { operationId: op.id } : {}), status: response.statusCode, violations: [], note: op ? `no function serves ${op.method} ${op.path}` : `no route for ${request.method} ${request.path}`, response });
      }
    }
    const { source, handler } = target;
    const invokeOptions: InvokeOptions = { ...(target.timeout !== undefined ? { timeout: target.timeout } : {}), ...(target.context ? { context: target.context } : {}) };
    const within = target.within ?? (<T>(work: () => Promise<T>) => work());
    const named = target.name ? { function: target.name } : {};
    const seq = sequence++;
    const requestCase = { operationId: op?.id ?? '', name: 'served', request, seed: 0, notes: [] };
    /** The gateway's own answer by a configured rule (mock, API key, validator), judged like a function's. */
    const gatewayAnswered = (answer: GatewayAnswer, operationId: string) => {
      const violations = violationsOfGatewayAnswer(answer, contract.verify(operationId, answer.response, { method: request.method }).violations);
      return done({ operationId, status: answer.response.statusCode, violations, note: `answered by the gateway: ${answer.reason}`, answeredBy: { rule: answer.rule, setting: answer.setting, reason: answer.reason }, response: answer.response });
    };
    if (op) {
      const early = contract.gatewayAnswer(op.id, request, 'before_authorizer', { source });
      if (early) return gatewayAnswered(early, op.id);
    }
    if (op && target.gate) {
      // The gateway's own JWT or Cognito authorizer: a request without a token it accepts never reaches the function.
      const decision = await target.gate.check(request, source);
      if (!decision.allowed) return done({ operationId: op.id, ...named, status: decision.fault.response.statusCode, violations: [], note: `refused by the gateway's ${target.gate.authorizer.kind === 'jwt' ? 'JWT' : 'Cognito'} authorizer`, response: decision.fault.response });
      const late = contract.gatewayAnswer(op.id, request, 'after_authorizer', { source });
      if (late) return gatewayAnswered(late, op.id);
      return judged(op.id, contract.eventForCase(requestCase, source, { sequence: seq, authorizer: decision.authorizer }));
    }
    if (op && target.authorizer) {
      const authorizer = target.authorizer;
      const decision = await within(() => contract.authorize(request, authorizer, { source, sequence: seq, ...invokeOptions }));
      if (!decision.allowed) {
        // A refusal is the gateway doing its job; an authorizer that fails (the gateway's 500) is a break.
        const refused = decision.fault.kind === 'unauthorized';
        return done({ operationId: op.id, ...named, status: decision.fault.response.statusCode, violations: refused ? [] : [faultViolation(op.id, decision.fault)], note: refused ? 'refused by the authorizer' : 'the authorizer failed', response: decision.fault.response });
      }
      const late = contract.gatewayAnswer(op.id, request, 'after_authorizer', { source });
      if (late) return gatewayAnswered(late, op.id);
      const event = contract.eventForCase(requestCase, source, { sequence: seq, authorizer: decision.authorizer });
      return judged(op.id, event);
    }
    const late = op ? contract.gatewayAnswer(op.id, request, 'after_authorizer', { source }) : undefined;
    if (op && late) return gatewayAnswered(late, op.id);
    const event = contract.eventForCase(requestCase, source, { sequence: seq, ...(target.authorizerContext ? { authorizer: target.authorizerContext } : {}) });
    return judged(op?.id, event);

    async function judged(operationId: string | undefined, event: unknown) {
      if (JSON.stringify(event).length > LAMBDA_PAYLOAD_LIMIT) {
        return done({ ...(operationId ? { operationId } : {}), ...named, status: 413, violations: [], note: 'the event is over Lambda\'s 6 MB invocation payload limit', response: sourceFor(source).tooLargeAnswer() });
      }
      const invocation = await within(() => asFunctionTarget(handler).invoke(event, invokeOptions));
      const error = invocation.error !== undefined ? (({ type, message }) => ({ type, message }))(describeThrown(invocation.error)) : undefined;
      if (!operationId) {
        const verdict = contract.fromResult(invocation, request, source);
        const response = verdict.ok ? verdict.response : verdict.fault.response;
        return done({ ...named, status: response.statusCode, violations: [], note: `not in the contract: ${request.method} ${request.path}`, response, ...(error ? { error } : {}) });
      }
      const judgement = contract.judge(operationId, invocation, { source, request });
      return done({ operationId, ...named, status: judgement.response.statusCode, violations: judgement.result.violations, response: judgement.response, ...(error ? { error } : {}) });
    }
  };

  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk); // past the limit: read on, keep nothing, answer 413
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const headers: Array<[string, string]> = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
      const request: HttpRequest = { method: (req.method ?? 'GET').toUpperCase(), path: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers };
      if (size > 0 && size <= limit) request.body = Buffer.concat(chunks);
      exchange(request, size).then(
        ({ response, ...e }) => {
          send(res, response, request.method === 'HEAD');
          options.onExchange?.(e);
        },
        (error: unknown) => {
          // Our own failure: the client gets a 500, the log says why, the server goes on.
          const message = `lambda-contract could not serve ${request.method} ${request.path}: ${describeThrown(error).message}`;
          send(res, { statusCode: 500, headers: [['Content-Type', 'text/plain']], body: Buffer.from(`${message}\n`) }, false);
          options.onExchange?.({ request, status: 500, violations: [], note: message, durationMs: 0 });
        },
      );
    });
  });
}
