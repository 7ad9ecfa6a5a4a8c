// Download links for stored images that need no API key: the path carries an
// expiry and an HMAC-SHA256 over id and expiry, so a link can be handed to a
// browser and dies on time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const IMAGE_PATH_PREFIX = '/v1/files/images/';

export type ImageUrlCheck = 'ok' | 'expired' | 'bad_signature';

/** A query as URLSearchParams or as node's parsed object (values may repeat). */
export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

function signature(id: string, expires: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`image:${id}\n${expires}`).digest();
}

/** `/v1/files/images/<id>?expires=<unix s>&signature=<hex>`; prefix the gateway's public base URL. */
export function signImagePath(id: string, expiresAtMs: number, secret: string): string {
  const expires = String(Math.floor(expiresAtMs / 1000));
  const sig = signature(id, expires, secret).toString('hex');
  return `${IMAGE_PATH_PREFIX}${encodeURIComponent(id)}?expires=${expires}&signature=${sig}`;
}

function one(query: QueryInput, name: string): string | undefined {
  const value = query instanceof URLSearchParams ? query.get(name) : query[name];
  if (typeof value === 'string') return value;
  return undefined; // absent or repeated: neither is a link we made
}

/** The signature is checked first, so a tampered expiry reads as a bad signature. */
export function verifyImageRequest(id: string, query: QueryInput, secret: string, nowMs: number): ImageUrlCheck {
  const expires = one(query, 'expires');
  const sig = one(query, 'signature');
  if (!expires || !sig || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/i.test(sig)) return 'bad_signature';
  const given = Buffer.from(sig, 'hex');
  const wanted = signature(id, expires, secret);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'bad_signature';
  return nowMs >= Number(expires) * 1000 ? 'expired' : 'ok';
}

/** Seconds a verified link stays valid (for cache-control). */
export function secondsLeft(query: QueryInput, nowMs: number): number {
  const expires = Number(one(query, 'expires'));
  return Number.isFinite(expires) ? Math.max(0, Math.floor(expires - nowMs / 1000)) : 0;
}
