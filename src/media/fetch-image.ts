// Fetches an image a client named by URL (image_url), without letting the
// client reach the gateway's own network: every hop's host is resolved, every
// address vetted, and the connection pinned to the vetted address so a DNS
// answer that changes between check and connect (rebinding) cannot redirect it.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { GatewayError } from '../dialects/errors.js';
import { sniffImageMime } from '../dialects/openai/images/sniff-image.js';
import { isBlockedAddress } from './address-policy.js';

export interface FetchImageOptions {
  /** Allow loopback and private addresses (a gateway inside a trusted network). */
  allowPrivate: boolean;
  maxBytes: number;
  /** For the whole fetch, redirects included. */
  timeoutMs: number;
}

export interface FetchedImage {
  mimeType: string;
  data: Buffer;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** What fetchImage depends on; tests swap them to act out DNS and the public internet. */
export interface FetchImageDeps {
  resolve(hostname: string): Promise<ResolvedAddress[]>;
  isBlocked(address: string): boolean;
}

export const defaultFetchImageDeps: FetchImageDeps = {
  resolve: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }),
  isBlocked: isBlockedAddress,
};

export const MAX_REDIRECTS = 3;
const SNIFF_BYTES = 64;

class FetchRefused extends Error {}

function refuse(url: string, reason: string): GatewayError {
  const shown = url.length > 120 ? `${url.slice(0, 117)}...` : url;
  return new GatewayError('invalid_request', `Could not fetch image_url '${shown}': ${reason}`, { param: 'image_url' });
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused('only http and https URLs can be fetched');
  return url;
}

/** The one address this hop may connect to, or a refusal. */
async function vettedAddress(url: URL, opts: FetchImageOptions, deps: FetchImageDeps): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await deps.resolve(host);
    } catch (err) {
      throw new FetchRefused(`the host ${host} could not be resolved (${(err as NodeJS.ErrnoException).code ?? 'DNS error'})`);
    }
  }
  const first = addresses[0];
  if (!first) throw new FetchRefused(`the host ${host} has no address`);
  if (!opts.allowPrivate) {
    const blocked = addresses.find((a) => deps.isBlocked(a.address));
    if (blocked) throw new FetchRefused(`the host ${host} resolves to a private or reserved address (${blocked.address})`);
  }
  return first;
}

/** A dispatcher whose every connection goes to `pinned`, whatever DNS says by then; SNI and Host stay the hostname. */
function pinnedAgent(pinned: ResolvedAddress, timeoutMs: number): Agent {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Agent({ connect: { lookup, timeout: timeoutMs }, connections: 1, pipelining: 0 });
}

type Hop = { redirect: string } | { image: FetchedImage };

async function fetchHop(url: URL, opts: FetchImageOptions, deps: FetchImageDeps, signal: AbortSignal): Promise<Hop> {
  const address = await vettedAddress(url, opts, deps);
  signal.throwIfAborted();
  const agent = pinnedAgent(address, opts.timeoutMs);
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      signal,
      headers: { accept: 'image/*', 'user-agent': 'Waystation-ImageFetch/1' },
    });
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await res.body.dump();
      const location = res.headers.location;
      if (typeof location !== 'string' || location === '') throw new FetchRefused(`HTTP ${res.statusCode} without a Location`);
      return { redirect: new URL(location, url).href };
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new FetchRefused(`the server answered HTTP ${res.statusCode}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.body.destroy();
      throw new FetchRefused(`the image is ${declared} bytes, more than the ${opts.maxBytes} allowed`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let sniffed: string | undefined;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw new FetchRefused(`the image is more than the ${opts.maxBytes} bytes allowed`);
      }
      chunks.push(chunk);
      if (!sniffed && size >= SNIFF_BYTES) {
        sniffed = sniffImageMime(Buffer.concat(chunks)) ?? 'none';
        if (sniffed === 'none') {
          res.body.destroy();
          throw new FetchRefused('the content is not a supported image (PNG, JPEG, WEBP, GIF, HEIC or HEIF)');
        }
      }
    }
    const data = Buffer.concat(chunks, size);
    const mimeType = sniffImageMime(data);
    if (!mimeType) throw new FetchRefused('the content is not a supported image (PNG, JPEG, WEBP, GIF, HEIC or HEIF)');
    return { image: { mimeType, data } };
  } finally {
    agent.destroy().catch(() => undefined);
  }
}

/**
 * Downloads an image by URL with an SSRF guard: http(s) only, public
 * addresses only (unless allowPrivate), at most 3 redirects each vetted
 * again, at most maxBytes, image bytes only. Refusals are
 * GatewayError('invalid_request', …, { param: 'image_url' }).
 */
export async function fetchImage(rawUrl: string, opts: FetchImageOptions, deps: FetchImageDeps = defaultFetchImageDeps): Promise<FetchedImage> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FetchRefused(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  timer.unref();
  let current = rawUrl;
  try {
    for (let redirects = 0; ; redirects++) {
      const hop = await Promise.race([
        fetchHop(parseUrl(current), opts, deps, controller.signal),
        new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })),
      ]);
      if ('image' in hop) return hop.image;
      if (redirects >= MAX_REDIRECTS) throw new FetchRefused(`more than ${MAX_REDIRECTS} redirects`);
      current = hop.redirect;
    }
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    if (err instanceof FetchRefused) throw refuse(current === rawUrl ? rawUrl : `${rawUrl}' → '${current}`, err.message);
    const reason = controller.signal.aborted ? `no answer within ${opts.timeoutMs} ms` : describeNetworkError(err);
    throw refuse(rawUrl, reason);
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  return code ? `${code} (${message})` : message;
}
