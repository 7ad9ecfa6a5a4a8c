// OAuth access tokens for service accounts: the JWT-bearer exchange at the
// account's token_uri, and a cache that keeps each account's token until
// shortly before it expires and lets concurrent requests share one refresh.
import { request } from 'undici';
import type { ServiceAccount } from './vertex-account.js';
import { JWT_BEARER_GRANT, serviceAccountAssertion } from './vertex-jwt.js';

export interface IssuedToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Trades an account's signed assertion for an access token. */
export type TokenExchange = (sa: ServiceAccount) => Promise<IssuedToken>;

/** The token endpoint refused, or could not be reached; the message says which and why. */
export class TokenExchangeError extends Error {
  override name = 'TokenExchangeError';
}

const MAX_ANSWER_BYTES = 64 * 1024;

export interface ExchangeOptions {
  now?: () => number;
  timeoutMs?: number;
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES);
}

/** Google's OAuth error `{error, error_description}`, or the start of whatever came back. */
function refusalReason(status: number, text: string): string {
  try {
    // OAuth endpoints say {error, error_description}; Google APIs in front of them say {error: {status, message}}.
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    const nested = body.error && typeof body.error === 'object' ? (body.error as { status?: unknown; message?: unknown }) : {};
    const code = typeof body.error === 'string' ? body.error : nested.status;
    const desc = typeof body.error_description === 'string' ? body.error_description : nested.message;
    if (typeof code === 'string' && code) return `${code}${typeof desc === 'string' && desc ? `: ${desc}` : ''} (HTTP ${status})`;
  } catch {
    // not JSON
  }
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
  return `HTTP ${status}${plain ? `: ${plain}` : ''}`;
}

/** The JWT-bearer grant over HTTP (undici). */
export async function exchangeAssertion(sa: ServiceAccount, opts: ExchangeOptions = {}): Promise<IssuedToken> {
  const now = opts.now ?? Date.now;
  const sentAt = now();
  const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: serviceAccountAssertion(sa, Math.floor(sentAt / 1000)) });
  let status: number;
  let text: string;
  try {
    const res = await request(sa.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    status = res.statusCode;
    text = await readCapped(res.body);
  } catch (err) {
    const e = err as { code?: string; name?: string; message?: string };
    const why = e.name === 'TimeoutError' ? 'no answer in time' : e.code || e.message || String(err);
    throw new TokenExchangeError(`the token endpoint could not be reached (${why})`);
  }
  if (status !== 200) throw new TokenExchangeError(`the token endpoint refused the service account: ${refusalReason(status, text)}`);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new TokenExchangeError('the token endpoint answered 200 with a body that is not JSON');
  }
  const expiresIn = Number(body.expires_in ?? 3600);
  if (typeof body.access_token !== 'string' || body.access_token === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new TokenExchangeError('the token endpoint answered 200 without an access_token and expires_in');
  }
  return { accessToken: body.access_token, expiresAt: sentAt + expiresIn * 1000 };
}

/** Tokens are renewed this long before they expire (or at half their life, if shorter). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry {
  token?: IssuedToken;
  refreshAt: number;
  pending?: Promise<string>;
}

/**
 * One access token per service account (by cache key), reused until
 * REFRESH_MARGIN_MS before it expires. Concurrent callers share one exchange
 * (single flight); a failed exchange is not remembered, so the next call tries
 * again.
 */
export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly exchange: TokenExchange;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(opts: { exchange?: TokenExchange; now?: () => number; maxEntries?: number } = {}) {
    this.now = opts.now ?? Date.now;
    this.exchange = opts.exchange ?? ((sa) => exchangeAssertion(sa, { now: this.now }));
    this.maxEntries = opts.maxEntries ?? 1000;
  }

  /** A valid access token for the account, fetching one when needed. */
  token(cacheKey: string, sa: ServiceAccount): Promise<string> {
    const entry = this.entries.get(cacheKey) ?? this.add(cacheKey);
    if (entry.token && this.now() < entry.refreshAt) return Promise.resolve(entry.token.accessToken);
    entry.pending ??= this.refresh(entry, sa);
    return entry.pending;
  }

  /** Forgets the account's token (the upstream refused it), so the next call fetches a new one. */
  forget(cacheKey: string): void {
    const entry = this.entries.get(cacheKey);
    if (entry && !entry.pending) this.entries.delete(cacheKey);
  }

  private add(cacheKey: string): Entry {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const entry: Entry = { refreshAt: 0 };
    this.entries.set(cacheKey, entry);
    return entry;
  }

  private async refresh(entry: Entry, sa: ServiceAccount): Promise<string> {
    const started = this.now();
    try {
      const token = await this.exchange(sa);
      const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, token.expiresAt - started) / 2);
      entry.token = token;
      entry.refreshAt = token.expiresAt - margin;
      return token.accessToken;
    } finally {
      entry.pending = undefined;
    }
  }
}
