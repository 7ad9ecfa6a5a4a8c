import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../dialects/errors.js';
import { hashKey as sha256Hex } from '../store/crypto.js';
import type { Group, Token, User } from '../store/entities.js';
import { ipAllowed } from './ip-allow.js';

/** The slice of the store cache that authentication reads. */
export interface AuthCache {
  tokenByHash(hash: string): Token | undefined;
  user(id: number): User | undefined;
  group(name: string): Group | undefined;
}

export interface Caller {
  token: Token;
  user: User;
  /** The token's group, else its user's. */
  group: string;
  groupRatio: number;
}

function bearer(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1]!.trim() : undefined;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The client's key, from whichever of the four places its SDK uses:
 * `x-goog-api-key` (@google/genai), `x-api-key` (Anthropic), `Authorization:
 * Bearer` (OpenAI) or `?key=` (Gemini REST, curl).
 */
export function extractKey(headers: IncomingHttpHeaders, query: URLSearchParams | undefined): string | undefined {
  return (
    single(headers['x-goog-api-key'])?.trim() ||
    single(headers['x-api-key'])?.trim() ||
    bearer(single(headers.authorization)) ||
    query?.get('key')?.trim() ||
    undefined
  );
}

// Keys repeat on every request: remember their hashes (bounded, so a flood of
// random keys cannot grow it without end).
const hashes = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

export function hashKey(key: string): string {
  let hash = hashes.get(key);
  if (hash === undefined) {
    hash = sha256Hex(key);
    if (hashes.size >= MAX_REMEMBERED) hashes.clear();
    hashes.set(key, hash);
  }
  return hash;
}

/** Resolves and checks the caller, or throws the dialect-neutral reason. */
export function authenticate(cache: AuthCache, key: string | undefined, clientIp: string, now = Date.now()): Caller {
  if (!key) {
    throw new GatewayError('authentication', 'No API key provided. Send it as Authorization: Bearer, x-api-key, x-goog-api-key or ?key=.', {
      code: 'missing_api_key',
    });
  }
  const token = cache.tokenByHash(hashKey(key));
  if (!token) throw new GatewayError('authentication', 'Invalid API key.', { code: 'invalid_api_key' });
  if (token.status === 'disabled') throw new GatewayError('permission', 'This API key is disabled.', { code: 'token_disabled' });
  if (token.status === 'expired' || (token.expiresAt !== null && token.expiresAt <= now)) {
    throw new GatewayError('permission', 'This API key has expired.', { code: 'token_expired' });
  }
  if (token.allowIps && !ipAllowed(clientIp, token.allowIps)) {
    throw new GatewayError('permission', `This API key may not be used from ${clientIp}.`, { code: 'ip_not_allowed' });
  }
  const user = cache.user(token.userId);
  if (!user || user.status !== 'enabled') {
    throw new GatewayError('permission', 'The account that owns this API key is disabled.', { code: 'user_disabled' });
  }
  const group = token.group ?? user.group;
  return { token, user, group, groupRatio: cache.group(group)?.ratio ?? 1 };
}

/** The token's model allow-list. */
export function assertModelAllowed(caller: Caller, model: string): void {
  const allowed = caller.token.models;
  if (allowed && allowed.length > 0 && !allowed.includes(model)) {
    throw new GatewayError('permission', `This API key may not use model "${model}".`, { code: 'model_not_allowed', param: 'model' });
  }
}
