// Usage rows leave the request path through here: push() only appends to a
// buffer; a timer (or a full batch) writes them. Each write is one
// transaction that inserts the rows AND applies the charges they record
// (UsageLogsRepo.insertMany), so a row and its charge land together or not at
// all. A failed write keeps the rows (up to a bound, counting what it must
// drop) and retries with backoff, so a database hiccup loses nothing.
//
// On a SQLite file (better-sqlite3 runs every statement synchronously) the
// writes go to a worker thread with its own connection (sqlite-usage-thread.ts),
// running the same transaction code, so they never stall the request path;
// change events still go out here, after commit. PostgreSQL, MySQL and
// ":memory:" (which a second connection cannot share) write through the sink.
import { sql } from 'kysely';
import { DatabaseError, describeError, toStoreError } from './errors.js';
import type { UsageLogsRepo } from './repositories.js';
import type { UsageRow } from './repos/usage-batch.js';
import { normalizeUsageRow } from './repos/usage-logs.js';
import type { NewUsageLog } from './schema.js';
import { SqliteUsageThread, UsageWorkerStartError, batchCommitted } from './sqlite-usage-thread.js';
import { offloadOf } from './usage-offload.js';
import type { UsageOffload } from './usage-offload.js';

export interface UsageWriterOptions {
  /** Flush period in ms (default 200). */
  intervalMs?: number;
  /** Flush as soon as this many rows wait (default 500). */
  batchSize?: number;
  /**
   * Most rows one write (one transaction) takes (default 1000). A backlog
   * drains in slices with a setImmediate between them instead of one long
   * stall (on SQLite's main thread the repository also yields between statements).
   */
  maxRowsPerWrite?: number;
  /** Rows kept while the database is failing (default 100 000); beyond it new rows are dropped. */
  maxBuffered?: number;
  /** Longest wait between retries after failures (default 5000 ms). */
  maxBackoffMs?: number;
  /** Attempts close() makes before giving up (default 3). */
  closeAttempts?: number;
  /** A write failed (rows kept for retry); default: one line on stderr. */
  onError?: (err: unknown) => void;
  /**
   * When the sink is the usage repository of a SQLite database file, write
   * from a worker thread (default true). false: on the main thread, in small
   * statements with event-loop turns between them.
   */
  sqliteWorker?: boolean;
}

export interface UsageWriterStats {
  buffered: number;
  written: number;
  dropped: number;
  failedWrites: number;
  lastError: string | undefined;
  /** Batches go to a worker thread (SQLite file); false until the first write decides. */
  offThread: boolean;
}

export class UsageWriter {
  readonly #sink: Pick<UsageLogsRepo, 'insertMany'>;
  readonly #batchSize: number;
  readonly #maxRowsPerWrite: number;
  readonly #maxBuffered: number;
  readonly #intervalMs: number;
  readonly #maxBackoffMs: number;
  readonly #closeAttempts: number;
  readonly #onError: (err: unknown) => void;
  readonly #offload: UsageOffload | undefined;
  /** undefined: not decided yet (first write); null: write through the sink. */
  #thread: SqliteUsageThread | null | undefined;

  #buffer: UsageRow[] = [];
  #inFlight = 0;
  #chain: Promise<void> = Promise.resolve();
  #flushQueued = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #failStreak = 0;
  #retryAt = 0;
  #stats = { written: 0, dropped: 0, failedWrites: 0, lastError: undefined as string | undefined };

