// Runs the schema migrations. The list lives in code (no directory scan), so
// it works the same from src/ under vitest and from dist/ in production.
// Kysely's migration lock (advisory lock on PostgreSQL, GET_LOCK on MySQL,
// BEGIN IMMEDIATE on SQLite — see ../sqlite-dialect.ts) makes two processes
// starting at once safe: the second waits, then finds nothing left to do.
import { Migrator, NO_MIGRATIONS } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely';
import type { Database } from '../db.js';
import type { DatabaseKind } from '../database-url.js';
import { DatabaseError, describeError } from '../errors.js';
import { initialMigration } from './001-initial.js';
import { billingMigration } from './002-billing.js';
import { tokenImageOutputMigration } from './003-token-image-output.js';
import { jobLeasesMigration } from './004-job-leases.js';

/** Every migration, in order. Names sort; never rename or edit a shipped one. */
export function allMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '001_initial': initialMigration(kind),
    '002_billing': billingMigration(kind),
    '003_token_image_output': tokenImageOutputMigration(kind),
    '004_job_leases': jobLeasesMigration(kind),
  };
}

function provider(kind: DatabaseKind): MigrationProvider {
  return { getMigrations: async () => allMigrations(kind) };
}

function migrator(database: Database): Migrator {
  return new Migrator({
    db: database.db,
    provider: provider(database.kind),
    migrationTableName: 'waystation_migrations',
    migrationLockTableName: 'waystation_migrations_lock',
  });
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const { error, results } = await migrator(database).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new DatabaseError(
      `database migration ${failed ? `"${failed}" ` : ''}failed on ${database.url}: ${describeError(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Undoes every migration (tests and `reset` tooling only). */
export async function migrateDownAll(database: Database): Promise<void> {
  const { error } = await migrator(database).migrateTo(NO_MIGRATIONS);
  if (error) throw new DatabaseError(`database rollback failed: ${describeError(error)}`, { cause: error });
}
