import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { applyConfig, usdToMicros } from '../../src/config/apply.js';
import { ConfigError, parseConfigText } from '../../src/config/load.js';
import type { Repositories } from '../../src/store/repositories.js';
import { CONTRACT_EXAMPLE } from './fixtures.js';
import { createMemoryRepos, type MemoryRepos } from './memory-repos.js';

const env = { GEMINI_API_KEY: 'AIza-test-key' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const example = () => parseConfigText(CONTRACT_EXAMPLE, env);

let repos: MemoryRepos;
let rootUserId: number;

beforeEach(async () => {
  repos = createMemoryRepos();
  rootUserId = (await repos.users.create({ name: 'root', role: 'root' })).id;
});

async function snapshot(r: Repositories) {
  return {
    users: (await r.users.list()).items,
    groups: await r.groups.list(),
    channels: await r.channels.list(),
    tokens: (await r.tokens.list({ limit: 1000 })).items,
    prices: await r.prices.list(),
  };
}

const apply = (yaml: string, extraEnv: Record<string, string> = {}) =>
  applyConfig(parseConfigText(yaml, { ...env, ...extraEnv }), repos, { rootUserId });

describe('applyConfig', () => {
  test('the CONTRACT example creates every row, money in micro-dollars', async () => {
    const summary = await applyConfig(example(), repos, { rootUserId });
    expect(summary).toEqual({
      groups: { created: 2, updated: 0, unchanged: 0 },
      channels: { created: 1, updated: 0, unchanged: 0 },
      users: { created: 1, updated: 0, unchanged: 0 },
      tokens: { created: 1, updated: 0, unchanged: 0 },
      prices: { created: 1, updated: 0, unchanged: 0 },
      createdTokens: [{ name: 'demo', user: 'alice', key: 'sk-demo-0123456789abcdef0123456789abcdef', generated: false }],
    });

    expect((await repos.groups.list()).map((g) => [g.name, g.ratio])).toEqual([
      ['default', 1],
      ['vip', 0.8],
    ]);
    const [channel] = await repos.channels.list();
    expect(channel).toMatchObject({
      name: 'google',
      type: 'gemini',
      baseUrl: 'https://generativelanguage.googleapis.com',
      models: ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview'],
      modelMapping: { 'nano-banana': 'gemini-2.5-flash-image' },
      groups: ['default'],
      priority: 10,
      weight: 1,
      status: 'enabled',
    });
    expect(channel!.keys.map((k) => k.key)).toEqual(['AIza-test-key']);

    const alice = await repos.users.byName('alice');
    expect(alice).toMatchObject({ role: 'user', group: 'default', balanceMicros: 20_000_000, status: 'enabled' });
    const [token] = (await repos.tokens.list({ userId: alice!.id })).items;
    expect(token).toMatchObject({
      name: 'demo',
      keyHash: sha256('sk-demo-0123456789abcdef0123456789abcdef'),
      unlimited: false,
      quotaMicros: 5_000_000,
      models: ['gemini-2.5-flash-image'],
      allowIps: ['127.0.0.1/32'],
      group: null,
      expiresAt: Date.UTC(2027, 0, 1),
      status: 'enabled',
    });
    expect(await repos.prices.get('gemini-3-pro-image-preview')).toEqual({
      model: 'gemini-3-pro-image-preview',
      source: 'config',
      price: {
        input_per_mtok: 2,
        output_per_mtok: 12,
        image_output_per_mtok: 120,
        per_image: { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
      },
    });
  });

  test('applying the same config twice changes nothing and writes nothing', async () => {
    await applyConfig(example(), repos, { rootUserId });
    const before = await snapshot(repos);
    const writes = repos.writes;
    const again = await applyConfig(example(), repos, { rootUserId });
    expect(await snapshot(repos)).toEqual(before);
    expect(repos.writes).toBe(writes);
    const unchanged = (n: number) => ({ created: 0, updated: 0, unchanged: n });
    expect(again).toEqual({
      groups: unchanged(2),
      channels: unchanged(1),
      users: unchanged(1),
      tokens: unchanged(1),
      prices: unchanged(1),
      createdTokens: [],
    });
  });

  test('a token without user belongs to the root admin; without key it is generated once', async () => {
    const yaml = 'tokens:\n  - name: ops\n    unlimited: true\n';
    const first = await apply(yaml);
    expect(first.createdTokens).toEqual([{ name: 'ops', user: 'root', key: expect.stringMatching(/^sk-/), generated: true }]);
    const key = first.createdTokens[0]!.key;
    const [token] = (await repos.tokens.list({ userId: rootUserId })).items;
    expect(token).toMatchObject({ name: 'ops', unlimited: true, keyHash: sha256(key) });

    const second = await apply(yaml);
    expect(second.createdTokens).toEqual([]);
    expect(second.tokens).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await repos.tokens.list({ userId: rootUserId })).items).toEqual([token]);
    expect(repos.tokenKeys.get(token!.id)).toBe(key);
  });

  test('a key written in the file replaces the stored one', async () => {
    await apply('tokens:\n  - { name: t, key: sk-first-0123456789abcdef }\n');
    const summary = await apply('tokens:\n  - { name: t, key: sk-second-0123456789abcdef }\n');
    expect(summary.tokens).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const tokens = (await repos.tokens.list({ userId: rootUserId })).items;
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.keyHash).toBe(sha256('sk-second-0123456789abcdef'));
  });

  test('the default group is ensured (ratio 1) but never overwritten when absent from the file', async () => {
    await apply('groups:\n  gold: { ratio: 2 }\n');
    expect((await repos.groups.byName('default'))?.ratio).toBe(1);
    await repos.groups.upsert({ name: 'default', ratio: 0.9 });
    const summary = await apply('groups:\n  gold: { ratio: 2 }\n');
    expect((await repos.groups.byName('default'))?.ratio).toBe(0.9);
    expect(summary.groups).toEqual({ created: 0, updated: 0, unchanged: 1 });
    await apply('groups:\n  default: { ratio: 1.1 }\n');
    expect((await repos.groups.byName('default'))?.ratio).toBe(1.1);
  });

  test('same names update, never duplicate; the key list is replaced, kept keys keep their id', async () => {
    const yaml = (keys: string, priority: number) =>
      `channels:\n  - { name: c, type: openai, keys: [${keys}], models: [gpt-4.1], priority: ${priority} }\n`;
    await apply(yaml('k1, k2', 1));
    const [before] = await repos.channels.list();
    const summary = await apply(yaml('k2, k3', 5));
    expect(summary.channels).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const all = await repos.channels.list();
    expect(all).toHaveLength(1);
    expect(all[0]!.id).toBe(before!.id);
    expect(all[0]!.priority).toBe(5);
    expect(all[0]!.keys.map((k) => k.key)).toEqual(['k2', 'k3']);
    expect(all[0]!.keys[0]!.id).toBe(before!.keys[1]!.id);
  });

  test('fields left out of the file keep changes made via the API', async () => {
    const yaml = 'channels:\n  - { name: c, type: openai, key: k, models: [m] }\ntokens:\n  - { name: t }\n';
    await apply(yaml);
    const [channel] = await repos.channels.list();
    expect(channel).toMatchObject({ priority: 0, weight: 1, groups: ['default'], status: 'enabled' });
    await repos.channels.update(channel!.id, { priority: 7, status: 'disabled' });
    const [token] = (await repos.tokens.list({ userId: rootUserId })).items;
    await repos.tokens.update(token!.id, { unlimited: false, quotaMicros: 1_000_000 });

    const summary = await apply(yaml);
    expect(summary.channels.unchanged).toBe(1);
    expect((await repos.channels.get(channel!.id))).toMatchObject({ priority: 7, status: 'disabled' });
    expect(await repos.tokens.get(token!.id)).toMatchObject({ unlimited: false, quotaMicros: 1_000_000 });
  });

  test('image_output: written values are enforced, null unsets, left out keeps an API edit', async () => {
    const yaml = (field: string) => `tokens:\n  - { name: pics, unlimited: true${field} }\n`;
    const created = await apply(yaml(', image_output: markdown'));
    expect(created.tokens).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const [token] = (await repos.tokens.list({ userId: rootUserId })).items;
    expect(token!.imageOutput).toBe('markdown');

    const writes = repos.writes;
    const again = await apply(yaml(', image_output: markdown'));
    expect(again.tokens).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(repos.writes).toBe(writes);

    // An API edit is overwritten while the file names the field...
    await repos.tokens.update(token!.id, { imageOutput: 'url' });
    expect((await apply(yaml(', image_output: markdown'))).tokens.updated).toBe(1);
    expect((await repos.tokens.get(token!.id))!.imageOutput).toBe('markdown');
    // ...and kept once the file leaves it out.
    await repos.tokens.update(token!.id, { imageOutput: 'url' });
    expect((await apply(yaml(''))).tokens).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await repos.tokens.get(token!.id))!.imageOutput).toBe('url');

    expect((await apply(yaml(', image_output: null'))).tokens.updated).toBe(1);
    expect((await repos.tokens.get(token!.id))!.imageOutput).toBeNull();
    expect((await apply(yaml(', image_output: null'))).tokens.unchanged).toBe(1);
  });

  test('a token created without image_output has it unset', async () => {
    await apply('tokens:\n  - { name: plain }\n');
    const [token] = (await repos.tokens.list({ userId: rootUserId })).items;
    expect(token!.imageOutput).toBeNull();
  });

  test('balance_usd is a starting balance: spending is not undone by a restart', async () => {
    const yaml = 'users:\n  - { name: bob, balance_usd: 20 }\n';
    await apply(yaml);
    const bob = (await repos.users.byName('bob'))!;
    await repos.users.update(bob.id, { balanceMicros: 17_500_000 });
    const summary = await apply(yaml);
    expect(summary.users).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await repos.users.byName('bob'))!.balanceMicros).toBe(17_500_000);
  });

  test('USD → micro-dollars rounds to the nearest micro-dollar', async () => {
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(19.9999994)).toBe(19_999_999);
    expect(usdToMicros(0.0000005)).toBe(1);
    await apply('users:\n  - { name: u, balance_usd: 0.07 }\ntokens:\n  - { name: t, user: u, quota_usd: 1.005 }\n');
    const u = (await repos.users.byName('u'))!;
    expect(u.balanceMicros).toBe(70_000);
    expect((await repos.tokens.list({ userId: u.id })).items[0]!.quotaMicros).toBe(1_005_000);
  });

  test('a token may belong to a user that exists only in the database', async () => {
    const carol = await repos.users.create({ name: 'carol' });
    await apply('tokens:\n  - { name: t, user: carol, quota_usd: 1 }\n');
    expect((await repos.tokens.list({ userId: carol.id })).items.map((t) => t.name)).toEqual(['t']);
  });

  test('an unknown token user is an error naming the path, and nothing is written', async () => {
    const writes = repos.writes;
    const config = parseConfigText('groups: { g: {} }\ntokens:\n  - { name: a }\n  - { name: t, user: nobody }\n', {});
    const err = await applyConfig(config, repos, { rootUserId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      'config: tokens[1].user: unknown user "nobody"; add it under users or create it first',
    );
    expect(repos.writes).toBe(writes);
  });

  test('the root admin cannot be configured as a user', async () => {
    await expect(apply('users:\n  - { name: root, balance_usd: 5 }\n')).rejects.toThrow(
      'users[0].name: "root" is the root admin user, which the config cannot change',
    );
  });

  test('a token key already held by another token is refused before any write', async () => {
    const carol = await repos.users.create({ name: 'carol' });
    await repos.tokens.create({ userId: carol.id, name: 'mine', key: 'sk-shared-0123456789abcdef' });
    await expect(apply('tokens:\n  - { name: t, key: sk-shared-0123456789abcdef }\n')).rejects.toThrow(
      'tokens[0].key: already the key of token "mine" of user "carol"',
    );
  });

  test('access keys are set once and not rewritten while unchanged', async () => {
    const yaml = 'users:\n  - { name: ann, role: admin, access_key: mgmt-0123456789abcdef }\n';
    await apply(yaml);
    const ann = (await repos.users.byName('ann'))!;
    expect(ann.role).toBe('admin');
    expect(repos.accessKeys.get(ann.id)).toBe('mgmt-0123456789abcdef');
    const writes = repos.writes;
    expect((await apply(yaml)).users).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(repos.writes).toBe(writes);
    expect((await apply(yaml.replace('mgmt-0123', 'mgmt-9999'))).users.updated).toBe(1);
    expect(repos.accessKeys.get(ann.id)).toBe('mgmt-9999456789abcdef');
    await expect(apply('users:\n  - { name: bea, access_key: mgmt-9999456789abcdef }\n')).rejects.toThrow(
      'users[0].access_key: already the access key of user "ann"',
    );
  });

  test('prices are written with source config, replacing one set via the API', async () => {
    await repos.prices.upsert('m', { per_call: 1 }, 'api');
    const summary = await apply('prices:\n  m: { per_call: 2 }\n  n: { input_per_mtok: 0.5 }\n');
    expect(summary.prices).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(await repos.prices.get('m')).toEqual({ model: 'm', price: { per_call: 2 }, source: 'config' });
  });

  test('an empty config only ensures the default group', async () => {
    const summary = await apply('');
    expect(summary.groups.created).toBe(1);
    expect(await repos.groups.list()).toEqual([expect.objectContaining({ name: 'default', ratio: 1 })]);
  });

  test('a missing root user is reported plainly', async () => {
    await expect(applyConfig(example(), repos, { rootUserId: 999 })).rejects.toThrow(
      'the root admin user (id 999) does not exist',
    );
  });
});
