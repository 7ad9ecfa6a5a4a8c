// Shapes of the answers the dashboard reads: GET /api/stats
// (src/admin/routes/stats.ts) and GET /api/channels/health (admins).

/** Sums over a slice of usage; `errors` counts status ≥ 400 and never-answered requests. */
export interface UsageSums {
  requests: number;
  errors: number;
  cost_micros: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  images: number;
}

export interface SeriesPoint extends UsageSums {
  /** Epoch ms of the bucket's start (a UTC hour or day). */
  start: number;
  /** Over answered requests only; null when the bucket has none. */
  latency_ms_avg: number | null;
  first_byte_ms_avg: number | null;
}

export interface LatencySummary {
  samples: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  first_byte_avg_ms: number | null;
}

export interface StatsAnswer {
  source: 'daily' | 'logs';
  from: number;
  to: number;
  totals: UsageSums & { quota: number };
  top_models: Array<UsageSums & { model: string }>;
  top_tokens: Array<UsageSums & { token_id: number; token_name: string | null }>;
  bucket: 'day' | 'hour';
  series: SeriesPoint[];
  latency: LatencySummary;
}

export type { BreakerSnapshot, BreakerState } from '../../api/types';
