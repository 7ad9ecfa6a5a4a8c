// The undici dispatchers a channel can need: a plain keep-alive Agent (its own
// connect timeout), an HTTP(S) proxy (CONNECT tunnels, basic auth from the
// URL) or a SOCKS5 proxy. Built only for channels that set a proxy or
// `connect_ms`; every other channel shares the client's default Agent.
import { Agent, buildConnector, Pool, ProxyAgent, Socks5ProxyAgent, type Dispatcher } from 'undici';

/** What every upstream pool shares: keep-alive and the default waits. */
export type PoolOptions = Omit<Agent.Options, 'connect' | 'factory'>;

/**
 * A failure on the way to the upstream through the channel's proxy: the proxy
 * refused the connection, did not answer the CONNECT in time, or failed the
 * SOCKS handshake. Its message names no address or credential.
 */
export class ProxyTunnelError extends Error {
  readonly code = 'WS_PROXY_TUNNEL';
  constructor(readonly detail: string, options?: { cause?: unknown }) {
    super(`proxy: ${detail}`, options);
    this.name = 'ProxyTunnelError';
  }
}

export function buildDispatcher(pool: PoolOptions, connectMs: number, proxy: string | undefined): Dispatcher {
  if (proxy === undefined) return new Agent({ ...pool, connect: { timeout: connectMs } });
  const url = new URL(proxy);
  if (url.protocol === 'socks5:') return socksDispatcher(url, connectMs);
  return new ProxyAgent({
    ...pool,
    uri: proxy,
    // TCP to the proxy, and TLS to an https upstream through the tunnel, each within connect_ms.
    proxyTls: { timeout: connectMs },
    requestTls: { timeout: connectMs },
    // The proxy's answer to CONNECT is part of connecting too.
    clientFactory: (origin, opts) => tunnelPool(new Pool(origin, { ...(opts as Pool.Options), headersTimeout: connectMs })),
  });
}

/** Errors while opening a tunnel are the proxy's: mark them so failover can say so. */
function tunnelPool(pool: Pool): Pool {
  const connect = pool.connect.bind(pool) as (opts: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;
  (pool as { connect: unknown }).connect = (opts: Dispatcher.ConnectOptions) =>
    connect(opts).catch((err: unknown) => {
      throw new ProxyTunnelError(describeCause(err, 'no tunnel'), { cause: err });
    });
  return pool;
}

/**
 * undici's SOCKS5 agent (experimental in undici 7): connect_ms bounds the TCP
 * connection to the proxy; the handshake has undici's own 5 s limits.
 * Credentials are read here, decoded (undici's ProxyAgent would pass them on
 * percent-encoded).
 */
function socksDispatcher(url: URL, connectMs: number): Dispatcher {
  return new Socks5ProxyAgent(url, {
    connect: buildConnector({ timeout: connectMs }),
    ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
    ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
  });
}

/** A short reason from an error: its code when it has one (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT), else its message. */
export function describeCause(err: unknown, fallback: string): string {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code !== '') return e.code;
  return typeof e?.message === 'string' && e.message !== '' ? e.message : fallback;
}
