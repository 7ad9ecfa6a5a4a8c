import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PRICES, startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
const root = (method: string, path: string, body?: unknown) => h.call(TEST_ADMIN_KEY, method, path, body);

beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('/api/users', () => {
  it('create, get, list with paging and keyword, update, disable, enable, delete', async () => {
    const created = await root('POST', '/api/users', { name: 'erin', display_name: 'Erin E.', balance_usd: 12.5, limits: { rpm: 30 } });
    expect(created.status).toBe(200);
    const erin = created.body.data;
    expect(erin).toMatchObject({ name: 'erin', display_name: 'Erin E.', role: 'user', group: 'default', balance_usd: 12.5, quota: 6_250_000, status: 1 });
    expect(erin.access_key).toMatch(/^ws-/);

    expect((await root('GET', `/api/users/${erin.id}`)).body.data).toMatchObject({ name: 'erin', balance_usd: 12.5 });
    for (const n of ['frank', 'grace', 'heidi']) await root('POST', '/api/users', { name: n });
    const page = await root('GET', '/api/users?p=2&page_size=2');
    expect(page.body.data).toMatchObject({ total: 5, page: 2, page_size: 2 });
    expect(page.body.data.items).toHaveLength(2);
    const kw = await root('GET', '/api/users?keyword=ERIN');
    expect(kw.body.data.items.map((u: any) => u.name)).toEqual(['erin']);

    const upd = await root('PUT', `/api/users/${erin.id}`, { display_name: 'Erin', quota: 500_000 });
    expect(upd.body.data).toMatchObject({ display_name: 'Erin', balance_usd: 1, quota: 500_000 });

    expect((await root('POST', `/api/users/${erin.id}/disable`)).body.data).toMatchObject({ status: 2, status_name: 'disabled' });
    expect((await h.call(erin.access_key, 'GET', '/api/user/self')).status).toBe(403);
    expect((await root('POST', `/api/users/${erin.id}/enable`)).body.data.status).toBe(1);

    const del = await root('DELETE', `/api/users/${erin.id}`);
    expect(del.status).toBe(200);
    expect((await root('GET', `/api/users/${erin.id}`)).status).toBe(404);
    expect((await h.call(erin.access_key, 'GET', '/api/user/self')).status).toBe(401);
  });

  it('top-up adds to the balance atomically; a deduction may not go below zero', async () => {
    const u = (await root('POST', '/api/users', { name: 'ivan', balance_usd: 1 })).body.data;
    const up = await root('POST', `/api/users/${u.id}/topup`, { amount_usd: 2.25 });
    expect(up.status).toBe(200);
    expect(up.body.data).toMatchObject({ balance_usd: 3.25, quota: 1_625_000 });
    await Promise.all(Array.from({ length: 10 }, () => root('POST', `/api/users/${u.id}/topup`, { amount_usd: 0.1 })));
    expect((await h.repos.users.get(u.id))!.balanceMicros).toBe(4_250_000);
    const tooMuch = await root('POST', `/api/users/${u.id}/topup`, { amount_usd: -10 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.data.field).toBe('amount_usd');
    for (const body of [{}, { amount_usd: 0 }, { amount_usd: '5' }, { amount: 5 }]) {
      const res = await root('POST', `/api/users/${u.id}/topup`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(/^amount/);
    }
    // /api/user/self shows it to the user.
    const key = (await root('POST', `/api/users/${u.id}/access_key`)).body.data.access_key;
    expect((await h.call(key, 'GET', '/api/user/self')).body.data.balance_usd).toBe(4.25);
  });

  it('a stale echo does not refund what was spent since it was read; a real edit counts from then', async () => {
    const u = (await root('POST', '/api/users', { name: 'echo-user', balance_usd: 10, limits: { rpm: 5 } })).body.data;
    expect(u.limits).toEqual({ rpm: 5 });
    const seen = (await root('GET', `/api/users/${u.id}`)).body.data;
    await h.database.db.updateTable('users').set({ balance_micros: 9_000_000, used_micros: 1_000_000 }).where('id', '=', u.id).execute();
    const put = await root('PUT', `/api/users/${u.id}`, { ...seen, display_name: 'Echo' });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ display_name: 'Echo', balance_usd: 9, used_usd: 1, limits: { rpm: 5 } });
    const edit = await root('PUT', `/api/users/${u.id}`, { ...seen, quota: 2_500_000 });
    expect(edit.body.data.balance_usd).toBe(4);
    const plain = await root('PUT', `/api/users/${u.id}`, { balance_usd: 12 });
    expect(plain.body.data.balance_usd).toBe(12);
  });

  it('validation errors name the field; duplicates are 409; missing users 404', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: 'has space' }, 'name'],
      [{ name: 'ok1', balance_usd: -1 }, 'balance_usd'],
      [{ name: 'ok2', group: 'ghost' }, 'group'],
      [{ name: 'ok3', role: 'superuser' }, 'role'],
      [{ name: 'ok4', access_key: 'short' }, 'access_key'],
      [{ name: 'ok5', colour: 'blue' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await root('POST', '/api/users', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data.field).toBe(field);
    }
    await root('POST', '/api/users', { name: 'judy' });
    expect((await root('POST', '/api/users', { name: 'judy' })).status).toBe(409);
    expect((await root('GET', '/api/users/99999')).status).toBe(404);
    expect((await root('PUT', '/api/users/99999', { display_name: 'x' })).status).toBe(404);
  });

  it('an echoed GET can be PUT back, even for root; root is never demoted', async () => {
    const me = (await root('GET', `/api/users/${h.root.id}`)).body.data;
    const res = await root('PUT', `/api/users/${h.root.id}`, { ...me, display_name: 'The Root' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ role: 'root', display_name: 'The Root' });
    expect((await root('PUT', `/api/users/${h.root.id}`, { role: 'admin' })).status).toBe(403);
    const u = (await root('POST', '/api/users', { name: 'promote-me' })).body.data;
    expect((await root('PUT', `/api/users/${u.id}`, { role: 'root' })).body.data.field).toBe('role');
    expect((await root('PUT', `/api/users/${u.id}`, { role: 'admin' })).body.data.role).toBe('admin');
  });

  it('deleting a user takes its tokens with it', async () => {
    const u = await h.createUser('kim');
    const t = (await h.call(u.key, 'POST', '/api/token/', { name: 'kt', unlimited_quota: true })).body.data;
    await root('DELETE', `/api/users/${u.id}`);
    expect(await h.repos.tokens.get(t.id)).toBeUndefined();
  });
});

