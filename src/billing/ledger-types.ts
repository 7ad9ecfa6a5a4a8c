// The quota ledger's contract: reservations, refusals, and the checks both
// implementations (in-process ./ledger.ts, Redis ./ledger-redis.ts) share.
import { formatUsd } from './money.js';

export interface ReserveRequest {
  tokenId: number;
  userId: number;
  /** The token's quota in micro-dollars; null = unlimited. */
  tokenQuota: number | null;
  /** The token's used_micros as the cache has it. */
  tokenUsed: number;
  /** The user's balance_micros as the cache has it; null = no limit (the root user). */
  userBalance: number | null;
  /** The user's used_micros from the same cached row as the balance. */
  userUsed: number;
  /** The worst case to hold, in micro-dollars. */
  amount: number;
}

export interface Reservation {
  readonly id: string;
  /** Micro-dollars held. */
  readonly amount: number;
  /**
   * Records the real cost (which may be more or less than held) and frees the
   * hold. Idempotent: only the first settle or release counts. Never rejects;
   * a Redis failure goes to the ledger's onError (the hold then expires).
   */
  settle(actualMicros: number): Promise<void>;
  /** Frees the hold with nothing spent: a refused or failed request. */
  release(): Promise<void>;
}

export type QuotaLimit = 'token_quota' | 'user_balance';

/** A request whose worst case does not fit: says which limit and what is left. */
export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError';
  constructor(
    readonly limit: QuotaLimit,
    /** Micro-dollars left under that limit (0 or less when it is used up). */
    readonly remainingMicros: number,
    readonly requestedMicros: number,
  ) {
    const left = formatUsd(Math.max(0, remainingMicros));
    const need = formatUsd(requestedMicros);
    super(
      limit === 'token_quota'
        ? `This API key's quota is used up: ${left} left, and this request may cost up to ${need}. Quota does not reset by itself; raise it or use another key.`
        : `The account balance is too low: ${left} left, and this request may cost up to ${need}. Top up the balance to continue.`,
    );
  }
}

/** The ledger itself failed (Redis unreachable): refuse the request, do not guess. */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
}

export interface LedgerCounts {
  /** What the ledger counts as spent (its own figure; the cache's may be lower or higher). */
  used: number;
  /** Held by open reservations. */
  held: number;
}

export interface QuotaLedger {
  readonly kind: 'memory' | 'redis';
  /** Holds `amount` or throws QuotaExceededError (or LedgerUnavailableError). */
  reserve(req: ReserveRequest): Promise<Reservation>;
  /** The ledger's figures for a token and its user (undefined = not tracked right now). */
  inspect(tokenId: number, userId: number): Promise<{ token?: LedgerCounts; user?: LedgerCounts }>;
  /** Stops timers; does not close a Redis client it was given. */
  close(): Promise<void>;
}

/** Checks a reserve request; amounts must be whole micro-dollars. */
export function checkReserveRequest(req: ReserveRequest): void {
  const whole = (name: string, v: unknown, nullable = false) => {
    if (nullable && v === null) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new RangeError(`reserve: ${name} must be a whole number (got ${String(v)})`);
  };
  whole('tokenId', req.tokenId);
  whole('userId', req.userId);
  whole('tokenQuota', req.tokenQuota, true);
  whole('tokenUsed', req.tokenUsed);
  whole('userBalance', req.userBalance, true);
  whole('userUsed', req.userUsed);
  whole('amount', req.amount);
  if (req.amount < 0) throw new RangeError(`reserve: amount must be ≥ 0 (got ${req.amount})`);
}

/** A settled amount as whole, non-negative micro-dollars. */
export function settledAmount(actual: number): number {
  return Number.isFinite(actual) && actual > 0 ? Math.round(actual) : 0;
}
