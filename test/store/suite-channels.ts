// Channels (with their encrypted keys) and prices.
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/store/crypto.js';
import { ConflictError, NotFoundError } from '../../src/store/errors.js';
import type { ChannelInput } from '../../src/store/repositories.js';
import type { SuiteContext } from './repository-suite.js';

function channelInput(name: string, keys: string[]): ChannelInput {
  return {
    name,
    type: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com',
    keys,
    models: ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview'],
    modelMapping: { 'nano-banana': 'gemini-2.5-flash-image' },
    groups: ['default', 'vip'],
    priority: 10,
    weight: 3,
    settings: { timeoutMs: 30_000, headers: { 'x-extra': '1' } },
  };
}

export function registerChannelAndPriceTests(get: () => SuiteContext): void {
  describe('channels', () => {
    it('creates with keys decrypted in order and encrypted at rest', async () => {
      const { repos, database, events, unique } = get();
      const name = unique('google');
      const channel = await repos.channels.create(channelInput(name, ['AIza-one', 'AIza-two']));
      expect(channel).toMatchObject({
        name,
        type: 'gemini',
        baseUrl: 'https://generativelanguage.googleapis.com',
        models: ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview'],
        modelMapping: { 'nano-banana': 'gemini-2.5-flash-image' },
        groups: ['default', 'vip'],
        priority: 10,
        weight: 3,
        status: 'enabled',
        statusReason: null,
        settings: { timeoutMs: 30_000, headers: { 'x-extra': '1' } },
      });
      expect(channel.keys.map((k) => [k.key, k.keyHash, k.status])).toEqual([
        ['AIza-one', hashKey('AIza-one'), 'enabled'],
        ['AIza-two', hashKey('AIza-two'), 'enabled'],
      ]);
      expect(events).toContainEqual({ entity: 'channel', id: channel.id });
      const stored = await database.db.selectFrom('channel_keys').select('key_enc').where('channel_id', '=', channel.id).execute();
      expect(stored).toHaveLength(2);
      for (const row of stored) expect(row.key_enc).not.toMatch(/AIza/);
      expect(await repos.channels.get(channel.id)).toEqual(channel);
      expect((await repos.channels.list()).find((c) => c.id === channel.id)).toEqual(channel);
      expect(await repos.channels.get(987_654_321)).toBeUndefined();
    });

    it('rejects a duplicate name with ConflictError', async () => {
      const { repos, unique } = get();
      const name = unique('dup-ch');
      await repos.channels.create(channelInput(name, ['k']));
      await expect(repos.channels.create(channelInput(name, ['k']))).rejects.toBeInstanceOf(ConflictError);
    });

    it('replacing keys keeps the id and status of keys that stay', async () => {
      const { repos, database, unique } = get();
      const channel = await repos.channels.create(channelInput(unique('rot'), ['k1', 'k2']));
      const k2 = channel.keys[1]!;
      await repos.channels.setKeyStatus(k2.id, 'auto_disabled', '401 from upstream');
      const updated = await repos.channels.update(channel.id, { keys: ['k2', 'k3', 'k3'], weight: 7 });
      expect(updated.weight).toBe(7);
      expect(updated.models).toEqual(channel.models);
      expect(updated.keys.map((k) => k.key)).toEqual(['k2', 'k3']);
      expect(updated.keys[0]).toMatchObject({ id: k2.id, status: 'auto_disabled', statusReason: '401 from upstream' });
      const count = await database.db
        .selectFrom('channel_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('channel_id', '=', channel.id)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(2);
      await expect(repos.channels.update(987_654_321, { weight: 1 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('sets channel and key status, publishing the channel id', async () => {
      const { repos, events, unique } = get();
      const channel = await repos.channels.create(channelInput(unique('st'), ['a']));
      events.length = 0;
      await repos.channels.setStatus(channel.id, 'auto_disabled', 'too many 500s');
      await repos.channels.setKeyStatus(channel.keys[0]!.id, 'disabled', null);
      const got = await repos.channels.get(channel.id);
      expect(got).toMatchObject({ status: 'auto_disabled', statusReason: 'too many 500s' });
      expect(got?.keys[0]?.status).toBe('disabled');
      expect(events).toEqual([
        { entity: 'channel', id: channel.id },
        { entity: 'channel', id: channel.id },
      ]);
      await expect(repos.channels.setStatus(987_654_321, 'enabled', null)).rejects.toBeInstanceOf(NotFoundError);
      await expect(repos.channels.setKeyStatus(987_654_321, 'enabled', null)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('upsertByName is idempotent: same id, no duplicate keys', async () => {
      const { repos, unique } = get();
      const name = unique('cfg');
      const first = await repos.channels.upsertByName(channelInput(name, ['x', 'y']));
      const second = await repos.channels.upsertByName({ ...channelInput(name, ['x', 'y']), priority: 1 });
      expect(second.id).toBe(first.id);
      expect(second.priority).toBe(1);
      expect(second.keys.map((k) => k.id)).toEqual(first.keys.map((k) => k.id));
      expect((await repos.channels.list()).filter((c) => c.name === name)).toHaveLength(1);
    });

    it('delete removes the channel and its keys', async () => {
      const { repos, database, unique } = get();
      const channel = await repos.channels.create(channelInput(unique('del'), ['a', 'b']));
      await repos.channels.delete(channel.id);
      expect(await repos.channels.get(channel.id)).toBeUndefined();
      const left = await database.db.selectFrom('channel_keys').select('id').where('channel_id', '=', channel.id).execute();
      expect(left).toEqual([]);
      await expect(repos.channels.delete(channel.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('prices', () => {
    it('upserts by model (no duplicates), lists, deletes', async () => {
      const { repos, events, unique } = get();
      const model = unique('gemini-3-pro-image-preview');
      const price = { input_per_mtok: 2, output_per_mtok: 12, per_image: { '1K': 0.134, '4K': 0.24 } };
      expect(await repos.prices.upsert(model, price, 'config')).toEqual({ model, price, source: 'config' });
      expect(events).toContainEqual({ entity: 'price', id: model });
      const changed = await repos.prices.upsert(model, { per_call: 0.01 }, 'api');
      expect(changed).toEqual({ model, price: { per_call: 0.01 }, source: 'api' });
      expect(await repos.prices.get(model)).toEqual(changed);
      expect((await repos.prices.list()).filter((p) => p.model === model)).toEqual([changed]);
      await repos.prices.delete(model);
      expect(await repos.prices.get(model)).toBeUndefined();
      await expect(repos.prices.delete(model)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
