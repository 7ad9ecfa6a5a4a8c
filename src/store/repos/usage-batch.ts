// One usage batch = one transaction: insert the rows, then apply the charges
// they record (usage-charges.ts). The repository runs it on the main thread
// (PostgreSQL, MySQL, in-memory SQLite); the SQLite usage worker
// (../sqlite-usage-worker.ts) runs the very same code on its own connection.
// Kept free of anything but Kysely and the charge code, so the worker loads little.
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db.js';
import type { NewUsageLog, Schema } from '../schema.js';
import { applyCharges, isRetryableConflict, summarizeCharges } from './usage-charges.js';
import type { BatchCharges } from './usage-charges.js';

/**
 * Rows per INSERT statement. 29 columns × 500 = 14,500 parameters: under
 * SQLite's 32,766 and the 65,535 of PostgreSQL and MySQL.
 */
export const USAGE_ROWS_PER_STATEMENT = 500;

/** A usage row as normalizeUsageRow leaves it: every column present. */
export type UsageRow = Omit<NewUsageLog, 'id'>;

/** Who a committed batch charged: the entities whose caches must catch up. */
export interface ChargedIds {
  /** Tokens with a positive cost. */
  tokens: number[];
  /** Users with a positive cost. */
  users: number[];
}

export interface UsageBatchOptions {
  /** Rows per INSERT statement. */
  rowsPerStatement: number;
  /** Runs between statements (main-thread SQLite: a macrotask turn so requests run). */
  pause?: () => Promise<void>;
  /**
   * Inserts a slice of rows on the transaction's own connection, in place of
   * Kysely's multi-row INSERT (the SQLite worker's prepared statement), and
   * returns true; false leaves the slice to Kysely.
   */
  insertRows?: (rows: UsageRow[]) => boolean;
}

/**
 * Inserts the rows and applies their charges in ONE transaction (all or
 * nothing); a lock conflict between concurrent writers is retried (twice).
 * Resolves, after commit, with the tokens and users it charged.
 */
export async function writeUsageBatch(
  db: Kysely<Schema>,
  kind: DatabaseKind,
  rows: UsageRow[],
  opts: UsageBatchOptions,
): Promise<ChargedIds> {
  const pause = opts.pause ?? (async () => {});
  const step = Math.max(1, opts.rowsPerStatement);
  const charges = summarizeCharges(rows);
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += step) {
          if (i > 0) await pause();
          const slice = rows.slice(i, i + step);
          if (opts.insertRows?.(slice)) continue;
          await trx.insertInto('usage_logs').values(slice).execute();
        }
        await pause();
        await applyCharges(trx, kind, charges, pause);
      });
      break;
    } catch (err) {
      // Two writers charging the same rows in a different order: run it again.
      if (attempt >= 3 || !isRetryableConflict(err)) throw err;
    }
  }
  return charged(charges);
}

/** The tokens and users a batch charges (positive cost), without writing anything. */
export function chargedIds(rows: readonly UsageRow[]): ChargedIds {
  return charged(summarizeCharges(rows));
}

function charged(charges: BatchCharges): ChargedIds {
  return {
    tokens: [...charges.tokens].filter(([, t]) => t.cost > 0).map(([id]) => id),
    users: [...charges.users.keys()],
  };
}
