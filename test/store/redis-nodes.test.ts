// Two "nodes" sharing one database and one Redis: a change made through node
// A's repositories reaches node B's cache.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreCache } from '../../src/store/cache.js';
import { CHANGE_CHANNEL, createRedisBus } from '../../src/store/change-bus.js';
import type { ChangeBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox, hashKey } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import { REDIS_DEFAULT, createSqliteDatabase, serverFromEnv } from './test-databases.js';
import type { TestDatabase } from './test-databases.js';

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

if (redisUrl) {
  describe(`two nodes over redis (${redisUrl})`, () => {
    const box = new SecretBox('two-nodes');
    const channel = `${CHANGE_CHANNEL}:test:${process.pid}:${Math.random().toString(36).slice(2)}`;
    let testDb: TestDatabase;
    let dbA: Database;
    let dbB: Database;
    let busA: ChangeBus;
    let busB: ChangeBus;
    let reposA: Repositories;
    let cacheB: StoreCache;

    beforeAll(async () => {
      testDb = await createSqliteDatabase();
      dbA = await openDatabase(testDb.url);
      await migrateToLatest(dbA);
      dbB = await openDatabase(testDb.url);
      await migrateToLatest(dbB);
      busA = await createRedisBus(redisUrl, { channel, nodeId: 'A' });
      busB = await createRedisBus(redisUrl, { channel, nodeId: 'B' });
      reposA = createRepositories(dbA, box, busA);
      cacheB = new StoreCache(dbB, box, busB, { refreshIntervalMs: 0 });
      await cacheB.start();
    });

    afterAll(async () => {
      await cacheB?.stop();
      await Promise.all([busA?.close(), busB?.close()]);
      await Promise.all([dbA?.close(), dbB?.close()]);
      await testDb?.drop();
    });

    it("node B's cache follows a token changed through node A within a second", async () => {
      const user = await reposA.users.create({ name: 'remote' });
      const { token, key } = await reposA.tokens.create({ userId: user.id, name: 'remote-token' });
      await vi.waitFor(() => expect(cacheB.tokenByHash(hashKey(key))?.id).toBe(token.id), { timeout: 1000, interval: 10 });
      await reposA.tokens.update(token.id, { status: 'disabled' });
      await vi.waitFor(() => expect(cacheB.tokenByHash(hashKey(key))?.status).toBe('disabled'), { timeout: 1000, interval: 10 });
      await reposA.tokens.delete(token.id);
      await vi.waitFor(() => expect(cacheB.tokenByHash(hashKey(key))).toBeUndefined(), { timeout: 1000, interval: 10 });
    });

    it("node B's cache follows a channel's keys", async () => {
      const ch = await reposA.channels.create({ name: 'remote-ch', type: 'openai', baseUrl: 'http://127.0.0.1:1', keys: ['k-1'], models: ['m'] });
      await vi.waitFor(() => expect(cacheB.channel(ch.id)?.keys.map((k) => k.key)).toEqual(['k-1']), { timeout: 1000, interval: 10 });
      await reposA.channels.update(ch.id, { keys: ['k-1', 'k-2'] });
      await vi.waitFor(() => expect(cacheB.channel(ch.id)?.keys.map((k) => k.key)).toEqual(['k-1', 'k-2']), { timeout: 1000, interval: 10 });
    });
  });
} else {
  describe.skip('two nodes over redis (set WAYSTATION_TEST_REDIS to run)', () => {
    it("node B's cache follows changes made through node A", () => {});
  });
}
