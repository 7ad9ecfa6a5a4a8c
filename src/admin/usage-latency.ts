// Latency figures for /api/stats, always from usage_logs (the daily rollups
// keep no timings). Only answered requests count (0 < status < 400): refusals
// and failures return in a millisecond or after a timeout and would drown the
// picture of how fast the upstreams answer. Percentiles are read by rank
// (ORDER BY … LIMIT 1 OFFSET k), which SQLite, PostgreSQL and MySQL all run.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { bucketStart, filtered, type UsageFilter } from './usage-queries.js';

type Db = Kysely<Schema>;

export interface LatencySummary {
  /** Answered requests the figures are over. */
  samples: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  /** Time to the first byte sent back (streams and whole answers alike), where recorded. */
  first_byte_avg_ms: number | null;
}

export interface LatencyBucket {
  start: number;
  samples: number;
  latency_ms_avg: number | null;
  first_byte_ms_avg: number | null;
}

const answered = (db: Db, f: UsageFilter) => filtered(db, f).where('status', '>', 0).where('status', '<', 400);

// avg() is numeric (a string) on PostgreSQL and decimal on MySQL; NULL when nothing matched.
const avgOf = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

const latencySums = () =>
  [sql<number>`count(*)`.as('samples'), sql<number | null>`avg(latency_ms)`.as('latency'), sql<number | null>`avg(first_byte_ms)`.as('first_byte')] as const;

/** The latency at rank `fraction` (nearest rank, rounded down) among `samples` answered rows. */
async function percentile(db: Db, f: UsageFilter, samples: number, fraction: number): Promise<number | null> {
  if (samples === 0) return null;
  const row = await answered(db, f)
    .select('latency_ms')
    .orderBy('latency_ms')
    .limit(1)
    .offset(Math.floor((samples - 1) * fraction))
    .executeTakeFirst();
  return row ? Number(row.latency_ms) : null;
}

export async function logLatency(db: Db, f: UsageFilter): Promise<LatencySummary> {
  const r = await answered(db, f).select(latencySums()).executeTakeFirstOrThrow();
  const samples = Number(r.samples) || 0;
  const [p50, p95] = await Promise.all([percentile(db, f, samples, 0.5), percentile(db, f, samples, 0.95)]);
  return { samples, avg_ms: avgOf(r.latency), p50_ms: p50, p95_ms: p95, first_byte_avg_ms: avgOf(r.first_byte) };
}

/** Average latency per UTC hour or day (buckets with no answered request are absent), oldest first. */
export async function latencyByBucket(db: Db, f: UsageFilter, bucketMs: number): Promise<LatencyBucket[]> {
  const start = bucketStart(bucketMs);
  const rows = await answered(db, f).select([start.as('start'), ...latencySums()]).groupBy(start).orderBy(start).execute();
  return rows.map((r) => ({
    start: Number(r.start),
    samples: Number(r.samples) || 0,
    latency_ms_avg: avgOf(r.latency),
    first_byte_ms_avg: avgOf(r.first_byte),
  }));
}
