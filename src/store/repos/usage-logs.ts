// Usage logs: one row per request. Written in multi-row batches (see
// ../usage-writer.ts), read with filters and paging, pruned by age.
import type { UsageLogsRepo } from '../repositories.js';
import type { NewUsageLog } from '../schema.js';
import { countAll, guard, page } from './support.js';
import type { RepoContext } from './support.js';

/**
 * Rows per INSERT statement. 27 columns × 500 = 13,500 parameters: under
 * SQLite's 32,766 and the 65,535 of PostgreSQL and MySQL.
 */
export const USAGE_ROWS_PER_STATEMENT = 500;

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

/**
 * Every column present, explicit and of a type every backend accepts, so a
 * multi-row VALUES list is uniform and one odd row cannot fail a whole batch.
 */
export function normalizeUsageRow(r: NewUsageLog): Omit<NewUsageLog, 'id'> {
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
    cost_micros: int(r.cost_micros, 0, big),
    latency_ms: int(r.latency_ms, 0),
    first_byte_ms: intOrNull(r.first_byte_ms),
    client_ip: strOrNull(r.client_ip),
  };
}

export function createUsageLogsRepo(ctx: RepoContext): UsageLogsRepo {
  const db = ctx.database.db;

  return {
    async insertMany(rows) {
      if (rows.length === 0) return;
      const values = rows.map(normalizeUsageRow);
      await guard(`${rows.length} usage rows`, async () => {
        if (values.length <= USAGE_ROWS_PER_STATEMENT) {
          await db.insertInto('usage_logs').values(values).execute();
          return;
        }
        // One transaction: all chunks land or none (the writer then retries them all).
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < values.length; i += USAGE_ROWS_PER_STATEMENT) {
            await trx.insertInto('usage_logs').values(values.slice(i, i + USAGE_ROWS_PER_STATEMENT)).execute();
          }
        });
      });
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
        const res = await db.deleteFrom('usage_logs').where('created_at', '<', cutoffMs).executeTakeFirst();
        return Number(res.numDeletedRows);
      }),
  };
}
