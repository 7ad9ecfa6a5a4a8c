// The SQLite usage worker: a worker thread with its own connection to the
// database file that writes usage batches with the repository's own
// transaction code (repos/usage-batch.ts), so those statements never run on
// the main event loop. WAL lets the main thread keep reading meanwhile.
// Its other side, and the message protocol, is sqlite-usage-thread.ts.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import { USAGE_ROWS_PER_STATEMENT, writeUsageBatch } from './repos/usage-batch.js';
import type { UsageRow } from './repos/usage-batch.js';
import type { Schema } from './schema.js';
import { ServerSqliteDialect } from './sqlite-dialect.js';
import { preparedUsageInsert } from './sqlite-usage-insert.js';
import type { ToUsageWorker, UsageWorkerData, WorkerErrorInfo } from './sqlite-usage-thread.js';

/**
 * The connection with its recent prepared statements kept (LRU). Kysely
 * prepares every query anew; the full-size INSERT, the same text every batch,
 * costs about as much to prepare as to run.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, size = 16): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const stmt = cache.get(text) ?? sqlite.prepare(text);
      cache.delete(text);
      cache.set(text, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

function errorInfo(err: unknown): WorkerErrorInfo {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown; errno?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    code: typeof e.code === 'string' ? e.code : undefined,
    errno: typeof e.errno === 'number' ? e.errno : undefined,
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sqlite-usage-worker must run in a worker thread');
  const { file, busyTimeoutMs } = workerData as UsageWorkerData;

  // The same settings db.ts gives the main connection (WAL is already on the file).
  const sqlite = new BetterSqlite3(file, { fileMustExist: true, timeout: busyTimeoutMs });
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new ServerSqliteDialect({ database: withStatementCache(sqlite) }) });
  // Rows go in through a prepared statement on the same connection, inside the batch's transaction.
  const insertRows = preparedUsageInsert(sqlite);

  // Every row a later batch inserts gets an id above this: lets the main
  // thread find out whether a batch committed when the worker died mid-reply.
  const watermark = async (): Promise<number> =>
    Number((await sql<{ n: number | null }>`select max(id) as n from usage_logs`.execute(db)).rows[0]?.n ?? 0);

  // Rows of the batch being sent; a batch arrives in parts, then 'write'.
  let staged: { id: number; rows: UsageRow[] } | undefined;
  // One write at a time: a message waits for the one before it.
  let queue = Promise.resolve();
  port.on('message', (msg: ToUsageWorker) => {
    queue = queue.then(async () => {
      if (msg.type === 'close') {
        await db.destroy();
        port.close();
        return;
      }
      if (msg.type === 'rows') {
        if (staged?.id !== msg.id) staged = { id: msg.id, rows: [] };
        for (const row of msg.rows) staged.rows.push(row);
        return;
      }
      const rows = staged?.id === msg.id ? staged.rows : [];
      staged = undefined;
      try {
        // Never commit part of a batch the writer will count as written.
        if (rows.length !== msg.count) throw new Error(`usage worker: batch ${msg.id} has ${rows.length} of ${msg.count} rows`);
        const charged = await writeUsageBatch(db, 'sqlite', rows, { rowsPerStatement: USAGE_ROWS_PER_STATEMENT, insertRows });
        port.postMessage({ type: 'written', id: msg.id, charged, watermark: await watermark().catch(() => undefined) });
      } catch (err) {
        port.postMessage({ type: 'failed', id: msg.id, error: errorInfo(err) });
      }
    });
  });
  port.postMessage({ type: 'ready', watermark: await watermark() });
}

main().catch((err: unknown) => {
  // Reaches the main thread as the worker's 'error' event.
  throw err instanceof Error ? err : new Error(String(err));
});
