import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

/** The REST API's TOKEN authorizer: any bearer token is a reader (a real one would verify it). */
export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = /^Bearer (\S+)$/.exec(event.authorizationToken ?? '')?.[1];
  if (!token) throw new Error('Unauthorized');
  return {
    principalId: 'reader',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { scope: 'notes:read' },
  };
};
