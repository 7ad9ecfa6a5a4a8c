import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { createLimiter, type Limiter, type LimiterOptions } from '../../src/limits/limiter.js';
import { ADMIT, DONE, LuaScript, REFRESH } from '../../src/limits/redis-scripts.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import { admitMany, fakeClock, redisUrlFromEnv, refusal, req } from './helpers.js';
import { limiterBehaviour } from './limiter-suite.js';

/** A port nothing listens on: bind one, then close it. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('redis limiter without a reachable Redis', () => {
  let dead: Redis;
  beforeAll(async () => {
    dead = new Redis({ port: await deadPort(), host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  });
  afterAll(() => dead.disconnect());

  it('fails open by default and reports the error', async () => {
    const errors: Error[] = [];
    const limiter = createLimiter({ redis: dead, onError: (e) => errors.push(e) });
    const a = await limiter.admit(req({ rpm: 1, concurrency: 1 }));
    a.done(10);
    expect(errors).toHaveLength(1);
    limiter.close();
  });

  it('with failOpen: false it refuses with a 503 that says why', async () => {
    const limiter = createLimiter({ redis: dead, failOpen: false });
    const err = await limiter.admit(req({ rpm: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(503);
    expect((err as GatewayError).message).toMatch(/Redis is unavailable/);
  });
});

const redisUrl = redisUrlFromEnv();

if (redisUrl) {
  describe(`redis limiter (${redisUrl})`, () => {
    const clients: Redis[] = [];
    const limiters: Limiter[] = [];
    const prefixes: string[] = [];
    let redis: Redis;

    /** A second connection: another node. */
    async function connect(): Promise<Redis> {
      const c = await connectRedis(redisUrl!, 'ws-limits-test');
      clients.push(c);
      return c;
    }

    function freshPrefix(): string {
      const p = `ws:rl:test:${process.pid}:${randomBytes(4).toString('hex')}:`;
      prefixes.push(p);
      return p;
    }

    function make(opts: LimiterOptions): Limiter {
      const l = createLimiter(opts);
      limiters.push(l);
      return l;
    }

    beforeAll(async () => {
      redis = await connect();
      // Loaded up front, so a done() script is never re-sent after the next admit (NOSCRIPT fallback).
      for (const s of [ADMIT, DONE, REFRESH]) await redis.script('LOAD', s.source);
    });

    afterEach(() => {
      for (const l of limiters.splice(0)) l.close();
    });

    afterAll(async () => {
      for (const p of prefixes) {
        const keys = await redis.keys(`${p}*`);
        if (keys.length) await redis.del(...keys);
      }
      for (const c of clients) await closeRedis(c);
    });

    describe('shared behaviour (injected clock)', () => {
      limiterBehaviour((now) => make({ redis, now, keyPrefix: freshPrefix() }));
    });

    it('two nodes sharing one Redis split one RPM budget exactly', async () => {
      const other = await connect();
      const clock = fakeClock();
      const keyPrefix = freshPrefix();
      const a = make({ redis, now: clock.now, keyPrefix });
      const b = make({ redis: other, now: clock.now, keyPrefix });
      const r = req({ rpm: 20 }, { rpm: 1000 });
      const [onA, onB] = await Promise.all([admitMany(a, r, 25), admitMany(b, r, 25)]);
      expect(onA.admitted.length + onB.admitted.length).toBe(20);
      expect(onA.refused.length + onB.refused.length).toBe(30);
    });

    it('a concurrency slot taken on one node is seen, and freed, on the other', async () => {
      const other = await connect();
      const keyPrefix = freshPrefix();
      const a = make({ redis, keyPrefix });
      const b = make({ redis: other, keyPrefix });
      const user = { concurrency: 1 };
      const held = await a.admit(req({}, user, 1, 9));
      const err = await refusal(b.admit(req({}, user, 2, 9)));
      expect(err.message).toBe('User concurrency limit reached: 1 request in flight.');
      held.done(0);
      await vi.waitFor(() => b.admit(req({}, user, 2, 9)), { timeout: 2000, interval: 20 });
    });

    it('a slot held by a node that died frees itself when its lease runs out', async () => {
      const clock = fakeClock();
      const keyPrefix = freshPrefix();
      const dying = make({ redis, now: clock.now, keyPrefix, leaseMs: 30_000 });
      const survivor = make({ redis: await connect(), now: clock.now, keyPrefix, leaseMs: 30_000 });
      await dying.admit(req({ concurrency: 1 }));
      dying.close(); // no more lease refreshes, and done() never comes
      clock.advance(29_000);
      await refusal(survivor.admit(req({ concurrency: 1 })));
      clock.advance(1_000);
      (await survivor.admit(req({ concurrency: 1 }))).done(0);
    });

    it('a live node keeps its slot past the lease by refreshing it (real clock, short lease)', async () => {
      const keyPrefix = freshPrefix();
      const alive = make({ redis, keyPrefix, leaseMs: 600 });
      const other = make({ redis: await connect(), keyPrefix, leaseMs: 600 });
      const held = await alive.admit(req({ concurrency: 1 }));
      await new Promise((resolve) => setTimeout(resolve, 1300)); // two leases and more
      await refusal(other.admit(req({ concurrency: 1 })));
      alive.close(); // dies without done()
      await vi.waitFor(() => other.admit(req({ concurrency: 1 })), { timeout: 3000, interval: 50 });
      held.done(0); // late and harmless
    });

    it('uses the Redis clock by default: limits hold and retry-after is within the minute', async () => {
      const limiter = make({ redis, keyPrefix: freshPrefix() });
      // Stay clear of a minute boundary, where the previous minute's weight drops by one.
      const [seconds] = await redis.time();
      if (Number(seconds) % 60 >= 58) await new Promise((resolve) => setTimeout(resolve, 3000));
      const { admitted, refused } = await admitMany(limiter, req({ rpm: 2 }), 5);
      expect(admitted).toHaveLength(2);
      expect(refused).toHaveLength(3);
      for (const err of refused) {
        expect(err.retryAfter).toBeGreaterThanOrEqual(1);
        expect(err.retryAfter).toBeLessThanOrEqual(61);
        expect(err.message).toBe(`Token rate limit reached: 2 requests per minute. Try again in ${err.retryAfter} s.`);
      }
    });

    it('stores documented keys, each with a TTL', async () => {
      const keyPrefix = freshPrefix();
      const limiter = make({ redis, keyPrefix });
      const a = await limiter.admit(req({ rpm: 5, concurrency: 2 }, { tpm: 100 }, 3, 4));
      const keys = (await redis.keys(`${keyPrefix}*`)).sort();
      expect(keys).toEqual([`${keyPrefix}t:3:cc`, `${keyPrefix}t:3:win`, `${keyPrefix}u:4:win`]);
      for (const k of keys) {
        const ttl = await redis.pttl(k);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(120_000);
      }
      expect(await redis.hget(`${keyPrefix}t:3:win`, 'rc')).toBe('1');
      a.done(40);
      await vi.waitFor(async () => expect(await redis.hget(`${keyPrefix}u:4:win`, 'tc')).toBe('40'), { timeout: 2000 });
      expect(await redis.zcard(`${keyPrefix}t:3:cc`)).toBe(0);
    });

    it('sends nothing to Redis when no limit is set', async () => {
      const spy = vi.spyOn(redis, 'sendCommand');
      try {
        const limiter = make({ redis, keyPrefix: freshPrefix() });
        for (const limits of [{}, { rpm: 0 }, { rpm: undefined, tpm: -1 }]) {
          const a = await limiter.admit(req(limits, {}));
          a.done(1000);
        }
        await limiter.admit({ tokenId: 1, userId: 2, tokenLimits: null, userLimits: undefined });
        expect(spy).not.toHaveBeenCalled();
        // And the spy does see the limiter's traffic once a limit is set.
        await limiter.admit(req({ rpm: 1 }));
        expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    });

    it('runs a script the server has never seen (EVALSHA → EVAL fallback)', async () => {
      const script = new LuaScript(`return '${randomBytes(8).toString('hex')}'`);
      expect(await script.run(redis, [], [])).toMatch(/^[0-9a-f]{16}$/);
      expect(await script.run(redis, [], [])).toMatch(/^[0-9a-f]{16}$/); // now cached
    });
  });
} else {
  describe.skip('redis limiter (set WAYSTATION_TEST_REDIS=1 or a redis:// URL to run)', () => {
    it('needs a Redis server', () => {});
  });
}
