// The quota ledger: atomic admission under concurrency, settle/release
// arithmetic, a lagging cache, and refusals that name the limit. The same
// checks run in-process and on Redis (WAYSTATION_TEST_REDIS), plus two ledger
// instances sharing one Redis as two nodes.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LedgerUnavailableError, QuotaExceededError, createLedger } from '../../src/billing/ledger.js';
import type { LedgerOptions, QuotaLedger, Reservation, ReserveRequest } from '../../src/billing/ledger.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import { REDIS_DEFAULT, serverFromEnv } from '../store/test-databases.js';

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

let nextId = 1;
/** Fresh token and user ids per test, so tests never share figures. */
function ids() {
  return { tokenId: nextId++, userId: nextId++ };
}

function request(base: { tokenId: number; userId: number }, over: Partial<ReserveRequest> = {}): ReserveRequest {
  return { ...base, tokenQuota: null, tokenUsed: 0, userBalance: null, userUsed: 0, amount: 0, ...over };
}

/** Fires every reserve at once; returns the admitted reservations and the refusals. */
async function race(ledgers: QuotaLedger[], reqs: ReserveRequest[]) {
  const results = await Promise.allSettled(reqs.map((r, i) => ledgers[i % ledgers.length]!.reserve(r)));
  const admitted = results.filter((r): r is PromiseFulfilledResult<Reservation> => r.status === 'fulfilled').map((r) => r.value);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  return { admitted, refused };
}

