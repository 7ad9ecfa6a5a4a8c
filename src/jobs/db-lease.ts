// The lease shared by every process on one database, for when there is no
// Redis (`--workers N` on one SQLite file, nodes on one PostgreSQL/MySQL):
// a row per job name in `job_leases`, naming the holder until `expires_at`.
// Every operation is one conditional statement (acquire on MySQL: two, each
// exact on its own), never read-then-write, so two processes racing can never
// both win: the row lock (PostgreSQL/MySQL) or the write lock (SQLite) orders
// them, and the second sees the first's row. Expiry is by each node's own
// clock (Date.now()): nodes on one database need clocks that agree to well
// within a lease's ttl.
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../store/database-url.js';
import { DatabaseError, describeError } from '../store/errors.js';
import type { Schema } from '../store/schema.js';
import { checkTtl, type JobLease } from './lease.js';

export interface DatabaseLeaseOptions {
  /** The clock expiry is measured by (tests); default Date.now. */
  now?: () => number;
}

export function createDatabaseLease(db: Kysely<Schema>, kind: DatabaseKind, opts: DatabaseLeaseOptions = {}): JobLease {
  const now = opts.now ?? Date.now;

  /** A driver failure as one line naming the lease; the scheduler reports it through onError. */
  const guarded = async <T>(op: string, name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new DatabaseError(`job lease ${op} "${name}" failed: ${describeError(err)}`, { cause: err });
    }
  };

  /** Takes the row when there is none or it has lapsed (not when it is held, even by `holder`: that is renew); true when taken. */
  const take = async (name: string, holder: string, at: number, expiresAt: number): Promise<boolean> => {
    if (kind === 'mysql') {
      // No RETURNING, and with CLIENT_FOUND_ROWS an upsert counts "inserted" and
      // "left as it was" alike, so two statements, each atomic and exact on its
      // own: insert the row if there is none; else take it over if it lapsed.
      // Between them the row may change hands, but only a lapsed one is taken.
      const inserted = await db.insertInto('job_leases').orIgnore().values({ name, holder, expires_at: expiresAt }).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
      const taken = await db
        .updateTable('job_leases')
        .set({ holder, expires_at: expiresAt })
        .where('name', '=', name)
        .where('expires_at', '<=', at)
        .executeTakeFirst();
      return Number(taken.numUpdatedRows) > 0;
    }
    // SQLite and PostgreSQL: RETURNING yields a row only when inserted or updated.
    const row = await db
      .insertInto('job_leases')
      .values({ name, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: expiresAt })
          .where('job_leases.expires_at', '<=', at),
      )
      .returning('holder')
      .executeTakeFirst();
    return row !== undefined;
  };

  return {
    scope: 'database',
    async acquire(name, holder, ttlMs) {
      checkTtl(ttlMs);
      const at = now();
      return guarded('acquire', name, () => take(name, holder, at, at + ttlMs));
    },
    async renew(name, holder, ttlMs) {
      checkTtl(ttlMs);
      const at = now();
      const result = await guarded('renew', name, () =>
        db
          .updateTable('job_leases')
          .set({ expires_at: at + ttlMs })
          .where('name', '=', name)
          .where('holder', '=', holder)
          .where('expires_at', '>', at)
          .executeTakeFirst(),
      );
      // MySQL counts matched rows (CLIENT_FOUND_ROWS, mysql2's default), so an unchanged expiry still counts.
      return Number(result.numUpdatedRows) > 0;
    },
    async release(name, holder) {
      // Our own lapsed row may go too: a lapsed lease is free either way.
      await guarded('release', name, () => db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute());
    },
    async holderOf(name) {
      const at = now();
      const row = await guarded('read', name, () =>
        db.selectFrom('job_leases').select('holder').where('name', '=', name).where('expires_at', '>', at).executeTakeFirst(),
      );
      return row?.holder;
    },
  };
}
