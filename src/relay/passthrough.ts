// Same-dialect passthrough: the client's bytes go upstream untouched (only the
// model may be renamed), and the answer streams back as it comes while usage
// is read on the way.
import type { Dispatcher } from 'undici';
import { sseFrame } from '../dialects/canonical/sse.js';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import { renderError } from '../dialects/render-error.js';
import { DeliveredTextCounter } from './delivered-text.js';
import { responseHeadersFromUpstream } from './forward-headers.js';
import type { RelayContext } from './relay-context.js';
import type { RelayRequest } from './relay-types.js';
import { SseEventBoundary } from './sse-event-boundary.js';
import { streamErrorEvent } from './stream-errors.js';
import type { UsageChunkFilter } from './usage-chunk-filter.js';
import { UsageSniffer } from './usage-sniffer.js';
import type { UpstreamErrorAnswer } from './failover.js';
import { isDirectBody } from './upstream-dispatch.js';
import { passthroughOwnError } from './upstream-error.js';

/** An upstream error passed on as it came (status after mapping, body verbatim), or re-said when the client must not see it. */
export function deliverUpstreamError(r: RelayRequest, answer: UpstreamErrorAnswer): void {
  const own = passthroughOwnError(answer);
  if (own) throw own;
  const { ctx, res } = r;
  ctx.status = answer.status;
  ctx.error = `upstream answered ${answer.status}`;
  res.writeHead(answer.status, {
    ...responseHeadersFromUpstream(answer.headers),
    'content-length': answer.body.length,
    'x-request-id': ctx.requestId,
    'server-timing': ctx.serverTiming(),
  });
  ctx.firstByteMs = ctx.elapsedMs();
  res.end(answer.body);
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

/**
 * Responses streams name their events: a broken one ends with `event: error`
 * (type "error", as OpenAI sends it), whose `error` field also makes the SDK throw.
 */
function responsesErrorEvent(err: GatewayError): string {
  const error = (renderError('openai', err).body as { error: { code: string | null } }).error;
  return sseFrame(JSON.stringify({ type: 'error', code: error.code ?? 'upstream_error', message: err.message, param: null, error }), 'error');
}

/**
 * What ends a stream broken after its first byte so the client's SDK raises
 * the gateway's error: SSE sent so far ends on an event boundary, so the
 * dialect's error event follows as it is; a Gemini JSON-array stream is closed
 * with an error element when it stopped between elements.
 */
function errorTail(r: RelayRequest, sniffer: UsageSniffer, err: GatewayError, isSse: boolean): string | undefined {
  if (!isSse) return sniffer.jsonArrayErrorTail(err);
  return r.spec.codec === 'openai-responses' ? responsesErrorEvent(err) : streamErrorEvent(r.spec.dialect, err);
}

export function clientGone(ctx: RelayContext): void {
  ctx.status = 499;
  ctx.error = 'client closed the request';
}

/**
 * Streams the upstream answer to the client, reading usage on the way. SSE
 * answers go out whole event by whole event (`sse-event-boundary.ts`): a
 * stream that breaks mid-event ends with the client's error event on a
 * boundary, never glued onto half an event.
 */
export function deliver(r: RelayRequest, up: Dispatcher.ResponseData, signal: { readonly aborted: boolean }, usageFilter?: UsageChunkFilter): Promise<void> {
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
  // The usage filter reads whole events too, whatever the upstream labelled its stream.
  const events = isSse || usageFilter ? new SseEventBoundary() : undefined;

  return new Promise<void>((resolve) => {
    /** Writes bytes of whole events; false when the client's socket is full. */
    const send = (whole: Buffer): boolean => {
      const out = usageFilter ? usageFilter.filter(whole) : whole;
      if (out.length === 0) return true;
      delivered?.push(out);
      return res.write(out);
    };
    /** Passes one chunk on (its whole events, for SSE); false when the client's socket is full. */
    const onData = (chunk: Buffer): boolean => {
      sniffer.push(chunk);
      return send(events ? events.push(chunk) : chunk);
    };
    const onEnd = () => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      // An upstream that ends without a last blank line: its last bytes go out unchanged.
      if (events) send(events.end());
      res.end(() => resolve());
    };
    const onDrain = () => body.resume();
    const onError = (err: Error) => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      res.off('drain', onDrain);
      if (signal.aborted) {
        clientGone(ctx);
        res.destroy(); // the client left mid-response: never leave its socket half-open
        return resolve();
      }
      const gwErr = new GatewayError(kindForStatus(502), `The upstream stream broke: ${err.message}`);
      ctx.error = gwErr.message;
      ctx.status = 502;
      ctx.brokeMidStream = true;
      // Half of an event too long to hold back is already out: nothing can follow it cleanly, so the connection is cut.
      const tail = res.getHeader('content-length') === undefined && !events?.midEvent ? errorTail(r, sniffer, gwErr, isSse) : undefined;
      events?.drop(); // the half event that waited never reaches the client: what it has ends on a boundary
      if (tail !== undefined && !res.writableEnded) res.end(tail, () => resolve());
      else {
        res.destroy();
        resolve();
      }
    };

    if (isDirectBody(body)) {
      // Straight from undici's parser: a full socket pauses the upstream until 'drain'.
      body.sendTo({
        data: (chunk) => {
          if (onData(chunk)) return true;
          res.once('drain', onDrain);
          return false;
        },
        end: onEnd,
        error: onError,
      });
      return;
    }
    res.on('drain', onDrain);
    body.on('data', (chunk: Buffer) => {
      if (!onData(chunk)) body.pause();
    });
    body.once('end', onEnd);
    body.once('error', onError);
  });
}
