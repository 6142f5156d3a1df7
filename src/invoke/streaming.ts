/**
 * Response streaming as the Lambda Node.js runtime provides it: the `awslambda` global
 * (`streamifyResponse`, `HttpResponseStream.from`), a writable response stream handed to the handler,
 * and what a function URL in `RESPONSE_STREAM` mode sends the client — the prelude's status, headers and
 * cookies, then the bytes written.
 */
import { Writable } from 'node:stream';

/** The runtime's own marks on a streaming handler (the same symbols, so other wrappers interoperate). */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';
/**
 * How `HttpResponseStream.from` hands the prelude to our stream: a registry key, not `instanceof`, since
 * the global may come from another copy of this module (another test file in the same worker).
 */
const TAKE_PRELUDE = Symbol.for('lambda-contract.response-stream.prelude');

/** The metadata a handler gives `HttpResponseStream.from`. */
export interface StreamPrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** The stream a streaming handler writes its response to. */
export class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  prelude: StreamPrelude | undefined;
  contentType: string | undefined;

  constructor() {
    super({ decodeStrings: true });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

  [TAKE_PRELUDE](prelude: StreamPrelude): void {
    this.prelude = prelude;
    this.setContentType('application/vnd.awslambda.http-integration-response');
  }

  /** As the runtime's stream: the Content-Type of a response without a prelude. */
  setContentType(type: string): void {
    this.contentType = type;
  }

  /** The bytes written so far. */
  body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Whether a handler was wrapped by `awslambda.streamifyResponse`. */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

interface AwsLambdaGlobal {
  streamifyResponse<T extends (...args: never[]) => unknown>(handler: T, options?: unknown): T;
  HttpResponseStream: { from(stream: Writable, prelude: StreamPrelude): Writable };
}

/**
 * Defines the `awslambda` global the Node.js runtime gives handler code, unless something did already:
 * a module that calls `awslambda.streamifyResponse` at load time then loads as it does on Lambda.
 */
export function installAwsLambdaGlobal(target: object = globalThis): void {
  const g = target as { awslambda?: AwsLambdaGlobal };
  if (g.awslambda !== undefined) return;
  const awslambda: AwsLambdaGlobal = {
    streamifyResponse(handler) {
      Object.defineProperty(handler, HANDLER_STREAMING, { value: STREAM_RESPONSE, configurable: true });
      return handler;
    },
    HttpResponseStream: {
      from(stream, prelude) {
        const take = (stream as unknown as Partial<Record<symbol, (p: StreamPrelude) => void>>)[TAKE_PRELUDE];
        if (typeof take === 'function') take.call(stream, prelude);
        return stream;
      },
    },
  };
  Object.defineProperty(g, 'awslambda', { value: awslambda, configurable: true, writable: true, enumerable: false });
}

/**
 * What a function URL sends for a streamed response, as a payload the URL source reads like a buffered
 * result: the prelude's status (default 200), headers and cookies, and the bytes written (base64). With
 * no prelude, the response is a 200 of the stream's content type (default `application/octet-stream`).
 */
export function streamedPayload(stream: ResponseStream): string {
  const prelude = stream.prelude;
  const headers: Record<string, string> = { ...(prelude?.headers ?? {}) };
  if (!prelude && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = stream.contentType ?? 'application/octet-stream';
  return JSON.stringify({
    statusCode: prelude?.statusCode ?? 200,
    headers,
    ...(prelude?.cookies ? { cookies: prelude.cookies } : {}),
    body: stream.body().toString('base64'),
    isBase64Encoded: true,
  });
}
