/**
 * The front door of a run's AWS stand-ins: one HTTP server on loopback that answers, for the services
 * the run stands in for, the calls a function's sandbox sends to `https://<service>.<region>.amazonaws.com`
 * (the sandbox redirects them here, naming the host they were for; DynamoDB's go straight to the local
 * DynamoDB instead). A Cognito user pool's signing keys and OpenID configuration come from the run's issuer;
 * Secrets Manager and Parameter Store answer the values the user gave; S3 keeps the template's buckets
 * in memory. Calls to any other service never come here: the network isolation blocks and names them
 * (`aws_call_not_emulated`).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsServiceOfHost, FRONT_HOST_HEADER } from '../invoke/aws-redirect';
import { parameterCall, secretCall, type AwsValues, type JsonAnswer } from './values';
import type { LocalIssuer } from './identity';
import type { LocalS3 } from './s3';

/** What the front answers for. */
export interface FrontOptions {
  /** The run's token issuer (made when first needed): it answers every Cognito user pool's `.well-known` documents. */
  issuer?: () => Promise<LocalIssuer>;
  /** Secrets and parameters (`--aws-values`). */
  values?: AwsValues;
  /** The template's S3 buckets, in memory. */
  s3?: LocalS3;
}

/** A running front: where the sandboxes send their calls, and for which services. */
export interface AwsFront {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The services it answers (`cognito-idp`, `secretsmanager`, `ssm`, `s3`). */
  services: string[];
  /** What it served so far: secrets and parameters read, key sets fetched. */
  served: { secrets: number; parameters: number; keySets: number };
  close(): Promise<void>;
}

function answer(res: http.ServerResponse, a: JsonAnswer): void {
  const body = JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': a.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'lambda-contract' });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A Cognito user pool's published documents: `/<pool>/.well-known/jwks.json` and `openid-configuration`. */
function poolDocument(host: string, url: string, issuer: LocalIssuer): JsonAnswer {
  const m = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)(?:\?.*)?$/.exec(url);
  if (!m) return { status: 400, body: { __type: 'InvalidParameterException', message: `the Cognito stand-in serves a pool's .well-known documents only, not ${url}` } };
  if (m[2] === 'jwks.json') return { status: 200, body: issuer.jwks() };
  return { status: 200, body: issuer.openidConfiguration(`https://${host.replace(/:\d+$/, '')}/${m[1]}`) };
}

/** Starts the front on loopback. */
export async function startAwsFront(options: FrontOptions): Promise<AwsFront> {
  const served = { secrets: 0, parameters: 0, keySets: 0 };
  const server = http.createServer((req, res) => {
    const host = String(req.headers[FRONT_HOST_HEADER] ?? req.headers.host ?? '');
    const service = awsServiceOfHost(host);
    if (service === 'cognito-idp' && options.issuer && req.method === 'GET') {
      served.keySets++;
      void options.issuer().then((issuer) => answer(res, poolDocument(host, req.url ?? '/', issuer)));
      return;
    }
    void readBody(req).then((body) => {
      if (service === 's3' && options.s3) return options.s3.handle(req, body, host, res);
      const text = body.toString('utf8');
      const target = String(req.headers['x-amz-target'] ?? '');
      if (service === 'secretsmanager' && options.values) return answer(res, secretCall(options.values, target, text, served));
      if (service === 'ssm' && options.values) return answer(res, parameterCall(options.values, target, text, served));
      answer(res, { status: 400, body: { __type: 'UnknownOperationException', message: `lambda-contract stands in for no ${service ?? host} call ${target || `${req.method} ${req.url}`}` } });
    }, () => res.destroy()); // the caller went away mid-request: nothing to answer
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const services = [
    ...(options.issuer ? ['cognito-idp'] : []),
    ...(options.values ? ['secretsmanager', 'ssm'] : []),
    ...(options.s3 ? ['s3'] : []),
  ];
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    services,
    served,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
