// The SQLite usage worker's INSERT: one prepared single-row statement run per
// row, inside the batch's transaction. Kysely builds (and SQLite prepares) a
// new multi-row statement for every batch size it meets, which cost the
// worker two to four times the insert itself per row.
import type BetterSqlite3 from 'better-sqlite3';
import type { UsageRow } from './repos/usage-batch.js';

const SAFE_COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * Returns an `insertRows` for writeUsageBatch on this connection. It takes a
 * slice only when every row has the same columns with no `undefined` value
 * (what normalizeUsageRow makes); anything else is left to Kysely, which
 * gives an undefined column its DEFAULT.
 */
export function preparedUsageInsert(sqlite: BetterSqlite3.Database): (rows: UsageRow[]) => boolean {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return (rows) => {
    if (rows.length === 0) return false;
    const columns = Object.keys(rows[0]!);
    for (const row of rows) {
      if (Object.keys(row).length !== columns.length) return false;
      for (const c of columns) if ((row as Record<string, unknown>)[c] === undefined) return false;
    }
    const key = columns.join(',');
    let insert = statements.get(key);
    if (!insert) {
      if (!columns.every((c) => SAFE_COLUMN.test(c))) return false;
      insert = sqlite.prepare(`insert into "usage_logs" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      statements.set(key, insert);
    }
    const values: unknown[] = new Array(columns.length);
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) values[i] = (row as Record<string, unknown>)[columns[i]!];
      insert.run(values);
    }
    return true;
  };
}
