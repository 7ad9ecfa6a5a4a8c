// The lease shared by every node: a Redis key `<prefix><name>` whose value is
// the holder. Taken with `SET key holder NX PX ttl`; renewed and released by
// Lua scripts that first compare the value, so a holder whose lease lapsed
// and was taken by another node can never extend or delete the new hold.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { checkTtl, type JobLease } from './lease.js';

export const DEFAULT_LEASE_PREFIX = 'waystation:job:';

/** KEYS: lease key. ARGV: holder, ttl ms. 1 when extended. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS: lease key. ARGV: holder. 1 when deleted. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script on NOSCRIPT (first use, or after a Redis restart). */
  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String((err as Error)?.message ?? '').includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const renewScript = new Script(RENEW_SCRIPT);
const releaseScript = new Script(RELEASE_SCRIPT);

export interface RedisLeaseOptions {
  /** Prepended to each lease name (default "waystation:job:"); lets tests share one Redis. */
  keyPrefix?: string;
}

export function createRedisLease(redis: Redis, opts: RedisLeaseOptions = {}): JobLease {
  const prefix = opts.keyPrefix ?? DEFAULT_LEASE_PREFIX;
  const key = (name: string) => `${prefix}${name}`;
  return {
    scope: 'redis',
    async acquire(name, holder, ttlMs) {
      checkTtl(ttlMs);
      return (await redis.set(key(name), holder, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async renew(name, holder, ttlMs) {
      checkTtl(ttlMs);
      return Number(await renewScript.run(redis, [key(name)], [holder, ttlMs])) === 1;
    },
    async release(name, holder) {
      await releaseScript.run(redis, [key(name)], [holder]);
    },
    async holderOf(name) {
      return (await redis.get(key(name))) ?? undefined;
    },
  };
}
