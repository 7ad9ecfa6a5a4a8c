// OpenAI's old billing routes, for the calling token, over plain fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
let user: { id: number; key: string };
let limited: { id: number; key: string };
let unlimited: { id: number; key: string };

const JAN_10 = Date.UTC(2025, 0, 10, 12);
const JAN_20 = Date.UTC(2025, 0, 20, 12);
const FEB_02 = Date.UTC(2025, 1, 2, 12);

function usage(tokenId: number, createdAt: number, costMicros: number, model = 'gpt-4o-mini'): NewUsageLog {
  return {
    request_id: `r-${Math.random()}`,
    created_at: createdAt,
    token_id: tokenId,
    user_id: user.id,
    token_name: null,
    route: 'openai.chat',
    model_requested: model,
    model_served: model,
    channel_id: 1,
    attempts: null,
    status: 200,
    error: null,
    is_stream: 0,
    input_tokens: 1,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 1,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    image_size: null,
    aspect_ratio: null,
    cost_micros: costMicros,
    latency_ms: 1,
    first_byte_ms: null,
    client_ip: null,
  };
}

async function get(path: string, key?: string, header = 'authorization') {
  const headers: Record<string, string> = {};
  if (key) headers[header] = header === 'authorization' ? `Bearer ${key}` : key;
  const res = await fetch(h.url + path, { headers });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  h = await startAdminHarness();
  user = await h.createUser('billing-user', { balance_usd: 20 });
  const expires = Math.floor(Date.UTC(2030, 0, 1) / 1000);
  limited = (await h.call(user.key, 'POST', '/api/token/', { name: 'limited', remain_quota_usd: 5, expired_time: expires })).body.data;
  unlimited = (await h.call(user.key, 'POST', '/api/token/', { name: 'unlimited', unlimited_quota: true })).body.data;
  await h.repos.usageLogs.insertMany([
    usage(limited.id, JAN_10, 12_345),
    usage(limited.id, JAN_10 + 1000, 5_000, 'claude-sonnet-4-5'),
    usage(limited.id, JAN_20, 100_000),
    usage(limited.id, FEB_02, 1_000_000),
    usage(unlimited.id, JAN_10, 777_777),
  ]);
  await h.cache.settled();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /v1/dashboard/billing/subscription', () => {
  it('hard_limit_usd is the token’s quota; access_until its expiry', async () => {
    const res = await get('/v1/dashboard/billing/subscription', limited.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: 5,
      hard_limit_usd: 5,
      system_hard_limit_usd: 5,
      access_until: Math.floor(Date.UTC(2030, 0, 1) / 1000),
    });
  });

  it('an unlimited token shows its user’s balance; any key header works', async () => {
    const res = await get('/v1/dashboard/billing/subscription', unlimited.key, 'x-api-key');
    const balance = (await h.repos.users.get(user.id))!.balanceMicros;
    expect(res.body).toMatchObject({ hard_limit_usd: balance / 1e6, access_until: 0 });
  });

  it('an unlimited token of the root user (no balance limit) shows new-api’s "unlimited" figure', async () => {
    const rootToken = (await h.call(TEST_ADMIN_KEY, 'POST', '/api/token/', { name: 'r', unlimited_quota: true })).body.data;
    await h.cache.settled();
    const res = await get('/dashboard/billing/subscription', rootToken.key);
    expect(res.body.hard_limit_usd).toBe(100_000_000);
  });
});

describe('GET /v1/dashboard/billing/usage', () => {
  it('total_usage is the token’s cost in cents over [start_date, end_date)', async () => {
    const res = await get('/v1/dashboard/billing/usage?start_date=2025-01-01&end_date=2025-02-01', limited.key);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    expect(res.body.total_usage).toBeCloseTo(11.7345, 10); // (12 345 + 5 000 + 100 000) µ$ = $0.117345
    expect(res.body.daily_costs).toEqual([
      {
        timestamp: Date.UTC(2025, 0, 10) / 1000,
        line_items: [
          { name: 'claude-sonnet-4-5', cost: 0.5 },
          { name: 'gpt-4o-mini', cost: 1.2345 },
        ],
      },
      { timestamp: Date.UTC(2025, 0, 20) / 1000, line_items: [{ name: 'gpt-4o-mini', cost: 10 }] },
    ]);
    const narrow = await get('/v1/dashboard/billing/usage?start_date=2025-01-15&end_date=2025-01-21', limited.key);
    expect(narrow.body.total_usage).toBe(10);
    const other = await get('/v1/dashboard/billing/usage?start_date=2025-01-01&end_date=2025-02-01', unlimited.key);
    expect(other.body.total_usage).toBeCloseTo(77.7777, 10);
  });

  it('errors come back in OpenAI’s error shape', async () => {
    const none = await get('/v1/dashboard/billing/usage');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { message: expect.any(String), type: 'authentication_error', param: null, code: 'missing_api_key' } });
    const bad = await get('/v1/dashboard/billing/subscription', 'sk-nope-0000000000000000000000');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('invalid_api_key');
    const date = await get('/v1/dashboard/billing/usage?start_date=someday', limited.key);
    expect(date.status).toBe(400);
    expect(date.body.error).toMatchObject({ type: 'invalid_request_error', param: 'start_date' });
    const order = await get('/v1/dashboard/billing/usage?start_date=2025-02-01&end_date=2025-01-01', limited.key);
    expect(order.status).toBe(400);
    expect(order.body.error.param).toBe('end_date');
  });

  it('a disabled token is refused with 403', async () => {
    await h.call(user.key, 'PUT', '/api/token/?status_only=true', { id: unlimited.id, status: 2 });
    await h.cache.settled();
    const res = await get('/v1/dashboard/billing/subscription', unlimited.key);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('token_disabled');
  });

  it('a management access key is not a relay token', async () => {
    const res = await get('/v1/dashboard/billing/subscription', user.key);
    expect(res.status).toBe(401);
  });
});
