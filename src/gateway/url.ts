/**
 * Lambda function URLs (GATEWAYS.md §5): every path to the function, raw paths kept encoded, cookies in
 * both places, AWS_IAM as the only auth, and a plain-text 502 for every failure.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ContractError } from '../errors';
import { requestKey, stableAlnum, stableUuid, traceId } from './ids';
import { resolveGatewayOptions, type ResolvedGatewayOptions } from './options';
import { readV2Result, v2ClientHeaders, v2Event, v2IamAuthorizer } from './payload-v2';
import { defineSource, gatewayResponse, jsonAnswer, REQUEST_BODY_LIMITS } from './pipeline';
import type { GatewayOptions, HttpRequest } from './types';
import { decodePath } from './wire';

/** `requestContext.authorizer`: AWS_IAM only; any other authorizer cannot stand in front of a URL. */
function authorizerOf(o: ResolvedGatewayOptions): Record<string, unknown> | undefined {
  const a = o.authorizer;
  if (!a) return undefined;
  if (a.type === 'iam') return v2IamAuthorizer(a, o.accountId);
  throw new ContractError('ERR_CONTRACT_CONFIG', `function URLs support only AWS_IAM auth; a ${a.type} authorizer cannot stand in front of a function URL`, { option: 'authorizer' });
}

/** Builds the event a function URL sends for `request` (§5). */
export function toUrlEvent(request: HttpRequest, options?: GatewayOptions): APIGatewayProxyEventV2 {
  const o = resolveGatewayOptions(options);
  const key = requestKey(request, o.sequence);
  // The URL id: 32 lower-case alphanumerics derived from the API id, stable run to run.
  const id = stableAlnum(32, 'function-url', o.apiId, o.region);
  const domainName = `${id}.lambda-url.${o.region}.on.aws`;
  const { headers, cookies } = v2ClientHeaders(request, true);
  const bodyLength = request.body?.length ?? 0;
  if (bodyLength > 0) headers['content-length'] = String(bodyLength); // only with a body (§5 captures)
  headers.host = domainName;
  headers['x-amzn-trace-id'] = traceId(o.now, 'trace', key);
  headers['x-forwarded-for'] = o.sourceIp;
  headers['x-forwarded-port'] = '443';
  headers['x-forwarded-proto'] = 'https';
  headers['x-amzn-tls-cipher-suite'] = 'TLS_AES_128_GCM_SHA256';
  headers['x-amzn-tls-version'] = 'TLSv1.3';
  const authorizer = authorizerOf(o);
  return v2Event(request, o, {
    // rawPath keeps the encoding; requestContext.http.path is decoded (§5).
    routeKey: '$default', rawPath: request.path, httpPath: decodePath(request.path), stage: '$default', domainName, domainPrefix: id,
    accountId: o.authorizer?.type === 'iam' ? o.accountId : 'anonymous',
    requestId: stableUuid('request', key), headers, cookies,
    ...(authorizer ? { authorizer } : {}),
  });
}

const DEFAULT_CONTENT_TYPE = 'application/json';

export const url = defineSource<APIGatewayProxyEventV2>({
  name: 'url',
  label: 'the function URL',
  malformedPrefix: 'malformed Lambda response (payload 2.0): ',
  // application/json even with an explicit statusCode (§5).
  defaultContentType: DEFAULT_CONTENT_TYPE,
  requestBodyLimit: REQUEST_BODY_LIMITS.functionUrl,
  acceptsAuthorizer: false,
  tooLargeAnswer: () => jsonAnswer(413, '{"message":"Request Entity Too Large"}'),
  faultResponse: () => gatewayResponse(502, 'Internal Server Error', [['Content-Type', 'text/plain']]),
  toEvent: toUrlEvent,
  readResult: (payload) => readV2Result(payload, DEFAULT_CONTENT_TYPE),
});

/** Judges a result as a function URL does (§5). */
export const fromUrlResult = url.fromResult;
