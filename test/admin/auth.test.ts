import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
let alice: { id: number; key: string };

beforeAll(async () => {
  h = await startAdminHarness();
  alice = await h.createUser('alice', { balance_usd: 3 });
});
afterAll(async () => {
  await h?.close();
});

describe('management API authentication', () => {
  it('refuses a call without a key: 401 in the envelope', async () => {
    const res = await h.call(undefined, 'GET', '/api/user/self');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ success: false, message: expect.stringMatching(/access key/i), data: null });
  });

  it('refuses an unknown key: 401', async () => {
    const res = await h.call('ws-not-a-real-key-0000000000000000', 'GET', '/api/user/self');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, message: 'invalid access key' });
  });

  it('a relay token is not a management key', async () => {
    const created = await h.call(alice.key, 'POST', '/api/token/', { name: 'relay', unlimited_quota: true });
    const res = await h.call(created.body.data.key, 'GET', '/api/user/self');
    expect(res.status).toBe(401);
  });

  it('ADMIN_KEY is the root user', async () => {
    const res = await h.call(TEST_ADMIN_KEY, 'GET', '/api/user/self');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: '', data: { id: h.root.id, role: 'root', username: 'root', unlimited: true } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('a user access key is that user, with balance in USD and quota units', async () => {
    const res = await h.call(alice.key, 'GET', '/api/user/self');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: alice.id,
      name: 'alice',
      role: 'user',
      group: 'default',
      status: 1,
      balance_usd: 3,
      quota: 1_500_000,
      used_usd: 0,
      used_quota: 0,
      unlimited: false,
    });
  });

  it('accepts the bare key in Authorization, as new-api clients send it', async () => {
    const res = await fetch(`${h.url}/api/user/self`, { headers: { authorization: alice.key } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.id).toBe(alice.id);
  });

  it('a disabled account is refused with 403', async () => {
    const bob = await h.createUser('bob-disabled');
    expect((await h.call(bob.key, 'GET', '/api/user/self')).status).toBe(200);
    await h.call(TEST_ADMIN_KEY, 'POST', `/api/users/${bob.id}/disable`);
    const res = await h.call(bob.key, 'GET', '/api/user/self');
    expect(res.status).toBe(403);
    expect(res.body.success).toBe(false);
  });

  it('regenerating one’s own access key returns it once and retires the old one', async () => {
    const carol = await h.createUser('carol');
    const res = await h.call(carol.key, 'POST', '/api/user/self/access_key');
    expect(res.status).toBe(200);
    const fresh = res.body.data.access_key as string;
    expect(fresh).toMatch(/^ws-[A-Za-z0-9]{48}$/);
    expect((await h.call(carol.key, 'GET', '/api/user/self')).status).toBe(401);
    expect((await h.call(fresh, 'GET', '/api/user/self')).body.data.id).toBe(carol.id);
  });

  it('the root key cannot be regenerated through the API (it is ADMIN_KEY)', async () => {
    const res = await h.call(TEST_ADMIN_KEY, 'POST', '/api/user/self/access_key');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/ADMIN_KEY/);
    expect((await h.call(TEST_ADMIN_KEY, 'GET', '/api/user/self')).status).toBe(200);
  });

  it('an admin may set a user’s access key on create', async () => {
    const key = 'ws-chosen-by-admin-0123456789abcdef';
    const created = await h.createUser('dave', { access_key: key });
    expect(created.key).toBe(key);
    expect((await h.call(key, 'GET', '/api/user/self')).body.data.name).toBe('dave');
    const dup = await h.call(TEST_ADMIN_KEY, 'POST', '/api/users', { name: 'dave2', access_key: key });
    expect(dup.status).toBe(409);
  });

  it('unknown /api routes answer 404 in the envelope', async () => {
    const res = await h.call(TEST_ADMIN_KEY, 'GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, data: null });
  });

  it('a body that is not JSON is a 400 naming the body, never a 500', async () => {
    const res = await h.call(alice.key, 'POST', '/api/token/', '{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, message: 'body: is not valid JSON', data: { field: 'body' } });
    const arr = await h.call(alice.key, 'POST', '/api/token/', '[1,2]');
    expect(arr.status).toBe(400);
    expect(arr.body.message).toMatch(/^body: expected a JSON object/);
  });
});

describe('a plain user cannot reach admin routes', () => {
  const adminRoutes: Array<[string, string, unknown?]> = [
    ['GET', '/api/users'],
    ['POST', '/api/users', { name: 'mallory' }],
    ['GET', '/api/users/1'],
    ['PUT', '/api/users/1', { display_name: 'x' }],
    ['POST', '/api/users/1/topup', { amount_usd: 100 }],
    ['POST', '/api/users/1/disable'],
    ['POST', '/api/users/1/access_key'],
    ['DELETE', '/api/users/1'],
    ['GET', '/api/groups'],
    ['POST', '/api/groups', { name: 'cheap', ratio: 0.1 }],
    ['PUT', '/api/groups/default', { ratio: 0 }],
    ['DELETE', '/api/groups/vip'],
    ['PUT', '/api/prices/gpt-4o-mini', { input_per_mtok: 0 }],
    ['DELETE', '/api/prices/gpt-4o-mini'],
    ['GET', '/api/channels'],
    ['POST', '/api/channels', { name: 'x', type: 'openai' }],
    ['GET', '/api/channels/1'],
    ['PUT', '/api/channels/1', { priority: 1 }],
    ['POST', '/api/channels/1/test'],
    ['POST', '/api/channels/1/disable'],
    ['DELETE', '/api/channels/1'],
  ];
  for (const [method, path, body] of adminRoutes) {
    it(`${method} ${path} → 403`, async () => {
      const res = await h.call(alice.key, method, path, body);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ success: false });
    });
  }

  it('the root user is untouchable, even by an admin', async () => {
    const admin = await h.createUser('admin-1', { role: 'admin' });
    for (const [method, path, body] of [
      ['PUT', `/api/users/${h.root.id}`, { display_name: 'pwned' }],
      ['POST', `/api/users/${h.root.id}/disable`],
      ['POST', `/api/users/${h.root.id}/topup`, { amount_usd: 5 }],
      ['DELETE', `/api/users/${h.root.id}`],
    ] as const) {
      const res = await h.call(admin.key, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await h.call(TEST_ADMIN_KEY, 'DELETE', `/api/users/${h.root.id}`)).status).toBe(403);
    expect((await h.call(TEST_ADMIN_KEY, 'GET', '/api/user/self')).status).toBe(200);
  });

  it('only root creates administrators', async () => {
    const admin = await h.createUser('admin-2', { role: 'admin' });
    const res = await h.call(admin.key, 'POST', '/api/users', { name: 'admin-3', role: 'admin' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^role:/);
    const root = await h.call(admin.key, 'POST', '/api/users', { name: 'wannabe', role: 'root' });
    expect(root.status).toBe(400);
    expect(root.body.data.field).toBe('role');
    const plain = await h.call(admin.key, 'POST', '/api/users', { name: 'plain-by-admin' });
    expect(plain.status).toBe(200);
  });
});
