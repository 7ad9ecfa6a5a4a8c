// GET /api/channels filters the console uses: name, group, model (with keyword, type and status).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
const root = (method: string, path: string, body?: unknown) => h.call(TEST_ADMIN_KEY, method, path, body);
const names = async (query: string) => ((await root('GET', `/api/channels?${query}`)).body.data.items as Array<{ name: string }>).map((c) => c.name).sort();

beforeAll(async () => {
  h = await startAdminHarness();
  expect((await root('POST', '/api/groups', { name: 'vip' })).status).toBe(200);
  for (const body of [
    { name: 'alpha-openai', type: 'openai', keys: ['k'], models: ['gpt-4o-mini'], groups: ['default', 'vip'] },
    { name: 'beta-claude', type: 'anthropic', keys: ['k'], models: ['claude-sonnet-4-5'], model_mapping: { 'claude-latest': 'claude-sonnet-4-5' } },
    { name: 'gamma-gemini', type: 'gemini', keys: ['k'], models: ['gemini-2.5-flash'], groups: ['vip'] },
  ]) {
    expect((await root('POST', '/api/channels', body)).status).toBe(200);
  }
});
afterAll(async () => {
  await h?.close();
});

describe('GET /api/channels filters', () => {
  it('name matches part of the name only', async () => {
    expect(await names('name=ALPHA')).toEqual(['alpha-openai']);
    // "claude" is a model of beta-claude but the name filter ignores models.
    expect(await names('name=sonnet')).toEqual([]);
  });

  it('group is exact; model matches served and mapped models in part', async () => {
    expect(await names('group=vip')).toEqual(['alpha-openai', 'gamma-gemini']);
    expect(await names('group=vi')).toEqual([]);
    expect(await names('model=gemini-2.5')).toEqual(['gamma-gemini']);
    expect(await names('model=claude-latest')).toEqual(['beta-claude']);
    expect(await names('group=vip&model=gpt')).toEqual(['alpha-openai']);
  });

  it('combines with type and status, and the total counts the filtered list', async () => {
    await root('POST', `/api/channels/${(await root('GET', '/api/channels?name=gamma')).body.data.items[0].id}/disable`);
    expect(await names('group=vip&status=enabled')).toEqual(['alpha-openai']);
    expect(await names('type=anthropic&model=claude')).toEqual(['beta-claude']);
    expect((await root('GET', '/api/channels?group=vip&page_size=1')).body.data).toMatchObject({ total: 2, page_size: 1 });
  });
});
