import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../src/store/crypto.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
let alice: { id: number; key: string };

beforeAll(async () => {
  h = await startAdminHarness();
  await h.call(TEST_ADMIN_KEY, 'POST', '/api/groups', { name: 'vip', ratio: 0.8 });
  alice = await h.createUser('alice', { balance_usd: 10 });
});
afterAll(async () => {
  await h?.close();
});

describe('token CRUD, new-api compatible', () => {
  it('create → get → update → reveal → delete, with new-api field names and units', async () => {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const created = await h.call(alice.key, 'POST', '/api/token/', {
      name: 'laptop',
      remain_quota: 500_000,
      unlimited_quota: false,
      expired_time: expires,
      model_limits_enabled: true,
      model_limits: 'gpt-4o-mini,gemini-2.5-flash',
      allow_ips: '127.0.0.1\n10.0.0.0/8',
      group: '',
      limits: { rpm: 60, concurrency: 2 },
    });
    expect(created.status).toBe(200);
    expect(created.body.success).toBe(true);
    const t = created.body.data;
    // The full key, once.
    expect(t.key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(t).toMatchObject({
      user_id: alice.id,
      name: 'laptop',
      status: 1,
      status_name: 'enabled',
      expired_time: expires,
      remain_quota: 500_000,
      remain_quota_usd: 1,
      used_quota: 0,
      used_quota_usd: 0,
      unlimited_quota: false,
      model_limits_enabled: true,
      model_limits: 'gpt-4o-mini,gemini-2.5-flash',
      allow_ips: '127.0.0.1\n10.0.0.0/8',
      group: '',
      expires_at: expires * 1000,
    });
    expect(t.created_time).toBeGreaterThan(1_700_000_000);
    expect(t.created_time).toBeLessThan(1e11); // seconds, not ms
    const stored = await h.repos.tokens.get(t.id);
    expect(stored).toMatchObject({ quotaMicros: 1_000_000, models: ['gpt-4o-mini', 'gemini-2.5-flash'], allowIps: ['127.0.0.1', '10.0.0.0/8'] });
    expect(stored!.keyHash).toBe(hashKey(t.key));

    const got = await h.call(alice.key, 'GET', `/api/token/${t.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data.key).not.toBe(t.key);
    expect(got.body.data.key).toBe(`${t.key.slice(0, 7)}…${t.key.slice(-4)}`);
    expect(got.body.data.remain_quota).toBe(500_000);

    // new-api PUTs the whole object back, read-only fields included.
    const put = await h.call(alice.key, 'PUT', '/api/token/', {
      ...got.body.data,
      name: 'laptop-2',
      remain_quota_usd: undefined,
      remain_quota: 1_250_000,
      expired_time: -1,
      model_limits_enabled: false,
    });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      name: 'laptop-2',
      remain_quota: 1_250_000,
      remain_quota_usd: 2.5,
      expired_time: -1,
      expires_at: null,
      model_limits_enabled: false,
      model_limits: '',
    });
    expect((await h.repos.tokens.get(t.id))!.keyHash).toBe(hashKey(t.key));

    const revealed = await h.call(alice.key, 'POST', `/api/token/${t.id}/key`);
    expect(revealed.status).toBe(200);
    expect(revealed.body.data).toEqual({ id: t.id, key: t.key });

    const del = await h.call(alice.key, 'DELETE', `/api/token/${t.id}`);
    expect(del.status).toBe(200);
    expect(del.body.success).toBe(true);
    expect((await h.call(alice.key, 'GET', `/api/token/${t.id}`)).status).toBe(404);
    expect((await h.call(alice.key, 'DELETE', `/api/token/${t.id}`)).status).toBe(404);
  });

  it('remaining quota is what is left after spending; units are micro-dollars / 2', async () => {
    const created = await h.call(alice.key, 'POST', '/api/token/', { name: 'spent', remain_quota_usd: 5 });
    const id = created.body.data.id;
    await h.database.db.updateTable('tokens').set({ used_micros: 1_250_000 }).where('id', '=', id).execute();
    const got = (await h.call(alice.key, 'GET', `/api/token/${id}`)).body.data;
    expect(got).toMatchObject({ remain_quota: 1_875_000, remain_quota_usd: 3.75, used_quota: 625_000, used_quota_usd: 1.25, quota_usd: 5 });
    // Setting remain_quota sets what remains, whatever was already spent.
    const put = await h.call(alice.key, 'PUT', '/api/token/', { id, remain_quota: 500_000 });
    expect(put.body.data).toMatchObject({ remain_quota: 500_000, used_quota: 625_000 });
    expect((await h.repos.tokens.get(id))!.quotaMicros).toBe(2_250_000);
  });

  it('status_only toggles status like new-api, and refuses to enable an unusable token', async () => {
    const { id } = (await h.call(alice.key, 'POST', '/api/token/', { name: 'toggle', unlimited_quota: true })).body.data;
    const off = await h.call(alice.key, 'PUT', '/api/token/?status_only=true', { id, status: 2, name: 'ignored' });
    expect(off.status).toBe(200);
    expect(off.body.data).toMatchObject({ status: 2, status_name: 'disabled', name: 'toggle' });
    const on = await h.call(alice.key, 'PUT', '/api/token/?status_only=true', { id, status: 1 });
    expect(on.body.data.status).toBe(1);

    const broke = (await h.call(alice.key, 'POST', '/api/token/', { name: 'broke', remain_quota: 0 })).body.data;
    expect(broke).toMatchObject({ status: 4, status_name: 'exhausted' });
    await h.call(alice.key, 'PUT', '/api/token/?status_only=true', { id: broke.id, status: 2 });
    const refused = await h.call(alice.key, 'PUT', '/api/token/?status_only=true', { id: broke.id, status: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^status: .*quota/);

    const past = (await h.call(alice.key, 'POST', '/api/token/', { name: 'old', unlimited_quota: true, expired_time: 1_600_000_000 })).body.data;
    expect(past).toMatchObject({ status: 3, status_name: 'expired' });

    const bad = await h.call(alice.key, 'PUT', '/api/token/?status_only=true', { id, status: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.data.field).toBe('status');
    // A whole-object PUT echoing an exhausted token's status 4 while raising its quota is fine.
    const refill = await h.call(alice.key, 'PUT', '/api/token/', { ...broke, status: 4, remain_quota: 100 });
    expect(refill.status).toBe(200);
    expect(refill.body.data).toMatchObject({ status: 2, remain_quota: 100 }); // still disabled, as set above
  });

  it('a stored exhausted token comes back when its quota is raised', async () => {
    const { id } = (await h.call(alice.key, 'POST', '/api/token/', { name: 'refill', remain_quota: 10 })).body.data;
    await h.repos.tokens.update(id, { status: 'exhausted' });
    const put = await h.call(alice.key, 'PUT', '/api/token/', { id, remain_quota: 1_000 });
    expect(put.body.data).toMatchObject({ status: 1, status_name: 'enabled' });
  });

  it('lists are paged (p from 1, page_size) with masked keys, newest rows included', async () => {
    const bob = await h.createUser('bob-lists');
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      keys.push((await h.call(bob.key, 'POST', '/api/token/', { name: `t${i}`, unlimited_quota: true })).body.data.key);
    }
    const page1 = await h.call(bob.key, 'GET', '/api/token/?p=1&page_size=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data).toMatchObject({ total: 5, page: 1, page_size: 2 });
    expect(page1.body.data.items).toHaveLength(2);
    const page3 = await h.call(bob.key, 'GET', '/api/token/?p=3&page_size=2');
    expect(page3.body.data.items).toHaveLength(1);
    const all = await h.call(bob.key, 'GET', '/api/token?page_size=100');
    const names = all.body.data.items.map((t: any) => t.name).sort();
    expect(names).toEqual(['t0', 't1', 't2', 't3', 't4']);
    for (const item of all.body.data.items) {
      expect(item.key).toMatch(/^sk-.{4}….{4}$/);
      expect(keys).not.toContain(item.key);
    }
    // page_size is capped, p=0 reads as the first page.
    const capped = await h.call(bob.key, 'GET', '/api/token/?p=0&page_size=100000');
    expect(capped.body.data).toMatchObject({ page: 1, page_size: 100 });
    const bad = await h.call(bob.key, 'GET', '/api/token/?p=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.data.field).toBe('p');
  });

  it('search by keyword (name) and by a whole key', async () => {
    const carol = await h.createUser('carol-search');
    const a = (await h.call(carol.key, 'POST', '/api/token/', { name: 'Production API', unlimited_quota: true })).body.data;
    await h.call(carol.key, 'POST', '/api/token/', { name: 'staging', unlimited_quota: true });
    const byName = await h.call(carol.key, 'GET', '/api/token/search?keyword=prod');
    expect(byName.body.data.items.map((t: any) => t.name)).toEqual(['Production API']);
    expect(byName.body.data.total).toBe(1);
    const byKey = await h.call(carol.key, 'GET', `/api/token/search?token=${a.key}`);
    expect(byKey.body.data.items.map((t: any) => t.id)).toEqual([a.id]);
    const none = await h.call(carol.key, 'GET', '/api/token/search?keyword=nothing-like-this');
    expect(none.body.data).toMatchObject({ items: [], total: 0 });
  });

  it('limits (rpm, tpm, concurrency) are accepted on create and patched on update', async () => {
    const res = await h.call(alice.key, 'POST', '/api/token/', { name: 'limited', unlimited_quota: true, limits: { rpm: 10, tpm: 1000 } });
    expect(res.status).toBe(200);
    expect(res.body.data.limits).toEqual({ rpm: 10, tpm: 1000 });
    const put = await h.call(alice.key, 'PUT', '/api/token/', { id: res.body.data.id, limits: { concurrency: 3, rpm: null } });
    expect(put.status).toBe(200);
    expect(put.body.data.limits).toEqual({ tpm: 1000, concurrency: 3 });
    expect((await h.repos.tokens.get(res.body.data.id))!.limits).toEqual({ tpm: 1000, concurrency: 3 });
    const cleared = await h.call(alice.key, 'PUT', '/api/token/', { id: res.body.data.id, limits: null });
    expect(cleared.body.data.limits).toEqual({});
    const bad = await h.call(alice.key, 'PUT', '/api/token/', { id: res.body.data.id, limits: { rpm: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.data.field).toBe('limits.rpm');
  });

  it('image_output is set on create, read back, changed, kept by a PUT that leaves it out, and unset', async () => {
    const res = await h.call(alice.key, 'POST', '/api/token/', { name: 'pictures', unlimited_quota: true, image_output: 'markdown' });
    expect(res.status).toBe(200);
    expect(res.body.data.image_output).toBe('markdown');
    const id = res.body.data.id;
    expect((await h.repos.tokens.get(id))!.imageOutput).toBe('markdown');
    expect((await h.call(alice.key, 'GET', `/api/token/${id}`)).body.data.image_output).toBe('markdown');
    const listed = await h.call(alice.key, 'GET', '/api/token/?page_size=100');
    expect(listed.body.data.items.find((t: any) => t.id === id).image_output).toBe('markdown');

    const url = await h.call(alice.key, 'PUT', '/api/token/', { id, image_output: 'url' });
    expect(url.body.data.image_output).toBe('url');
    const renamed = await h.call(alice.key, 'PUT', '/api/token/', { id, name: 'pictures-2' });
    expect(renamed.body.data).toMatchObject({ name: 'pictures-2', image_output: 'url' });
    // A whole object PUT back echoes the value: nothing changes.
    const echoed = await h.call(alice.key, 'PUT', '/api/token/', { ...renamed.body.data });
    expect(echoed.body.data.image_output).toBe('url');

    const cleared = await h.call(alice.key, 'PUT', '/api/token/', { id, image_output: null });
    expect(cleared.body.data.image_output).toBeNull();
    expect((await h.repos.tokens.get(id))!.imageOutput).toBeNull();
    await h.call(alice.key, 'PUT', '/api/token/', { id, image_output: 'both' });
    const blank = await h.call(alice.key, 'PUT', '/api/token/', { id, image_output: '' });
    expect(blank.body.data.image_output).toBeNull();

    const plain = await h.call(alice.key, 'POST', '/api/token/', { name: 'no-pictures', unlimited_quota: true });
    expect(plain.body.data.image_output).toBeNull();
  });

  it('an unknown image_output is refused naming the field and the choices, and changes nothing', async () => {
    const t = (await h.call(alice.key, 'POST', '/api/token/', { name: 'img-bad', unlimited_quota: true, image_output: 'images' })).body.data;
    const bad = await h.call(alice.key, 'PUT', '/api/token/', { id: t.id, image_output: 'inline' });
    expect(bad.status).toBe(400);
    expect(bad.body.data.field).toBe('image_output');
    expect(bad.body.message).toBe('image_output: expected one of images, markdown, both, url, or null for the default');
    expect((await h.repos.tokens.get(t.id))!.imageOutput).toBe('images');
  });

  it('a whole object PUT back: the field that changed wins over its unchanged twin', async () => {
    const t = (await h.call(alice.key, 'POST', '/api/token/', { name: 'twin', remain_quota: 500_000 })).body.data;
    // new-api client: edits remain_quota, echoes remain_quota_usd unchanged.
    const units = await h.call(alice.key, 'PUT', '/api/token/', { ...t, remain_quota: 1_000_000 });
    expect(units.body.data).toMatchObject({ remain_quota: 1_000_000, remain_quota_usd: 2 });
    // Our client: edits remain_quota_usd and expires_at, echoes the new-api twins unchanged.
    const later = Date.UTC(2031, 5, 1);
    const usd = await h.call(alice.key, 'PUT', '/api/token/', { ...units.body.data, remain_quota_usd: 7, expires_at: new Date(later).toISOString() });
    expect(usd.body.data).toMatchObject({ remain_quota_usd: 7, remain_quota: 3_500_000, expires_at: later, expired_time: later / 1000 });
  });

  it('a stale echo does not hand back what was spent since it was read', async () => {
    const t = (await h.call(alice.key, 'POST', '/api/token/', { name: 'stale', remain_quota_usd: 1 })).body.data;
    const seen = (await h.call(alice.key, 'GET', `/api/token/${t.id}`)).body.data;
    await h.database.db.updateTable('tokens').set({ used_micros: 300_000 }).where('id', '=', t.id).execute();
    const put = await h.call(alice.key, 'PUT', '/api/token/', { ...seen, name: 'stale-renamed' });
    expect(put.body.data).toMatchObject({ name: 'stale-renamed', remain_quota_usd: 0.7, quota_usd: 1 });
    // A real edit counts from what the client saw: "0.5 left" while 0 was spent, 0.3 spent since.
    const edit = await h.call(alice.key, 'PUT', '/api/token/', { ...seen, remain_quota_usd: 0.5, remain_quota: undefined });
    expect(edit.body.data).toMatchObject({ quota_usd: 0.5, remain_quota_usd: 0.2 });
  });

  it('accessed_time follows the token’s last use', async () => {
    const t = (await h.call(alice.key, 'POST', '/api/token/', { name: 'used', unlimited_quota: true })).body.data;
    expect(t.accessed_time).toBe(0);
    const at = Date.UTC(2025, 5, 1, 12);
    await h.database.db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', t.id).execute();
    expect((await h.call(alice.key, 'GET', `/api/token/${t.id}`)).body.data.accessed_time).toBe(at / 1000);
  });

  it('an admin may create a token for a user and choose its key; a user may not', async () => {
    const key = 'sk-chosen-0123456789abcdefghijklmnopqrstuvwx';
    const mine = await h.call(alice.key, 'POST', '/api/token/', { name: 'k', key });
    expect(mine.status).toBe(403);
    const forOther = await h.call(alice.key, 'POST', '/api/token/', { name: 'k', user_id: h.root.id });
    expect(forOther.status).toBe(403);
    const res = await h.call(TEST_ADMIN_KEY, 'POST', '/api/token/', { name: 'k', key, user_id: alice.id, unlimited_quota: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ user_id: alice.id, key });
    const dup = await h.call(TEST_ADMIN_KEY, 'POST', '/api/token/', { name: 'k2', key, user_id: alice.id });
    expect(dup.status).toBe(409);
    const admins = await h.call(TEST_ADMIN_KEY, 'GET', `/api/token/?user_id=${alice.id}&page_size=100`);
    expect(admins.body.data.items.some((t: any) => t.id === res.body.data.id)).toBe(true);
  });

  it('a user may not move a token into another (cheaper) group; an admin may', async () => {
    const own = await h.call(alice.key, 'POST', '/api/token/', { name: 'g', unlimited_quota: true, group: 'default' });
    expect(own.status).toBe(200);
    const vip = await h.call(alice.key, 'PUT', '/api/token/', { id: own.body.data.id, group: 'vip' });
    expect(vip.status).toBe(403);
    expect(vip.body.message).toMatch(/^group:/);
    const byAdmin = await h.call(TEST_ADMIN_KEY, 'PUT', '/api/token/', { id: own.body.data.id, group: 'vip' });
    expect(byAdmin.body.data.group).toBe('vip');
    const unknown = await h.call(TEST_ADMIN_KEY, 'PUT', '/api/token/', { id: own.body.data.id, group: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.data.field).toBe('group');
  });
});

describe('token validation names the field, never a 500', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing name', { unlimited_quota: true }, 'name'],
    ['empty name', { name: '  ' }, 'name'],
    ['negative quota', { name: 'x', remain_quota: -1 }, 'remain_quota'],
    ['quota as text', { name: 'x', remain_quota: 'lots' }, 'remain_quota'],
    ['fractional units', { name: 'x', remain_quota: 1.5 }, 'remain_quota'],
    ['unlimited as text', { name: 'x', unlimited_quota: 'yes' }, 'unlimited_quota'],
    ['bad expiry', { name: 'x', expired_time: -5 }, 'expired_time'],
    ['bad ISO expiry', { name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
    ['bad ip', { name: 'x', allow_ips: '300.1.1.1' }, 'allow_ips'],
    ['bad cidr', { name: 'x', allow_ips: ['10.0.0.0/99'] }, 'allow_ips'],
    ['model with a space', { name: 'x', model_limits_enabled: true, model_limits: 'gpt 4' }, 'model_limits[0]'],
    ['limits enabled, none named', { name: 'x', model_limits_enabled: true, model_limits: '' }, 'model_limits'],
    ['bad group', { name: 'x', group: 'no spaces allowed' }, 'group'],
    ['bad limits', { name: 'x', limits: { rps: 5 } }, 'limits.rps'],
    ['unknown image_output', { name: 'x', image_output: 'inline' }, 'image_output'],
    ['image_output of the wrong case', { name: 'x', image_output: 'Markdown' }, 'image_output'],
    ['image_output as a number', { name: 'x', image_output: 1 }, 'image_output'],
  ];
  for (const [what, body, field] of cases) {
    it(`${what} → 400 naming ${field}`, async () => {
      const res = await h.call(alice.key, 'POST', '/api/token/', body);
      expect(res.status).toBe(400);
      expect(res.body.success).toBe(false);
      expect(res.body.data.field).toBe(field);
      expect(res.body.message.startsWith(`${field}:`)).toBe(true);
    });
  }

  it('a value of the wrong type says what was expected', async () => {
    const res = await h.call(alice.key, 'POST', '/api/token/', { name: 'x', remain_quota: 'lots' });
    expect(res.body.message).toMatch(/^remain_quota: .*expected number/);
  });

  it('PUT without id, and non-numeric path ids, are 400', async () => {
    const noId = await h.call(alice.key, 'PUT', '/api/token/', { name: 'x' });
    expect(noId.status).toBe(400);
    expect(noId.body.data.field).toBe('id');
    const badPath = await h.call(alice.key, 'GET', '/api/token/abc');
    expect(badPath.status).toBe(400);
    expect(badPath.body.data.field).toBe('id');
    const huge = await h.call(alice.key, 'GET', '/api/token/99999999999999999999');
    expect(huge.status).toBe(400);
  });
});
