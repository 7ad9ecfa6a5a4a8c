// Rate limits per token and per user: requests per minute, tokens per minute,
// requests in flight. The relay calls `admit` after authentication and the
// admission's `done(tokens)` when the request ends.
import { LocalLimiter, NOOP_ADMISSION } from './local-limiter.js';
import { RedisLimiter } from './redis-limiter.js';
import type { AdmitRequest, Limiter, LimiterOptions } from './types.js';
import { anyLimit, normalizeLimits } from './window-math.js';
import type { RateLimits } from '../store/entities.js';

export type { AdmitRequest, Admission, Limiter, LimiterOptions, LimitKind, LimitScope } from './types.js';
export { normalizeLimits } from './window-math.js';

const DEFAULT_PREFIX = 'ws:rl:';
const NOOP_ADMITTED = Promise.resolve(NOOP_ADMISSION);
const DEFAULT_LEASE_MS = 60_000;

/** The hot-path test: most tokens have no limits, and then nothing else runs. */
function isSet(l: RateLimits | null | undefined): boolean {
  return !!l && ((l.rpm ?? 0) >= 1 || (l.tpm ?? 0) >= 1 || (l.concurrency ?? 0) >= 1);
}

export function createLimiter(opts: LimiterOptions = {}): Limiter {
  const leaseMs = opts.leaseMs !== undefined && Number.isFinite(opts.leaseMs) && opts.leaseMs >= 100 ? Math.floor(opts.leaseMs) : DEFAULT_LEASE_MS;
  const backend = opts.redis
    ? new RedisLimiter({
        redis: opts.redis,
        now: opts.now,
        keyPrefix: opts.keyPrefix ?? DEFAULT_PREFIX,
        leaseMs,
        failOpen: opts.failOpen ?? true,
        onError: opts.onError ?? (() => {}),
      })
    : new LocalLimiter(opts.now ?? Date.now);

  const admitLimited = async (req: AdmitRequest) => {
    const token = normalizeLimits(req.tokenLimits);
    const user = normalizeLimits(req.userLimits);
    if (!anyLimit(token) && !anyLimit(user)) return NOOP_ADMISSION;
    return backend.admit(req.tokenId, req.userId, token, user);
  };
  return {
    admit(req: AdmitRequest) {
      // Most tokens have no limits: one resolved promise, no async frame.
      if (!isSet(req.tokenLimits) && !isSet(req.userLimits)) return NOOP_ADMITTED;
      return admitLimited(req);
    },
    close() {
      if (backend instanceof RedisLimiter) backend.close();
    },
  };
}
