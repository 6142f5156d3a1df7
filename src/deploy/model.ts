/** The deployment model: the functions a template deploys and the routes that reach each of them. */
import type { AuthorizerSettings } from '../gateway/authorizer';
import type { CorsConfiguration, GatewayResponses, OperationGateway, SourceName } from '../gateway/types';

/** One Lambda function as the template deploys it. */
export interface DeployedFunction {
  /** The template's logical id (`GetPetFunction`, CDK's `PetsHandler3B9B5D52`). */
  id: string;
  /**
   * How people call it: the logical id, the Serverless function's key, or CDK's construct path
   * (`aws:cdk:path` without its `/Resource`: `PetsStack/PetsHandler`). Reports name functions by it.
   */
  name: string;
  /** `file#export`, the file absolute. */
  handler: string;
  /** The handler file as found (absolute), or the path tried when it is missing. */
  file: string;
  runtime?: string;
  /** Seconds (the template's `Timeout`, default 3). */
  timeout: number;
  /** MB (`MemorySize`, default 128). */
  memorySize: number;
  /** The template's environment variables, resolved (stand-ins where only a deployment knows). */
  environment: Record<string, string>;
  /** The folder the function's code is deployed from (CodeUri, the CDK asset): its LAMBDA_TASK_ROOT and working directory. */
  codeRoot?: string;
  /** ReservedConcurrentExecutions (Serverless: reservedConcurrency): invocations in flight beyond it are throttled. */
  reservedConcurrency?: number;
}

/** A method and path an API sends to a function. */
export interface DeployedRoute {
  /** Upper-case method, or `ANY`. */
  method: string;
  /** The path template (`/pets/{petId}`, `/{proxy+}`). */
  path: string;
  /**
   * The route takes every path, `/` included: a function URL, an HTTP API's `$default` route. (A REST
   * API's `/{proxy+}` does not take `/`.)
   */
  catchAll?: true;
  /** The function's logical id. */
  functionId: string;
  /** The event source the integration means. */
  source: SourceName;
  /** The API's logical id (`ServerlessRestApi` for SAM's implicit REST API). */
  apiId: string;
  /** The Lambda authorizer in front of the route: its name, its function, and how the gateway calls it. */
  authorizer?: { name: string; functionId: string; settings: AuthorizerSettings };
  /**
   * A JWT authorizer in front of the route (HTTP API `JwtConfiguration`, REST Cognito user pools): the
   * gateway checks tokens itself, so events carry the claims it would pass — issuer, audience, scopes.
   */
  jwt?: DeployedJwtAuthorizer;
  /**
   * What the gateway does on this route before the function (REST): the request validator and API key
   * the template sets, and the `OPTIONS` mock that answers browsers' preflights for the route's path.
   */
  gateway?: OperationGateway;
  /** A function URL's `InvokeMode`: `RESPONSE_STREAM` for a handler that streams its response. */
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

/** A token authorizer the gateway runs itself: an HTTP API's JWT authorizer or a REST API's Cognito user-pool one. */
export interface DeployedJwtAuthorizer {
  name: string;
  /** `jwt`: an HTTP API JWT authorizer (issuer and audience checked); `cognito`: a REST Cognito user-pool authorizer (issuer checked). */
  kind: 'jwt' | 'cognito';
  /** The issuer tokens must name (`iss`): the configured one, or the user pool's `https://cognito-idp.REGION.amazonaws.com/POOL`. */
  issuer: string;
  /** The audiences a token's `aud` (or an access token's `client_id`) must be among; empty: not checked. */
  audience: string[];
  /** The scopes the route requires, any one of them. */
  scopes: string[];
  /** The header the token is read from (default `Authorization`). */
  header: string;
  /** The claims the gateway passes on a valid token, for events built without one. */
  claims: Record<string, unknown>;
  /** Where the template configures it (`template.yaml#/Resources/…`). */
  setting: string;
}

/** An API of the template, and its OpenAPI definition when it carries one. */
export interface DeployedApi {
  id: string;
  kind: 'rest' | 'http' | 'url' | 'alb';
  /** The OpenAPI document: inline (`DefinitionBody`, `Body`) or a local file (`DefinitionUri`). */
  definition?: Record<string, unknown> | string;
  /** REST: the gateway responses the template configures (SAM `GatewayResponses`, `AWS::ApiGateway::GatewayResponse`). */
  gatewayResponses?: GatewayResponses;
  /** HTTP API: its CORS configuration (SAM `CorsConfiguration`, `AWS::ApiGatewayV2::Api` `CorsConfiguration`). */
  cors?: CorsConfiguration;
  /** REST: the stage the template deploys it to (SAM `StageName`, implicit `Prod`; an `AWS::ApiGateway::Stage`'s). */
  stage?: string;
}

export interface Deployment {
  /** The template file. */
  file: string;
  functions: DeployedFunction[];
  routes: DeployedRoute[];
  apis: DeployedApi[];
  /** What was skipped or stood in for, each naming the resource. */
  warnings: string[];
  /** The DynamoDB tables the template defines, created empty in a local DynamoDB for each run. */
  tables?: DeployedTable[];
  /** The S3 buckets it declares. */
  buckets?: DeployedBucket[];
}

/** A DynamoDB table as the template defines it (CreateTable's shape). */
/** An S3 bucket the template declares (`AWS::S3::Bucket`): created empty, in memory, for a run. */
export interface DeployedBucket {
  /** Logical id. */
  id: string;
  /** Its `BucketName`, else the name it stands in under (its logical id, lower-cased). */
  name: string;
}

export interface DeployedTable {
  /** The template's logical id. */
  id: string;
  /** Its TableName, else the logical id (what a `Ref` to it gives the functions here). */
  name: string;
  keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  globalSecondaryIndexes?: unknown[];
  localSecondaryIndexes?: unknown[];
}

export interface TemplateOptions {
  /**
   * `--parameter-overrides Key=Value`: values for a template's Parameters; for a Serverless service,
   * the `${opt:…}` options (`stage=prod`).
   */
  parameterOverrides?: Record<string, string>;
}
