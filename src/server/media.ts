// The gateway's media services for the relay: an SSRF-guarded fetcher for
// image URLs, and an image store whose files are handed out as signed,
// expiring URLs on this gateway (`response_format: url`, `url` chat output).
// Pruning the store is a scheduled job (src/jobs/gateway-jobs.ts), run once
// across nodes.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../config/settings.js';
import { fetchImage } from '../media/fetch-image.js';
import { FileImageStore } from '../media/image-store.js';
import { readOwnImageLink } from '../media/own-image-link.js';
import { handleImageDownload } from '../media/serve-image.js';
import { IMAGE_PATH_PREFIX, signImagePath } from '../media/signed-url.js';
import type { RelayMedia } from '../relay/relay-handler.js';

/** Largest image fetched for a client's image_url. */
const FETCH_MAX_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export interface GatewayMedia extends RelayMedia {
  /** The images folder; the image-prune job prunes it. */
  store: FileImageStore;
  /** The key image URLs are signed with (derived from WAYSTATION_SECRET, never the secret itself). */
  signingKey: string;
}

/**
 * The gateway's address as this client reached it: behind a reverse proxy the
 * forwarded headers, else the Host header.
 */
export function publicBaseUrl(req: IncomingMessage): string {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  const proto = first(req.headers['x-forwarded-proto']) === 'https' ? 'https' : 'http';
  const host = first(req.headers['x-forwarded-host']) || req.headers.host || 'localhost';
  return `${proto}://${host}`;
}

export function createGatewayMedia(settings: Settings, secret: string): GatewayMedia {
  const store = new FileImageStore(settings.dataDir);
  const signingKey = createHmac('sha256', secret).update('waystation image urls').digest('hex');
  const fetchOptions = { allowPrivate: settings.imageFetchAllowPrivate, maxBytes: FETCH_MAX_BYTES, timeoutMs: FETCH_TIMEOUT_MS };
  return {
    store,
    signingKey,
    // The gateway's own links (url-mode answers sent back in a history) come from the store, not over the network.
    fetchImage: async (url) => {
      const own = await readOwnImageLink(url, store, signingKey);
      return own ? { mimeType: own.mimeType, data: own.bytes } : fetchImage(url, fetchOptions);
    },
    publisher(req) {
      const base = publicBaseUrl(req);
      return async (mimeType, base64) => {
        const id = await store.put(Buffer.from(base64, 'base64'), mimeType);
        return base + signImagePath(id, Date.now() + settings.imageUrlTtlMs, signingKey);
      };
    },
  };
}

/** `GET /v1/files/images/{id}?expires=…&signature=…`: a stored image for whoever holds a valid link (no token needed). */
export function registerImageDownloads(app: FastifyInstance, media: GatewayMedia): void {
  app.get(`${IMAGE_PATH_PREFIX}:id`, (req, reply) => {
    reply.hijack();
    const { id } = req.params as { id: string };
    const query = new URL(req.url, 'http://local').searchParams;
    void handleImageDownload(req.raw, reply.raw, { store: media.store, secret: media.signingKey, id, query }).catch((err: unknown) => {
      req.log.error({ err }, 'image download failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
      reply.raw.end(JSON.stringify({ error: { message: 'The image could not be read.', type: 'server_error', param: null, code: null } }));
    });
  });
}
