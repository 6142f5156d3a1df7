/**
 * The example Lambda REQUEST authorizer for specs/apigw-express: an Authorization header `<name>` or
 * `Bearer <name>` is allowed as <name>, the name `deny` is refused by policy, anything else (no header,
 * other characters) is Unauthorized. Answers with an IAM policy, which
 * REST and HTTP APIs (payload 1.0 and 2.0) all accept.
 */
interface AuthorizerEvent {
  methodArn?: string;
  routeArn?: string;
  headers?: Record<string, string | undefined> | null;
}

export async function handler(event: AuthorizerEvent) {
  const headers = event.headers ?? {};
  const token = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  const match = /^(?:Bearer )?([a-z0-9-]+)$/i.exec(token);
  if (!match?.[1]) throw new Error('Unauthorized');
  const user = match[1];
  return {
    principalId: user,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: user === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn ?? event.routeArn ?? '*' }],
    },
    context: { owner: user },
  };
}
