import { Agent, type Dispatcher } from 'undici';
import type { UpstreamTarget } from '../providers/types.js';
import { upstreamSettings, type UpstreamSettings } from '../routing/upstream-settings.js';
import { withinTotal } from './total-timeout.js';
import { buildDispatcher, type PoolOptions } from './upstream-dispatchers.js';
import type { UpstreamSignal } from './upstream-signal.js';

export interface UpstreamTimeouts {
  /** Until the upstream's response headers arrive. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  /** TCP (+ TLS, + proxy tunnel) connect. */
  connectMs: number;
}

/** One request's own waits; unset ones are the pool's defaults (`totalMs`: none). */
export type RequestTimeouts = Partial<Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs'>> & {
  /** The whole request, streamed body included. */
  totalMs?: number;
};

/** Image models can think for a minute or two before the first byte. */
export const DEFAULT_TIMEOUTS: UpstreamTimeouts = { firstByteMs: 300_000, idleMs: 300_000, connectMs: 10_000 };

/** A channel's `settings.timeouts`, in the config's spelling (connect_ms goes to its dispatcher: `route`). */
export function channelTimeouts(settings: Record<string, unknown>): RequestTimeouts {
  const s = upstreamSettings(settings);
  return { firstByteMs: s.firstByteMs, idleMs: s.idleMs, totalMs: s.totalMs };
}

/** How one channel's requests go out: its dispatcher and its waits. */
export interface ChannelRoute {
  dispatcher: Dispatcher;
  timeouts: RequestTimeouts;
  /** Through `settings.proxy`. */
  proxied: boolean;
  /** The connect timeout in force. */
  connectMs: number;
  /** Why this channel's requests must not be sent (a proxy is set but unusable); undefined normally. */
  refusal?: string;
}

// The signal lives in its own module (total-timeout.ts needs it, and this file needs total-timeout.ts).
export { UpstreamAbort, type UpstreamSignal } from './upstream-signal.js';

/** A dispatcher that sends nothing: every request fails as on a closed client. */
function refusingDispatcher(): Dispatcher {
  const agent = new Agent();
  void agent.close();
  return agent;
}

/** A dispatcher of its own, shared by the channels with the same proxy and connect timeout. */
interface CachedDispatcher {
  dispatcher: Dispatcher;
  /** False once dropped (no channel uses it any more) or closed. */
  live: boolean;
}

/**
 * One keep-alive pool per upstream origin, shared by every request. Channels
 * with a proxy or their own `connect_ms` get a dispatcher of their own, cached
 * by (proxy, connect timeout); the others use the default Agent, so the common
 * path allocates nothing.
 */
export class UpstreamClient {
  private readonly agent: Agent;
  private readonly pool: PoolOptions;
  private readonly defaultConnectMs: number;
  private readonly dispatchers = new Map<string, CachedDispatcher>();
  /** Per settings object (a reloaded channel brings a new one): what `route` resolved. */
  private readonly routes = new WeakMap<object, ChannelRoute & { cached?: CachedDispatcher }>();
  private closed = false;
  /** For channels whose proxy setting is unusable. */
  private refusing: Dispatcher | undefined;

  constructor(timeouts: UpstreamTimeouts = DEFAULT_TIMEOUTS) {
    this.pool = {
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // No cap: every in-flight request holds one connection (HTTP/1.1), so a
      // cap would queue streams behind others that may run for minutes. The
      // count is bounded by the client requests in flight.
      connections: null,
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.idleMs,
    };
    this.defaultConnectMs = timeouts.connectMs;
    this.agent = new Agent({ ...this.pool, connect: { timeout: timeouts.connectMs } });
  }

