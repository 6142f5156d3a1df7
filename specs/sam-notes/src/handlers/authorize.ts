import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

/**
 * The REST API's TOKEN authorizer: any bearer token is granted the scope its function's environment
 * names (a real one would verify the token against an issuer named the same way).
 */
export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const scope = process.env.TOKEN_SCOPE;
  if (!scope) throw new Error('TOKEN_SCOPE is not set: the authorizer cannot grant anything');
  const token = /^Bearer (\S+)$/.exec(event.authorizationToken ?? '')?.[1];
  if (!token) throw new Error('Unauthorized');
  return {
    principalId: 'reader',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { scope },
  };
};
