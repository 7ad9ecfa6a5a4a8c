// How a channel reaches its upstream: an optional proxy and its own waits
// (`settings.proxy`, `settings.timeouts`). Parsed once per settings object
// (a channel reload makes a new one), validated for config and API, and a
// proxy URL made safe to show: its password never leaves in a message.

export interface UpstreamSettings {
  /** http://, https:// or socks5:// URL, credentials included. */
  proxy?: string;
  /** TCP (+ TLS) connect, through the proxy when there is one. */
  connectMs?: number;
  /** Until the response headers. */
  firstByteMs?: number;
  /** Longest silence between two body chunks. */
  idleMs?: number;
  /** The whole request, streamed body included. */
  totalMs?: number;
  /** Set when `proxy` is set but unusable (stored before validation, or edited by hand): requests must not go out without it. */
  proxyProblem?: string;
}

export const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:'] as const;
/** Each `settings.timeouts` field and the UpstreamSettings field it sets. */
export const TIMEOUT_FIELDS = { connect_ms: 'connectMs', first_byte_ms: 'firstByteMs', idle_ms: 'idleMs', total_ms: 'totalMs' } as const;
export const MAX_TIMEOUT_MS = 3_600_000;
/** What stands for a proxy password wherever a proxy URL is shown. */
export const PROXY_PASSWORD_MASK = '…';

const parsed = new WeakMap<object, UpstreamSettings>();
const NONE: UpstreamSettings = Object.freeze({});

/** A channel's proxy and waits; an invalid wait counts as unset, an invalid proxy as `proxyProblem`. */
export function upstreamSettings(settings: Record<string, unknown>): UpstreamSettings {
  const cached = parsed.get(settings);
  if (cached) return cached;
  let out = NONE;
  const proxy = settings.proxy;
  const t = settings.timeouts;
  const hasProxy = proxy !== undefined && proxy !== null && proxy !== '';
  if (hasProxy || (t !== null && typeof t === 'object')) {
    const s: UpstreamSettings = {};
    if (hasProxy) {
      const problem = proxyUrlProblem(proxy);
      if (problem === undefined) s.proxy = proxy as string;
      else s.proxyProblem = problem;
    }
    if (t !== null && typeof t === 'object') {
      for (const [field, key] of Object.entries(TIMEOUT_FIELDS)) {
        const v = (t as Record<string, unknown>)[field];
        if (isTimeout(v)) s[key] = v;
      }
    }
    out = Object.freeze(s);
  }
  parsed.set(settings, out);
  return out;
}

function isTimeout(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_TIMEOUT_MS;
}

/** Why a proxy URL is unusable (undefined = fine). The message shows the URL without its password. */
export function proxyUrlProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return 'expected a proxy URL such as http://user:pass@proxy.example:8080';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `expected an http://, https:// or socks5:// proxy URL, got ${JSON.stringify(redactProxyUrl(raw))}`;
  }
  const shown = JSON.stringify(redactProxyUrl(raw));
  if (url.protocol === 'socks:' || url.protocol === 'socks4:' || url.protocol === 'socks4a:' || url.protocol === 'socks5h:') {
    return `${url.protocol.slice(0, -1)} proxies are not supported; use socks5://, http:// or https:// (got ${shown})`;
  }
  if (!(PROXY_PROTOCOLS as readonly string[]).includes(url.protocol)) return `expected an http://, https:// or socks5:// proxy URL, got ${shown}`;
  if (url.hostname === '') return `the proxy URL has no host: ${shown}`;
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') return `a proxy URL is scheme://[user:pass@]host:port, without a path or query: ${shown}`;
  if (url.password !== '' && url.username === '') return `the proxy URL has a password but no user name: ${shown}`;
  return undefined;
}

/** Problems with a channel's `proxy` and `timeouts` settings, for the API (the config's schema says the same). */
export function upstreamSettingsProblems(settings: Record<string, unknown>): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  const proxy = settings.proxy;
  if (proxy !== undefined && proxy !== null && proxy !== '') {
    const problem = proxyUrlProblem(proxy);
    if (problem) problems.push({ path: ['proxy'], message: problem });
  }
  const t = settings.timeouts;
  if (t === undefined || t === null) return problems;
  if (typeof t !== 'object' || Array.isArray(t)) {
    problems.push({ path: ['timeouts'], message: `expected an object with ${Object.keys(TIMEOUT_FIELDS).join(', ')}` });
    return problems;
  }
  for (const [field, v] of Object.entries(t as Record<string, unknown>)) {
    if (!Object.hasOwn(TIMEOUT_FIELDS, field)) {
      problems.push({ path: ['timeouts', field], message: `unknown field; expected one of ${Object.keys(TIMEOUT_FIELDS).join(', ')}` });
    } else if (v !== undefined && !isTimeout(v)) {
      problems.push({ path: ['timeouts', field], message: `expected whole milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(v) ?? String(v)}` });
    }
  }
  return problems;
}

/** The URL as written, with its password (if any) replaced by PROXY_PASSWORD_MASK. */
export function redactProxyUrl(raw: string): string {
  const scheme = raw.indexOf('://');
  const from = scheme < 0 ? 0 : scheme + 3;
  const stop = raw.slice(from).search(/[/?#]/);
  const authority = stop < 0 ? raw.slice(from) : raw.slice(from, from + stop);
  const at = authority.lastIndexOf('@');
  if (at < 0) return raw;
  const colon = authority.indexOf(':');
  // No scheme: not a URL we understand, so everything before the `@` may be secret.
  if (scheme < 0) return `${PROXY_PASSWORD_MASK}${raw.slice(at)}`;
  if (colon < 0 || colon > at || colon === at - 1) return raw;
  return `${raw.slice(0, from + colon + 1)}${PROXY_PASSWORD_MASK}${raw.slice(from + at)}`;
}

/** A proxy URL as our answers show it (password masked) sent back: the stored URL it stands for, if it is the same proxy and user. */
export function unmaskedProxyUrl(sent: string, stored: unknown): string | undefined {
  if (!sent.includes(PROXY_PASSWORD_MASK) && !sent.includes(encodeURIComponent(PROXY_PASSWORD_MASK))) return sent;
  if (typeof stored !== 'string') return undefined;
  return redactProxyUrl(stored) === sent.replace(encodeURIComponent(PROXY_PASSWORD_MASK), PROXY_PASSWORD_MASK) ? stored : undefined;
}
