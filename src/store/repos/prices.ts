// Prices: one row per model, the ModelPrice kept as JSON.
import type { Price } from '../entities.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { PricesRepo } from '../repositories.js';
import { priceFromRow } from './rows.js';
import { guard, insertReturningId } from './support.js';
import type { RepoContext } from './support.js';

export function createPricesRepo(ctx: RepoContext): PricesRepo {
  const { database, bus } = ctx;
  const db = database.db;

  const get = (model: string) =>
    guard(`price of "${model}"`, async () => {
      const row = await db.selectFrom('prices').selectAll().where('model', '=', model).executeTakeFirst();
      return row ? priceFromRow(row) : undefined;
    });

  const mustGet = async (model: string): Promise<Price> => {
    const price = await get(model);
    if (!price) throw new NotFoundError(`price of "${model}" not found`);
    return price;
  };

  const write = async (model: string, data: string, source: Price['source']): Promise<void> => {
    const now = ctx.now();
    const what = `price of "${model}"`;
    const updated = await guard(what, () =>
      db.updateTable('prices').set({ data, source, updated_at: now }).where('model', '=', model).executeTakeFirst(),
    );
    if (Number(updated.numUpdatedRows) > 0 || (await get(model))) return;
    try {
      await guard(what, () =>
        insertReturningId(db, database.kind, 'prices', { model, data, source, created_at: now, updated_at: now }),
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      // Inserted by someone else meanwhile: ours is the later write.
      await guard(what, () => db.updateTable('prices').set({ data, source, updated_at: now }).where('model', '=', model).execute());
    }
  };

  return {
    list: () =>
      guard('prices', async () => (await db.selectFrom('prices').selectAll().orderBy('model').execute()).map(priceFromRow)),
    get,
    async upsert(model, price, source) {
      await write(model, JSON.stringify(price ?? {}), source);
      bus.publish({ entity: 'price', id: model });
      return mustGet(model);
    },
    async delete(model) {
      const res = await guard(`price of "${model}"`, () => db.deleteFrom('prices').where('model', '=', model).executeTakeFirst());
      if (Number(res.numDeletedRows) === 0) throw new NotFoundError(`price of "${model}" not found`);
      bus.publish({ entity: 'price', id: model });
    },
  };
}
