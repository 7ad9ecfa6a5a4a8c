// applyConfig against the real repositories on a SQLite file: applying the
// CONTRACT §3 example twice must leave exactly the same rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyConfig } from '../../src/config/apply.js';
import { parseConfigText } from '../../src/config/load.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import { CONTRACT_EXAMPLE } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ws-apply-'));
let database: Database;
let repos: Repositories;
let rootUserId: number;

beforeAll(async () => {
  database = await openDatabase(`sqlite:${join(dir, 'waystation.db')}`);
  await migrateToLatest(database);
  repos = createRepositories(database, new SecretBox('apply-test-secret'), createLocalBus());
  rootUserId = (await repos.users.create({ name: 'root', role: 'root' })).id;
});

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const TABLES = ['users', 'groups', 'tokens', 'channels', 'channel_keys', 'prices'] as const;

async function allRows() {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await database.db.selectFrom(table).selectAll().orderBy('id').execute();
  return out;
}

test('the CONTRACT example applied twice yields exactly the same rows', async () => {
  const config = parseConfigText(CONTRACT_EXAMPLE, { GEMINI_API_KEY: 'AIza-sqlite' });
  const first = await applyConfig(config, repos, { rootUserId });
  expect(first.createdTokens.map((t) => t.name)).toEqual(['demo']);
  const rows = await allRows();
  expect(rows.groups).toHaveLength(2);
  expect(rows.channels).toHaveLength(1);
  expect(rows.channel_keys).toHaveLength(1);
  expect(rows.users).toHaveLength(2);
  expect(rows.tokens).toHaveLength(1);
  expect(rows.prices).toHaveLength(1);
  expect(rows.users).toContainEqual(expect.objectContaining({ name: 'alice', balance_micros: 20_000_000 }));
  expect(rows.tokens?.[0]).toMatchObject({ quota_micros: 5_000_000, unlimited: 0, expires_at: Date.UTC(2027, 0, 1) });

  const second = await applyConfig(config, repos, { rootUserId });
  expect(second.createdTokens).toEqual([]);
  expect([second.groups, second.channels, second.users, second.tokens, second.prices].every((c) => c.created + c.updated === 0)).toBe(true);
  expect(await allRows()).toEqual(rows);

  const [channel] = await repos.channels.list();
  expect(channel!.keys.map((k) => k.key)).toEqual(['AIza-sqlite']);
});

test('a generated token key survives re-apply on the real store', async () => {
  const config = parseConfigText('tokens:\n  - { name: generated, unlimited: true }\n', {});
  const first = await applyConfig(config, repos, { rootUserId });
  const key = first.createdTokens[0]!.key;
  expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
  const before = await allRows();
  await applyConfig(config, repos, { rootUserId });
  expect(await allRows()).toEqual(before);
  const token = (await repos.tokens.list({ userId: rootUserId })).items.find((t) => t.name === 'generated');
  expect(await repos.tokens.revealKey(token!.id)).toBe(key);
});

test('image_output reaches the tokens table and a re-apply leaves the row alone', async () => {
  const config = parseConfigText('tokens:\n  - { name: pictures, unlimited: true, image_output: both }\n', {});
  await applyConfig(config, repos, { rootUserId });
  const row = await database.db.selectFrom('tokens').selectAll().where('name', '=', 'pictures').executeTakeFirstOrThrow();
  expect(row.image_output).toBe('both');
  const before = await allRows();
  const again = await applyConfig(config, repos, { rootUserId });
  expect(again.tokens).toEqual({ created: 0, updated: 0, unchanged: 1 });
  expect(await allRows()).toEqual(before);
});
