// Same-dialect passthrough: the client's bytes go upstream untouched (only the
// model may be renamed), and the answer streams back as it comes while usage
// is read on the way.
import type { Dispatcher } from 'undici';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import { DeliveredTextCounter } from './delivered-text.js';
import { responseHeadersFromUpstream } from './forward-headers.js';
import type { RelayContext } from './relay-context.js';
import type { RelayRequest } from './relay-types.js';
import { UsageChunkFilter } from './usage-chunk-filter.js';
import { UsageSniffer } from './usage-sniffer.js';

/**
 * Upstream errors the client should not see verbatim: a non-JSON body (an HTML
 * page from a proxy in front of the upstream) is re-said in the client's
 * dialect, and a 401 — the channel's key was refused, not the client's — is
 * never passed on, since providers echo key fragments in that message.
 */
export async function ownUpstreamError(up: Dispatcher.ResponseData): Promise<GatewayError | undefined> {
  const contentType = String(up.headers['content-type'] ?? '');
  if (up.statusCode === 401) {
    up.body.dump().catch(() => {});
    return new GatewayError('upstream', 'The upstream refused this channel\'s credentials.', { status: 502, code: 'upstream_auth_failed' });
  }
  if (contentType.includes('json') || contentType.includes('event-stream')) return undefined;
  const text = (await up.body.text().catch(() => '')).slice(0, 2000);
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const retryAfter = Number(up.headers['retry-after']);
  return new GatewayError(kindForStatus(up.statusCode), `The upstream answered ${up.statusCode}${plain ? `: ${plain}` : ''}.`, {
    status: up.statusCode,
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

/** The original bytes unless the channel maps the model to another name. */
export function upstreamBody(r: RelayRequest, json: Record<string, unknown> | undefined, model: string, upstreamModel: string): Buffer | undefined {
  if (r.spec.dialect === 'gemini' || !json) return r.body;
  if (wantsInjectedUsage(r, json)) {
    if (upstreamModel === model && json.stream_options === undefined) return withIncludeUsage(r.body!);
    return Buffer.from(JSON.stringify({ ...json, model: upstreamModel, stream_options: { ...(json.stream_options as object), include_usage: true } }));
  }
  if (upstreamModel === model) return r.body;
  return Buffer.from(JSON.stringify({ ...json, model: upstreamModel }));
}

/** A streamed chat request whose client did not ask for usage: the gateway asks for it (to bill) and hides it. */
export function wantsInjectedUsage(r: RelayRequest, json: Record<string, unknown> | undefined): boolean {
  return r.spec.codec === 'openai-chat' && json?.stream === true && !includeUsageAsked(json);
}

const INCLUDE_USAGE = Buffer.from('{"stream_options":{"include_usage":true},');

/** Splices the option in after the body's opening brace: no re-serialising of a long history. */
function withIncludeUsage(body: Buffer): Buffer {
  const open = body.indexOf(0x7b); // '{' — parseJsonBody already proved the body is an object
  return Buffer.concat([INCLUDE_USAGE, body.subarray(open + 1)]);
}

export function includeUsageAsked(json: Record<string, unknown> | undefined): boolean {
  const so = json?.stream_options;
  return typeof so === 'object' && so !== null && (so as Record<string, unknown>).include_usage === true;
}

export function clientGone(ctx: RelayContext): void {
  ctx.status = 499;
  ctx.error = 'client closed the request';
}

/** Streams the upstream answer to the client, reading usage on the way. */
export function deliver(r: RelayRequest, up: Dispatcher.ResponseData, signal: AbortSignal, usageFilter?: UsageChunkFilter): Promise<void> {
  const { ctx, res } = r;
  const upstreamHeaders = up.headers as Record<string, string | string[] | undefined>;
  const contentType = String(upstreamHeaders['content-type'] ?? '');
  const isSse = contentType.includes('text/event-stream');
  ctx.status = up.statusCode;
  if (up.statusCode >= 400) ctx.error = `upstream answered ${up.statusCode}`;
  res.writeHead(up.statusCode, {
    ...responseHeadersFromUpstream(upstreamHeaders),
    'x-request-id': ctx.requestId,
    'server-timing': ctx.serverTiming(),
  });
  ctx.firstByteMs = ctx.elapsedMs();
  const sniffer = new UsageSniffer(r.spec.dialect, ctx.facts);
  const delivered = ctx.stream && up.statusCode < 400 ? (ctx.deliveredText = new DeliveredTextCounter()) : undefined;
  const body = up.body;

  return new Promise<void>((resolve) => {
    const onDrain = () => body.resume();
    res.on('drain', onDrain);
    body.on('data', (chunk: Buffer) => {
      sniffer.push(chunk);
      const out = usageFilter ? usageFilter.push(chunk) : chunk;
      delivered?.push(out);
      if (out.length > 0 && !res.write(out)) body.pause();
    });
    body.once('end', () => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      const rest = usageFilter?.end();
      if (rest?.length) res.write(rest);
      res.end(() => resolve());
    });
    body.once('error', (err) => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      res.off('drain', onDrain);
      if (signal.aborted) {
        clientGone(ctx);
        res.destroy(); // the client left mid-response: never leave its socket half-open
        return resolve();
      }
      const gwErr = new GatewayError(kindForStatus(502), `The upstream stream broke: ${(err as Error).message}`);
      ctx.error = gwErr.message;
      ctx.status = 502;
      ctx.brokeMidStream = true;
      const tail = res.getHeader('content-length') === undefined ? sniffer.streamErrorTail(gwErr, isSse) : undefined;
      if (tail !== undefined && !res.writableEnded) res.end(tail, () => resolve());
      else {
        res.destroy();
        resolve();
      }
    });
  });
}
