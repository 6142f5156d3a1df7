/** Ids and clocks in AWS's shapes, derived from the request so the same request always gets the same ones. */
import { createHash } from 'node:crypto';
import type { HttpRequest } from './types';

function digest(...parts: Array<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID derived from the request, so the same request always gets the same id. */
export function stableUuid(...parts: Array<string | number>): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 16-character id in the shape of API Gateway's `extendedRequestId` (`ZhDrKF5dDoEEHfA=`). */
export function stableShortId(...parts: Array<string | number>): string {
  return Buffer.from(digest(...parts).slice(0, 22), 'hex').toString('base64').slice(0, 15) + '=';
}

/** A lower-case alphanumeric id of `length` characters (resource ids, deployment ids). */
export function stableAlnum(length: number, ...parts: Array<string | number>): string {
  return BigInt('0x' + digest(...parts)).toString(36).slice(0, length).padStart(length, '0');
}

/** An X-Ray trace header value: `Root=1-<8 hex epoch>-<24 hex>`. */
export function traceId(now: Date, ...parts: Array<string | number>): string {
  const epoch = Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${digest(...parts).slice(0, 24)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** AWS's request time: CLF `dd/MMM/yyyy:HH:mm:ss +0000`, always UTC. */
export function clfTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`
  );
}

/** A request's identity for deriving stable ids (request id, trace id): same request and sequence, same ids. */
export function requestKey(request: HttpRequest, sequence: number): string {
  return `${request.method} ${request.path}?${request.rawQuery}#${sequence}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Java's `Date.toString()` in UTC (`Tue Jun 18 15:00:04 UTC 2024`): how Cognito authorizers render `exp`/`iat`. */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
