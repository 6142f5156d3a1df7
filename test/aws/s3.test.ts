/**
 * The template's S3 buckets in memory: the object calls in S3's REST protocol, virtual-hosted and
 * path-style, bodies whole or aws-chunked (as the SDK v3 streams them, with a trailing checksum), and
 * S3's own errors.
 */
import type * as http from 'node:http';
import { LocalS3 } from '../../src/aws/s3';

interface Answer { status: number; headers: Record<string, unknown>; body: string }

/** One request, as the front hands it over: method, URL, headers, body, and the host it was for. */
function send(s3: LocalS3, method: string, url: string, host: string, body = '', headers: Record<string, string> = {}): Answer {
  let answer: Answer = { status: 0, headers: {}, body: '' };
  const res = {
    writeHead(status: number, h: Record<string, unknown> = {}) {
      answer = { status, headers: h, body: '' };
      return res;
    },
    end(chunk?: Buffer | string) {
      if (chunk !== undefined) answer.body = chunk.toString();
    },
  };
  s3.handle({ method, url, headers } as unknown as http.IncomingMessage, Buffer.from(body, 'latin1'), host, res as unknown as http.ServerResponse);
  return answer;
}

describe('a template\'s S3 bucket, in memory', () => {
  const s3 = new LocalS3([{ id: 'Uploads', name: 'uploads' }]);
  const HOST = 'uploads.s3.us-east-1.amazonaws.com';

  it('stores a whole body and an aws-chunked one, and gives each back with its type and metadata', () => {
    expect(send(s3, 'PUT', '/notes/a.txt?x-id=PutObject', HOST, 'hello', { 'content-type': 'text/plain', 'x-amz-meta-owner': 'ann' }).status).toBe(200);
    const chunked = '5\r\nworld\r\n3\r\n!!!\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n';
    const put = send(s3, 'PUT', '/notes/b.txt', HOST, chunked, { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-type': 'text/plain' });
    expect([put.status, put.headers.etag]).toEqual([200, expect.stringMatching(/^"[0-9a-f]{32}"$/)]);
    expect(send(s3, 'GET', '/notes/b.txt?x-id=GetObject', HOST)).toMatchObject({ status: 200, body: 'world!!!' });
    expect(send(s3, 'GET', '/notes/a.txt', HOST)).toMatchObject({ status: 200, body: 'hello', headers: { 'content-type': 'text/plain', 'x-amz-meta-owner': 'ann', 'content-length': 5 } });
    // Path-style, as a client with forcePathStyle sends it.
    expect(send(s3, 'HEAD', '/uploads/notes/a.txt', 's3.us-east-1.amazonaws.com')).toMatchObject({ status: 200, body: '' });
  });

  it('lists by prefix, in key order', () => {
    send(s3, 'PUT', '/other/c.txt', HOST, 'x');
    const list = send(s3, 'GET', '/?list-type=2&prefix=notes%2F', HOST);
    expect(list.status).toBe(200);
    expect([...list.body.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['notes/a.txt', 'notes/b.txt']);
    expect(list.body).toContain('<KeyCount>2</KeyCount>');
    expect(s3.objectCounts()).toEqual([{ id: 'Uploads', name: 'uploads', objects: 3 }]);
  });

  it('deletes, then answers NoSuchKey; an undeclared bucket is NoSuchBucket; other calls NotImplemented, named', () => {
    expect(send(s3, 'DELETE', '/notes/a.txt', HOST).status).toBe(204);
    const gone = send(s3, 'GET', '/notes/a.txt', HOST);
    expect([gone.status, /<Code>NoSuchKey<\/Code>/.test(gone.body)]).toEqual([404, true]);
    const other = send(s3, 'GET', '/x', 'elsewhere.s3.us-east-1.amazonaws.com');
    expect([other.status, /<Code>NoSuchBucket<\/Code>/.test(other.body), other.body.includes('the template declares uploads')]).toEqual([404, true, true]);
    const copy = send(s3, 'PUT', '/notes/d.txt', HOST, '', { 'x-amz-copy-source': '/uploads/notes/b.txt' });
    expect([copy.status, copy.body.includes('NotImplemented'), copy.body.includes('not PUT /notes/d.txt')]).toEqual([501, true, true]);
  });
});
