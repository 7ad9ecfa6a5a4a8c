// The main-thread side of the SQLite usage worker (sqlite-usage-worker.ts):
// starts it on first use, hands it one batch at a time (structured clone of
// plain rows) and answers with what the committed batch charged, or the
// driver's error (the transaction rolled back: nothing was written).
//
// The worker is unref'd while idle, so it never keeps the process alive. If
// it dies with a batch in flight, the batch may or may not have committed:
// `committed()` looks for the batch's first row above the id watermark the
// worker last reported, so a retry never charges twice.
import type { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { siblingModule, startModuleWorker } from './module-worker.js';
import { chargedIds } from './repos/usage-batch.js';
import type { ChargedIds, UsageRow } from './repos/usage-batch.js';
import type { Schema } from './schema.js';

export interface UsageWorkerData {
  file: string;
  busyTimeoutMs: number;
}
export type ToUsageWorker =
  | { type: 'rows'; id: number; rows: UsageRow[] } // part of batch `id`, in order
  | { type: 'write'; id: number; count: number } // every part sent: write batch `id` (`count` rows)
  | { type: 'close' };
export type FromUsageWorker =
  | { type: 'ready'; watermark: number }
  | { type: 'written'; id: number; charged: ChargedIds; watermark: number | undefined }
  | { type: 'failed'; id: number; error: WorkerErrorInfo };
/** A driver error, flattened (structured clone would drop `code`). */
export interface WorkerErrorInfo {
  name: string;
  message: string;
  code: string | undefined;
  errno: number | undefined;
}

/** The worker could not be started (module not loadable, file not openable…). */
export class UsageWorkerStartError extends Error {
  override readonly name = 'UsageWorkerStartError';
}

export interface SqliteUsageThreadOptions {
  /** Absolute path of the database file (not ":memory:"). */
  file: string;
  busyTimeoutMs?: number;
  /** Did a batch commit? Look for its first row with an id above `watermark` (main connection). */
  committed(first: UsageRow, watermark: number): Promise<boolean>;
  /** Longest wait for the worker to close its connection before it is terminated (default 5000 ms). */
  closeTimeoutMs?: number;
  /** The worker module (default sqlite-usage-worker next to this file; tests swap in a failing one). */
  entry?: URL;
}

interface Pending {
  id: number;
  rows: UsageRow[];
  resolve(charged: ChargedIds): void;
  reject(err: Error): void;
}

const WORKER_ENTRY = siblingModule(import.meta.url, 'sqlite-usage-worker');
const SETTLE_ATTEMPTS = 5;
/**
 * Rows per message. Cloning costs ~1 µs a row on the sending thread, so a
 * batch goes in parts with an event-loop turn between them: no single
 * postMessage holds up requests for more than ~0.1 ms.
 */
const ROWS_PER_MESSAGE = 100;

export class SqliteUsageThread {
  readonly #opts: SqliteUsageThreadOptions;
  #worker: Worker | undefined;
  #starting: Promise<Worker> | undefined;
  #pending: Pending | undefined;
  #watermark = 0;
  #seq = 0;
  #closed = false;

  constructor(opts: SqliteUsageThreadOptions) {
    this.#opts = opts;
  }

  /**
   * Writes the rows and their charges in one transaction on the worker and
   * resolves with what it charged; rejects with the driver's error (nothing
   * written) or UsageWorkerStartError. One batch at a time.
   */
  async write(rows: UsageRow[]): Promise<ChargedIds> {
    if (this.#closed) throw new Error('usage worker is closed');
    if (this.#pending) throw new Error('usage worker: one batch at a time');
    const worker = await this.#start();
    const id = ++this.#seq;
    const answered = new Promise<ChargedIds>((resolve, reject) => {
      this.#pending = { id, rows, resolve, reject };
    });
    worker.ref(); // an unanswered batch keeps the process alive
    for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      // (A worker that died meanwhile ignores this; its exit settles the batch.)
      worker.postMessage({ type: 'rows', id, rows: rows.slice(i, i + ROWS_PER_MESSAGE) } satisfies ToUsageWorker);
    }
    worker.postMessage({ type: 'write', id, count: rows.length } satisfies ToUsageWorker);
    return answered;
  }

  /** Closes the worker's connection and ends it (terminates it after closeTimeoutMs). */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker ?? (await this.#starting?.catch(() => undefined));
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToUsageWorker);
    const timer = setTimeout(() => void worker.terminate(), this.#opts.closeTimeoutMs ?? 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Ends the worker at once, mid-batch or not (a batch in flight is then settled). */
  async terminate(): Promise<void> {
    await this.#worker?.terminate();
  }

  #start(): Promise<Worker> {
    if (this.#worker) return Promise.resolve(this.#worker);
    return (this.#starting ??= new Promise<Worker>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = startModuleWorker(this.#opts.entry ?? WORKER_ENTRY, {
          workerData: { file: this.#opts.file, busyTimeoutMs: this.#opts.busyTimeoutMs ?? 5000 } satisfies UsageWorkerData,
        });
      } catch (err) {
        this.#starting = undefined;
        reject(new UsageWorkerStartError(`usage worker did not start: ${message(err)}`, { cause: err }));
        return;
      }
      let ready = false;
      let lastError: unknown;
      worker.on('message', (msg: FromUsageWorker) => {
        if (msg.type === 'ready') {
          ready = true;
          this.#watermark = msg.watermark;
          this.#worker = worker;
          this.#starting = undefined;
          worker.unref();
          resolve(worker);
        } else this.#answer(msg);
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      worker.on('exit', (code) => {
        if (this.#worker === worker) this.#worker = undefined;
        if (!ready) {
          this.#starting = undefined;
          const why = lastError === undefined ? `exited with code ${code}` : message(lastError);
          reject(new UsageWorkerStartError(`usage worker did not start: ${why}`, { cause: lastError }));
          return;
        }
        const pending = this.#pending;
        if (pending) void this.#settle(pending, lastError ?? new Error(`usage worker exited with code ${code}`));
      });
    }));
  }

  #answer(msg: Exclude<FromUsageWorker, { type: 'ready' }>): void {
    const pending = this.#pending;
    if (!pending || pending.id !== msg.id) return;
    this.#pending = undefined;
    this.#worker?.unref();
    if (msg.type === 'written') {
      if (msg.watermark !== undefined) this.#watermark = msg.watermark;
      pending.resolve(msg.charged);
    } else {
      pending.reject(Object.assign(new Error(msg.error.message), msg.error));
    }
  }

  /** The worker died with `pending` unanswered: find out whether it committed. */
  async #settle(pending: Pending, cause: unknown): Promise<void> {
    const first = pending.rows[0];
    for (let attempt = 1; ; attempt++) {
      try {
        const committed = first !== undefined && (await this.#opts.committed(first, this.#watermark));
        this.#pending = undefined;
        if (committed) pending.resolve(chargedIds(pending.rows));
        else pending.reject(new Error(`usage worker died before committing: ${message(cause)}`, { cause }));
        return;
      } catch (err) {
        if (attempt >= SETTLE_ATTEMPTS) {
          // Rows stay queued; should the batch have committed, a retry would charge it twice.
          this.#pending = undefined;
          pending.reject(new Error(`usage worker died and the batch could not be checked (${message(err)}); it will be retried`, { cause: err }));
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}

/**
 * Whether the batch that starts with `first` committed: its rows got ids above
 * the watermark (the largest id before it was sent), in one transaction.
 */
export async function batchCommitted(db: Kysely<Schema>, first: UsageRow, watermark: number): Promise<boolean> {
  const hit = await db
    .selectFrom('usage_logs')
    .select('id')
    .where('id', '>', watermark)
    .where('request_id', '=', first.request_id)
    .where('created_at', '=', first.created_at)
    .limit(1)
    .executeTakeFirst();
  return hit !== undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
