// The dashboard's time ranges: the last 24 hours by hour (read from the logs),
// or the last 7 / 30 UTC days by day (the daily rollups answer those).
import type { SeriesPoint } from './stats-shapes';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const RANGE_KEYS = ['24h', '7d', '30d'] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];
export const DEFAULT_RANGE: RangeKey = '7d';

export interface TimeRange {
  key: RangeKey;
  from: number;
  /** Exclusive. */
  to: number;
  bucket: 'hour' | 'day';
  bucketMs: number;
}

export function isRangeKey(v: string | null): v is RangeKey {
  return (RANGE_KEYS as readonly string[]).includes(v ?? '');
}

/** The range ending with the current hour (24h) or the current UTC day, as whole buckets. */
export function rangeFor(key: RangeKey, now: number): TimeRange {
  if (key === '24h') {
    const to = now - (now % HOUR_MS) + HOUR_MS;
    return { key, from: to - 24 * HOUR_MS, to, bucket: 'hour', bucketMs: HOUR_MS };
  }
  const days = key === '7d' ? 7 : 30;
  const to = now - (now % DAY_MS) + DAY_MS;
  return { key, from: to - days * DAY_MS, to, bucket: 'day', bucketMs: DAY_MS };
}

/** One point per bucket of the range, zeros where nothing happened, so the time axis is even. */
export function fillSeries(series: SeriesPoint[], range: Pick<TimeRange, 'from' | 'to' | 'bucketMs'>): SeriesPoint[] {
  const at = new Map(series.map((p) => [p.start, p]));
  const out: SeriesPoint[] = [];
  for (let start = range.from; start < range.to; start += range.bucketMs) {
    out.push(
      at.get(start) ?? {
        start,
        requests: 0,
        errors: 0,
        cost_micros: 0,
        cost_usd: 0,
        input_tokens: 0,
        output_tokens: 0,
        total_tokens: 0,
        images: 0,
        latency_ms_avg: null,
        first_byte_ms_avg: null,
      },
    );
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Axis label: local "14:00" for hours, UTC "03-14" for days (the rollups' days are UTC). */
export function shortLabel(start: number, bucket: TimeRange['bucket']): string {
  const d = new Date(start);
  return bucket === 'hour' ? `${pad(d.getHours())}:00` : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Table label: local "2026-03-14 14:00" for hours, UTC "2026-03-14" for days. */
export function longLabel(start: number, bucket: TimeRange['bucket']): string {
  const d = new Date(start);
  return bucket === 'hour'
    ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:00`
    : new Date(start).toISOString().slice(0, 10);
}
