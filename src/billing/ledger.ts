// The quota ledger: admits a request only if its worst case fits what its
// token and its user have left, counting every reservation still open, and
// tracks what settled since the database figures the cache holds were read.
//
// The rule, per token (limit = quota) and per user (limit = balance + used,
// i.e. all the money ever funded, which a charge does not change):
//
//     spent + held + amount ≤ limit
//     spent = max(used as the cache has it, used as this ledger counted it)
//
// The ledger's count starts from the cache's figure and grows with every
// settle, at once; the cache's figure grows only once the usage writer has
// committed and the change event arrived. Taking the larger of the two means a
// charge is counted from the moment it settles until long after the database
// has it, never twice and never not at all. Without Redis the ledger lives in
// this process; with Redis (./ledger-redis.ts) one Lua script does the
// check-and-reserve atomically for every node.
import type { Redis } from 'ioredis';
import { createRedisLedger } from './ledger-redis.js';
import { QuotaExceededError, checkReserveRequest, settledAmount } from './ledger-types.js';
import type { LedgerCounts, QuotaLedger, Reservation, ReserveRequest } from './ledger-types.js';

export * from './ledger-types.js';

export interface LedgerOptions {
  /** Shared state for several processes; without it the ledger lives in this process. */
  redis?: Redis;
  /** Redis key prefix (default "waystation:quota"). */
  keyPrefix?: string;
  /** An open reservation is dropped after this long, e.g. its node died (default 30 min). */
  reservationTtlMs?: number;
  /** A token's or user's figures are forgotten after this long unused (default 1 h). */
  idleTtlMs?: number;
  /** A settle failed (Redis); default: one line on stderr. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_RESERVATION_TTL_MS = 30 * 60_000;
export const DEFAULT_IDLE_TTL_MS = 60 * 60_000;

export function createLedger(opts: LedgerOptions = {}): QuotaLedger {
  const onError = opts.onError ?? ((err: unknown) => console.error(`[waystation] quota ledger: ${err instanceof Error ? err.message : String(err)}`));
  const reservationTtlMs = opts.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS;
  const idleTtlMs = Math.max(opts.idleTtlMs ?? DEFAULT_IDLE_TTL_MS, reservationTtlMs);
  if (opts.redis) {
    return createRedisLedger(opts.redis, { keyPrefix: opts.keyPrefix ?? 'waystation:quota', reservationTtlMs, idleTtlMs, onError });
  }
  return new MemoryLedger(idleTtlMs);
}

interface Account {
  used: number;
  held: number;
  touchedAt: number;
}

let sequence = 0;
/** What settle and release resolve to: they finish synchronously. */
const DONE: Promise<void> = Promise.resolve();

class MemoryLedger implements QuotaLedger {
  readonly kind = 'memory' as const;
  readonly #tokens = new Map<number, Account>();
  readonly #users = new Map<number, Account>();
  readonly #idleTtlMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(idleTtlMs: number) {
    this.#idleTtlMs = idleTtlMs;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(60_000, idleTtlMs));
    this.#sweeper.unref();
  }

  async reserve(req: ReserveRequest): Promise<Reservation> {
    checkReserveRequest(req);
    // Everything below is synchronous: no other reserve can interleave.
    const now = Date.now();
    const token = account(this.#tokens, req.tokenId, req.tokenUsed, now);
    const user = account(this.#users, req.userId, req.userUsed, now);
    if (req.tokenQuota !== null) {
      const left = req.tokenQuota - token.used - token.held;
      if (req.amount > left) throw new QuotaExceededError('token_quota', left, req.amount);
    }
    if (req.userBalance !== null) {
      const left = req.userBalance + req.userUsed - user.used - user.held;
      if (req.amount > left) throw new QuotaExceededError('user_balance', left, req.amount);
    }
    token.held += req.amount;
    user.held += req.amount;
    const amount = req.amount;
    let open = true;
    const finish = (actual: number): Promise<void> => {
      if (!open) return DONE;
      open = false;
      const spent = settledAmount(actual);
      const at = Date.now();
      token.held -= amount;
      token.used += spent;
      token.touchedAt = at;
      user.held -= amount;
      user.used += spent;
      user.touchedAt = at;
      return DONE;
    };
    return { id: `m${++sequence}`, amount, settle: finish, release: () => finish(0) };
  }

  async inspect(tokenId: number, userId: number): Promise<{ token?: LedgerCounts; user?: LedgerCounts }> {
    const t = this.#tokens.get(tokenId);
    const u = this.#users.get(userId);
    return { token: t && { used: t.used, held: t.held }, user: u && { used: u.used, held: u.held } };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }

  /** Forgets figures nobody used for a while (the cache has long caught up by then). */
  #sweep(): void {
    const cutoff = Date.now() - this.#idleTtlMs;
    for (const map of [this.#tokens, this.#users]) {
      for (const [id, a] of map) if (a.held <= 0 && a.touchedAt < cutoff) map.delete(id);
    }
  }
}

function account(map: Map<number, Account>, id: number, cachedUsed: number, now: number): Account {
  let a = map.get(id);
  if (!a) {
    a = { used: cachedUsed, held: 0, touchedAt: now };
    map.set(id, a);
  } else {
    if (cachedUsed > a.used) a.used = cachedUsed;
    a.touchedAt = now;
  }
  return a;
}
