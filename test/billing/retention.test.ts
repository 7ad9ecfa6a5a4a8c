// Retention: usage rows older than N days and rollups older than 400 days go;
// 0 keeps forever; the timer never keeps the process alive.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pruneUsage, startRetention } from '../../src/billing/retention.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import type { NewUsageLog } from '../../src/store/schema.js';
import { createSqliteDatabase } from '../store/test-databases.js';
import type { TestDatabase } from '../store/test-databases.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 30, 12);

function row(id: string, ageDays: number): NewUsageLog {
  return {
    request_id: id,
    created_at: NOW - ageDays * DAY,
    route: 'openai.chat',
    status: 200,
    is_stream: 0,
    input_tokens: 1,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 1,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    cost_micros: 0,
    latency_ms: 1,
  };
}

describe('usage retention', () => {
  let testDb: TestDatabase;
  let database: Database;
  let repos: Repositories;

  beforeAll(async () => {
    testDb = await createSqliteDatabase();
    database = await openDatabase(testDb.url);
    await migrateToLatest(database);
    repos = createRepositories(database, new SecretBox('retention'), createLocalBus());
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  async function ids(): Promise<string[]> {
    return (await repos.usageLogs.query({ limit: 1000 })).items.map((r) => r.request_id).sort();
  }
  async function days(): Promise<string[]> {
    return (await repos.usageLogs.daily({ groupBy: ['day'] })).map((r) => r.day);
  }

  it('prunes rows older than the retention days and rollups older than 400 days', async () => {
    await repos.usageLogs.insertMany([row('a-today', 0), row('b-29d', 29), row('c-31d', 31), row('d-401d', 401), row('e-399d', 399)]);
    expect(await pruneUsage(repos, { days: 30, now: () => NOW })).toEqual({ logs: 3, daily: 1 });
    expect(await ids()).toEqual(['a-today', 'b-29d']);
    // Rollups keep 400 days: 399, 31, 29 and 0 days back stay.
    expect(await days()).toEqual(['2024-05-27', '2025-05-30', '2025-06-01', '2025-06-30']);
  });

  it('0 keeps forever', async () => {
    await repos.usageLogs.insertMany([row('f-1000d', 1000)]);
    expect(await pruneUsage(repos, { days: 0, dailyDays: 0, now: () => NOW })).toEqual({ logs: 0, daily: 0 });
    expect(await ids()).toContain('f-1000d');
  });

  it('startRetention runs on its timer until stopped, and refuses nonsense', async () => {
    const results: Array<{ logs: number; daily: number }> = [];
    const stop = startRetention(repos, { days: 30, intervalMs: 1000, firstRunDelayMs: 0, now: () => NOW, onPruned: (r) => results.push(r) });
    await vi.waitFor(() => expect(results.length).toBeGreaterThanOrEqual(1), { timeout: 5000 });
    stop();
    expect(results[0]?.logs).toBe(1); // f-1000d
    expect(await ids()).toEqual(['a-today', 'b-29d']);
    expect(() => startRetention(repos, { days: -1 })).toThrow(/days must be a number of days ≥ 0/);
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    const broken = { usageLogs: { pruneBefore: async () => Promise.reject(new Error('db down')), pruneDailyBefore: async () => 0 } };
    const stop = startRetention(broken, { firstRunDelayMs: 0, intervalMs: 1000, onError: (e) => errors.push(e) });
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
    stop();
    expect((errors[0] as Error).message).toBe('db down');
  });
});
