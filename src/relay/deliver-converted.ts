// Answers a converted request: the upstream's answer (whole or streamed) is
// decoded into canonical form and encoded in the client's format. Usage and
// images are read from the canonical events on the way, never from a second
// copy of the body.
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { DialectCodec, EncodeResponseOptions } from '../dialects/canonical/codec.js';
import type { CanonicalResponse, CanonicalUsage, StreamEvent } from '../dialects/canonical/types.js';
import { toBillingUsage } from '../dialects/canonical/usage.js';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import type { RelayContext } from './relay-context.js';
import { answerJson } from './answer-json.js';

/** Stores generated images for `url` output: swaps inline data for a URL on the gateway. */
export type ImagePublisher = (mimeType: string, base64: string) => Promise<string>;

export interface ConvertedDelivery {
  ctx: RelayContext;
  res: ServerResponse;
  up: Dispatcher.ResponseData;
  upstreamCodec: DialectCodec;
  clientCodec: DialectCodec;
  options: EncodeResponseOptions;
  signal: { readonly aborted: boolean };
  /** Set in `url` image mode. */
  publishImage?: ImagePublisher;
}

/** Counts the answer's billable images (thought images are free) with the request's size and ratio. */
function noteImages(ctx: RelayContext, count: number): void {
  if (count === 0 && !ctx.facts?.images) return;
  const asked = ctx.facts?.images;
  ctx.images = { count, ...(asked?.size !== undefined && { size: asked.size }), ...(asked?.aspectRatio !== undefined && { aspectRatio: asked.aspectRatio }) };
}

function streamHeaders(ctx: RelayContext, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'cache-control': 'no-cache', 'x-request-id': ctx.requestId, 'server-timing': ctx.serverTiming() };
}

export async function deliverConverted(d: ConvertedDelivery): Promise<void> {
  if (d.ctx.stream) return deliverStream(d);
  return deliverWhole(d);
}

async function deliverWhole(d: ConvertedDelivery): Promise<void> {
  const { ctx, res, up } = d;
  let json: unknown;
  try {
    json = await up.body.json();
  } catch (err) {
    if (d.signal.aborted) throw err;
    throw new GatewayError('upstream', `The upstream's answer could not be read: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new GatewayError('upstream', 'The upstream answered with something other than a JSON object.');
  const canonical = d.upstreamCodec.decodeResponse(json as Record<string, unknown>);
  if (canonical.usage) ctx.usage = toBillingUsage(canonical.usage);
  noteImages(ctx, countImages(canonical));
  if (d.publishImage) await publishResponseImages(canonical, d.publishImage);
  const body = JSON.stringify(d.clientCodec.encodeResponse(canonical, d.options));
  await answerJson(ctx, res, body);
}

function countImages(res: CanonicalResponse): number {
  let n = 0;
  for (const c of res.choices) for (const p of c.parts) if (p.type === 'image' && !p.thought) n++;
  return n;
}

async function publishResponseImages(res: CanonicalResponse, publish: ImagePublisher): Promise<void> {
  for (const choice of res.choices) {
    for (const part of choice.parts) {
      if (part.type === 'image' && !part.thought && part.data !== undefined) {
        part.url = await publish(part.mimeType, part.data);
        delete part.data;
      }
    }
  }
}

async function deliverStream(d: ConvertedDelivery): Promise<void> {
  const { ctx, res, up } = d;
  const decoder = d.upstreamCodec.streamDecoder();
  const encoder = d.clientCodec.streamEncoder(d.options);
  ctx.status = 200;
  res.writeHead(200, streamHeaders(ctx, encoder.contentType));
  ctx.firstByteMs = ctx.elapsedMs();
  const delivered = new DeliveredChars();
  ctx.deliveredText = delivered;
  let usage: CanonicalUsage | undefined;
  let images = 0;
  let upstreamError: GatewayError | undefined;

  const write = async (text: string): Promise<void> => {
    if (text === '' || res.writableEnded || res.destroyed) return;
    if (!res.write(text)) await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  const handle = async (events: StreamEvent[]): Promise<boolean> => {
    let out = '';
    for (const ev of events) {
      if (ev.type === 'usage') usage = ev.usage;
      else if (ev.type === 'text' || ev.type === 'thinking') delivered.chars += ev.text.length;
      else if (ev.type === 'tool_call_delta') delivered.chars += ev.argumentsDelta.length;
      else if (ev.type === 'image' && !ev.thought) {
        images++;
        if (d.publishImage && ev.data !== undefined) {
          await write(out);
          out = '';
          ev.url = await d.publishImage(ev.mimeType, ev.data);
          delete ev.data;
        }
      } else if (ev.type === 'error') {
        upstreamError = new GatewayError(kindForStatus(ev.status), `The upstream reported an error mid-stream: ${ev.message}`, { status: ev.status });
        await write(out);
        return false;
      }
      out += encoder.push(ev);
    }
    await write(out);
    return true;
  };

  try {
    let going = true;
    for await (const chunk of up.body) {
      if (!(await handle(decoder.push(chunk as Buffer)))) {
        going = false;
        break;
      }
    }
    if (going) await handle(decoder.end());
  } catch (err) {
    if (d.signal.aborted || res.destroyed) {
      settleUsage(ctx, usage, images);
      ctx.status = 499;
      ctx.error = 'client closed the request';
      res.destroy();
      return;
    }
    upstreamError = new GatewayError('upstream', `The upstream stream broke: ${(err as Error).message}`);
  }
  settleUsage(ctx, usage, images);
  if (upstreamError) {
    up.body.destroy();
    ctx.error = upstreamError.message;
    ctx.status = 502;
    ctx.brokeMidStream = true;
    if (!res.writableEnded && !res.destroyed) await new Promise<void>((resolve) => res.end(encoder.fail(upstreamError!), resolve));
    return;
  }
  if (!res.writableEnded && !res.destroyed) await new Promise<void>((resolve) => res.end(encoder.end(), resolve));
}

/** Generated text that reached the client, for billing a stream the client abandoned (about 4 characters a token). */
class DeliveredChars {
  chars = 0;
  get tokens(): number {
    return Math.ceil(this.chars / 4);
  }
}

function settleUsage(ctx: RelayContext, usage: CanonicalUsage | undefined, images: number): void {
  if (usage) ctx.usage = toBillingUsage(usage);
  noteImages(ctx, images);
}