function registerLedgerSuite(label: string, make: (opts?: Partial<LedgerOptions>) => Promise<QuotaLedger[]>): void {
  describe(label, () => {
    let ledger: QuotaLedger;
    const opened: QuotaLedger[] = [];
    const open = async (opts?: Partial<LedgerOptions>) => {
      const list = await make(opts);
      opened.push(...list);
      return list;
    };

    beforeAll(async () => {
      [ledger] = (await open()) as [QuotaLedger];
    });
    afterAll(async () => {
      for (const l of opened) await l.close();
    });

    it('40 concurrent reserves of a tenth of the quota: exactly 10 admitted, 30 refused', async () => {
      const who = ids();
      const reqs = Array.from({ length: 40 }, () => request(who, { tokenQuota: 390_000, amount: 39_000 }));
      const { admitted, refused } = await race([ledger], reqs);
      expect(admitted).toHaveLength(10);
      expect(refused).toHaveLength(30);
      for (const err of refused) {
        expect(err).toBeInstanceOf(QuotaExceededError);
        expect(err).toMatchObject({ limit: 'token_quota', remainingMicros: 0, requestedMicros: 39_000 });
      }
      expect(await ledger.inspect(who.tokenId, who.userId)).toEqual({ token: { used: 0, held: 390_000 }, user: { used: 0, held: 390_000 } });
      await Promise.all(admitted.map((r) => r.settle(39_000)));
      expect((await ledger.inspect(who.tokenId, who.userId)).token).toEqual({ used: 390_000, held: 0 });
      await expect(ledger.reserve(request(who, { tokenQuota: 390_000, amount: 1 }))).rejects.toMatchObject({ limit: 'token_quota' });
    });

    it('the same against a user balance (token unlimited); the message says what is left', async () => {
      const who = ids();
      const reqs = Array.from({ length: 40 }, () => request(who, { userBalance: 1_000_000, userUsed: 250_000, amount: 100_000 }));
      const { admitted, refused } = await race([ledger], reqs);
      expect(admitted).toHaveLength(10);
      expect(refused).toHaveLength(30);
      expect(refused[0]).toMatchObject({ limit: 'user_balance', remainingMicros: 0 });
      expect((refused[0] as Error).message).toBe(
        'The account balance is too low: $0 left, and this request may cost up to $0.1. Top up the balance to continue.',
      );
      await Promise.all(admitted.map((r) => r.release()));
    });

    it('whichever limit is tighter refuses, and says which', async () => {
      const who = ids();
      const a = await ledger.reserve(request(who, { tokenQuota: 500, userBalance: 300, amount: 200 }));
      await expect(ledger.reserve(request(who, { tokenQuota: 500, userBalance: 300, amount: 200 }))).rejects.toMatchObject({
        limit: 'user_balance',
        remainingMicros: 100,
      });
      await expect(ledger.reserve(request(who, { tokenQuota: 250, userBalance: 300, amount: 100 }))).rejects.toMatchObject({
        limit: 'token_quota',
        remainingMicros: 50,
      });
      const err = await ledger.reserve(request(who, { tokenQuota: 250, amount: 100 })).catch((e: Error) => e);
      expect((err as Error).message).toBe(
        "This API key's quota is used up: $0.00005 left, and this request may cost up to $0.0001. Quota does not reset by itself; raise it or use another key.",
      );
      await a.release();
    });

    it('settle records the real cost and frees the rest; release frees all; both count once', async () => {
      const who = ids();
      const r1 = await ledger.reserve(request(who, { tokenQuota: 1000, amount: 400 }));
      const r2 = await ledger.reserve(request(who, { tokenQuota: 1000, amount: 400 }));
      expect(r1.amount).toBe(400);
      await r1.settle(150);
      await r1.settle(999); // ignored
      await r1.release(); // ignored
      await r2.release();
      await r2.settle(400); // ignored
      expect((await ledger.inspect(who.tokenId, who.userId)).token).toEqual({ used: 150, held: 0 });
      // 1000 − 150 spent: 850 fits, 851 does not.
      const r3 = await ledger.reserve(request(who, { tokenQuota: 1000, amount: 850 }));
      await r3.release();
      await expect(ledger.reserve(request(who, { tokenQuota: 1000, amount: 851 }))).rejects.toMatchObject({ remainingMicros: 850 });
    });

    it('a settle above what was held counts in full (the estimate was too low)', async () => {
      const who = ids();
      const r = await ledger.reserve(request(who, { tokenQuota: 1000, amount: 100 }));
      await r.settle(700);
      await expect(ledger.reserve(request(who, { tokenQuota: 1000, amount: 301 }))).rejects.toMatchObject({ remainingMicros: 300 });
    });

    it('never counts a charge twice or not at all while the cache catches up', async () => {
      const who = ids();
      const limit = { tokenQuota: 1000, userBalance: 5000, userUsed: 0 };
      const r = await ledger.reserve(request(who, { ...limit, tokenUsed: 0, amount: 600 }));
      await r.settle(600);
      // The cache still says 0 used (usage row not written yet): 600 is counted anyway.
      await expect(ledger.reserve(request(who, { ...limit, tokenUsed: 0, amount: 401 }))).rejects.toMatchObject({ remainingMicros: 400 });
      // The cache caught up (600 used; the user's balance 5000 → 4400 and used 0 → 600): still 400, not 400 − 600.
      const caught = { tokenQuota: 1000, tokenUsed: 600, userBalance: 4400, userUsed: 600 };
      const r2 = await ledger.reserve(request(who, { ...caught, amount: 400 }));
      await r2.release();
      await expect(ledger.reserve(request(who, { ...caught, amount: 401 }))).rejects.toMatchObject({ limit: 'token_quota', remainingMicros: 400 });
    });

    it('takes the cache figure when it is ahead (spent through another way) and sees top-ups', async () => {
      const who = ids();
      await (await ledger.reserve(request(who, { tokenQuota: 1000, amount: 10 }))).settle(10);
      await expect(ledger.reserve(request(who, { tokenQuota: 1000, tokenUsed: 900, amount: 101 }))).rejects.toMatchObject({ remainingMicros: 100 });
      // User: balance 100 left of 100 funded; a top-up to 1100 admits more at once.
      await expect(ledger.reserve(request(who, { userBalance: 100, userUsed: 0, amount: 500 }))).rejects.toMatchObject({ limit: 'user_balance' });
      const r = await ledger.reserve(request(who, { userBalance: 1100, userUsed: 0, amount: 500 }));
      await r.release();
    });

    it('no limits at all (unlimited token, root user) admits anything and still counts it', async () => {
      const who = ids();
      const r = await ledger.reserve(request(who, { amount: 10_000_000_000 }));
      await r.settle(5);
      expect((await ledger.inspect(who.tokenId, who.userId)).user).toEqual({ used: 5, held: 0 });
    });

    it('a zero-cost request fits while nothing is overspent', async () => {
      const who = ids();
      const r = await ledger.reserve(request(who, { tokenQuota: 0, amount: 0 }));
      await r.settle(0);
      await expect(ledger.reserve(request(who, { tokenQuota: 0, tokenUsed: 5, amount: 0 }))).rejects.toMatchObject({ remainingMicros: -5 });
    });

    it('refuses malformed requests with a clear error', async () => {
      const who = ids();
      await expect(ledger.reserve(request(who, { amount: -1 }))).rejects.toThrow('reserve: amount must be ≥ 0 (got -1)');
      await expect(ledger.reserve(request(who, { amount: 1.5 }))).rejects.toThrow(/amount must be a whole number/);
      await expect(ledger.reserve(request(who, { tokenUsed: Number.NaN }))).rejects.toThrow(/tokenUsed/);
    });
  });
}

