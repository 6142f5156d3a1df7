/**
 * The neutral HTTP model every event source translates to and from. Nothing here knows an event
 * field name: `rest.ts`, and later `http.ts`, `url.ts`, `alb.ts`, own those.
 */

/** Every event source lambda-contract can emulate. */
export type SourceName = 'rest';

/** One HTTP request as a client sends it, before any gateway touches it. */
export interface HttpRequest {
  /** Upper-case method: `GET`. */
  method: string;
  /** The concrete path as sent on the wire, percent-encoded, without query: `/pets/7`. */
  path: string;
  /** The path template the request was routed to (`/pets/{petId}`), when known. */
  route?: string;
  /** The raw query string as sent (encoded, without `?`), `''` when there is none. */
  rawQuery: string;
  /** Header lines in order, names with the client's casing; repeats are separate entries. */
  headers: Array<[name: string, value: string]>;
  /** The body bytes, absent when the request has none. */
  body?: Buffer;
}

/** One HTTP response as the client receives it, after the gateway has judged the Lambda result. */
export interface HttpResponse {
  statusCode: number;
  /** Header lines in the order the gateway emits them; `Set-Cookie` may repeat. */
  headers: Array<[name: string, value: string]>;
  /** The body bytes the client receives (base64 already decoded where the gateway decodes). */
  body: Buffer;
}

/** How the handler's invocation ended, as the Lambda runtime reports it to the gateway. */
export type InvokeOutcome =
  /** The handler produced a value; `payload` is the JSON text the runtime serialised from it. */
  | { kind: 'returned'; payload: string }
  /** The handler threw, rejected, or its value could not be serialised. */
  | { kind: 'threw'; errorType: string; errorMessage: string }
  /** The handler did not settle within the timeout. */
  | { kind: 'timeout'; timeoutMs: number };

/** Why a gateway answered with its own error instead of the handler's response. */
export type GatewayFaultKind =
  /** The result is not in the shape the source accepts (a 502/500 on AWS). */
  | 'malformed_result'
  /** The function raised an error. */
  | 'function_error'
  /** The function ran past the timeout. */
  | 'timeout'
  /** `isBase64Encoded` was set but the body is not base64. */
  | 'undecodable_body'
  /** The response payload is over Lambda's 6 MB limit. */
  | 'payload_too_large';

/** What AWS answers in place of the handler's response, and the reason it would log. */
export interface GatewayFault {
  kind: GatewayFaultKind;
  /** The reason, in words a user acts on: `body must be a string, got object`. */
  reason: string;
  /** The response the client receives from the gateway. */
  response: HttpResponse;
}

/** The gateway's verdict on one Lambda result. */
export type GatewayVerdict =
  | { ok: true; response: HttpResponse }
  | { ok: false; fault: GatewayFault };

/** Settings that shape events as a deployed gateway would (stage, ids, clock). */
export interface GatewayOptions {
  /** Stage name (REST: in `requestContext.stage` and the stage-prefixed `requestContext.path`). */
  stage?: string;
  /** Stage variables, `null` in the event when empty. */
  stageVariables?: Record<string, string>;
  /** REST `binaryMediaTypes`: request bodies of these types arrive base64; responses may be decoded. */
  binaryMediaTypes?: string[];
  /** Region in ids and domain names. */
  region?: string;
  /** Account id of the API owner. */
  accountId?: string;
  /** API id, the first label of the execute-api domain. */
  apiId?: string;
  /** Client address in `sourceIp` and `X-Forwarded-For`. */
  sourceIp?: string;
  /** The instant the request arrives; fixed by default so events are deterministic. */
  now?: Date;
  /** Distinguishes otherwise identical requests in generated ids (request id, trace id). */
  sequence?: number;
}

/** One event source: request → event, and Lambda outcome → what the client receives. */
export interface GatewayAdapter<TEvent = unknown> {
  readonly name: SourceName;
  /** Builds the event this source sends for the request. */
  toEvent(request: HttpRequest, options?: GatewayOptions): TEvent;
  /** Judges the handler's outcome as this source does. */
  fromResult(outcome: InvokeOutcome, request: HttpRequest, options?: GatewayOptions): GatewayVerdict;
}