  constructor(sink: Pick<UsageLogsRepo, 'insertMany'>, opts: UsageWriterOptions = {}) {
    this.#sink = sink;
    this.#intervalMs = Math.max(1, opts.intervalMs ?? 200);
    this.#batchSize = Math.max(1, opts.batchSize ?? 500);
    this.#maxRowsPerWrite = Math.max(1, opts.maxRowsPerWrite ?? 1000);
    this.#maxBuffered = Math.max(1, opts.maxBuffered ?? 100_000);
    this.#maxBackoffMs = opts.maxBackoffMs ?? 5000;
    this.#closeAttempts = Math.max(1, opts.closeAttempts ?? 3);
    this.#onError =
      opts.onError ?? ((err) => console.error(`[waystation] usage log write failed (will retry): ${describeError(err)}`));
    const offload = opts.sqliteWorker === false ? undefined : offloadOf(sink);
    this.#offload = offload?.database.kind === 'sqlite' ? offload : undefined;
    if (!this.#offload) this.#thread = null;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Queues one row. Never blocks, never throws. */
  push(row: NewUsageLog): void {
    if (this.#closed || this.#buffer.length + this.#inFlight >= this.#maxBuffered) {
      this.#stats.dropped++;
      return;
    }
    let normal: UsageRow;
    try {
      normal = normalizeUsageRow(row);
    } catch {
      this.#stats.dropped++;
      return;
    }
    this.#buffer.push(normal);
    if (this.#buffer.length >= this.#batchSize) this.#tick();
  }

  /** Writes everything buffered now; rejects if a write fails (the rows stay queued). */
  flush(): Promise<void> {
    return this.#serial(async () => {
      while (this.#buffer.length > 0) await this.#writeBatch();
    });
  }

  /** Stops the timer and writes everything left; rejects if rows could not be written. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.flush();
          return;
        } catch (err) {
          if (attempt >= this.#closeAttempts) {
            const lost = this.#buffer.length;
            this.#stats.dropped += lost;
            this.#buffer = [];
            throw new DatabaseError(`usage log: ${lost} rows not written at close (${describeError(err)})`, { cause: err });
          }
          await new Promise((r) => setTimeout(r, 100 * attempt));
        }
      }
    } finally {
      await this.#thread?.close();
    }
  }

  stats(): UsageWriterStats {
    return { buffered: this.#buffer.length + this.#inFlight, ...this.#stats, offThread: Boolean(this.#thread) };
  }

  #tick(): void {
    if (this.#flushQueued || this.#buffer.length === 0 || Date.now() < this.#retryAt) return;
    this.#flushQueued = true;
    this.#serial(async () => {
      this.#flushQueued = false;
      if (this.#buffer.length > 0) await this.#writeBatch();
      // A full backlog keeps draining without waiting for the next tick,
      // letting requests run in between.
      if (this.#buffer.length >= this.#batchSize) setImmediate(() => this.#tick());
    }).catch(() => {
      // already reported through onError; the rows are back in the buffer
    });
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  async #writeBatch(): Promise<void> {
    const batch = this.#buffer.length <= this.#maxRowsPerWrite ? this.#buffer : this.#buffer.slice(0, this.#maxRowsPerWrite);
    this.#buffer = batch === this.#buffer ? [] : this.#buffer.slice(batch.length);
    this.#inFlight = batch.length;
    try {
      await this.#insert(batch);
      this.#stats.written += batch.length;
      this.#failStreak = 0;
      this.#retryAt = 0;
    } catch (err) {
      // Back to the front, in order; push() kept buffer + in-flight under the bound.
      this.#buffer = batch.concat(this.#buffer);
      this.#stats.failedWrites++;
      this.#stats.lastError = describeError(err);
      this.#failStreak++;
      this.#retryAt = Date.now() + Math.min(this.#maxBackoffMs, this.#intervalMs * 2 ** this.#failStreak);
      this.#onError(err);
      throw err;
    } finally {
      this.#inFlight = 0;
    }
  }

  /** One batch, one transaction: on the worker when there is one, else through the sink. */
  async #insert(batch: UsageRow[]): Promise<void> {
    const thread = this.#thread === undefined ? await this.#startThread() : this.#thread;
    if (!thread) return this.#sink.insertMany(batch);
    let charged;
    try {
      charged = await thread.write(batch);
    } catch (err) {
      if (!(err instanceof UsageWorkerStartError)) throw toStoreError(err, `${batch.length} usage rows`);
      // Without a worker the rows still get written, only on this thread.
      this.#thread = null;
      this.#onError(new Error(`${err.message}; writing usage logs on the main thread`, { cause: err }));
      return this.#sink.insertMany(batch);
    }
    this.#offload!.publishCharged(charged);
  }

  /** The database file's path decides: a file gets a worker, ":memory:" / temp databases do not. */
  async #startThread(): Promise<SqliteUsageThread | null> {
    const database = this.#offload!.database;
    const [files, timeout] = await Promise.all([
      sql<{ name: string; file: string }>`pragma database_list`.execute(database.db),
      sql<{ timeout: number }>`pragma busy_timeout`.execute(database.db),
    ]).catch((err: unknown) => {
      throw toStoreError(err, 'usage log database');
    });
    const file = files.rows.find((r) => r.name === 'main')?.file ?? '';
    const busyTimeoutMs = Number(timeout.rows[0]?.timeout ?? 5000);
    this.#thread =
      file === ''
        ? null
        : new SqliteUsageThread({
            file,
            busyTimeoutMs,
            committed: (first, watermark) => batchCommitted(database.db, first, watermark),
          });
    return this.#thread;
  }
}
