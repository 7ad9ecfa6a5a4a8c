// Channels: upstream endpoints with their models and keys. Keys live in
// channel_keys, encrypted; replacing the key list keeps the rows (id, status)
// of keys that stay, matched by hash without decrypting anything.
import type { Kysely, Updateable } from 'kysely';
import { hashKey } from '../crypto.js';
import type { Channel } from '../entities.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { ChannelInput, ChannelsRepo } from '../repositories.js';
import type { ChannelsTable, Schema } from '../schema.js';
import { channelFromRow, keysByChannel } from './rows.js';
import { defined, guard, insertReturningId } from './support.js';
import type { RepoContext } from './support.js';

export function createChannelsRepo(ctx: RepoContext): ChannelsRepo {
  const { database, box, bus } = ctx;
  const db = database.db;

  const get = (id: number) =>
    guard(`channel ${id}`, async () => {
      const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const keys = await db
        .selectFrom('channel_keys')
        .selectAll()
        .where('channel_id', '=', id)
        .orderBy('position')
        .orderBy('id')
        .execute();
      return channelFromRow(row, keys, box);
    });

  const mustGet = async (id: number): Promise<Channel> => {
    const channel = await get(id);
    if (!channel) throw new NotFoundError(`channel ${id} not found`);
    return channel;
  };

  const idByName = async (name: string): Promise<number | undefined> => {
    const row = await guard(`channel "${name}"`, () =>
      db.selectFrom('channels').select('id').where('name', '=', name).executeTakeFirst(),
    );
    return row ? Number(row.id) : undefined;
  };

  /** Makes the channel's key rows match `keys` (order = position); kept keys keep id and status. */
  const syncKeys = async (trx: Kysely<Schema>, channelId: number, keys: string[], now: number) => {
    const wanted = [...new Set(keys)];
    const existing = await trx.selectFrom('channel_keys').select(['id', 'key_hash']).where('channel_id', '=', channelId).execute();
    const byHash = new Map(existing.map((r) => [r.key_hash, Number(r.id)]));
    const keep = new Set<number>();
    for (const [position, key] of wanted.entries()) {
      const hash = hashKey(key);
      const id = byHash.get(hash);
      if (id !== undefined) {
        keep.add(id);
        await trx.updateTable('channel_keys').set({ position, updated_at: now }).where('id', '=', id).execute();
      } else {
        await trx
          .insertInto('channel_keys')
          .values({
            channel_id: channelId,
            key_enc: box.encrypt(key),
            key_hash: hash,
            position,
            status: 'enabled',
            status_reason: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
    }
    const stale = existing.map((r) => Number(r.id)).filter((id) => !keep.has(id));
    if (stale.length > 0) await trx.deleteFrom('channel_keys').where('id', 'in', stale).execute();
  };

  const create = async (input: ChannelInput): Promise<Channel> => {
    const now = ctx.now();
    const id = await guard(`channel "${input.name}"`, () =>
      db.transaction().execute(async (trx) => {
        const channelId = await insertReturningId(trx, database.kind, 'channels', {
          name: input.name,
          type: input.type,
          base_url: input.baseUrl,
          models: JSON.stringify(input.models ?? []),
          model_mapping: JSON.stringify(input.modelMapping ?? {}),
          groups: JSON.stringify(input.groups ?? ['default']),
          priority: input.priority ?? 0,
          weight: input.weight ?? 1,
          status: input.status ?? 'enabled',
          status_reason: input.statusReason ?? null,
          settings: JSON.stringify(input.settings ?? {}),
          created_at: now,
          updated_at: now,
        });
        await syncKeys(trx, channelId, input.keys ?? [], now);
        return channelId;
      }),
    );
    bus.publish({ entity: 'channel', id });
    return mustGet(id);
  };

  const update = async (id: number, patch: Partial<ChannelInput>): Promise<Channel> => {
    const now = ctx.now();
    const values = defined<Updateable<ChannelsTable>>({
      name: patch.name,
      type: patch.type,
      base_url: patch.baseUrl,
      models: patch.models === undefined ? undefined : JSON.stringify(patch.models),
      model_mapping: patch.modelMapping === undefined ? undefined : JSON.stringify(patch.modelMapping),
      groups: patch.groups === undefined ? undefined : JSON.stringify(patch.groups),
      priority: patch.priority,
      weight: patch.weight,
      status: patch.status,
      status_reason: patch.statusReason,
      settings: patch.settings === undefined ? undefined : JSON.stringify(patch.settings),
    });
    const found = await guard(`channel ${patch.name ? `"${patch.name}"` : id}`, () =>
      db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst();
        if (!row) return false;
        await trx.updateTable('channels').set({ ...values, updated_at: now }).where('id', '=', id).execute();
        if (patch.keys !== undefined) await syncKeys(trx, id, patch.keys, now);
        return true;
      }),
    );
    if (!found) throw new NotFoundError(`channel ${id} not found`);
    bus.publish({ entity: 'channel', id });
    return mustGet(id);
  };

  return {
    get,

    list: () =>
      guard('channels', async () => {
        const [rows, keyRows] = await Promise.all([
          db.selectFrom('channels').selectAll().orderBy('id').execute(),
          db.selectFrom('channel_keys').selectAll().orderBy('channel_id').orderBy('position').orderBy('id').execute(),
        ]);
        const keys = keysByChannel(keyRows);
        return rows.map((r) => channelFromRow(r, keys.get(Number(r.id)) ?? [], box));
      }),

    create,
    update,

    async upsertByName(input) {
      const existing = await idByName(input.name);
      if (existing !== undefined) return update(existing, input);
      try {
        return await create(input);
      } catch (err) {
        const raced = err instanceof ConflictError ? await idByName(input.name) : undefined;
        if (raced !== undefined) return update(raced, input);
        throw err;
      }
    },

    async setStatus(id, status, reason) {
      const res = await guard(`channel ${id}`, () =>
        db.updateTable('channels').set({ status, status_reason: reason, updated_at: ctx.now() }).where('id', '=', id).executeTakeFirst(),
      );
      if (Number(res.numUpdatedRows) === 0 && !(await idExists(id))) throw new NotFoundError(`channel ${id} not found`);
      bus.publish({ entity: 'channel', id });
    },

    async setKeyStatus(keyId, status, reason, onlyFrom) {
      const row = await guard(`channel key ${keyId}`, () =>
        db.selectFrom('channel_keys').select('channel_id').where('id', '=', keyId).executeTakeFirst(),
      );
      if (!row) throw new NotFoundError(`channel key ${keyId} not found`);
      const res = await guard(`channel key ${keyId}`, () => {
        let q = db.updateTable('channel_keys').set({ status, status_reason: reason, updated_at: ctx.now() }).where('id', '=', keyId);
        if (onlyFrom !== undefined) q = q.where('status', '=', onlyFrom);
        return q.executeTakeFirst();
      });
      if (onlyFrom !== undefined && Number(res.numUpdatedRows) === 0) return;
      bus.publish({ entity: 'channel', id: Number(row.channel_id) });
    },

    async delete(id) {
      const deleted = await guard(`channel ${id}`, () =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('channel_keys').where('channel_id', '=', id).execute();
          const res = await trx.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
          return Number(res.numDeletedRows);
        }),
      );
      if (deleted === 0) throw new NotFoundError(`channel ${id} not found`);
      bus.publish({ entity: 'channel', id });
    },
  };

  async function idExists(id: number): Promise<boolean> {
    const row = await guard(`channel ${id}`, () => db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst());
    return row !== undefined;
  }
}
