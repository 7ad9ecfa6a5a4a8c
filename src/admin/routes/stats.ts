// GET /api/stats: totals over a time range, the top models and tokens, and a
// per-day series. Same filters and scoping as /api/logs (a user sees only
// their own usage). Read from the daily rollups when the range is whole UTC
// days without a status filter, else from the logs; `source=` forces one.
// `series` is the same sums per `bucket` (day, or hour — hours come from the
// logs only) with the average latency beside them; `latency` sums up the
// timings of the answered requests (always from the logs: rollups keep none).
import type { FastifyInstance } from 'fastify';
import { actorOf, type AdminContext } from '../context.js';
import { invalid, ok } from '../envelope.js';
import { microsToUnits, microsToUsd } from '../units.js';
import { usageFilterFor } from '../usage-filter.js';
import { latencyByBucket, logLatency } from '../usage-latency.js';
import { DAY_MS, HOUR_MS, logsByBucket, type UsageSums } from '../usage-queries.js';
import { pickSource, usageReader, type UsageSource } from '../usage-stats.js';
import { optionalInt, queryOf } from '../validate.js';

const DEFAULT_DAYS = 7;

function withMoney<T extends UsageSums>(x: T) {
  return { ...x, total_tokens: x.input_tokens + x.output_tokens, cost_usd: microsToUsd(x.cost_micros) };
}

function sourceParam(raw: string | undefined): UsageSource | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'daily' || raw === 'logs') return raw;
  throw invalid('source', `expected "daily" or "logs", got ${JSON.stringify(raw)}`);
}

type Bucket = 'day' | 'hour';

function bucketParam(raw: string | undefined): Bucket {
  if (raw === undefined || raw === '' || raw === 'day') return 'day';
  if (raw === 'hour') return 'hour';
  throw invalid('bucket', `expected "day" or "hour", got ${JSON.stringify(raw)}`);
}

async function tokenNames(ctx: AdminContext, ids: number[]): Promise<Map<number, string>> {
  const wanted = ids.filter((id) => id > 0);
  if (wanted.length === 0) return new Map();
  const rows = await ctx.database.db.selectFrom('tokens').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

export function registerStatsRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/stats', async (req) => {
    const actor = actorOf(req);
    const q = queryOf(req);
    const filter = await usageFilterFor(ctx, actor, q);
    // Default: the last 7 UTC days, today included.
    const tonight = ctx.now() - (ctx.now() % DAY_MS) + DAY_MS;
    const to = filter.to ?? (filter.from !== undefined ? Math.max(tonight, filter.from + DAY_MS) : tonight);
    const from = filter.from ?? to - DEFAULT_DAYS * DAY_MS;
    const ranged = { ...filter, from, to };
    const asked = sourceParam(q.source);
    if (asked === 'daily' && filter.status !== undefined) throw invalid('source', 'the daily rollups cannot filter by status; use source=logs');
    const bucket = bucketParam(q.bucket);
    if (asked === 'daily' && bucket === 'hour') throw invalid('source', 'the daily rollups cannot be split by hour; use source=logs');
    const source = bucket === 'hour' ? 'logs' : pickSource(ranged, asked);
    const bucketMs = bucket === 'hour' ? HOUR_MS : DAY_MS;
    const top = Math.min(100, optionalInt('top', q.top, 1) ?? 10);

    const reader = usageReader({ repos: ctx.repos, db: ctx.database.db }, ranged, source);
    const [totals, models, tokens, days, hours, latency, latencies] = await Promise.all([
      reader.totals(),
      reader.byModel(),
      reader.byToken(),
      reader.byDay(),
      bucket === 'hour' ? logsByBucket(ctx.database.db, ranged, HOUR_MS) : undefined,
      logLatency(ctx.database.db, ranged),
      latencyByBucket(ctx.database.db, ranged, bucketMs),
    ]);
    const buckets = hours ?? days.map(({ day, ...sums }) => ({ start: day, ...sums }));
    const latencyAt = new Map(latencies.map((l) => [l.start, l]));
    const topModels = models.sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model)).slice(0, top);
    const topTokens = tokens.sort((a, b) => b.cost_micros - a.cost_micros || b.requests - a.requests).slice(0, top);
    const names = await tokenNames(ctx, topTokens.map((t) => t.token_id));

    return ok({
      source,
      from,
      to,
      totals: { ...withMoney(totals), quota: microsToUnits(totals.cost_micros) },
      top_models: topModels.map(withMoney),
      top_tokens: topTokens.map((t) => ({ ...withMoney(t), token_name: names.get(t.token_id) ?? null })),
      daily: days.map((d) => ({ date: new Date(d.day).toISOString().slice(0, 10), ...withMoney(d) })),
      bucket,
      series: buckets.map((b) => ({
        ...withMoney(b),
        latency_ms_avg: latencyAt.get(b.start)?.latency_ms_avg ?? null,
        first_byte_ms_avg: latencyAt.get(b.start)?.first_byte_ms_avg ?? null,
      })),
      latency,
    });
  });
}
