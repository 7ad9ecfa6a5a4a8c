// Usage sums for /api/stats and the billing usage route, from whichever source
// can answer: the usage_daily rollups (kept longer than the logs, and cheap)
// when the question is in whole UTC days with no status filter, else the logs.
import type { Kysely } from 'kysely';
import type { Repositories } from '../store/repositories.js';
import type { Schema, UsageDailyRow } from '../store/schema.js';
import {
  DAY_MS,
  logsByDay,
  logsByModel,
  logsByToken,
  logsCostByDayModel,
  logTotals,
  type UsageFilter,
  type UsageSums,
} from './usage-queries.js';

export type UsageSource = 'daily' | 'logs';

/** A filter with a closed range, as the stats need it. */
export type RangedFilter = UsageFilter & { from: number; to: number };

export interface UsageReader {
  source: UsageSource;
  totals(): Promise<UsageSums>;
  byModel(): Promise<Array<UsageSums & { model: string }>>;
  byToken(): Promise<Array<UsageSums & { token_id: number }>>;
  /** Per UTC day (epoch ms of midnight), oldest first. */
  byDay(): Promise<Array<UsageSums & { day: number }>>;
  costByDayModel(): Promise<Array<{ day: number; model: string; cost_micros: number }>>;
}

const onMidnight = (ms: number) => ms % DAY_MS === 0;

export function pickSource(f: RangedFilter, asked?: UsageSource): UsageSource {
  if (asked) return asked;
  return f.status === undefined && onMidnight(f.from) && onMidnight(f.to) ? 'daily' : 'logs';
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function rollupSums(r: UsageDailyRow): UsageSums {
  return {
    requests: r.requests,
    errors: r.errors,
    cost_micros: r.cost_micros,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    images: r.image_count,
  };
}

/** Rollups cover whole days: the range reads as the days it touches. */
function dailyReader(repos: Repositories, f: RangedFilter): UsageReader {
  const base = {
    from: utcDay(f.from),
    to: utcDay(f.to - 1),
    tokenId: f.tokenId,
    userId: f.userId,
    model: f.model,
    channelId: f.channelId,
  };
  const read = (groupBy: Array<'day' | 'token_id' | 'model'>) => repos.usageLogs.daily({ ...base, groupBy });
  const empty: UsageSums = { requests: 0, errors: 0, cost_micros: 0, input_tokens: 0, output_tokens: 0, images: 0 };
  return {
    source: 'daily',
    totals: async () => {
      const [row] = await read([]);
      return row ? rollupSums(row) : empty;
    },
    byModel: async () => (await read(['model'])).map((r) => ({ model: r.model, ...rollupSums(r) })),
    byToken: async () => (await read(['token_id'])).map((r) => ({ token_id: r.token_id, ...rollupSums(r) })),
    byDay: async () => (await read(['day'])).map((r) => ({ day: Date.parse(`${r.day}T00:00:00Z`), ...rollupSums(r) })),
    costByDayModel: async () =>
      (await read(['day', 'model'])).map((r) => ({ day: Date.parse(`${r.day}T00:00:00Z`), model: r.model, cost_micros: r.cost_micros })),
  };
}

function logsReader(db: Kysely<Schema>, f: RangedFilter): UsageReader {
  return {
    source: 'logs',
    totals: () => logTotals(db, f),
    byModel: () => logsByModel(db, f),
    byToken: () => logsByToken(db, f),
    byDay: () => logsByDay(db, f),
    costByDayModel: () => logsCostByDayModel(db, f),
  };
}

export function usageReader(deps: { repos: Repositories; db: Kysely<Schema> }, f: RangedFilter, source: UsageSource): UsageReader {
  return source === 'daily' ? dailyReader(deps.repos, f) : logsReader(deps.db, f);
}
