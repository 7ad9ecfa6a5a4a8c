// The StoreCache follows ChangeEvents published by the repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreCache } from '../../src/store/cache.js';
import { hashKey } from '../../src/store/crypto.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import type { SuiteContext } from './repository-suite.js';

export function registerCacheTests(get: () => SuiteContext): void {
  describe('cache', () => {
    let cache: StoreCache;
    const seen: ChangeEvent[] = [];

    beforeAll(async () => {
      const { database, box, bus } = get();
      cache = new StoreCache(database, box, bus, { refreshIntervalMs: 0 });
      cache.onChange((ev) => seen.push(ev));
      await cache.start();
    });

    afterAll(async () => {
      await cache?.stop();
    });

    it('starts with what is already stored', async () => {
      const { repos } = get();
      const channels = await repos.channels.list();
      expect(cache.channels().map((c) => c.id)).toEqual(channels.map((c) => c.id));
      expect(cache.prices()).toHaveLength((await repos.prices.list()).length);
      expect(seen).toContainEqual({ entity: 'all' });
    });

    it('follows token create, update, re-key and delete', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('cached') });
      const { token, key } = await repos.tokens.create({ userId: user.id, name: 'c' });
      await cache.settled();
      expect(cache.tokenByHash(hashKey(key))).toEqual(token);
      expect(cache.user(user.id)).toEqual(user);

      await repos.tokens.update(token.id, { status: 'disabled' });
      await cache.settled();
      expect(cache.tokenByHash(hashKey(key))?.status).toBe('disabled');

      const newKey = `sk-${unique('rekey')}`;
      await repos.tokens.upsertByName({ userId: user.id, name: 'c', key: newKey });
      await cache.settled();
      expect(cache.tokenByHash(hashKey(key))).toBeUndefined();
      expect(cache.tokenByHash(hashKey(newKey))?.id).toBe(token.id);

      await repos.tokens.delete(token.id);
      await cache.settled();
      expect(cache.tokenByHash(hashKey(newKey))).toBeUndefined();
      expect(cache.token(token.id)).toBeUndefined();
    });

    it('follows users, access keys and user deletion (which takes the tokens too)', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('acc') });
      const { key } = await repos.tokens.create({ userId: user.id, name: 't' });
      const access = `ak-${unique('x')}`;
      await repos.users.setAccessKey(user.id, access);
      await repos.users.update(user.id, { balanceMicros: 42 });
      await cache.settled();
      expect(cache.userByAccessKeyHash(hashKey(access))).toMatchObject({ id: user.id, balanceMicros: 42 });
      await repos.users.delete(user.id);
      await cache.settled();
      expect(cache.user(user.id)).toBeUndefined();
      expect(cache.userByAccessKeyHash(hashKey(access))).toBeUndefined();
      expect(cache.tokenByHash(hashKey(key))).toBeUndefined();
    });

    it('follows channels with decrypted keys, bumping the version and calling onChange', async () => {
      const { repos, unique } = get();
      const before = cache.version;
      const channel = await repos.channels.create({ name: unique('cch'), type: 'openai', baseUrl: 'http://127.0.0.1:1', keys: ['sk-up-1'], models: ['gpt-x'] });
      await cache.settled();
      expect(cache.version).toBeGreaterThan(before);
      expect(seen).toContainEqual({ entity: 'channel', id: channel.id });
      expect(cache.channel(channel.id)?.keys.map((k) => k.key)).toEqual(['sk-up-1']);
      const list = cache.channels();
      expect(cache.channels()).toBe(list); // same array until something changes
      expect(list.some((c) => c.id === channel.id)).toBe(true);

      await repos.channels.setKeyStatus(channel.keys[0]!.id, 'auto_disabled', 'quota');
      await cache.settled();
      expect(cache.channel(channel.id)?.keys[0]?.status).toBe('auto_disabled');
      expect(cache.channels()).not.toBe(list);

      await repos.channels.delete(channel.id);
      await cache.settled();
      expect(cache.channel(channel.id)).toBeUndefined();
      expect(cache.channels().some((c) => c.id === channel.id)).toBe(false);
    });

    it('follows groups and prices', async () => {
      const { repos, unique } = get();
      const name = unique('cg');
      await repos.groups.upsert({ name, ratio: 0.5 });
      const model = unique('cm');
      await repos.prices.upsert(model, { per_call: 0.02 }, 'api');
      await cache.settled();
      expect(cache.group(name)?.ratio).toBe(0.5);
      expect(cache.price(model)?.price).toEqual({ per_call: 0.02 });
      expect(cache.prices().some((p) => p.model === model)).toBe(true);
      await repos.groups.delete(name);
      await repos.prices.delete(model);
      await cache.settled();
      expect(cache.group(name)).toBeUndefined();
      expect(cache.price(model)).toBeUndefined();
    });

    it('reloads a whole table, or everything, when the event names no id', async () => {
      const { repos, database, bus, unique } = get();
      const model = unique('direct');
      const now = Date.now();
      // Written behind the repositories' back: only a reload can find it.
      await database.db.insertInto('prices').values({ model, data: '{"per_call":1}', source: 'api', created_at: now, updated_at: now }).execute();
      await cache.settled();
      expect(cache.price(model)).toBeUndefined();
      bus.publish({ entity: 'price' });
      await cache.settled();
      expect(cache.price(model)?.price).toEqual({ per_call: 1 });

      await database.db.updateTable('prices').set({ data: '{"per_call":2}' }).where('model', '=', model).execute();
      bus.publish({ entity: 'all' });
      await cache.settled();
      expect(cache.price(model)?.price).toEqual({ per_call: 2 });
      await repos.prices.delete(model);
    });
  });
}
