// The Redis lease between two "nodes" (two connections): contention, renewal,
// lapse when the holder dies, compare-and-delete; and scheduled jobs on it.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisLease } from '../../src/jobs/redis-lease.js';
import { startScheduledJob, type ScheduledJob } from '../../src/jobs/scheduled-job.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import { REDIS_DEFAULT, serverFromEnv } from '../store/test-databases.js';

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);
const wait = { timeout: 15_000, interval: 10 };

if (redisUrl) {
  describe(`redis lease (${redisUrl})`, () => {
    const prefix = `ws-test:${process.pid}:${randomBytes(4).toString('hex')}:job:`;
    const clients: Redis[] = [];
    const jobs: ScheduledJob[] = [];
    let admin: Redis;
    const connect = async () => {
      const c = await connectRedis(redisUrl, 'ws-test-lease');
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      admin = await connect();
    });
    afterEach(async () => {
      await Promise.all(jobs.splice(0).map((j) => j.stop()));
    });
    afterAll(async () => {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await Promise.all(clients.map((c) => closeRedis(c)));
    });

    it('one holder at a time: SET NX PX, the value names the holder', async () => {
      const a = createRedisLease(await connect(), { keyPrefix: prefix });
      const b = createRedisLease(await connect(), { keyPrefix: prefix });
      expect(a.scope).toBe('redis');
      expect(await a.acquire('contend', 'node-a', 5_000)).toBe(true);
      expect(await b.acquire('contend', 'node-b', 5_000)).toBe(false);
      expect(await b.renew('contend', 'node-b', 5_000)).toBe(false);
      expect(await b.holderOf('contend')).toBe('node-a');
      expect(await admin.get(`${prefix}contend`)).toBe('node-a');
      const ttl = await admin.pttl(`${prefix}contend`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    });

    it('renewal keeps the lease well past its ttl', async () => {
      const a = createRedisLease(await connect(), { keyPrefix: prefix });
      const b = createRedisLease(await connect(), { keyPrefix: prefix });
      expect(await a.acquire('renew', 'node-a', 1_000)).toBe(true);
      for (let i = 0; i < 15; i++) {
        await new Promise((r) => setTimeout(r, 200));
        expect(await a.renew('renew', 'node-a', 1_000)).toBe(true);
        expect(await b.acquire('renew', 'node-b', 1_000)).toBe(false);
      }
      // 3 s of renewals on a 1 s lease: still node-a's.
      expect(await b.holderOf('renew')).toBe('node-a');
    });

    it('a holder that dies (connection gone, no release) loses the lease after its ttl', async () => {
      const aConn = await connect();
      const a = createRedisLease(aConn, { keyPrefix: prefix });
      const b = createRedisLease(await connect(), { keyPrefix: prefix });
      expect(await a.acquire('death', 'node-a', 400)).toBe(true);
      aConn.disconnect();
      expect(await b.acquire('death', 'node-b', 400)).toBe(false);
      await vi.waitFor(async () => expect(await b.acquire('death', 'node-b', 5_000)).toBe(true), wait);
      expect(await b.holderOf('death')).toBe('node-b');
      // The old holder, back with a new connection, can neither extend nor delete the new hold.
      const aAgain = createRedisLease(await connect(), { keyPrefix: prefix });
      expect(await aAgain.renew('death', 'node-a', 5_000)).toBe(false);
      await aAgain.release('death', 'node-a');
      expect(await b.holderOf('death')).toBe('node-b');
      await b.release('death', 'node-b');
      expect(await b.holderOf('death')).toBeUndefined();
    });

    it('renew and release still work after Redis forgets its scripts (NOSCRIPT)', async () => {
      const conn = await connect();
      const a = createRedisLease(conn, { keyPrefix: prefix });
      expect(await a.acquire('noscript', 'node-a', 5_000)).toBe(true);
      await conn.script('FLUSH');
      expect(await a.renew('noscript', 'node-a', 5_000)).toBe(true);
      await conn.script('FLUSH');
      await a.release('noscript', 'node-a');
      expect(await a.holderOf('noscript')).toBeUndefined();
    });

    it('scheduled on two nodes, the job runs on one; when that node dies the other takes over', async () => {
      const runs = { a: 0, b: 0 };
      const aConn = await connect();
      const options = { name: 'sched', everyMs: 30, firstRunDelayMs: 0, leaseTtlMs: 1_000, onError: () => {} };
      const a = startScheduledJob({ ...options, lease: createRedisLease(aConn, { keyPrefix: prefix }), holder: 'node-a', run: () => runs.a++ });
      jobs.push(a);
      await vi.waitFor(() => expect(a.stats().holding).toBe(true), wait);
      const b = startScheduledJob({ ...options, lease: createRedisLease(await connect(), { keyPrefix: prefix }), holder: 'node-b', run: () => runs.b++ });
      jobs.push(b);
      await vi.waitFor(() => expect(runs.a).toBeGreaterThanOrEqual(5), wait);
      expect(runs.b).toBe(0);
      expect(b.stats().holding).toBe(false);

      aConn.disconnect(); // node A's Redis is gone: it cannot renew, and stops running
      await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(3), wait);
      expect(a.stats().holding).toBe(false);
      const aRuns = runs.a;
      await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(6), wait);
      expect(runs.a).toBe(aRuns);
      expect(await admin.get(`${prefix}sched`)).toBe('node-b');
    });

    it('a node that stops releases the lease at once', async () => {
      const a = startScheduledJob({
        name: 'handover',
        everyMs: 60_000,
        leaseTtlMs: 30_000,
        lease: createRedisLease(await connect(), { keyPrefix: prefix }),
        holder: 'node-a',
        run: () => {},
      });
      await vi.waitFor(() => expect(a.stats().holding).toBe(true), wait);
      expect(await admin.get(`${prefix}handover`)).toBe('node-a');
      await a.stop();
      expect(await admin.exists(`${prefix}handover`)).toBe(0);
    });
  });
} else {
  describe.skip('redis lease (set WAYSTATION_TEST_REDIS to run)', () => {
    it('contention, renewal, expiry on holder death', () => {});
  });
}
