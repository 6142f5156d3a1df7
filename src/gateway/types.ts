/**
 * The neutral HTTP model every event source translates to and from. Nothing here knows an event
 * field name: the source modules (`rest.ts`, `http-v1.ts`, `http.ts`, `url.ts`, `alb.ts`) own those.
 */

/**
 * Every event source lambda-contract can emulate:
 * - `rest`: API Gateway REST API, Lambda proxy integration (payload 1.0);
 * - `http`: API Gateway HTTP API, payload format 2.0;
 * - `http-v1`: API Gateway HTTP API, payload format 1.0;
 * - `url`: Lambda function URL;
 * - `alb`: Application Load Balancer target group (single-value headers);
 * - `alb-multi`: ALB target group with `lambda.multi_value_headers.enabled`.
 */
export type SourceName = 'rest' | 'http' | 'http-v1' | 'url' | 'alb' | 'alb-multi';

/**
 * Who the gateway's authorizer says the caller is. Each source puts it where AWS does
 * (`requestContext.authorizer` in its own shape; ALB as `x-amzn-oidc-*` headers).
 */
export type AuthorizerContext =
  /** A Lambda authorizer's answer: its principal and `context` map. */
  | { type: 'lambda'; principalId?: string; context?: Record<string, unknown>; integrationLatency?: number }
  /** A JWT authorizer (HTTP API), a Cognito user-pool authorizer (REST), or ALB OIDC: the token's claims. */
  | { type: 'jwt'; claims: Record<string, unknown>; scopes?: string[] }
  /** AWS_IAM (SigV4) authorization: the caller's identity. */
  | {
      type: 'iam';
      accessKey?: string;
      accountId?: string;
      callerId?: string;
      userArn?: string;
      userId?: string;
      principalOrgId?: string | null;
      cognitoIdentity?: { amr: string[]; identityId: string; identityPoolId: string } | null;
    };

/** One HTTP request as a client sends it, before any gateway touches it. */
export interface HttpRequest {
  /** Upper-case method: `GET`. */
  method: string;
  /** The concrete path as sent on the wire, percent-encoded, without query: `/pets/7`. */
  path: string;
  /** The path template the request was routed to (`/pets/{petId}`), when known. */
  route?: string;
  /** The method of the route when it differs from the request's: `ANY` for a catch-all route. */
  routeMethod?: string;
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
  /**
   * The handler produced a value; `payload` is the JSON text the runtime serialized from it. `streamed`:
   * a streaming handler's response (function URL, `RESPONSE_STREAM`), read as a result of its prelude and bytes.
   */
  | { kind: 'returned'; payload: string; streamed?: true }
  /** The handler threw, rejected, or its value could not be serialized. */
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
  /** The response payload is over Lambda's 6 MB limit (or ALB's 1 MB). */
  | 'payload_too_large'
  /** The gateway's authorizer refused the request (401/403) before the function ran. */
  | 'unauthorized'
  /** The authorizer failed or answered in a shape the gateway rejects (500). */
  | 'authorizer_error';

/** What AWS answers in place of the handler's response, and the reason it would log. */
export interface GatewayFault {
  kind: GatewayFaultKind;
  /** The reason, in words a user acts on: `body must be a string, got object`. */
  reason: string;
  /** The response the client receives from the gateway. */
  response: HttpResponse;
  /** The configured gateway response that shaped `response`, when one did (a document pointer). */
  setting?: string;
}

/** The gateway's verdict on one Lambda result. */
export type GatewayVerdict =
  | { ok: true; response: HttpResponse }
  | { ok: false; fault: GatewayFault };

/** The gateway response types API Gateway lets a REST API customise. */
export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED', 'API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS', 'BAD_REQUEST_BODY', 'DEFAULT_4XX', 'DEFAULT_5XX', 'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT', 'INVALID_API_KEY', 'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN', 'QUOTA_EXCEEDED', 'REQUEST_TOO_LARGE', 'RESOURCE_NOT_FOUND',
  'THROTTLED', 'UNAUTHORIZED', 'UNSUPPORTED_MEDIA_TYPE', 'WAF_FILTERED',
] as const;
export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

/** One configured gateway response, in the extension's own terms. */
export interface GatewayResponseSetting {
  /** The status to answer with (default: the type's own, or the answer's for `DEFAULT_*`). */
  statusCode?: number;
  /**
   * Response headers: `gatewayresponse.header.<Name>` → a mapping expression: `'static value'`,
   * `method.request.header.<name>`, `method.request.querystring.<name>`, `method.request.path.<name>`,
   * `context.<name>`, `stageVariables.<name>`.
   */
  responseParameters?: Record<string, string>;
  /** Body templates by content type (`application/json`), with `$context` variables. */
  responseTemplates?: Record<string, string>;
  /** Where the setting is written (a document pointer or a template path), for reports. */
  setting?: string;
}

