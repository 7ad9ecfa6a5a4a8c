// Reads over usage_logs: filtered pages for /api/logs, and the sums the stats
// and billing routes fall back to when the daily rollups cannot answer (a
// status filter, or a range that does not fall on UTC midnights). Plain
// aggregate SQL that SQLite, PostgreSQL and MySQL all accept; sums are NULL on
// an empty range, hence the coalesce.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Schema, UsageLogRow } from '../store/schema.js';

export interface UsageFilter {
  tokenId?: number;
  userId?: number;
  /** Matches the model asked for or the model served. */
  model?: string;
  channelId?: number;
  /** An exact HTTP status, or every success (< 400) / every error (≥ 400). */
  status?: number | 'success' | 'error';
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

type Db = Kysely<Schema>;
type UsageQuery = SelectQueryBuilder<Schema, 'usage_logs', {}>;

export function filtered(db: Db, f: UsageFilter): UsageQuery {
  let qb: UsageQuery = db.selectFrom('usage_logs');
  if (f.tokenId !== undefined) qb = qb.where('token_id', '=', f.tokenId);
  if (f.userId !== undefined) qb = qb.where('user_id', '=', f.userId);
  if (f.model !== undefined) {
    const m = f.model;
    qb = qb.where((eb) => eb.or([eb('model_requested', '=', m), eb('model_served', '=', m)]));
  }
  if (f.channelId !== undefined) qb = qb.where('channel_id', '=', f.channelId);
  if (f.status === 'success') qb = qb.where('status', '<', 400);
  else if (f.status === 'error') qb = qb.where('status', '>=', 400);
  else if (f.status !== undefined) qb = qb.where('status', '=', f.status);
  if (f.from !== undefined) qb = qb.where('created_at', '>=', f.from);
  if (f.to !== undefined) qb = qb.where('created_at', '<', f.to);
  return qb;
}

export async function queryLogs(db: Db, f: UsageFilter, offset: number, limit: number): Promise<{ items: UsageLogRow[]; total: number }> {
  const base = filtered(db, f);
  const [items, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

// Aggregates, named as the usage_daily rollup names them, so both sources agree:
// input = uncached + cached + cache writes; output = text + image + reasoning;
// an error is a status ≥ 400, or 0 (never answered).
const requests = sql<number>`count(*)`;
const errors = sql<number>`coalesce(sum(case when status >= 400 or status = 0 then 1 else 0 end), 0)`;
const cost = sql<number>`coalesce(sum(cost_micros), 0)`;
const input = sql<number>`coalesce(sum(input_tokens + cached_input_tokens + cache_write_tokens), 0)`;
const output = sql<number>`coalesce(sum(output_text_tokens + output_image_tokens + reasoning_tokens), 0)`;
const images = sql<number>`coalesce(sum(image_count), 0)`;
/** The start (epoch ms) of the UTC hour or day a row falls in; integer arithmetic every backend does alike. */
export const bucketStart = (bucketMs: number) => sql<number>`created_at - (created_at % ${sql.lit(bucketMs)})`;
const dayStart = bucketStart(DAY_MS);

/** Sums over a slice of usage: the same shape whether read from logs or rollups. */
export interface UsageSums {
  requests: number;
  errors: number;
  cost_micros: number;
  input_tokens: number;
  output_tokens: number;
  images: number;
}

const sums = () => [
  requests.as('requests'),
  errors.as('errors'),
  cost.as('cost_micros'),
  input.as('input_tokens'),
  output.as('output_tokens'),
  images.as('images'),
] as const;

function toSums(r: Record<string, unknown>): UsageSums {
  const n = (v: unknown) => Number(v ?? 0) || 0;
  return {
    requests: n(r.requests),
    errors: n(r.errors),
    cost_micros: n(r.cost_micros),
    input_tokens: n(r.input_tokens),
    output_tokens: n(r.output_tokens),
    images: n(r.images),
  };
}

export async function logTotals(db: Db, f: UsageFilter): Promise<UsageSums> {
  return toSums(await filtered(db, f).select(sums()).executeTakeFirstOrThrow());
}

export async function logsByModel(db: Db, f: UsageFilter): Promise<Array<UsageSums & { model: string }>> {
  const rows = await filtered(db, f).select(['model_requested', ...sums()]).groupBy('model_requested').execute();
  return rows.map((r) => ({ model: r.model_requested ?? '', ...toSums(r) }));
}

export async function logsByToken(db: Db, f: UsageFilter): Promise<Array<UsageSums & { token_id: number }>> {
  const rows = await filtered(db, f).select(['token_id', ...sums()]).groupBy('token_id').execute();
  return rows.map((r) => ({ token_id: r.token_id === null ? 0 : Number(r.token_id), ...toSums(r) }));
}

/** Per UTC day (epoch ms of midnight), oldest first. */
export async function logsByDay(db: Db, f: UsageFilter): Promise<Array<UsageSums & { day: number }>> {
  const rows = await filtered(db, f).select([dayStart.as('day'), ...sums()]).groupBy(dayStart).orderBy(dayStart).execute();
  return rows.map((r) => ({ day: Number(r.day), ...toSums(r) }));
}

/** Per UTC hour or day (`bucketMs` = HOUR_MS or DAY_MS): epoch ms of the bucket's start, oldest first. */
export async function logsByBucket(db: Db, f: UsageFilter, bucketMs: number): Promise<Array<UsageSums & { start: number }>> {
  const start = bucketStart(bucketMs);
  const rows = await filtered(db, f).select([start.as('start'), ...sums()]).groupBy(start).orderBy(start).execute();
  return rows.map((r) => ({ start: Number(r.start), ...toSums(r) }));
}

/** Cost per UTC day and model requested. */
export async function logsCostByDayModel(db: Db, f: UsageFilter): Promise<Array<{ day: number; model: string; cost_micros: number }>> {
  const rows = await filtered(db, f)
    .select([dayStart.as('day'), 'model_requested', cost.as('cost_micros')])
    .groupBy([dayStart, 'model_requested'])
    .orderBy(dayStart)
    .orderBy('model_requested')
    .execute();
  return rows.map((r) => ({ day: Number(r.day), model: r.model_requested ?? '', cost_micros: Number(r.cost_micros) || 0 }));
}
