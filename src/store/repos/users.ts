// Users: accounts with a balance, a group, and an optional management access key.
import { hashKey } from '../crypto.js';
import type { User } from '../entities.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { UserInput, UsersRepo } from '../repositories.js';
import type { UserUpdate } from '../schema.js';
import { NO_LIMIT_COLUMNS, limitColumns } from './limits.js';
import { userFromRow } from './rows.js';
import { containsIgnoreCase, countAll, defined, guard, insertReturningId, page } from './support.js';
import type { RepoContext } from './support.js';

export function createUsersRepo(ctx: RepoContext): UsersRepo {
  const { database, box, bus } = ctx;
  const db = database.db;

  const get = (id: number) =>
    guard(`user ${id}`, async () => {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    });

  const mustGet = async (id: number): Promise<User> => {
    const user = await get(id);
    if (!user) throw new NotFoundError(`user ${id} not found`);
    return user;
  };

  const byName = (name: string) =>
    guard(`user ${name}`, async () => {
      const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    });

  const create = async (input: UserInput): Promise<User> => {
    const now = ctx.now();
    const limits = limitColumns(input.limits) ?? NO_LIMIT_COLUMNS;
    const id = await guard(`user "${input.name}"`, () =>
      insertReturningId(db, database.kind, 'users', {
        name: input.name,
        display_name: input.displayName ?? input.name,
        role: input.role ?? 'user',
        group_name: input.group ?? 'default',
        balance_micros: input.balanceMicros ?? 0,
        used_micros: 0,
        access_key_hash: null,
        access_key_enc: null,
        status: input.status ?? 'enabled',
        ...limits,
        created_at: now,
        updated_at: now,
      }),
    );
    bus.publish({ entity: 'user', id });
    return mustGet(id);
  };

  const update = async (id: number, patch: Partial<UserInput>): Promise<User> => {
    const values = defined<UserUpdate>({
      name: patch.name,
      display_name: patch.displayName,
      role: patch.role,
      group_name: patch.group,
      balance_micros: patch.balanceMicros,
      status: patch.status,
      ...limitColumns(patch.limits),
    });
    await guard(`user ${patch.name ? `"${patch.name}"` : id}`, () =>
      db.updateTable('users').set({ ...values, updated_at: ctx.now() }).where('id', '=', id).execute(),
    );
    const user = await mustGet(id);
    bus.publish({ entity: 'user', id });
    return user;
  };

  return {
    get,
    byName,
    byAccessKeyHash: (hash) =>
      guard('user by access key', async () => {
        const row = await db.selectFrom('users').selectAll().where('access_key_hash', '=', hash).executeTakeFirst();
        return row ? userFromRow(row) : undefined;
      }),

    list: (opts = {}) =>
      guard('users', async () => {
        let base = db.selectFrom('users');
        if (opts.keyword) {
          const kw = opts.keyword;
          base = base.where((eb) => eb.or([containsIgnoreCase(eb.ref('name'), kw), containsIgnoreCase(eb.ref('display_name'), kw)]));
        }
        const [rows, count] = await Promise.all([
          page(base.selectAll().orderBy('id'), opts.offset, opts.limit).execute(),
          base.select(countAll()).executeTakeFirstOrThrow(),
        ]);
        return { items: rows.map(userFromRow), total: Number(count.n) };
      }),

    create,
    update,

    async upsertByName(input) {
      const existing = await byName(input.name);
      if (existing) return update(existing.id, input);
      try {
        return await create(input);
      } catch (err) {
        // Another process inserted the same name between our read and write.
        const raced = err instanceof ConflictError ? await byName(input.name) : undefined;
        if (raced) return update(raced.id, input);
        throw err;
      }
    },

    async setAccessKey(id, key) {
      await guard(`access key of user ${id}`, () =>
        db
          .updateTable('users')
          .set({ access_key_hash: hashKey(key), access_key_enc: box.encrypt(key), updated_at: ctx.now() })
          .where('id', '=', id)
          .execute(),
      );
      await mustGet(id);
      bus.publish({ entity: 'user', id });
    },

    async delete(id) {
      const deleted = await guard(`user ${id}`, () =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('tokens').where('user_id', '=', id).execute();
          const res = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
          return Number(res.numDeletedRows);
        }),
      );
      if (deleted === 0) throw new NotFoundError(`user ${id} not found`);
      bus.publish({ entity: 'user', id });
      bus.publish({ entity: 'token' });
    },
  };
}
