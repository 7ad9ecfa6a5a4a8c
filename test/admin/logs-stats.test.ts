// Logs filters and stats numbers, on every database backend available: the
// admin routes write their own aggregate SQL, so each dialect must agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { backends, type Backend } from './backends.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

const DAY = 86_400_000;
const D1 = Date.UTC(2025, 0, 10); // 2025-01-10T00:00Z
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
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 0,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    image_size: null,
    aspect_ratio: null,
    cost_micros: 0,
    latency_ms: 1,
    first_byte_ms: null,
    client_ip: null,
    ...over,
  };
}

function usageSuite(backend: Backend): void {
  let h: AdminHarness;
  let db: { url: string | undefined; drop(): Promise<void> } | undefined;
  const root = (path: string) => h.call(TEST_ADMIN_KEY, 'GET', path);

  beforeAll(async () => {
    db = await backend.create();
    h = await startAdminHarness({ databaseUrl: db.url });
    await h.repos.usageLogs.insertMany([
      // Day 1: three gpt-4o-mini calls on token 1 (one failed), one image on token 2.
      row({ created_at: D1 + 1_000, input_tokens: 100, output_text_tokens: 50, cost_micros: 45 }),
      row({ created_at: D1 + 2_000, input_tokens: 200, cached_input_tokens: 100, output_text_tokens: 20, reasoning_tokens: 30, cost_micros: 75 }),
      row({ created_at: D1 + 3_000, status: 429, error: 'rate limited', cost_micros: 0 }),
      row({
        created_at: D1 + 4_000,
        token_id: 2,
        user_id: 2,
        token_name: 't2',
        route: 'gemini.generateContent',
        model_requested: 'nano-banana',
        model_served: 'gemini-2.5-flash-image',
        channel_id: 2,
        input_tokens: 10,
        output_image_tokens: 1290,
        image_count: 1,
        image_size: '1K',
        cost_micros: 39_000,
      }),
      // Day 2: one more image on token 2, a 500 on channel 3.
      row({ created_at: D2 + 5_000, token_id: 2, user_id: 2, token_name: 't2', model_requested: 'gemini-2.5-flash-image', model_served: 'gemini-2.5-flash-image', channel_id: 2, image_count: 2, cost_micros: 78_000 }),
      row({ created_at: D2 + 6_000, channel_id: 3, status: 500, error: 'upstream failed' }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  describe('/api/logs filters', () => {
    it('lists newest first with USD and units beside micro-dollars', async () => {
      const res = await root('/api/logs');
      expect(res.status).toBe(200);
      expect(res.body.data.total).toBe(6);
      const [newest] = res.body.data.items;
      expect(newest.created_at).toBe(D2 + 6_000);
      const image = res.body.data.items.find((r: any) => r.cost_micros === 39_000);
      expect(image).toMatchObject({ cost_usd: 0.039, quota: 19_500, model: 'nano-banana', model_served: 'gemini-2.5-flash-image', is_stream: false });
    });

    const filters: Array<[string, number]> = [
      ['token_id=2', 2],
      ['user_id=1', 4],
      ['model=gpt-4o-mini', 4],
      ['model=gemini-2.5-flash-image', 2], // asked for or served
      ['channel_id=3', 1],
      ['status=429', 1],
      ['status=error', 2],
      ['status=success', 4],
      [`from=${D2}`, 2],
      [`to=${D2}`, 4],
      [`from=${D1 + 2_000}&to=${D1 + 4_000}`, 2],
      [`from=${new Date(D2).toISOString()}`, 2],
      ['from=2025-01-11', 2],
      [`from=${D2 / 1000}`, 2], // epoch seconds
      [`start_timestamp=${D2 / 1000}`, 2], // new-api's name
      ['token_id=1&status=error', 2],
      ['token_id=1&status=500', 1],
      ['token_id=999', 0],
    ];
    for (const [query, expected] of filters) {
      it(`${query} → ${expected}`, async () => {
        const res = await root(`/api/logs?${query}`);
        expect(res.status).toBe(200);
        expect(res.body.data.total).toBe(expected);
        expect(res.body.data.items).toHaveLength(expected);
      });
    }

    it('pages', async () => {
      const p1 = await root('/api/logs?p=1&page_size=4');
      const p2 = await root('/api/logs?p=2&page_size=4');
      expect(p1.body.data).toMatchObject({ total: 6, page: 1, page_size: 4 });
      expect(p1.body.data.items).toHaveLength(4);
      expect(p2.body.data.items).toHaveLength(2);
      const ids = [...p1.body.data.items, ...p2.body.data.items].map((r: any) => r.id);
      expect(new Set(ids).size).toBe(6);
    });

    it('bad filters are 400s naming the field', async () => {
      for (const [query, field] of [
        ['token_id=abc', 'token_id'],
        ['status=teapot', 'status'],
        ['from=yesterday', 'from'],
        [`from=${D2}&to=${D1}`, 'to'],
        ['model=has%20space', 'model'],
        ['page_size=0', 'page_size'],
      ]) {
        const res = await root(`/api/logs?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.data.field, query).toBe(field);
      }
    });
  });

  describe('/api/stats', () => {
    const expected = {
      totals: {
        requests: 6,
        errors: 2,
        cost_micros: 117_120,
        cost_usd: 0.11712,
        quota: 58_560,
        input_tokens: 410, // uncached + cached + cache writes
        output_tokens: 1390, // text + image + reasoning
        total_tokens: 1800,
        images: 3,
      },
      daily: [
        { date: '2025-01-10', day: D1, requests: 4, errors: 1, cost_micros: 39_120, cost_usd: 0.03912, input_tokens: 410, output_tokens: 1390, total_tokens: 1800, images: 1 },
        { date: '2025-01-11', day: D2, requests: 2, errors: 1, cost_micros: 78_000, cost_usd: 0.078, input_tokens: 0, output_tokens: 0, total_tokens: 0, images: 2 },
      ],
    };

    it('totals, top models, top tokens and a per-day series, from the daily rollups for whole days', async () => {
      const res = await root(`/api/stats?from=${D1}&to=${D2 + DAY}`);
      expect(res.status).toBe(200);
      const s = res.body.data;
      expect(s).toMatchObject({ source: 'daily', from: D1, to: D2 + DAY });
      expect(s.totals).toEqual(expected.totals);
      expect(s.top_models[0]).toMatchObject({ model: 'gpt-4o-mini', requests: 4, errors: 2, cost_micros: 120, total_tokens: 500 });
      expect(s.top_models.map((m: any) => m.model)).toEqual(['gpt-4o-mini', 'gemini-2.5-flash-image', 'nano-banana']);
      expect(s.top_tokens[0]).toMatchObject({ token_id: 2, requests: 2, cost_micros: 117_000, cost_usd: 0.117 });
      expect(s.top_tokens[1]).toMatchObject({ token_id: 1, requests: 4, cost_micros: 120 });
      expect(s.daily).toEqual(expected.daily);
    });

    it('the logs give the same numbers (source=logs, or a range off midnight)', async () => {
      const forced = (await root(`/api/stats?from=${D1}&to=${D2 + DAY}&source=logs`)).body.data;
      expect(forced.source).toBe('logs');
      expect(forced.totals).toEqual(expected.totals);
      expect(forced.daily).toEqual(expected.daily);
      const daily = (await root(`/api/stats?from=${D1}&to=${D2 + DAY}`)).body.data;
      expect(forced.top_models).toEqual(daily.top_models);
      expect(forced.top_tokens).toEqual(daily.top_tokens);
      const offMidnight = (await root(`/api/stats?from=${D1 + 1}&to=${D2 + DAY}`)).body.data;
      expect(offMidnight.source).toBe('logs');
      expect(offMidnight.totals.requests).toBe(6);
    });

    it('takes the same filters as the logs', async () => {
      const res = await root(`/api/stats?from=${D1}&to=${D2 + DAY}&token_id=2`);
      expect(res.body.data.totals).toMatchObject({ requests: 2, cost_micros: 117_000, images: 3 });
      const errors = await root(`/api/stats?from=${D1}&to=${D2 + DAY}&status=error`);
      expect(errors.body.data).toMatchObject({ source: 'logs', totals: { requests: 2, errors: 2 } });
      const top = await root(`/api/stats?from=${D1}&to=${D2 + DAY}&top=1`);
      expect(top.body.data.top_models).toHaveLength(1);
      const refused = await root(`/api/stats?status=500&source=daily`);
      expect(refused.status).toBe(400);
      expect(refused.body.data.field).toBe('source');
    });

    it('an empty range is all zeros, not nulls', async () => {
      for (const source of ['daily', 'logs']) {
        const res = await root(`/api/stats?from=2020-01-01&to=2020-01-02&source=${source}`);
        expect(res.body.data.totals).toMatchObject({ requests: 0, errors: 0, cost_micros: 0, cost_usd: 0, total_tokens: 0 });
        expect(res.body.data.daily).toEqual([]);
      }
    });
  });

  describe('the other hand-written SQL', () => {
    it('top-up is one atomic statement', async () => {
      const u = (await h.call(TEST_ADMIN_KEY, 'POST', '/api/users', { name: `topup-${backend.name}`, balance_usd: 1 })).body.data;
      await Promise.all(Array.from({ length: 8 }, () => h.call(TEST_ADMIN_KEY, 'POST', `/api/users/${u.id}/topup`, { amount_usd: 0.25 })));
      expect((await h.repos.users.get(u.id))!.balanceMicros).toBe(3_000_000);
      const below = await h.call(TEST_ADMIN_KEY, 'POST', `/api/users/${u.id}/topup`, { amount_usd: -3.000001 });
      expect(below.status).toBe(400);
    });

    it('group use counts users, tokens and channels', async () => {
      await h.call(TEST_ADMIN_KEY, 'POST', '/api/groups', { name: 'busy' });
      const u = await h.createUser(`busy-${backend.name}`, { group: 'busy' });
      await h.call(TEST_ADMIN_KEY, 'POST', '/api/token/', { name: 't', user_id: u.id, group: 'busy', unlimited_quota: true });
      const res = await h.call(TEST_ADMIN_KEY, 'GET', '/api/groups/busy');
      expect(res.body.data.used_by).toEqual({ users: 1, tokens: 1, channels: 0 });
      expect((await h.call(TEST_ADMIN_KEY, 'DELETE', '/api/groups/busy')).status).toBe(409);
    });

    it('token lists read last use, and keyword search ignores case', async () => {
      const u = await h.createUser(`lister-${backend.name}`);
      const t = (await h.call(u.key, 'POST', '/api/token/', { name: 'MixedCase', unlimited_quota: true })).body.data;
      await h.database.db.updateTable('tokens').set({ last_used_at: D1 }).where('id', '=', t.id).execute();
      const list = await h.call(u.key, 'GET', '/api/token/search?keyword=mixedcase');
      expect(list.body.data.items).toHaveLength(1);
      expect(list.body.data.items[0].accessed_time).toBe(D1 / 1000);
    });
  });
}

const { run, skipped } = backends();
for (const backend of run) describe(backend.name, () => usageSuite(backend));
for (const name of skipped) describe.skip(name, () => it('runs the logs and stats tests on this backend', () => {}));
