// A named lease that at most one holder has at a time, and that lapses on its
// own when the holder stops renewing it (a node that dies cannot keep it).
// Redis shares it between nodes (redis-lease.ts), the database between the
// processes on it when there is no Redis (db-lease.ts); the in-process one
// here serves tests and a lone process.

export interface JobLease {
  /** 'redis': one holder across every node on the Redis; 'database': across every process on the database; 'local': among this process's users of this lease. */
  readonly scope: 'redis' | 'database' | 'local';
  /** Takes `name` for `holder` when nobody holds it; true when `holder` now holds it for `ttlMs`. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends `holder`'s hold by `ttlMs`; false when the lease is not (or no longer) `holder`'s. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives `name` up if `holder` still holds it; another holder's lease is never touched. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds `name` now (diagnostics and tests). */
  holderOf(name: string): Promise<string | undefined>;
}

export function checkTtl(ttlMs: number): number {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`lease ttl must be a whole number of ms ≥ 1 (got ${ttlMs})`);
  return ttlMs;
}

interface Hold {
  holder: string;
  expiresAt: number;
}

/**
 * One process, nothing shared (tests, a lone process). Each call creates
 * its own lease space, so two users in one test process do not take each
 * other's jobs.
 */
export function createLocalLease(opts: { now?: () => number } = {}): JobLease {
  const now = opts.now ?? Date.now;
  const holds = new Map<string, Hold>();
  const current = (name: string): Hold | undefined => {
    const hold = holds.get(name);
    if (hold && hold.expiresAt <= now()) {
      holds.delete(name);
      return undefined;
    }
    return hold;
  };
  return {
    scope: 'local',
    async acquire(name, holder, ttlMs) {
      checkTtl(ttlMs);
      if (current(name)) return false;
      holds.set(name, { holder, expiresAt: now() + ttlMs });
      return true;
    },
    async renew(name, holder, ttlMs) {
      checkTtl(ttlMs);
      const hold = current(name);
      if (hold?.holder !== holder) return false;
      hold.expiresAt = now() + ttlMs;
      return true;
    },
    async release(name, holder) {
      if (current(name)?.holder === holder) holds.delete(name);
    },
    async holderOf(name) {
      return current(name)?.holder;
    },
  };
}