/** The gateway responses a REST API configures, by type. */
export type GatewayResponses = Partial<Record<GatewayResponseType, GatewayResponseSetting>>;

/** The HTTP API's CORS settings, in the extension's terms. */
export interface CorsConfiguration {
  /** Origins allowed: exact (`https://app.example.com`), `*`, or with a wildcard label (`https://*.example.com`). */
  allowOrigins?: string[];
  /** Methods allowed (`GET`, `*`). */
  allowMethods?: string[];
  /** Request headers allowed (`content-type`, `*`). */
  allowHeaders?: string[];
  /** Response headers a browser may read. */
  exposeHeaders?: string[];
  /** Seconds a browser may cache the preflight answer. */
  maxAge?: number;
  /** Whether credentials (cookies, Authorization) may be sent. */
  allowCredentials?: boolean;
  /** Where the configuration is written, for reports. */
  setting?: string;
}

/** A REST request validator (`x-amazon-apigateway-request-validators`, SAM `RequestModel`), as one operation uses it. */
export interface RequestValidatorSetting {
  name: string;
  /** Check the body against the operation's model for its content type. */
  body: boolean;
  /** Check that required path, query and header parameters are present and not blank. */
  parameters: boolean;
  /** Where the operation gets it: a document pointer (`#/…`) or a template path (`template.yaml#/Resources/…`). */
  setting: string;
  /**
   * The method's required request parameters as the template declares them (SAM `RequestParameters`,
   * CloudFormation `RequestParameters: { method.request.querystring.x: true }`), checked instead of the
   * contract's own required parameters. Absent for a document's validator: the document's parameters are the method's.
   */
  requiredParameters?: Array<{ in: 'path' | 'query' | 'header'; name: string }>;
  /**
   * The model the template gives the method for JSON bodies (SAM `RequestModel` → the API's `Models`;
   * CloudFormation `RequestModels` → `AWS::ApiGateway::Model`): the body is checked against it instead
   * of the contract's request schema, as the gateway does.
   */
  model?: { name: string; schema: Record<string, unknown> };
}

/** A mock integration's answer (the `OPTIONS` methods SAM's `Cors` and CDK's CORS options create): the gateway answers alone. */
export interface MockAnswer {
  statusCode: number;
  headers: Array<[string, string]>;
  body: string;
  setting: string;
}

/**
 * The `OPTIONS` mock a REST API answers a browser's preflight with for an operation's path, and what
 * the gateway demands of that `OPTIONS` method first: an API key (SAM applies `ApiKeyRequired` to it
 * unless `AddApiKeyRequiredToCorsPreflight: false`) or an authorizer (`AddDefaultAuthorizerToCorsPreflight`).
 * A browser's preflight carries neither, so either one refuses it.
 */
export interface RestPreflight extends MockAnswer {
  /** The API key the `OPTIONS` method requires: where that is set. */
  apiKeyRequired?: string;
  /** The authorizer in front of the `OPTIONS` method: its name and where that is set. */
  authorizer?: { name: string; setting: string };
}

/** What the gateway does for one operation before (or instead of) calling the function. */
export interface OperationGateway {
  validator?: RequestValidatorSetting;
  /** The operation requires an API key in this header (REST usage plans): where that is set. */
  apiKey?: { header: string; setting: string };
  mock?: MockAnswer;
  /** REST: the mock `OPTIONS` method of the operation's path that answers a browser's preflight. */
  preflight?: RestPreflight;
}

/** Settings that shape events as a deployed gateway would (stage, ids, clock). */
export interface GatewayOptions {
  /**
   * Stage name (REST: in `requestContext.stage` and the stage-prefixed `requestContext.path`; HTTP API:
   * a named stage also prefixes `rawPath`). Default `prod` for REST, `$default` for HTTP APIs.
   */
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
  /** What the authorizer established about the caller (none by default). */
  authorizer?: AuthorizerContext;
  /**
   * REST: the API's gateway responses (`x-amazon-apigateway-gateway-responses`): every answer the gateway
   * gives itself (a refused request, a failed function) is shaped by them. Default: the document's.
   */
  gatewayResponses?: GatewayResponses;
  /** HTTP APIs: the API's CORS configuration (`x-amazon-apigateway-cors`). Default: the document's. */
  cors?: CorsConfiguration;
}

/** One event source: request → event, and Lambda outcome → what the client receives. */
export interface GatewayAdapter<TEvent = unknown> {
  readonly name: SourceName;
  /** Builds the event this source sends for the request. */
  toEvent(request: HttpRequest, options?: GatewayOptions): TEvent;
  /** Judges the handler's outcome as this source does. */
  fromResult(outcome: InvokeOutcome, request: HttpRequest, options?: GatewayOptions): GatewayVerdict;
}
