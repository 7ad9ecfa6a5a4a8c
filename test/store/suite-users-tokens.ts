// Users, groups and tokens, on whichever backend the suite runs.
import { describe, expect, it } from 'vitest';
import { SecretBox, hashKey, maskKey } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import { ConflictError, NotFoundError, SecretError } from '../../src/store/errors.js';
import { tokenImageOutputMigration } from '../../src/store/migrations/003-token-image-output.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { SuiteContext } from './repository-suite.js';

export function registerUserAndTokenTests(get: () => SuiteContext): void {
  describe('users', () => {
    it('creates with defaults, finds by id and name, and publishes a change', async () => {
      const { repos, events, unique } = get();
      const name = unique('alice');
      const user = await repos.users.create({ name, balanceMicros: 20_000_000 });
      expect(user).toMatchObject({ name, displayName: name, role: 'user', group: 'default', balanceMicros: 20_000_000, usedMicros: 0, status: 'enabled' });
      expect(typeof user.id).toBe('number');
      expect(user.createdAt).toBeGreaterThan(0);
      expect(await repos.users.get(user.id)).toEqual(user);
      expect(await repos.users.byName(name)).toEqual(user);
      expect(await repos.users.get(987_654_321)).toBeUndefined();
      expect(events).toContainEqual({ entity: 'user', id: user.id });
    });

    it('keeps big balances exact (BIGINT comes back as a number)', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('rich'), balanceMicros: 9_000_000_000_000 });
      const again = await repos.users.get(user.id);
      expect(again?.balanceMicros).toBe(9_000_000_000_000);
      expect(typeof again?.balanceMicros).toBe('number');
    });

    it('rejects a duplicate name with ConflictError', async () => {
      const { repos, unique } = get();
      const name = unique('dup');
      await repos.users.create({ name });
      await expect(repos.users.create({ name })).rejects.toBeInstanceOf(ConflictError);
    });

    it('updates only what the patch names; unknown id is NotFoundError; rename clash is ConflictError', async () => {
      const { repos, events, unique } = get();
      const a = await repos.users.create({ name: unique('upd'), displayName: 'A', group: 'vip' });
      const b = await repos.users.create({ name: unique('upd') });
      const updated = await repos.users.update(a.id, { balanceMicros: 5, status: 'disabled' });
      expect(updated).toMatchObject({ displayName: 'A', group: 'vip', balanceMicros: 5, status: 'disabled' });
      expect(events).toContainEqual({ entity: 'user', id: a.id });
      await expect(repos.users.update(987_654_321, { displayName: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(repos.users.update(a.id, { name: b.name })).rejects.toBeInstanceOf(ConflictError);
    });

    it('lists with keyword (case-insensitive, wildcards literal) and paging', async () => {
      const { repos, unique } = get();
      const tag = unique('Listy').replace(/-/g, '');
      for (let i = 0; i < 5; i++) await repos.users.create({ name: `${tag}_${i}` });
      await repos.users.create({ name: `${tag}x%` });
      const all = await repos.users.list({ keyword: tag.toUpperCase() });
      expect(all.total).toBe(6);
      const pageTwo = await repos.users.list({ keyword: tag, offset: 2, limit: 2 });
      expect(pageTwo.total).toBe(6);
      expect(pageTwo.items.map((u) => u.name)).toEqual([`${tag}_2`, `${tag}_3`]);
      expect((await repos.users.list({ keyword: tag, offset: 4 })).items).toHaveLength(2);
      // "_" and "%" match themselves, not any character.
      expect((await repos.users.list({ keyword: `${tag}x%` })).items.map((u) => u.name)).toEqual([`${tag}x%`]);
      expect((await repos.users.list({ keyword: `${tag}_` })).total).toBe(5);
    });

    it('upsertByName inserts once, then updates the same row', async () => {
      const { repos, unique } = get();
      const name = unique('upsert');
      const first = await repos.users.upsertByName({ name, balanceMicros: 1 });
      const second = await repos.users.upsertByName({ name, balanceMicros: 2, group: 'vip' });
      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ balanceMicros: 2, group: 'vip' });
      expect((await repos.users.list({ keyword: name })).total).toBe(1);
    });

    it('sets an access key: found by its hash, stored encrypted, unique across users', async () => {
      const { repos, database, box, unique } = get();
      const a = await repos.users.create({ name: unique('keyed') });
      const b = await repos.users.create({ name: unique('keyed') });
      const key = `ak-${unique('secret')}`;
      await repos.users.setAccessKey(a.id, key);
      expect((await repos.users.byAccessKeyHash(hashKey(key)))?.id).toBe(a.id);
      expect(await repos.users.byAccessKeyHash(hashKey('nope'))).toBeUndefined();
      const row = await database.db.selectFrom('users').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(row.access_key_enc).not.toContain(key);
      expect(box.decrypt(row.access_key_enc!)).toBe(key);
      await expect(repos.users.setAccessKey(b.id, key)).rejects.toBeInstanceOf(ConflictError);
      await expect(repos.users.setAccessKey(987_654_321, 'x')).rejects.toBeInstanceOf(NotFoundError);
      // Replacing the key retires the old one.
      await repos.users.setAccessKey(a.id, `${key}-2`);
      expect(await repos.users.byAccessKeyHash(hashKey(key))).toBeUndefined();
    });

    it('delete removes the user and its tokens; unknown id is NotFoundError', async () => {
      const { repos, events, unique } = get();
      const user = await repos.users.create({ name: unique('gone') });
      const { token } = await repos.tokens.create({ userId: user.id, name: 't' });
      await repos.users.delete(user.id);
      expect(await repos.users.get(user.id)).toBeUndefined();
      expect(await repos.tokens.get(token.id)).toBeUndefined();
      expect(events).toContainEqual({ entity: 'user', id: user.id });
      expect(events).toContainEqual({ entity: 'token' });
      await expect(repos.users.delete(user.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('groups', () => {
    it('upsert creates then updates without duplicates; list, byName, delete', async () => {
      const { repos, events, unique } = get();
      const name = unique('grp');
      const created = await repos.groups.upsert({ name });
      expect(created).toMatchObject({ name, ratio: 1, description: '' });
      const updated = await repos.groups.upsert({ name, ratio: 0.8, description: 'vip' });
      expect(updated).toEqual({ id: created.id, name, ratio: 0.8, description: 'vip' });
      expect((await repos.groups.list()).filter((g) => g.name === name)).toHaveLength(1);
      expect(await repos.groups.byName(name)).toEqual(updated);
      expect(events).toContainEqual({ entity: 'group', id: created.id });
      await repos.groups.delete(name);
      expect(await repos.groups.byName(name)).toBeUndefined();
      await expect(repos.groups.delete(name)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('tokens', () => {
    it('creates with a generated key: hashed for lookup, encrypted at rest, masked for lists', async () => {
      const { repos, database, box, events, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const { token, key } = await repos.tokens.create({ userId: user.id, name: 'main', quotaMicros: 5_000_000 });
      expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
      expect(token).toMatchObject({ userId: user.id, name: 'main', keyHash: hashKey(key), keyMask: maskKey(key), status: 'enabled', unlimited: false, quotaMicros: 5_000_000, usedMicros: 0, models: null, allowIps: null, group: null, expiresAt: null });
      expect(events).toContainEqual({ entity: 'token', id: token.id });

      const row = await database.db.selectFrom('tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
      expect(row.key_enc).not.toContain(key);
      expect(row.key_enc).not.toContain(key.slice(3));
      expect(box.decrypt(row.key_enc)).toBe(key);
      expect(() => new SecretBox('a-different-secret').decrypt(row.key_enc)).toThrow(SecretError);

      expect(await repos.tokens.revealKey(token.id)).toBe(key);
      expect(await repos.tokens.byHash(hashKey(key))).toEqual(token);
      expect(await repos.tokens.byHash(hashKey('sk-unknown'))).toBeUndefined();
      await expect(repos.tokens.revealKey(987_654_321)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('takes a given key; the same key twice is ConflictError; a missing user is NotFoundError', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const key = `sk-${unique('given')}`;
      const { key: returned } = await repos.tokens.create({ userId: user.id, name: 'a', key });
      expect(returned).toBe(key);
      await expect(repos.tokens.create({ userId: user.id, name: 'b', key })).rejects.toBeInstanceOf(ConflictError);
      await expect(repos.tokens.create({ userId: 987_654_321, name: 'c' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('updates lists, flags and limits; null clears an allow-list', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const { token } = await repos.tokens.create({ userId: user.id, name: 'x', models: ['a'], allowIps: ['10.0.0.0/8'] });
      expect(token.models).toEqual(['a']);
      const updated = await repos.tokens.update(token.id, {
        unlimited: true,
        models: null,
        allowIps: ['127.0.0.1/32', '::1/128'],
        group: 'vip',
        expiresAt: 1_800_000_000_000,
        status: 'disabled',
      });
      expect(updated).toMatchObject({ unlimited: true, models: null, allowIps: ['127.0.0.1/32', '::1/128'], group: 'vip', expiresAt: 1_800_000_000_000, status: 'disabled', name: 'x' });
      await expect(repos.tokens.update(987_654_321, { name: 'y' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists by user and keyword with paging', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const other = await repos.users.create({ name: unique('other') });
      for (const name of ['alpha', 'beta', 'Alphabet', 'gamma']) await repos.tokens.create({ userId: user.id, name });
      await repos.tokens.create({ userId: other.id, name: 'alpha' });
      const mine = await repos.tokens.list({ userId: user.id });
      expect(mine.total).toBe(4);
      expect(mine.items.map((t) => t.name)).toEqual(['alpha', 'beta', 'Alphabet', 'gamma']);
      const alpha = await repos.tokens.list({ userId: user.id, keyword: 'ALPHA' });
      expect(alpha.items.map((t) => t.name)).toEqual(['alpha', 'Alphabet']);
      const paged = await repos.tokens.list({ userId: user.id, offset: 1, limit: 2 });
      expect(paged).toMatchObject({ total: 4 });
      expect(paged.items.map((t) => t.name)).toEqual(['beta', 'Alphabet']);
    });

    it('upsertByName is idempotent and a given key replaces the stored one', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const key1 = `sk-${unique('k1')}`;
      const key2 = `sk-${unique('k2')}`;
      const first = await repos.tokens.upsertByName({ userId: user.id, name: 'demo', key: key1, quotaMicros: 1 });
      expect(first.key).toBe(key1);
      const again = await repos.tokens.upsertByName({ userId: user.id, name: 'demo', key: key1, quotaMicros: 1 });
      expect(again.token.id).toBe(first.token.id);
      expect((await repos.tokens.list({ userId: user.id })).total).toBe(1);

      const rekeyed = await repos.tokens.upsertByName({ userId: user.id, name: 'demo', key: key2, unlimited: true });
      expect(rekeyed.token).toMatchObject({ id: first.token.id, unlimited: true, quotaMicros: 1, keyHash: hashKey(key2) });
      expect(await repos.tokens.byHash(hashKey(key1))).toBeUndefined();
      expect(await repos.tokens.revealKey(first.token.id)).toBe(key2);

      const noKey = await repos.tokens.upsertByName({ userId: user.id, name: 'demo', quotaMicros: 7 });
      expect(noKey.key).toBeUndefined();
      expect(noKey.token).toMatchObject({ quotaMicros: 7, keyHash: hashKey(key2) });

      const generated = await repos.tokens.upsertByName({ userId: user.id, name: 'fresh' });
      expect(generated.key).toMatch(/^sk-/);
    });

    it('image_output: null when unset, stored on create, patched, cleared, and left alone when a patch omits it', async () => {
      const { repos, database, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const plain = await repos.tokens.create({ userId: user.id, name: 'plain' });
      expect(plain.token.imageOutput).toBeNull();

      const { token } = await repos.tokens.create({ userId: user.id, name: 'img', imageOutput: 'markdown' });
      expect(token.imageOutput).toBe('markdown');
      expect(await repos.tokens.get(token.id)).toMatchObject({ imageOutput: 'markdown' });
      const row = await database.db.selectFrom('tokens').select('image_output').where('id', '=', token.id).executeTakeFirstOrThrow();
      expect(row.image_output).toBe('markdown');

      expect((await repos.tokens.update(token.id, { imageOutput: 'url' })).imageOutput).toBe('url');
      expect((await repos.tokens.update(token.id, { name: 'img-2' })).imageOutput).toBe('url');
      const listed = await repos.tokens.list({ userId: user.id });
      expect(listed.items.map((t) => [t.name, t.imageOutput])).toEqual([['plain', null], ['img-2', 'url']]);
      expect((await repos.tokens.update(token.id, { imageOutput: null })).imageOutput).toBeNull();

      const upserted = await repos.tokens.upsertByName({ userId: user.id, name: 'img-2', imageOutput: 'both' });
      expect(upserted.token).toMatchObject({ id: token.id, imageOutput: 'both' });
      const kept = await repos.tokens.upsertByName({ userId: user.id, name: 'img-2', quotaMicros: 3 });
      expect(kept.token).toMatchObject({ imageOutput: 'both', quotaMicros: 3 });

      // A value no writer produces (a hand-edited row) reads as unset, never as itself.
      await database.db.updateTable('tokens').set({ image_output: 'sideways' }).where('id', '=', token.id).execute();
      expect((await repos.tokens.get(token.id))!.imageOutput).toBeNull();
    });

    it('migration 003 adds a nullable image_output column and takes it away again', async () => {
      const { database, freshDatabase } = get();
      const { url } = await freshDatabase();
      const fresh = await openDatabase(url);
      try {
        await migrateToLatest(fresh);
        const columns = async () =>
          (await fresh.db.introspection.getTables()).find((t) => t.name === 'tokens')!.columns;
        const added = (await columns()).find((c) => c.name === 'image_output');
        expect(added).toMatchObject({ isNullable: true });
        const migration = tokenImageOutputMigration(database.kind);
        await migration.down!(fresh.db);
        expect((await columns()).map((c) => c.name)).not.toContain('image_output');
        await migration.up(fresh.db);
        expect((await columns()).map((c) => c.name)).toContain('image_output');
      } finally {
        await fresh.close();
      }
    });

    it('delete removes; unknown id is NotFoundError', async () => {
      const { repos, events, unique } = get();
      const user = await repos.users.create({ name: unique('owner') });
      const { token } = await repos.tokens.create({ userId: user.id, name: 'bye' });
      await repos.tokens.delete(token.id);
      expect(await repos.tokens.get(token.id)).toBeUndefined();
      expect(events).toContainEqual({ entity: 'token', id: token.id });
      await expect(repos.tokens.delete(token.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