  /**
   * `timeouts` are the request's own waits (a channel's, else the pool's);
   * `dispatcher` the channel's (`route` / `dispatcherFor`), else the default Agent.
   */
  request(
    target: UpstreamTarget,
    body: Buffer | undefined,
    method: 'GET' | 'POST',
    signal: UpstreamSignal,
    timeouts: RequestTimeouts = {},
    dispatcher: Dispatcher = this.agent,
  ): Promise<Dispatcher.ResponseData> {
    if (timeouts.totalMs !== undefined) {
      return withinTotal(timeouts.totalMs, signal, (s) => this.send(dispatcher, target, body, method, s, timeouts));
    }
    return this.send(dispatcher, target, body, method, signal, timeouts);
  }

  private send(
    dispatcher: Dispatcher,
    target: UpstreamTarget,
    body: Buffer | undefined,
    method: 'GET' | 'POST',
    signal: UpstreamSignal,
    timeouts: RequestTimeouts,
  ): Promise<Dispatcher.ResponseData> {
    return dispatcher.request({
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

  /** A channel's dispatcher and waits, resolved once per settings object. */
  route(settings: Record<string, unknown>): ChannelRoute {
    const known = this.routes.get(settings);
    if (known && (known.cached === undefined || known.cached.live)) return known;
    const s = upstreamSettings(settings);
    const timeouts: RequestTimeouts = { firstByteMs: s.firstByteMs, idleMs: s.idleMs, totalMs: s.totalMs };
    const connectMs = s.connectMs ?? this.defaultConnectMs;
    const key = this.dispatcherKey(s);
    const cached = key === undefined ? undefined : this.cachedDispatcher(key, s.proxy, connectMs);
    const route: ChannelRoute & { cached?: CachedDispatcher } = { dispatcher: cached?.dispatcher ?? this.agent, timeouts, proxied: s.proxy !== undefined, connectMs, cached };
    if (s.proxyProblem !== undefined) {
      // Fail closed: never send a proxied channel's traffic straight out.
      route.dispatcher = this.refusing ??= refusingDispatcher();
      route.proxied = true;
      route.refusal = `The channel's proxy setting is unusable, so nothing is sent: ${s.proxyProblem}`;
    }
    this.routes.set(settings, route);
    return route;
  }

  /** The Dispatcher a channel's requests go through (its proxy, its connect timeout), for code outside the relay. */
  dispatcherFor(settings: Record<string, unknown>): Dispatcher {
    return this.route(settings).dispatcher;
  }

  /** The cache key of a channel's own dispatcher; undefined when the default Agent serves it. */
  private dispatcherKey(s: UpstreamSettings): string | undefined {
    if (s.proxy === undefined && (s.connectMs === undefined || s.connectMs === this.defaultConnectMs)) return undefined;
    return `${s.connectMs ?? this.defaultConnectMs} ${s.proxy ?? ''}`;
  }

  private cachedDispatcher(key: string, proxy: string | undefined, connectMs: number): CachedDispatcher {
    // After close() a late request fails on the closed Agent rather than opening a pool nobody closes.
    if (this.closed) return { dispatcher: this.agent, live: false };
    let entry = this.dispatchers.get(key);
    if (!entry) {
      entry = { dispatcher: buildDispatcher(this.pool, connectMs, proxy), live: true };
      this.dispatchers.set(key, entry);
    }
    return entry;
  }

  /**
   * Keeps the dispatchers the given channels still use and closes the others
   * (a proxy changed or went away). Requests already on a dropped dispatcher
   * finish; the channel's next request resolves its route again.
   */
  retain(channels: Iterable<{ settings: Record<string, unknown> }>): void {
    const used = new Set<string>();
    for (const ch of channels) {
      const key = this.dispatcherKey(upstreamSettings(ch.settings));
      if (key !== undefined) used.add(key);
    }
    for (const [key, entry] of this.dispatchers) {
      if (used.has(key)) continue;
      this.dispatchers.delete(key);
      entry.live = false;
      entry.dispatcher.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.dispatchers.values()];
    this.dispatchers.clear();
    for (const e of entries) e.live = false;
    await Promise.all([this.agent.close(), ...entries.map((e) => e.dispatcher.close().catch(() => {}))]);
  }
}