describe('/api/groups', () => {
  it('upsert, list, get, and refuse deleting a group in use', async () => {
    const created = await root('POST', '/api/groups', { name: 'vip', ratio: 0.8, description: 'friends' });
    expect(created.body.data).toMatchObject({ name: 'vip', ratio: 0.8, description: 'friends' });
    const updated = await root('PUT', '/api/groups/vip', { ratio: 0.7 });
    expect(updated.body.data).toMatchObject({ name: 'vip', ratio: 0.7, description: 'friends' });
    const list = await root('GET', '/api/groups');
    expect(list.body.data.items.map((g: any) => g.name)).toContain('vip');

    const u = (await root('POST', '/api/users', { name: 'vip-user', group: 'vip' })).body.data;
    const busy = await root('DELETE', '/api/groups/vip');
    expect(busy.status).toBe(409);
    expect(busy.body.message).toMatch(/1 user/);
    expect((await root('GET', '/api/groups/vip')).body.data.used_by).toEqual({ users: 1, tokens: 0, channels: 0 });

    await root('PUT', `/api/users/${u.id}`, { group: 'default' });
    await root('POST', '/api/channels', { name: 'vip-ch', type: 'simulator', groups: ['vip'], models: ['m'] });
    expect((await root('DELETE', '/api/groups/vip')).body.message).toMatch(/1 channel/);
    const ch = (await root('GET', '/api/channels')).body.data.items.find((c: any) => c.name === 'vip-ch');
    await root('DELETE', `/api/channels/${ch.id}`);

    const del = await root('DELETE', '/api/groups/vip');
    expect(del.status).toBe(200);
    expect((await root('DELETE', '/api/groups/vip')).status).toBe(404);
    expect((await root('DELETE', '/api/groups/default')).status).toBe(409);
  });

  it('validation names the field', async () => {
    expect((await root('POST', '/api/groups', { name: 'bad name' })).body.data.field).toBe('name');
    expect((await root('POST', '/api/groups', { name: 'g', ratio: -1 })).body.data.field).toBe('ratio');
    expect((await root('PUT', '/api/groups/g', { ratio: 'cheap' })).body.data.field).toBe('ratio');
  });
});

