// A user sees and changes only their own tokens and logs — on every route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
let a: { id: number; key: string };
let b: { id: number; key: string };
let tokenA: { id: number; key: string };
let tokenB: { id: number; key: string };

function row(over: Partial<NewUsageLog>): NewUsageLog {
  return {
    request_id: `r-${Math.random()}`,
    created_at: Date.now() - 1000,
    token_id: null,
    user_id: null,
    token_name: null,
    route: 'openai.chat',
    model_requested: 'gpt-4o-mini',
    model_served: 'gpt-4o-mini',
    channel_id: 1,
    attempts: JSON.stringify([{ channel_id: 1, status: 200, ms: 5 }]),
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
    cost_micros: 1000,
    latency_ms: 20,
    first_byte_ms: 10,
    client_ip: '127.0.0.1',
    ...over,
  };
}

beforeAll(async () => {
  h = await startAdminHarness();
  a = await h.createUser('user-a');
  b = await h.createUser('user-b');
  tokenA = (await h.call(a.key, 'POST', '/api/token/', { name: 'a-token', unlimited_quota: true })).body.data;
  tokenB = (await h.call(b.key, 'POST', '/api/token/', { name: 'b-token', unlimited_quota: true })).body.data;
  await h.repos.usageLogs.insertMany([
    row({ token_id: tokenA.id, user_id: a.id, token_name: 'a-token', cost_micros: 111 }),
    row({ token_id: tokenA.id, user_id: a.id, token_name: 'a-token', cost_micros: 222, status: 500 }),
    row({ token_id: tokenB.id, user_id: b.id, token_name: 'b-token', cost_micros: 999_000 }),
  ]);
});
afterAll(async () => {
  await h?.close();
});

describe('user A cannot touch user B’s tokens', () => {
  const routes = (): Array<[string, string, unknown?]> => [
    ['GET', `/api/token/${tokenB.id}`],
    ['PUT', '/api/token/', { id: tokenB.id, name: 'stolen' }],
    ['PUT', '/api/token/?status_only=true', { id: tokenB.id, status: 2 }],
    ['POST', `/api/token/${tokenB.id}/key`],
    ['DELETE', `/api/token/${tokenB.id}`],
    ['GET', `/api/token/?user_id=${b.id}`],
    ['GET', `/api/token/search?keyword=b&user_id=${b.id}`],
    ['GET', '/api/token/?user_id=all'],
    ['POST', '/api/token/', { name: 'for-b', user_id: b.id }],
  ];
  it('every token route answers 403 and leaks no key', async () => {
    for (const [method, path, body] of routes()) {
      const res = await h.call(a.key, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.success).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain(tokenB.key);
    }
  });

  it('B’s token is untouched afterwards', async () => {
    const t = await h.repos.tokens.get(tokenB.id);
    expect(t).toMatchObject({ name: 'b-token', status: 'enabled', userId: b.id });
    expect((await h.call(b.key, 'POST', `/api/token/${tokenB.id}/key`)).body.data.key).toBe(tokenB.key);
  });

  it('A’s lists and searches hold only A’s tokens, even searching by B’s full key', async () => {
    const list = await h.call(a.key, 'GET', '/api/token/?page_size=100');
    expect(list.body.data.items.map((t: any) => t.id)).toEqual([tokenA.id]);
    const search = await h.call(a.key, 'GET', '/api/token/search?keyword=token');
    expect(search.body.data.items.map((t: any) => t.id)).toEqual([tokenA.id]);
    const byKey = await h.call(a.key, 'GET', `/api/token/search?token=${tokenB.key}`);
    expect(byKey.body.data.items).toEqual([]);
  });
});

describe('user A cannot read user B’s logs or stats', () => {
  it('logs: only A’s rows, without routing details', async () => {
    const res = await h.call(a.key, 'GET', '/api/logs');
    expect(res.status).toBe(200);
    expect(res.body.data.total).toBe(2);
    for (const item of res.body.data.items) {
      expect(item.user_id).toBe(a.id);
      expect(item).not.toHaveProperty('channel_id');
      expect(item).not.toHaveProperty('attempts');
    }
  });

  it('naming B, or B’s token, is refused', async () => {
    for (const path of [`/api/logs?user_id=${b.id}`, `/api/logs?token_id=${tokenB.id}`, `/api/stats?user_id=${b.id}`, `/api/stats?token_id=${tokenB.id}`]) {
      const res = await h.call(a.key, 'GET', path);
      expect(res.status, path).toBe(403);
    }
  });

  it('stats count only A’s usage', async () => {
    const res = await h.call(a.key, 'GET', '/api/stats');
    expect(res.status).toBe(200);
    expect(res.body.data.totals).toMatchObject({ requests: 2, errors: 1, cost_micros: 333 });
    expect(res.body.data.top_tokens.map((t: any) => t.token_id)).toEqual([tokenA.id]);
  });

  it('admins read everyone’s logs, with routing details', async () => {
    const res = await h.call(TEST_ADMIN_KEY, 'GET', '/api/logs');
    expect(res.body.data.total).toBe(3);
    expect(res.body.data.items[0]).toHaveProperty('channel_id', 1);
    expect(res.body.data.items[0].attempts).toEqual([{ channel_id: 1, status: 200, ms: 5 }]);
  });
});

describe('admins manage plain users only', () => {
  it('an admin reaches a user’s token but not root’s or another admin’s', async () => {
    const admin = await h.createUser('admin-x', { role: 'admin' });
    const other = await h.createUser('admin-y', { role: 'admin' });
    const rootToken = (await h.call(TEST_ADMIN_KEY, 'POST', '/api/token/', { name: 'root-token', unlimited_quota: true })).body.data;
    const otherToken = (await h.call(other.key, 'POST', '/api/token/', { name: 'y-token', unlimited_quota: true })).body.data;

    expect((await h.call(admin.key, 'GET', `/api/token/${tokenB.id}`)).status).toBe(200);
    expect((await h.call(admin.key, 'POST', `/api/token/${tokenB.id}/key`)).body.data.key).toBe(tokenB.key);
    for (const t of [rootToken, otherToken]) {
      expect((await h.call(admin.key, 'GET', `/api/token/${t.id}`)).status).toBe(403);
      expect((await h.call(admin.key, 'POST', `/api/token/${t.id}/key`)).status).toBe(403);
      expect((await h.call(admin.key, 'DELETE', `/api/token/${t.id}`)).status).toBe(403);
    }
    expect((await h.call(admin.key, 'PUT', `/api/users/${other.id}`, { display_name: 'x' })).status).toBe(403);
    // Root reaches everything.
    expect((await h.call(TEST_ADMIN_KEY, 'POST', `/api/token/${otherToken.id}/key`)).body.data.key).toBe(otherToken.key);
  });
});
