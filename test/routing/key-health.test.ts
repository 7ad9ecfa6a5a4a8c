// Setting keys aside through the real repositories, seen by the in-memory
// cache the relay reads from: SQLite always, PostgreSQL and MySQL when
// WAYSTATION_TEST_PG / WAYSTATION_TEST_MYSQL name a server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admit } from '../../src/routing/admission.js';
import { BreakerBoard } from '../../src/routing/circuit-breaker.js';
import { KeySetAside, storedReason } from '../../src/routing/key-health.js';
import { KeyPicker } from '../../src/routing/keys.js';
import { StoreCache } from '../../src/store/cache.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import type { ChangeBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import {
  MYSQL_DEFAULT,
  PG_DEFAULT,
  createMysqlDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  serverFromEnv,
} from '../store/test-databases.js';
import type { TestDatabase } from '../store/test-databases.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [['sqlite', createSqliteDatabase]];
const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
if (pgServer) backends.push(['postgres', () => createPostgresDatabase(pgServer)]);
const mysqlServer = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
if (mysqlServer) backends.push(['mysql', () => createMysqlDatabase(mysqlServer)]);

describe.each(backends)('on %s', (_label, createDatabase) => {
  let testDb: TestDatabase;
  let database: Database;
  let bus: ChangeBus;
  let repos: Repositories;
  let cache: StoreCache;
  const events: ChangeEvent[] = [];
  let n = 0;

  beforeAll(async () => {
    testDb = await createDatabase();
    database = await openDatabase(testDb.url);
    await migrateToLatest(database);
    bus = createLocalBus();
    bus.subscribe((ev) => events.push(ev));
    const box = new SecretBox('test-secret-for-routing');
    repos = createRepositories(database, box, bus);
    cache = new StoreCache(database, box, bus, { refreshIntervalMs: 0 });
    await cache.start();
  });

  afterAll(async () => {
    await cache?.stop();
    await bus?.close();
    await database?.close();
    await testDb?.drop();
  });

  async function channelWithKeys(keys: string[], settings: Record<string, unknown> = {}) {
    const ch = await repos.channels.create({ name: `kh-${++n}`, type: 'openai', baseUrl: 'http://upstream.test', keys, models: ['gpt-4o'], settings });
    await cache.settled();
    return cache.channel(ch.id)!;
  }

  describe('KeySetAside', () => {
    it('stores the key as auto_disabled with its reason; the cache drops it and the other keys keep serving', async () => {
      const seen: unknown[] = [];
      const aside = new KeySetAside(repos.channels, { onSetAside: (ev) => seen.push(ev) });
      const channel = await channelWithKeys(['sk-good-one', 'sk-invalid-1234567890', 'sk-good-two']);
      const bad = channel.keys[1]!;
      events.length = 0;

      const wrote = await aside.setAside(channel, bad, 'upstream 401 invalid_api_key: Incorrect API key provided: sk-invalid-1234567890.');
      expect(wrote).toBe(true);
      expect(events).toEqual([{ entity: 'channel', id: channel.id }]);
      expect(seen).toEqual([{ channelId: channel.id, keyId: bad.id, reason: 'upstream 401 invalid_api_key: Incorrect API key provided: …7890.' }]);

      const stored = await repos.channels.get(channel.id);
      expect(stored!.keys.map((k) => [k.key, k.status, k.statusReason])).toEqual([
        ['sk-good-one', 'enabled', null],
        ['sk-invalid-1234567890', 'auto_disabled', 'upstream 401 invalid_api_key: Incorrect API key provided: …7890.'],
        ['sk-good-two', 'enabled', null],
      ]);

      await cache.settled();
      const fresh = cache.channel(channel.id)!;
      expect(fresh).not.toBe(channel);
      expect(fresh.keys[1]!.status).toBe('auto_disabled');
      const picker = new KeyPicker();
      const picked = Array.from({ length: 6 }, () => picker.pick(fresh)!.key);
      expect(picked).toEqual(['sk-good-one', 'sk-good-two', 'sk-good-one', 'sk-good-two', 'sk-good-one', 'sk-good-two']);
    });

    it('writes once however many requests report the same key, and not again from a stale copy', async () => {
      const aside = new KeySetAside(repos.channels);
      const channel = await channelWithKeys(['sk-a', 'sk-nocredit-b']);
      const key = channel.keys[1]!;
      events.length = 0;

      const results = await Promise.all(Array.from({ length: 10 }, () => aside.setAside(channel, key, 'upstream 429 insufficient_quota')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(events).toHaveLength(1);
      expect(aside.isSetAside(key)).toBe(true);

      // A request still holding the pre-change channel object reports it again: nothing is written.
      expect(await aside.setAside(channel, key, 'again')).toBe(false);
      await cache.settled();
      // The cache's new copy says auto_disabled: nothing to do either.
      expect(await aside.setAside(cache.channel(channel.id)!, cache.channel(channel.id)!.keys[1]!, 'again')).toBe(false);
      expect(events).toHaveLength(1);
      expect((await repos.channels.get(channel.id))!.keys[1]!.statusReason).toBe('upstream 429 insufficient_quota');
    });

    it('another node (another KeySetAside) that sees the failure later writes nothing', async () => {
      const nodeA = new KeySetAside(repos.channels);
      const nodeB = new KeySetAside(repos.channels);
      const channel = await channelWithKeys(['sk-x', 'sk-y']);
      const key = channel.keys[0]!;
      events.length = 0;
      expect(await nodeA.setAside(channel, key, 'first')).toBe(true);
      // B still has the old copy (key enabled): its conditional write changes nothing and publishes nothing.
      await nodeB.setAside(channel, key, 'second');
      expect(events).toHaveLength(1);
      expect((await repos.channels.get(channel.id))!.keys[0]!.statusReason).toBe('first');
    });

    it('an operator re-enabling the key lets it be set aside again; a key disabled by hand is left alone', async () => {
      const aside = new KeySetAside(repos.channels);
      const channel = await channelWithKeys(['sk-p', 'sk-q']);
      expect(await aside.setAside(channel, channel.keys[0]!, 'bad')).toBe(true);
      await repos.channels.setKeyStatus(channel.keys[0]!.id, 'enabled', null);
      await repos.channels.setKeyStatus(channel.keys[1]!.id, 'disabled', 'by hand');
      await cache.settled();
      const fresh = cache.channel(channel.id)!;
      expect(fresh.keys[0]!.status).toBe('enabled');
      expect(await aside.setAside(fresh, fresh.keys[0]!, 'bad again')).toBe(true);
      expect(await aside.setAside(fresh, fresh.keys[1]!, 'bad')).toBe(false);
      // Even with a stale enabled copy, the store never turns a manual disable into auto_disabled.
      expect(await aside.setAside(channel, channel.keys[1]!, 'bad')).toBe(true);
      const stored = (await repos.channels.get(channel.id))!.keys;
      expect(stored.map((k) => [k.status, k.statusReason])).toEqual([
        ['auto_disabled', 'bad again'],
        ['disabled', 'by hand'],
      ]);
    });

    it('a failed write is reported, never thrown, and can be tried again', async () => {
      const errors: unknown[] = [];
      let fail = true;
      const repo = {
        setKeyStatus: async (...args: Parameters<Repositories['channels']['setKeyStatus']>) => {
          if (fail) throw new Error('database down');
          return repos.channels.setKeyStatus(...args);
        },
      };
      const aside = new KeySetAside(repo, { onError: (err) => errors.push(err) });
      const channel = await channelWithKeys(['sk-r']);
      expect(await aside.setAside(channel, channel.keys[0]!, 'x')).toBe(false);
      expect(errors).toHaveLength(1);
      expect(aside.isSetAside(channel.keys[0]!)).toBe(false);
      fail = false;
      expect(await aside.setAside(channel, channel.keys[0]!, 'x')).toBe(true);
    });

    it('the stored reason is one bounded line without the key', () => {
      expect(storedReason('bad\n  key sk-secret-abcdef123', 'sk-secret-abcdef123')).toBe('bad key …f123');
      expect(storedReason('', 'k')).toBe('set aside');
      expect(storedReason('x'.repeat(2000), 'k')).toHaveLength(500);
    });
  });

  describe('admit: breakers and key rotation together, on cached channels', () => {
    it('skips a key whose breaker is open, then the channel when all are', async () => {
      const channel = await channelWithKeys(['sk-1', 'sk-2']);
      const board = new BreakerBoard();
      const picker = new KeyPicker();
      const now = 1_000_000;
      board.onFailure(channel.id, channel.keys[0]!.id, { kind: 'key_invalid', reason: '401' }, now);
      expect([1, 2, 3].map(() => admit(board, channel, now, picker).key?.key)).toEqual(['sk-2', 'sk-2', 'sk-2']);
      board.onFailure(channel.id, channel.keys[1]!.id, { kind: 'key_no_credit', reason: '429' }, now);
      expect(admit(board, channel, now, picker)).toEqual({ skipped: 'keys_open' });
      const other = await channelWithKeys(['sk-3']);
      for (let i = 0; i < 5; i++) board.onFailure(other.id, other.keys[0]!.id, { kind: 'server', reason: '500' }, now);
      expect(admit(board, other, now, picker)).toEqual({ skipped: 'channel_open' });
      const none = await channelWithKeys([]);
      expect(admit(board, none, now, picker)).toEqual({ skipped: 'no_key' });
    });

    it('half-open: only the admitted request probes; others skip until its outcome', async () => {
      const channel = await channelWithKeys(['sk-h1', 'sk-h2']);
      const board = new BreakerBoard();
      const picker = new KeyPicker();
      for (let i = 0; i < 5; i++) board.onFailure(channel.id, null, { kind: 'server', reason: '503' }, 0);
      const t = 30_000;
      const first = admit(board, channel, t, picker);
      expect(first.key?.key).toBe('sk-h1');
      expect(admit(board, channel, t, picker)).toEqual({ skipped: 'channel_open' });
      board.onSuccess(channel.id, first.key!.id, t + 5);
      expect(admit(board, channel, t + 6, picker).key?.key).toBe('sk-h2');
      expect(admit(board, channel, t + 6, picker).key?.key).toBe('sk-h1');
    });
  });
});
