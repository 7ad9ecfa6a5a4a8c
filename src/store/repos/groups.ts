// Groups: a name and a price multiplier that users and tokens belong to.
import type { Group } from '../entities.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { GroupInput, GroupsRepo } from '../repositories.js';
import { groupFromRow } from './rows.js';
import { defined, guard, insertReturningId } from './support.js';
import type { RepoContext } from './support.js';

export function createGroupsRepo(ctx: RepoContext): GroupsRepo {
  const { database, bus } = ctx;
  const db = database.db;

  const byName = (name: string) =>
    guard(`group "${name}"`, async () => {
      const row = await db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? groupFromRow(row) : undefined;
    });

  const mustGet = async (name: string): Promise<Group> => {
    const group = await byName(name);
    if (!group) throw new NotFoundError(`group "${name}" not found`);
    return group;
  };

  const updateExisting = async (id: number, input: GroupInput): Promise<Group> => {
    await guard(`group "${input.name}"`, () =>
      db
        .updateTable('groups')
        .set({ ...defined({ ratio: input.ratio, description: input.description }), updated_at: ctx.now() })
        .where('id', '=', id)
        .execute(),
    );
    bus.publish({ entity: 'group', id });
    return mustGet(input.name);
  };

  return {
    list: () =>
      guard('groups', async () => (await db.selectFrom('groups').selectAll().orderBy('id').execute()).map(groupFromRow)),

    byName,

    async upsert(input) {
      const existing = await byName(input.name);
      if (existing) return updateExisting(existing.id, input);
      const now = ctx.now();
      try {
        const id = await guard(`group "${input.name}"`, () =>
          insertReturningId(db, database.kind, 'groups', {
            name: input.name,
            ratio: input.ratio ?? 1,
            description: input.description ?? '',
            created_at: now,
            updated_at: now,
          }),
        );
        bus.publish({ entity: 'group', id });
        return mustGet(input.name);
      } catch (err) {
        const raced = err instanceof ConflictError ? await byName(input.name) : undefined;
        if (raced) return updateExisting(raced.id, input);
        throw err;
      }
    },

    async delete(name) {
      const existing = await byName(name);
      if (!existing) throw new NotFoundError(`group "${name}" not found`);
      await guard(`group "${name}"`, () => db.deleteFrom('groups').where('id', '=', existing.id).execute());
      bus.publish({ entity: 'group', id: existing.id });
    },
  };
}
