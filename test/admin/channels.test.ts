import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../helpers/gateway.js';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
let sim: TestSimulator;
const root = (method: string, path: string, body?: unknown) => h.call(TEST_ADMIN_KEY, method, path, body);

/** A port nothing listens on: bind one, then let it go. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  sim = await startTestSimulator();
  h = await startAdminHarness({ simulatorUrl: sim.url });
});
afterAll(async () => {
  await h?.close();
  await sim?.close();
});

describe('/api/channels', () => {
  it('create, get, list (keys masked), update, disable, enable, delete', async () => {
    const created = await root('POST', '/api/channels', {
      name: 'openai-main',
      type: 'openai',
      base_url: 'https://api.openai.com/v1/',
      keys: ['sk-upstream-secret-0123456789abcdef', 'sk-upstream-second-0123456789abcdef'],
      models: ['gpt-4o-mini', 'gpt-4.1'],
      model_mapping: { 'gpt-4o': 'gpt-4o-2024-11-20' },
      priority: 5,
      weight: 2,
    });
    expect(created.status).toBe(200);
    const ch = created.body.data;
    expect(ch).toMatchObject({ name: 'openai-main', type: 'openai', base_url: 'https://api.openai.com/v1', priority: 5, weight: 2, status: 'enabled', key_count: 2 });
    expect(ch.keys.map((k: any) => k.key)).toEqual(['sk-upst…cdef', 'sk-upst…cdef']);
    expect(JSON.stringify(created.body)).not.toContain('secret');

    const list = await root('GET', '/api/channels');
    expect(list.body.data).toMatchObject({ total: 1, page: 1 });
    expect(JSON.stringify(list.body)).not.toContain('sk-upstream-secret');
    expect((await root('GET', `/api/channels/${ch.id}`)).body.data.name).toBe('openai-main');

    // An update without keys keeps them.
    const upd = await root('PUT', `/api/channels/${ch.id}`, { priority: 9, models: 'gpt-4o-mini, gpt-5' });
    expect(upd.body.data).toMatchObject({ priority: 9, models: ['gpt-4o-mini', 'gpt-5'], key_count: 2 });
    expect((await h.repos.channels.get(ch.id))!.keys[0]!.key).toBe('sk-upstream-secret-0123456789abcdef');
    // The object we answered, PUT back with one key dropped and one added: stored keys are kept by id.
    const echoed = { ...upd.body.data, keys: [upd.body.data.keys[1], 'sk-third-0123456789abcdef'], weight: 3 };
    const echo = await root('PUT', `/api/channels/${ch.id}`, echoed);
    expect(echo.status).toBe(200);
    expect((await h.repos.channels.get(ch.id))!.keys.map((k) => k.key)).toEqual(['sk-upstream-second-0123456789abcdef', 'sk-third-0123456789abcdef']);
    // A masked key sent as if it were real is refused.
    const masked = await root('PUT', `/api/channels/${ch.id}`, { keys: ['sk-upst…cdef'] });
    expect(masked.status).toBe(400);
    expect(masked.body.data.field).toBe('keys[0]');
    const rekey = await root('PUT', `/api/channels/${ch.id}`, { key: 'sk-new-key-0123456789abcdef\n' });
    expect(rekey.body.data.key_count).toBe(1);

    // An auto-disabled channel echoed back keeps its state and reason.
    await h.repos.channels.setStatus(ch.id, 'auto_disabled', 'upstream 401');
    const auto = (await root('GET', `/api/channels/${ch.id}`)).body.data;
    const again = await root('PUT', `/api/channels/${ch.id}`, { ...auto, priority: 4 });
    expect(again.body.data).toMatchObject({ status: 'auto_disabled', status_reason: 'upstream 401', priority: 4 });
    expect((await root('PUT', `/api/channels/${ch.id}`, { status: 'enabled' })).body.data).toMatchObject({ status: 'enabled', status_reason: null });
    expect((await root('PUT', `/api/channels/${ch.id}`, { status: 'auto_disabled' })).body.data.field).toBe('status');
    expect((await root('POST', `/api/channels/${ch.id}/disable`)).body.data.status).toBe('disabled');
    expect((await root('POST', `/api/channels/${ch.id}/enable`)).body.data.status).toBe('enabled');
    expect((await root('DELETE', `/api/channels/${ch.id}`)).status).toBe(200);
    expect((await root('GET', `/api/channels/${ch.id}`)).status).toBe(404);
  });

  it('validation names the field: type against the known channel types, and more', async () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'openai' }, 'name'],
      [{ name: 'x' }, 'type'],
      [{ name: 'x', type: 'azure-ish' }, 'type'],
      [{ name: 'x', type: 'openai', base_url: 'ftp://host' }, 'base_url'],
      [{ name: 'x', type: 'openai-compatible' }, 'base_url'],
      [{ name: 'x', type: 'openai', priority: 1.5 }, 'priority'],
      [{ name: 'x', type: 'openai', weight: -1 }, 'weight'],
      [{ name: 'x', type: 'openai', models: ['ok', 'not ok'] }, 'models[1]'],
      [{ name: 'x', type: 'openai', model_mapping: '{broken' }, 'model_mapping'],
      [{ name: 'x', type: 'openai', groups: ['ghost'] }, 'groups[0]'],
      [{ name: 'x', type: 'openai', keys: 'not-a-list' }, 'keys'],
      [{ name: 'x', type: 'openai', proxy: 'http://p' }, 'proxy'],
    ];
    for (const [body, field] of cases) {
      const res = await root('POST', '/api/channels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data.field, JSON.stringify(body)).toBe(field);
    }
    const type = await root('POST', '/api/channels', { name: 'x', type: 'azure-ish' });
    expect(type.body.message).toMatch(/gemini/);
    await root('POST', '/api/channels', { name: 'dup', type: 'simulator' });
    expect((await root('POST', '/api/channels', { name: 'dup', type: 'simulator' })).status).toBe(409);
  });
});

describe('POST /api/channels/{id}/test', () => {
  it('passes through a real simulator, in each dialect', async () => {
    const cases = [
      { name: 'sim-openai', type: 'openai', models: ['gpt-4o-mini'] },
      { name: 'sim-compat', type: 'openai-compatible', models: ['deepseek-chat'] },
      { name: 'sim-anthropic', type: 'anthropic', models: ['claude-sonnet-4-5'] },
      { name: 'sim-gemini', type: 'gemini', models: ['gemini-2.5-flash'] },
      { name: 'sim-sim', type: 'simulator', models: ['claude-sonnet-4-5'] },
    ];
    for (const c of cases) {
      const ch = (await root('POST', '/api/channels', { ...c, base_url: sim.url, keys: ['sim-key'] })).body.data;
      await sim.clear();
      const res = await root('POST', `/api/channels/${ch.id}/test`);
      expect(res.status, c.name).toBe(200);
      expect(res.body.success, JSON.stringify(res.body)).toBe(true);
      expect(res.body.data).toMatchObject({ ok: true, status: 200, model: c.models[0] });
      expect(res.body.data.latency_ms).toBeGreaterThanOrEqual(0);
      const seen = await sim.requests();
      expect(seen.length, c.name).toBe(1);
    }
  });

  it('uses settings.test_model, the model mapping, and the in-process simulator for a simulator channel without base_url', async () => {
    const ch = (
      await root('POST', '/api/channels', {
        name: 'mapped',
        type: 'simulator',
        models: ['first-model', 'nice-name'],
        model_mapping: { 'nice-name': 'gemini-2.5-flash' },
        settings: { test_model: 'nice-name' },
      })
    ).body.data;
    await sim.clear();
    const res = await root('POST', `/api/channels/${ch.id}/test`);
    expect(res.body.data).toMatchObject({ ok: true, model: 'nice-name' });
    const [seen] = await sim.requests();
    expect(seen!.path).toContain('gemini-2.5-flash:generateContent');
  });

  it('reports an upstream error with its status and message', async () => {
    const ch = (await root('POST', '/api/channels', { name: 'faulty', type: 'openai', base_url: sim.url, keys: ['k'], models: ['gpt-4o-mini@fault=500'] })).body.data;
    const res = await root('POST', `/api/channels/${ch.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(false);
    expect(res.body.data).toMatchObject({ ok: false, status: 500 });
    expect(res.body.data.message).toMatch(/500/);
  });

  it('fails against a dead port, quickly and without a 500', async () => {
    const port = await deadPort();
    const ch = (await root('POST', '/api/channels', { name: 'dead', type: 'openai', base_url: `http://127.0.0.1:${port}`, keys: ['k'], models: ['gpt-4o-mini'] })).body.data;
    const res = await root('POST', `/api/channels/${ch.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: false, data: { ok: false, status: 0 } });
    expect(res.body.data.message).toMatch(/ECONNREFUSED|refused/i);
  });

  it('a channel with nothing to test says so; a missing channel is 404', async () => {
    const ch = (await root('POST', '/api/channels', { name: 'empty', type: 'openai', keys: ['k'] })).body.data;
    const res = await root('POST', `/api/channels/${ch.id}/test`);
    expect(res.body.data).toMatchObject({ ok: false, status: 0, model: null });
    expect(res.body.data.message).toMatch(/no models/);
    expect((await root('POST', '/api/channels/999999/test')).status).toBe(404);
    const bad = await root('POST', `/api/channels/${ch.id}/test`, { timeout_ms: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.data.field).toBe('timeout_ms');
  });
});

describe('GET /api/user/models', () => {
  it('lists the models enabled channels serve to the caller’s group', async () => {
    await root('POST', '/api/groups', { name: 'gold', ratio: 1 });
    await root('POST', '/api/channels', { name: 'gold-only', type: 'simulator', models: ['gold-model'], groups: ['gold'] });
    await root('POST', '/api/channels', { name: 'off', type: 'simulator', models: ['off-model'], status: 'disabled' });
    await root('POST', '/api/channels', { name: 'std', type: 'simulator', models: ['std-model'], model_mapping: { alias: 'std-model' } });
    const plain = await h.createUser('plain-models');
    const gold = await h.createUser('gold-models', { group: 'gold' });
    await h.cache.settled();
    const mine = (await h.call(plain.key, 'GET', '/api/user/models')).body.data as string[];
    expect(mine).toContain('std-model');
    expect(mine).toContain('alias');
    expect(mine).not.toContain('gold-model');
    expect(mine).not.toContain('off-model');
    const golden = (await h.call(gold.key, 'GET', '/api/user/models')).body.data as string[];
    expect(golden).toEqual(['gold-model']);
  });
});
