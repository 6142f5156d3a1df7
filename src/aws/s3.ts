/**
 * S3 buckets the template declares, in memory for one run: the object calls handlers make — PutObject,
 * GetObject, HeadObject, DeleteObject, ListObjectsV2 — in S3's REST protocol, virtual-hosted
 * (`bucket.s3.region.amazonaws.com/key`) or path-style (`s3.region.amazonaws.com/bucket/key`), bodies
 * sent whole or `aws-chunked` (the SDK v3 streams with a trailing checksum). Written here because no
 * maintained emulator fits: the one on npm (s3rver) keeps objects on disk behind a Koa server and
 * pins years-old parsers. Anything else is answered with S3's own `NotImplemented`, naming the call.
 */
import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import type { DeployedBucket } from '../deploy/model';

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  modified: Date;
  metadata: Record<string, string>;
}

/** A run's buckets and their objects. */
export class LocalS3 {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  /** Object calls answered. */
  calls = 0;

  constructor(readonly declared: readonly DeployedBucket[]) {
    for (const b of declared) this.buckets.set(b.name, new Map());
  }

  /** Each bucket and how many objects it holds now. */
  objectCounts(): Array<{ id: string; name: string; objects: number }> {
    return this.declared.map((b) => ({ id: b.id, name: b.name, objects: this.buckets.get(b.name)?.size ?? 0 }));
  }

  /** Answers one request that was for `host` (the S3 endpoint it was sent to). */
  handle(req: http.IncomingMessage, body: Buffer, host: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://s3');
    const { bucket, key } = addressOf(host, url.pathname);
    const method = req.method ?? 'GET';
    const objects = bucket ? this.buckets.get(bucket) : undefined;
    if (!bucket || !objects) return xmlError(res, 404, 'NoSuchBucket', `The specified bucket does not exist (the template declares ${this.declared.map((b) => b.name).join(', ') || 'none'})`, { BucketName: bucket ?? '' });
    this.calls++;
    if (key === '') {
      if (method === 'GET' && url.searchParams.get('list-type') === '2') return listObjects(res, bucket, objects, url.searchParams);
      if (method === 'HEAD') return void res.writeHead(200).end();
      return notImplemented(res, `${method} on the bucket ${url.search}`);
    }
    if (method === 'PUT' && !req.headers['x-amz-copy-source'] && !url.searchParams.has('uploadId') && !url.searchParams.has('tagging')) {
      const content = /aws-chunked/.test(String(req.headers['content-encoding'] ?? '')) || /^STREAMING-/.test(String(req.headers['x-amz-content-sha256'] ?? '')) ? dechunk(body) : body;
      const etag = `"${createHash('md5').update(content).digest('hex')}"`;
      const metadata = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k, String(v)]));
      objects.set(key, { body: content, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), etag, modified: new Date(), metadata });
      return void res.writeHead(200, { etag }).end();
    }
    const found = objects.get(key);
    if (method === 'GET' || method === 'HEAD') {
      if (Object.keys(Object.fromEntries(url.searchParams)).some((p) => p !== 'x-id' && p !== 'response-content-type')) return notImplemented(res, `${method} ${url.search}`);
      if (!found) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }, method === 'HEAD');
      res.writeHead(200, { 'content-type': url.searchParams.get('response-content-type') ?? found.contentType, 'content-length': found.body.length, etag: found.etag, 'last-modified': found.modified.toUTCString(), 'accept-ranges': 'bytes', ...found.metadata });
      return void res.end(method === 'HEAD' ? undefined : found.body);
    }
    if (method === 'DELETE' && !url.searchParams.has('uploadId')) {
      objects.delete(key);
      return void res.writeHead(204).end();
    }
    notImplemented(res, `${method} ${url.pathname}${url.search}`);
  }
}

/** Bucket and key, from a virtual-hosted host or a path-style path. */
function addressOf(host: string, pathname: string): { bucket?: string; key: string } {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const m = /^(.+?)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.exec(name);
  const parts = pathname.split('/').slice(1).map(decodeURIComponent);
  if (m?.[1]) return { bucket: m[1], key: parts.join('/') };
  return { ...(parts[0] ? { bucket: parts[0] } : {}), key: parts.slice(1).join('/') };
}

/** An `aws-chunked` body's data: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` …, then `0` and trailers. */
function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) break;
    const size = parseInt(body.subarray(at, end).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(out);
}

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

function xml(res: http.ServerResponse, status: number, text: string, headOnly = false): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${text}`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'lambda-contract' });
  res.end(headOnly ? undefined : body);
}

function xmlError(res: http.ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}, headOnly = false): void {
  const fields = Object.entries(extra).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  xml(res, status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>lambda-contract</RequestId></Error>`, headOnly);
}

function notImplemented(res: http.ServerResponse, call: string): void {
  xmlError(res, 501, 'NotImplemented', `lambda-contract's S3 answers PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2, not ${call}`);
}

function listObjects(res: http.ServerResponse, bucket: string, objects: Map<string, StoredObject>, params: URLSearchParams): void {
  const prefix = params.get('prefix') ?? '';
  const after = params.get('continuation-token') ?? params.get('start-after') ?? '';
  const max = Math.min(Number(params.get('max-keys') ?? 1000) || 1000, 1000);
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  const contents = page.map((k) => {
    const o = objects.get(k) as StoredObject;
    return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  }).join('');
  xml(res, 200, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${escapeXml(page[page.length - 1] ?? '')}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`);
}
