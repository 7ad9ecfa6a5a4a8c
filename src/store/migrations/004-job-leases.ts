// Leases for background jobs that run once per database (src/jobs/db-lease.ts):
// one row per job name, naming the node that holds it until `expires_at`
// (epoch ms by the holder's clock). Used when there is no Redis.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import { columnTypes } from './column-types.js';

export function jobLeasesMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await t
        .createTable(db, 'job_leases')
        .addColumn('name', t.string, (c) => c.primaryKey())
        .addColumn('holder', t.string, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('job_leases').ifExists().execute();
    },
  };
}
