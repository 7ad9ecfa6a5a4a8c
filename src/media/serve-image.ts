// GET /v1/files/images/<id>?expires=…&signature=… : a stored image, for
// whoever holds a valid link. Refusals are OpenAI-shaped JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, type ErrorKind } from '../dialects/errors.js';
import { renderOpenAIError } from '../dialects/openai/errors.js';
import type { ImageStore } from './image-store.js';
import { secondsLeft, verifyImageRequest, type QueryInput } from './signed-url.js';

export interface ImageDownloadOptions {
  store: ImageStore;
  secret: string;
  /** The id from the path (after the prefix, URL-decoded). */
  id: string;
  query: QueryInput;
  /** Defaults to Date.now(); tests pass a fixed clock. */
  nowMs?: number;
}

function sendError(res: ServerResponse, kind: ErrorKind, message: string, status?: number, code?: string): void {
  const rendered = renderOpenAIError(new GatewayError(kind, message, { status, code }));
  const body = JSON.stringify(rendered.body);
  res.writeHead(rendered.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

export async function handleImageDownload(req: IncomingMessage, res: ServerResponse, opts: ImageDownloadOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, 'method_not_allowed', `Method ${req.method ?? ''} is not allowed here; use GET.`);
    return;
  }
  const nowMs = opts.nowMs ?? Date.now();
  const check = verifyImageRequest(opts.id, opts.query, opts.secret, nowMs);
  if (check === 'bad_signature') {
    sendError(res, 'permission', 'This image link is not valid: its signature does not match.', 403, 'invalid_signature');
    return;
  }
  if (check === 'expired') {
    sendError(res, 'not_found', 'This image link has expired; generate the image again or ask for b64_json.', 410, 'link_expired');
    return;
  }
  let image;
  try {
    image = await opts.store.get(opts.id);
  } catch {
    sendError(res, 'internal', 'The image could not be read.');
    return;
  }
  if (!image) {
    sendError(res, 'not_found', 'This image is no longer stored.', 404, 'image_not_found');
    return;
  }
  res.writeHead(200, {
    'content-type': image.mimeType,
    'content-length': image.bytes.length,
    'cache-control': `private, max-age=${secondsLeft(opts.query, nowMs)}`,
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : image.bytes);
}
