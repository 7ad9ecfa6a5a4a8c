// Billing: rate-limit columns on users and tokens, the price ratio and cost
// breakdown on each usage row, and the usage_daily rollup table.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import { columnTypes } from './column-types.js';

const LIMIT_COLUMNS = ['rpm_limit', 'tpm_limit', 'concurrency_limit'] as const;

export function billingMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<any>): Promise<void> {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      for (const table of ['users', 'tokens']) {
        for (const column of LIMIT_COLUMNS) await db.schema.alterTable(table).addColumn(column, t.int).execute();
      }
      await db.schema
        .alterTable('usage_logs')
        .addColumn('group_ratio', t.double, (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('usage_logs').addColumn('cost_detail', t.text).execute();

      // "None" is 0 / '' rather than NULL: a NULL never equals another NULL,
      // so it would break the primary key that the upsert relies on.
      await t
        .createTable(db, 'usage_daily')
        .addColumn('day', 'varchar(10)', (c) => c.notNull())
        .addColumn('token_id', t.int, (c) => c.notNull())
        .addColumn('user_id', t.int, (c) => c.notNull())
        .addColumn('model', t.string, (c) => c.notNull())
        .addColumn('channel_id', t.int, (c) => c.notNull())
        .addColumn('requests', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('errors', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('input_tokens', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('output_tokens', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('image_count', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('cost_micros', t.bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_daily_pk', ['day', 'token_id', 'user_id', 'model', 'channel_id'])
        .execute();
      await db.schema.createIndex('usage_daily_user_day').on('usage_daily').columns(['user_id', 'day']).execute();
      await db.schema.createIndex('usage_daily_token_day').on('usage_daily').columns(['token_id', 'day']).execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('usage_daily').ifExists().execute();
      await db.schema.alterTable('usage_logs').dropColumn('cost_detail').execute();
      await db.schema.alterTable('usage_logs').dropColumn('group_ratio').execute();
      for (const table of ['tokens', 'users']) {
        for (const column of LIMIT_COLUMNS) await db.schema.alterTable(table).dropColumn(column).execute();
      }
    },
  };
}
