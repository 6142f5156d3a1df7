/**
 * The public `invoke()`: the runtime's invocation, read as the response the client receives after the
 * gateway's step (a thrown handler reads as the gateway's 502, an HTTP API's plain value as its inferred 200).
 */
import { sourceFor, isSourceName, SOURCE_NAMES } from './gateway';
import { requestOfEvent, sourceOfEvent } from './gateway/detect';
import type { GatewayFaultKind, GatewayOptions, HttpResponse, SourceName } from './gateway/types';
import { ContractError } from './errors';
import { callHandler, type InvokeOptions as RuntimeOptions, type LambdaHandler, type RuntimeInvocation } from './invoke/invoke';

export interface InvokeOptions extends RuntimeOptions {
  /**
   * The gateway whose reading of the result `statusCode`, `headers` and `body` give. Default: the source
   * the event was generated for (`eventFor`), else the one its shape shows, else `rest`.
   */
  source?: SourceName;
  /** Gateway settings for that reading (REST `binaryMediaTypes` decide whether a base64 body is decoded). */
  gateway?: GatewayOptions;
}

/**
 * What `invoke()` returns: the response as the client receives it, and the invocation behind it.
 * `toMatchOperation` takes it as it is, and names the request it came from when it failed.
 */
export interface Invocation<TEvent = unknown> extends RuntimeInvocation<TEvent> {
  /** The status the client receives (the gateway's own when it rejected the handler's result). */
  readonly statusCode: number;
  /**
   * Response headers with lower-case names, as Node's `http` gives them: repeated headers joined with
   * `, ` (`set-cookie` lines are kept apart in {@link multiValueHeaders}).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Every response header line, lower-case names, values in order. */
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  /** The response body as UTF-8 text (`JSON.parse(res.body)`); `''` when there is none. */
  readonly body: string;
  /** The response body's bytes, base64 already decoded where the gateway decodes it. */
  readonly rawBody: Buffer;
  /** The gateway that read the result. */
  readonly source: SourceName;
  /** Why the gateway answered instead of the handler (malformed result, function error, timeout), if it did. */
  readonly gatewayFault?: { readonly kind: GatewayFaultKind; readonly reason: string };
}

/**
 * Runs a handler on an event as the Lambda runtime does, and reads its result as the gateway that sent
 * the event would answer the client. Never throws for what the handler does: a throw, a rejection or a
 * timeout reads as the gateway's error response, with the cause in `error`, `outcome` and `gatewayFault`.
 *
 * @example
 * const res = await invoke(handler, await eventFor('getPet', { pathParameters: { petId: '7' } }));
 * res.statusCode;                    // 200
 * res.headers['content-type'];       // 'application/json'
 * JSON.parse(res.body).name;         // 'Rex'
 * expect(res).toMatchOperation('getPet');
 */
export async function invoke<TEvent>(handler: LambdaHandler<TEvent>, event: TEvent, options: InvokeOptions = {}): Promise<Invocation<TEvent>> {
  const { source: chosen, gateway, ...runtime } = options;
  if (chosen !== undefined && !isSourceName(chosen)) {
    throw new ContractError('ERR_CONTRACT_USAGE', `unknown source ${JSON.stringify(chosen)}; sources: ${SOURCE_NAMES.join(', ')}`, { option: 'source' });
  }
  const invocation = await callHandler(handler, event, runtime);
  const origin = invocation.origin;
  const source = chosen ?? origin?.source ?? sourceOfEvent(event) ?? 'rest';
  const request = origin?.request ?? requestOfEvent(event);
  const verdict = sourceFor(source).fromResult(invocation.outcome, request, { ...origin?.gateway, ...gateway });
  const response = verdict.ok ? verdict.response : verdict.fault.response;
  const view: Omit<Invocation, keyof RuntimeInvocation> = {
    ...readResponse(response),
    source,
    ...(verdict.ok ? {} : { gatewayFault: { kind: verdict.fault.kind, reason: verdict.fault.reason } }),
  };
  return Object.assign(invocation, view);
}

function readResponse(response: HttpResponse): Pick<Invocation, 'statusCode' | 'headers' | 'multiValueHeaders' | 'body' | 'rawBody'> {
  const multi: Record<string, string[]> = {};
  for (const [name, value] of response.headers) (multi[name.toLowerCase()] ??= []).push(value);
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) headers[name] = values.join(', ');
  return { statusCode: response.statusCode, headers, multiValueHeaders: multi, body: response.body.toString('utf8'), rawBody: response.body };
}
