// /api/stats additions for the console's dashboard: `bucket=hour|day`
// series with the error count and average latency per bucket, and the
// latency summary (average, p50, p95, first byte) — on every database backend
// available, since the bucketing, averages and percentile are hand-written SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { backends, type Backend } from './backends.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;
const D1 = Date.UTC(2025, 2, 3); // 2025-03-03T00:00Z
const D2 = D1 + DAY;

function row(over: Partial<NewUsageLog>): NewUsageLog {
  return {
    request_id: `r-${Math.random()}`,
    created_at: D1,
    token_id: 1,
    user_id: 1,
    token_name: 't1',
    route: 'openai.chat',
    model_requested: 'gpt-4o-mini',
    model_served: 'gpt-4o-mini',
    channel_id: 1,
    attempts: null,
    status: 200,
    error: null,
    is_stream: 0,
    input_tokens: 10,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 5,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    image_size: null,
    aspect_ratio: null,
    cost_micros: 10,
    latency_ms: 1,
    first_byte_ms: null,
    client_ip: null,
    ...over,
  };
}

function seriesSuite(backend: Backend): void {
  let h: AdminHarness;
  let db: { url: string | undefined; drop(): Promise<void> } | undefined;
  let plain: { id: number; key: string };
  const root = (path: string) => h.call(TEST_ADMIN_KEY, 'GET', path);
  const range = `from=${D1}&to=${D2 + DAY}`;

  beforeAll(async () => {
    db = await backend.create();
    h = await startAdminHarness({ databaseUrl: db.url });
    plain = await h.createUser(`series-${backend.name}`);
    await h.repos.usageLogs.insertMany([
      // Hour 0 of day 1: two answers.
      row({ created_at: D1 + 10 * MIN, latency_ms: 100, first_byte_ms: 40 }),
      row({ created_at: D1 + 20 * MIN, latency_ms: 300, cost_micros: 20 }),
      // Hour 1: one answer, a 500 and a request never answered (status 0) — the failures add no latency.
      row({ created_at: D1 + HOUR + 5 * MIN, latency_ms: 200, first_byte_ms: 60 }),
      row({ created_at: D1 + HOUR + 6 * MIN, status: 500, error: 'upstream failed', latency_ms: 5_000, cost_micros: 0 }),
      row({ created_at: D1 + HOUR + 7 * MIN, status: 0, error: 'client went away', latency_ms: 9_000, cost_micros: 0 }),
      // Day 2, hour 2: the plain user's one slow answer, on token 2.
      row({ created_at: D2 + 2 * HOUR, user_id: plain.id, token_id: 2, latency_ms: 1_000, first_byte_ms: 100, cost_micros: 30 }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('bucket=hour: one entry per UTC hour with traffic, errors and average latency in each, read from the logs', async () => {
    const res = await root(`/api/stats?${range}&bucket=hour`);
    expect(res.status).toBe(200);
    const s = res.body.data;
    expect(s).toMatchObject({ source: 'logs', bucket: 'hour' });
    expect(s.series.map((b: any) => b.start)).toEqual([D1, D1 + HOUR, D2 + 2 * HOUR]);
    expect(s.series[0]).toMatchObject({ requests: 2, errors: 0, cost_micros: 30, cost_usd: 0.00003, total_tokens: 30, latency_ms_avg: 200, first_byte_ms_avg: 40 });
    expect(s.series[1]).toMatchObject({ requests: 3, errors: 2, latency_ms_avg: 200, first_byte_ms_avg: 60 });
    expect(s.series[2]).toMatchObject({ requests: 1, errors: 0, latency_ms_avg: 1_000, first_byte_ms_avg: 100 });
    // The per-day series beside it is unchanged.
    expect(s.daily.map((d: any) => [d.date, d.requests, d.errors])).toEqual([
      ['2025-03-03', 5, 2],
      ['2025-03-04', 1, 0],
    ]);
  });

  it('bucket=day (the default) follows the daily series, with the latency merged in from the logs', async () => {
    const res = await root(`/api/stats?${range}`);
    const s = res.body.data;
    expect(s).toMatchObject({ source: 'daily', bucket: 'day' });
    expect(s.series).toEqual([
      { start: D1, requests: 5, errors: 2, cost_micros: 40, cost_usd: 0.00004, input_tokens: 50, output_tokens: 25, total_tokens: 75, images: 0, latency_ms_avg: 200, first_byte_ms_avg: 50 },
      { start: D2, requests: 1, errors: 0, cost_micros: 30, cost_usd: 0.00003, input_tokens: 10, output_tokens: 5, total_tokens: 15, images: 0, latency_ms_avg: 1_000, first_byte_ms_avg: 100 },
    ]);
    const logs = (await root(`/api/stats?${range}&bucket=day&source=logs`)).body.data;
    expect(logs.series).toEqual(s.series);
  });

  it('latency sums up the answered requests: average, p50, p95 and first byte', async () => {
    const s = (await root(`/api/stats?${range}`)).body.data;
    // Answered latencies, sorted: 100, 200, 300, 1000.
    expect(s.latency).toEqual({ samples: 4, avg_ms: 400, p50_ms: 200, p95_ms: 300, first_byte_avg_ms: 66.7 });
    const narrowed = (await root(`/api/stats?${range}&token_id=1`)).body.data;
    expect(narrowed.latency).toEqual({ samples: 3, avg_ms: 200, p50_ms: 200, p95_ms: 200, first_byte_avg_ms: 50 });
  });

  it('a plain user gets only their own series and latency', async () => {
    const s = (await h.call(plain.key, 'GET', `/api/stats?${range}&bucket=hour`)).body.data;
    expect(s.totals.requests).toBe(1);
    expect(s.series.map((b: any) => [b.start, b.requests])).toEqual([[D2 + 2 * HOUR, 1]]);
    expect(s.latency).toMatchObject({ samples: 1, avg_ms: 1_000, p50_ms: 1_000 });
  });

  it('an empty range has no buckets and null latencies', async () => {
    const s = (await root('/api/stats?from=2020-01-01&to=2020-01-02&bucket=hour')).body.data;
    expect(s.series).toEqual([]);
    expect(s.latency).toEqual({ samples: 0, avg_ms: null, p50_ms: null, p95_ms: null, first_byte_avg_ms: null });
  });

  it('refuses an unknown bucket, and hours from the daily rollups', async () => {
    const week = await root(`/api/stats?${range}&bucket=week`);
    expect(week.status).toBe(400);
    expect(week.body.data.field).toBe('bucket');
    const daily = await root(`/api/stats?${range}&bucket=hour&source=daily`);
    expect(daily.status).toBe(400);
    expect(daily.body.data.field).toBe('source');
  });
}

const { run, skipped } = backends();
for (const backend of run) describe(backend.name, () => seriesSuite(backend));
for (const name of skipped) describe.skip(name, () => it('runs the stats series tests on this backend', () => {}));
