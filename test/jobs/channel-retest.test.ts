// The retest of auto-disabled channels, on real repositories (SQLite) and the
// real admin channel test against the simulator: a passing channel comes back,
// a failing one stays set aside, a manually disabled one is never touched.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testChannel } from '../../src/admin/channel-test.js';
import { retestAutoDisabledChannels } from '../../src/jobs/channel-retest.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { startSimulator } from '../../src/simulator/server.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import { createSqliteDatabase, type TestDatabase } from '../store/test-databases.js';

describe('retestAutoDisabledChannels', () => {
  let testDb: TestDatabase;
  let database: Database;
  let repos: Repositories;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  const events: ChangeEvent[] = [];
  const providers = createProviderRegistry({ simulatorUrl: () => undefined });
  const test = (c: Parameters<typeof testChannel>[0]) => testChannel(c, providers, { timeoutMs: 5_000 });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, host: '127.0.0.1' });
    testDb = await createSqliteDatabase();
    database = await openDatabase(testDb.url);
    await migrateToLatest(database);
    const bus = createLocalBus();
    bus.subscribe((ev) => events.push(ev));
    repos = createRepositories(database, new SecretBox('retest'), bus);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    await sim?.close();
  });
  beforeEach(async () => {
    for (const c of await repos.channels.list()) await repos.channels.delete(c.id);
    events.length = 0;
  });

  const channel = (name: string, extra: { settings?: Record<string, unknown>; baseUrl?: string } = {}) =>
    repos.channels.create({ name, type: 'simulator', baseUrl: extra.baseUrl ?? sim.url, keys: ['k'], models: ['gpt-4o-mini'], settings: extra.settings });

  it('re-enables auto-disabled channels that pass; leaves failing and manually disabled ones as they are', async () => {
    const healthy = await channel('healthy');
    await repos.channels.setStatus(healthy.id, 'auto_disabled', 'too many 500s');
    const failing = await channel('failing', { settings: { test_model: 'gpt-4o-mini@fault=503' } });
    await repos.channels.setStatus(failing.id, 'auto_disabled', 'too many 503s');
    const manual = await channel('manual');
    await repos.channels.setStatus(manual.id, 'disabled', null);
    const enabled = await channel('enabled');
    events.length = 0;

    const result = await retestAutoDisabledChannels({ channels: repos.channels, test });

    expect(result.tested).toBe(2);
    expect(result.reenabled.map((c) => c.name)).toEqual(['healthy']);
    expect(result.failed).toEqual([{ id: failing.id, name: 'failing', message: expect.stringContaining('503') }]);
    expect(await repos.channels.get(healthy.id)).toMatchObject({ status: 'enabled', statusReason: null });
    expect(await repos.channels.get(failing.id)).toMatchObject({ status: 'auto_disabled', statusReason: 'too many 503s' });
    expect(await repos.channels.get(manual.id)).toMatchObject({ status: 'disabled' });
    expect(await repos.channels.get(enabled.id)).toMatchObject({ status: 'enabled' });
    // The re-enable went through the repository, so every node's cache hears of it.
    expect(events).toEqual([{ entity: 'channel', id: healthy.id }]);
  });

  it('an unreachable upstream fails the test without throwing', async () => {
    const down = await channel('down', { baseUrl: 'http://127.0.0.1:1' });
    await repos.channels.setStatus(down.id, 'auto_disabled', 'connect refused');
    const result = await retestAutoDisabledChannels({ channels: repos.channels, test });
    expect(result).toMatchObject({ tested: 1, reenabled: [], failed: [{ id: down.id, message: expect.stringMatching(/request failed/) }] });
    expect((await repos.channels.get(down.id))?.status).toBe('auto_disabled');
  });

  it('does not re-enable a channel an operator disabled while its test ran', async () => {
    const c = await channel('raced');
    await repos.channels.setStatus(c.id, 'auto_disabled', 'flaky');
    const result = await retestAutoDisabledChannels({
      channels: repos.channels,
      test: async (ch) => {
        await repos.channels.setStatus(ch.id, 'disabled', null); // the operator's click lands mid-test
        return { ok: true, status: 200, latency_ms: 1, message: 'fine', model: 'gpt-4o-mini' };
      },
    });
    expect(result.reenabled).toEqual([]);
    expect((await repos.channels.get(c.id))?.status).toBe('disabled');
  });

  it('a test that throws counts as a failure; the other channels are still tested', async () => {
    const a = await channel('a');
    const b = await channel('b');
    await repos.channels.setStatus(a.id, 'auto_disabled', 'x');
    await repos.channels.setStatus(b.id, 'auto_disabled', 'x');
    const result = await retestAutoDisabledChannels({
      channels: repos.channels,
      concurrency: 1,
      test: async (ch) => {
        if (ch.id === a.id) throw new Error('provider exploded');
        return { ok: true, status: 200, latency_ms: 1, message: 'fine', model: 'gpt-4o-mini' };
      },
    });
    expect(result.failed).toEqual([{ id: a.id, name: 'a', message: 'provider exploded' }]);
    expect(result.reenabled.map((c) => c.id)).toEqual([b.id]);
  });

  it('tests several channels at once, never more than the concurrency', async () => {
    for (let i = 0; i < 7; i++) {
      const c = await channel(`c${i}`);
      await repos.channels.setStatus(c.id, 'auto_disabled', 'x');
    }
    let active = 0;
    let most = 0;
    const result = await retestAutoDisabledChannels({
      channels: repos.channels,
      concurrency: 3,
      test: async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return { ok: false, status: 500, latency_ms: 1, message: 'still down', model: 'gpt-4o-mini' };
      },
    });
    expect(result.tested).toBe(7);
    expect(most).toBe(3);
  });
});
