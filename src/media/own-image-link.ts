// A client sending back an image this gateway stored (a `url`-mode chat answer
// in the history, a `response_format: url` result used as a reference) names
// it by the gateway's own signed link. Fetching that link would go out and back
// in — and the SSRF guard refuses it when the gateway sits on a private or
// loopback address. A link that carries this gateway's signature is read from
// the store instead, whatever host it names.
import { GatewayError } from '../dialects/errors.js';
import type { ImageStore, StoredImage } from './image-store.js';
import { IMAGE_PATH_PREFIX, verifyImageRequest } from './signed-url.js';

/**
 * The stored image when `url` is a link this gateway signed; undefined when it
 * is any other URL (a forged or foreign link included: it is fetched like any
 * URL, behind the SSRF guard). An expired or pruned link of ours is refused.
 */
export async function readOwnImageLink(url: string, store: ImageStore, signingKey: string, nowMs = Date.now()): Promise<StoredImage | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.pathname.startsWith(IMAGE_PATH_PREFIX)) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(parsed.pathname.slice(IMAGE_PATH_PREFIX.length));
  } catch {
    return undefined;
  }
  const check = verifyImageRequest(id, parsed.searchParams, signingKey, nowMs);
  if (check === 'bad_signature') return undefined;
  if (check === 'expired') {
    throw new GatewayError('invalid_request', 'An image link from this gateway has expired; send the image inline (a data URL) instead.', {
      param: 'image_url',
      code: 'image_url_expired',
    });
  }
  const image = await store.get(id);
  if (!image) {
    throw new GatewayError('invalid_request', 'An image link from this gateway names an image that is no longer stored; send the image inline (a data URL) instead.', {
      param: 'image_url',
      code: 'image_not_found',
    });
  }
  return image;
}