registerLedgerSuite('in-process ledger', async () => [createLedger()]);

if (redisUrl) {
  const clients: Redis[] = [];
  const prefix = `waystation:test:quota:${process.pid}:${randomBytes(4).toString('hex')}`;
  const redisLedger = async (opts: Partial<LedgerOptions> = {}) => {
    const redis = await connectRedis(redisUrl, 'ledger-test');
    clients.push(redis);
    return createLedger({ redis, keyPrefix: prefix, ...opts });
  };
  afterAll(async () => {
    const [first] = clients;
    if (first) {
      const keys = await first.keys(`${prefix}:*`);
      if (keys.length) await first.del(...keys);
    }
    for (const c of clients) await closeRedis(c);
  });

  registerLedgerSuite(`redis ledger (${redisUrl})`, async (opts) => [await redisLedger(opts)]);

  describe(`two nodes sharing one redis (${redisUrl})`, () => {
    it('40 concurrent reserves split over two nodes: exactly 10 admitted in all', async () => {
      const nodes = [await redisLedger(), await redisLedger()];
      const who = ids();
      const reqs = Array.from({ length: 40 }, () => request(who, { tokenQuota: 1_340_000, userBalance: 50_000_000, amount: 134_000 }));
      const { admitted, refused } = await race(nodes, reqs);
      expect(admitted).toHaveLength(10);
      expect(refused).toHaveLength(30);
      // A settle on one node is seen by the other at once.
      await Promise.all(admitted.map((r) => r.settle(134_000)));
      expect(await nodes[1]!.inspect(who.tokenId, who.userId)).toEqual({ token: { used: 1_340_000, held: 0 }, user: { used: 1_340_000, held: 0 } });
    });

    it('a hold whose node died expires and frees its money', async () => {
      const [a, b] = [await redisLedger({ reservationTtlMs: 200 }), await redisLedger({ reservationTtlMs: 200 })];
      const who = ids();
      await a.reserve(request(who, { tokenQuota: 1000, amount: 1000 })); // never settled
      await expect(b.reserve(request(who, { tokenQuota: 1000, amount: 1000 }))).rejects.toBeInstanceOf(QuotaExceededError);
      await vi.waitFor(
        async () => {
          const r = await b.reserve(request(who, { tokenQuota: 1000, amount: 1000 }));
          await r.settle(10);
        },
        { timeout: 5000, interval: 100 },
      );
      expect((await a.inspect(who.tokenId, who.userId)).token).toEqual({ used: 10, held: 0 });
    });
  });
} else {
  describe.skip('redis ledger (set WAYSTATION_TEST_REDIS to run)', () => {
    it('runs the ledger suite on Redis, and across two nodes', () => {});
  });
}

describe('ledger with Redis down', () => {
  it('refuses with LedgerUnavailableError instead of guessing', async () => {
    // Nothing listens on port 1; no offline queue, no retries: commands fail at once.
    const redis = new Redis({ port: 1, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    const ledger = createLedger({ redis });
    try {
      await expect(ledger.reserve(request(ids(), { amount: 1 }))).rejects.toBeInstanceOf(LedgerUnavailableError);
    } finally {
      redis.disconnect();
    }
  });
});
