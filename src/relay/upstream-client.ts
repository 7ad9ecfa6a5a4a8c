import { EventEmitter } from 'node:events';
import { Agent, type Dispatcher } from 'undici';
import type { UpstreamTarget } from '../providers/types.js';

export interface UpstreamTimeouts {
  /** Until the upstream's response headers arrive. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  connectMs: number;
}

/** Image models can think for a minute or two before the first byte. */
export const DEFAULT_TIMEOUTS: UpstreamTimeouts = { firstByteMs: 300_000, idleMs: 300_000, connectMs: 10_000 };

/** A channel's `settings.timeouts`, in the config's spelling. */
export function channelTimeouts(settings: Record<string, unknown>): Partial<Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs'>> {
  const t = settings.timeouts as { first_byte_ms?: unknown; idle_ms?: unknown } | undefined;
  const ms = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
  return { firstByteMs: ms(t?.first_byte_ms), idleMs: ms(t?.idle_ms) };
}

/**
 * What the relay needs of an abort signal: a flag, and an 'abort' event undici
 * listens to. `UpstreamAbort` is the cheap one.
 */
export type UpstreamSignal = AbortSignal | UpstreamAbort;

/**
 * An abort signal for the upstream call that undici accepts in place of an
 * AbortSignal (it takes any EventEmitter with `aborted`). On Node 20 an
 * AbortController costs ~6 µs to make and undici's add/remove of its listener
 * another ~7 µs, per request; this costs well under one.
 */
export class UpstreamAbort extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/** One keep-alive pool per upstream origin, shared by every request. */
export class UpstreamClient {
  private readonly agent: Agent;

  constructor(timeouts: UpstreamTimeouts = DEFAULT_TIMEOUTS) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // No cap: every in-flight request holds one connection (HTTP/1.1), so a
      // cap would queue streams behind others that may run for minutes. The
      // count is bounded by the client requests in flight.
      connections: null,
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
      connect: { timeout: timeouts.connectMs },
    });
  }

  request(
    target: UpstreamTarget,
    body: Buffer | undefined,
    method: 'GET' | 'POST',
    signal: UpstreamSignal,
    timeouts: Partial<Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs'>> = {},
  ): Promise<Dispatcher.ResponseData> {
    return this.agent.request({
      origin: target.origin,
      path: target.path,
      method,
      headers: target.headers,
      body,
      signal,
      // A channel's own waits, when it sets them; else the pool's defaults.
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
