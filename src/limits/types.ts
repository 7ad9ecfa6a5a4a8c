// The limiter's public shapes. Limits come from the store (`Token.limits`,
// `User.limits`); an absent, zero or invalid field means "no limit".
import type { Redis } from 'ioredis';
import type { RateLimits } from '../store/entities.js';

export interface AdmitRequest {
  tokenId: number;
  userId: number;
  /** `undefined`/`null` is treated as no limits. */
  tokenLimits: RateLimits | null | undefined;
  userLimits: RateLimits | null | undefined;
}

/** A granted request. Call `done` once when it ends (success, failure or abort). */
export interface Admission {
  /**
   * Releases the concurrency slot (only the first call does anything) and adds
   * `tokensUsed` (input + output; non-numbers and negatives count as 0) to
   * the tokens-per-minute window of the token and the user.
   */
  done(tokensUsed?: number): void;
}

export interface Limiter {
  /** Resolves with an admission, or rejects with `GatewayError('rate_limit')` naming the limit. */
  admit(req: AdmitRequest): Promise<Admission>;
  /** Stops the lease-refresh timer (Redis). In-flight admissions may still call `done`. */
  close(): void;
}

export interface LimiterOptions {
  /** Shared state across processes; without it the limiter is in-process. */
  redis?: Redis;
  /**
   * Clock in epoch ms. Default `Date.now` in-process; with Redis the default
   * is the Redis server's clock (`TIME`), so every node agrees on windows.
   */
  now?: () => number;
  /** Redis key prefix (default `ws:rl:`). Tests use their own. */
  keyPrefix?: string;
  /** Redis: how long an in-flight slot survives without a refresh (default 60 000 ms). */
  leaseMs?: number;
  /** Redis failures (the limiter then admits: it fails open unless `failOpen: false`). */
  onError?: (err: Error) => void;
  /** Admit when Redis fails (default true); false refuses with a 503. */
  failOpen?: boolean;
}

/** Limits after validation: whole numbers ≥ 1, or 0 for "no limit". */
export interface NormalLimits {
  rpm: number;
  tpm: number;
  concurrency: number;
}

export type LimitKind = 'rpm' | 'tpm' | 'concurrency';
export type LimitScope = 'token' | 'user';