describe('/api/prices', () => {
  it('lists built-in prices merged with overrides, each marked with its source', async () => {
    await h.repos.prices.upsert('house-model', { per_call: 0.01 }, 'config');
    const res = await root('GET', '/api/prices');
    const byModel = Object.fromEntries(res.body.data.items.map((p: any) => [p.model, p]));
    expect(byModel['gpt-4o-mini']).toEqual({ model: 'gpt-4o-mini', price: BUILTIN_PRICES['gpt-4o-mini'], source: 'builtin', builtin: null });
    expect(byModel['house-model']).toMatchObject({ source: 'config', price: { per_call: 0.01 } });
  });

  it('PUT overrides a built-in price; DELETE returns to it', async () => {
    const put = await root('PUT', '/api/prices/gpt-4o-mini', { input_per_mtok: 0.1, output_per_mtok: 0.4 });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ model: 'gpt-4o-mini', source: 'api', price: { input_per_mtok: 0.1 }, builtin: BUILTIN_PRICES['gpt-4o-mini'] });
    expect((await root('GET', '/api/prices/gpt-4o-mini')).body.data).toMatchObject({ source: 'api', price: { input_per_mtok: 0.1 } });
    // A user may read prices.
    const u = await h.createUser('price-reader');
    expect((await h.call(u.key, 'GET', '/api/prices/gpt-4o-mini')).body.data.price.input_per_mtok).toBe(0.1);

    const del = await root('DELETE', '/api/prices/gpt-4o-mini');
    expect(del.status).toBe(200);
    expect((await root('GET', '/api/prices/gpt-4o-mini')).body.data).toMatchObject({ source: 'builtin', price: BUILTIN_PRICES['gpt-4o-mini'] });
    expect((await root('DELETE', '/api/prices/gpt-4o-mini')).status).toBe(404);
  });

  it('model names with slashes work; the entry shape is accepted too', async () => {
    const put = await root('PUT', '/api/prices/deepseek/deepseek-chat', { price: { input_per_mtok: 0.27, per_image: { '1K': 0.1 } } });
    expect(put.status).toBe(200);
    expect((await root('GET', '/api/prices/deepseek/deepseek-chat')).body.data.model).toBe('deepseek/deepseek-chat');
    expect((await root('GET', '/api/prices?keyword=deepseek')).body.data.total).toBe(1);
  });

  it('validation names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'body'],
      [{ input_per_mtok: -1 }, 'input_per_mtok'],
      [{ input_per_mtok: 'free' }, 'input_per_mtok'],
      [{ per_image: { '4K': -0.2 } }, 'per_image.4K'],
      [{ input_cost: 1 }, 'input_cost'],
    ];
    for (const [body, field] of cases) {
      const res = await root('PUT', '/api/prices/some-model', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data.field).toBe(field);
    }
    expect((await root('GET', '/api/prices/unknown-model')).status).toBe(404);
  });
});
