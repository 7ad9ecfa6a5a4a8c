// Usage logs: one row per request. Written in multi-row batches (see
// ../usage-writer.ts) together with the charges they record and the daily
// rollups, read with filters and paging, pruned by age.
import { sql } from 'kysely';
import { ThrottledPublisher } from '../change-throttle.js';
import type { UsageDailyKey, UsageLogsRepo } from '../repositories.js';
import type { NewUsageLog, UsageDailyRow } from '../schema.js';
import { attachOffload } from '../usage-offload.js';
import { USAGE_ROWS_PER_STATEMENT, writeUsageBatch } from './usage-batch.js';
import type { ChargedIds, UsageBatchOptions, UsageRow } from './usage-batch.js';
import { countAll, guard, page } from './support.js';
import type { RepoContext } from './support.js';

export { USAGE_ROWS_PER_STATEMENT } from './usage-batch.js';
/** SQLite on the main thread: small enough that one statement blocks the event loop ~1 ms. */
const SQLITE_ROWS_PER_STATEMENT = 100;

const INT32_MAX = 2_147_483_647;

/** A whole number that fits the column; junk (NaN, strings) becomes the fallback. */
function int(v: unknown, fallback: number, max = INT32_MAX): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(-max, Math.round(n)));
}
function intOrNull(v: unknown, max = INT32_MAX): number | null {
  return v === null || v === undefined ? null : int(v, 0, max);
}
/** varchar(255) columns: PostgreSQL and strict MySQL reject longer values. */
function str(v: unknown, fallback = ''): string {
  const s = typeof v === 'string' ? v : v === null || v === undefined ? fallback : String(v);
  return s.length > 255 ? s.slice(0, 255) : s;
}
function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}
function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
}
function ratio(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

/**
 * Every column present, explicit and of a type every backend accepts, so a
 * multi-row VALUES list is uniform and one odd row cannot fail a whole batch.
 */
export function normalizeUsageRow(r: NewUsageLog): UsageRow {
  const big = Number.MAX_SAFE_INTEGER;
  return {
    request_id: str(r.request_id),
    created_at: int(r.created_at, Date.now(), big),
    token_id: intOrNull(r.token_id),
    user_id: intOrNull(r.user_id),
    token_name: strOrNull(r.token_name),
    route: str(r.route),
    model_requested: strOrNull(r.model_requested),
    model_served: strOrNull(r.model_served),
    channel_id: intOrNull(r.channel_id),
    attempts: textOrNull(r.attempts),
    status: int(r.status, 0),
    error: textOrNull(r.error),
    is_stream: r.is_stream ? 1 : 0,
    input_tokens: int(r.input_tokens, 0),
    cached_input_tokens: int(r.cached_input_tokens, 0),
    cache_write_tokens: int(r.cache_write_tokens, 0),
    output_text_tokens: int(r.output_text_tokens, 0),
    output_image_tokens: int(r.output_image_tokens, 0),
    reasoning_tokens: int(r.reasoning_tokens, 0),
    image_count: int(r.image_count, 0),
    image_size: strOrNull(r.image_size),
    aspect_ratio: strOrNull(r.aspect_ratio),
    // Never negative: a usage row only ever charges.
    cost_micros: Math.max(0, int(r.cost_micros, 0, big)),
    group_ratio: ratio(r.group_ratio),
    cost_detail: textOrNull(r.cost_detail),
    latency_ms: int(r.latency_ms, 0),
    first_byte_ms: intOrNull(r.first_byte_ms),
    client_ip: strOrNull(r.client_ip),
  };
}

/** Rows deleted per statement when pruning: small enough not to stall SQLite. */
const PRUNE_SLICE = 2000;
const DAILY_KEYS: readonly UsageDailyKey[] = ['day', 'token_id', 'user_id', 'model', 'channel_id'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface UsageLogsRepoOptions {
  /** Least time between two cache events for one token or user (default 1000 ms). */
  chargeEventIntervalMs?: number;
}

export function createUsageLogsRepo(ctx: RepoContext, opts: UsageLogsRepoOptions = {}): UsageLogsRepo {
  const { database } = ctx;
  const db = database.db;
  const events = new ThrottledPublisher(ctx.bus, opts.chargeEventIntervalMs ?? 1000);

  // better-sqlite3 runs each statement synchronously and Kysely's awaits
  // resolve as microtasks, so a whole transaction would be one event-loop
  // block. On SQLite, smaller statements with a macrotask turn between them
  // let requests run while a batch is written (the transaction stays one).
  // (A UsageWriter on a SQLite file skips this: it writes from a worker thread.)
  const sqlite = database.kind === 'sqlite';
  const batchOptions: UsageBatchOptions = sqlite
    ? { rowsPerStatement: SQLITE_ROWS_PER_STATEMENT, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) }
    : { rowsPerStatement: USAGE_ROWS_PER_STATEMENT };

  function publishCharged(ids: ChargedIds): void {
    for (const id of ids.tokens) events.publish({ entity: 'token', id });
    for (const id of ids.users) events.publish({ entity: 'user', id });
  }

  const repo: UsageLogsRepo = {
    async insertMany(rows) {
      if (rows.length === 0) return;
      const values = rows.map(normalizeUsageRow);
      publishCharged(await guard(`${rows.length} usage rows`, () => writeUsageBatch(db, database.kind, values, batchOptions)));
    },

    query: (q) =>
      guard('usage logs', async () => {
        let base = db.selectFrom('usage_logs');
        if (q.tokenId !== undefined) base = base.where('token_id', '=', q.tokenId);
        if (q.userId !== undefined) base = base.where('user_id', '=', q.userId);
        if (q.model !== undefined) base = base.where('model_requested', '=', q.model);
        if (q.channelId !== undefined) base = base.where('channel_id', '=', q.channelId);
        if (q.status !== undefined) base = base.where('status', '=', q.status);
        if (q.from !== undefined) base = base.where('created_at', '>=', q.from);
        if (q.to !== undefined) base = base.where('created_at', '<', q.to);
        const [items, count] = await Promise.all([
          page(base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'), q.offset, q.limit ?? 50).execute(),
          base.select(countAll()).executeTakeFirstOrThrow(),
        ]);
        return { items, total: Number(count.n) };
      }),

    pruneBefore: (cutoffMs) =>
      guard('usage logs', async () => {
        let total = 0;
        for (;;) {
          const ids = await db.selectFrom('usage_logs').select('id').where('created_at', '<', cutoffMs).limit(PRUNE_SLICE).execute();
          if (ids.length === 0) break;
          const res = await db
            .deleteFrom('usage_logs')
            .where('id', 'in', ids.map((r) => r.id))
            .executeTakeFirst();
          total += Number(res.numDeletedRows);
          if (ids.length < PRUNE_SLICE) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        return total;
      }),

    async daily(q) {
      for (const [field, day] of [['from', q.from], ['to', q.to]] as const) {
        if (day !== undefined && !DAY.test(day)) throw new RangeError(`usage rollups: "${field}" must be YYYY-MM-DD (got ${JSON.stringify(day)})`);
      }
      return guard('usage rollups', async () => {
        const keys = DAILY_KEYS.filter((k) => (q.groupBy ?? DAILY_KEYS).includes(k));
        let base = db.selectFrom('usage_daily');
        if (q.from !== undefined) base = base.where('day', '>=', q.from);
        if (q.to !== undefined) base = base.where('day', '<=', q.to);
        if (q.tokenId !== undefined) base = base.where('token_id', '=', q.tokenId);
        if (q.userId !== undefined) base = base.where('user_id', '=', q.userId);
        if (q.model !== undefined) base = base.where('model', '=', q.model);
        if (q.channelId !== undefined) base = base.where('channel_id', '=', q.channelId);
        let select = base.select([
          sql<number>`sum(requests)`.as('requests'),
          sql<number>`sum(errors)`.as('errors'),
          sql<number>`sum(input_tokens)`.as('input_tokens'),
          sql<number>`sum(output_tokens)`.as('output_tokens'),
          sql<number>`sum(image_count)`.as('image_count'),
          sql<number>`sum(cost_micros)`.as('cost_micros'),
        ]);
        if (keys.length > 0) {
          select = select.select(keys).groupBy(keys);
          for (const k of keys) select = select.orderBy(k);
        }
        const rows = (await select.execute()) as Array<Partial<UsageDailyRow> & Record<string, unknown>>;
        return rows
          .filter((r) => r.requests !== null && r.requests !== undefined) // sum() over no rows is one NULL row
          .map((r) => ({
            day: keys.includes('day') ? String(r.day) : '',
            token_id: keys.includes('token_id') ? Number(r.token_id) : 0,
            user_id: keys.includes('user_id') ? Number(r.user_id) : 0,
            model: keys.includes('model') ? String(r.model) : '',
            channel_id: keys.includes('channel_id') ? Number(r.channel_id) : 0,
            requests: Number(r.requests),
            errors: Number(r.errors),
            input_tokens: Number(r.input_tokens),
            output_tokens: Number(r.output_tokens),
            image_count: Number(r.image_count),
            cost_micros: Number(r.cost_micros),
          }));
      });
    },

    async pruneDailyBefore(day) {
      if (!DAY.test(day)) throw new RangeError(`usage rollups: prune day must be YYYY-MM-DD (got ${JSON.stringify(day)})`);
      return guard('usage rollups', async () => {
        const res = await db.deleteFrom('usage_daily').where('day', '<', day).executeTakeFirst();
        return Number(res.numDeletedRows);
      });
    },
  };
  return attachOffload(repo, { database, publishCharged });
}
