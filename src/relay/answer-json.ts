import type { ServerResponse } from 'node:http';
import type { RelayContext } from './relay-context.js';

/** A whole JSON answer the gateway wrote itself (converted, embeddings, images): 200, timed as the first byte. */
export function answerJson(ctx: RelayContext, res: ServerResponse, body: string): Promise<void> {
  ctx.status = 200;
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': ctx.requestId,
    'server-timing': ctx.serverTiming(),
  });
  ctx.firstByteMs = ctx.elapsedMs();
  return new Promise<void>((resolve) => res.end(body, resolve));
}
