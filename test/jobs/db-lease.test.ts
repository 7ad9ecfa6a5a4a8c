// The database lease between "processes" on one database (two connections,
// or worker threads with their own): one holder per name even when many race
// for it, hand-over once a hold lapses, renew and release by the holder only;
// and scheduled jobs on it. SQLite (a file) always; PostgreSQL and MySQL when
// WAYSTATION_TEST_PG / WAYSTATION_TEST_MYSQL name a server.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabaseLease } from '../../src/jobs/db-lease.js';
import { startScheduledJob, type ScheduledJob } from '../../src/jobs/scheduled-job.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { startModuleWorker } from '../../src/store/module-worker.js';
import {
  MYSQL_DEFAULT,
  PG_DEFAULT,
  createMysqlDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  serverFromEnv,
  type TestDatabase,
} from '../store/test-databases.js';

const wait = { timeout: 15_000, interval: 10 };
const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
const mysqlServer = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);

const backends: Array<{ name: string; create(): Promise<TestDatabase> }> = [{ name: 'sqlite', create: () => createSqliteDatabase() }];
if (pgServer) backends.push({ name: 'postgres', create: () => createPostgresDatabase(pgServer) });
if (mysqlServer) backends.push({ name: 'mysql', create: () => createMysqlDatabase(mysqlServer) });
if (!pgServer) describe.skip('database lease on postgres (set WAYSTATION_TEST_PG to run)', () => it('contract', () => {}));
if (!mysqlServer) describe.skip('database lease on mysql (set WAYSTATION_TEST_MYSQL to run)', () => it('contract', () => {}));

describe.each(backends)('database lease on $name', ({ name: backend, create }) => {
  let testDb: TestDatabase;
  /** Two connections to one database: what two processes see. */
  let one: Database;
  let two: Database;
  let t = Date.now();
  const clock = { now: () => t };
  const jobs: ScheduledJob[] = [];
  let seq = 0;
  /** A lease name no other test in this database uses. */
  const fresh = (what: string) => `${what}-${++seq}`;

  beforeAll(async () => {
    testDb = await create();
    one = await openDatabase(testDb.url);
    two = await openDatabase(testDb.url);
    expect(await migrateToLatest(one)).toContain('004_job_leases');
  });
  afterEach(async () => {
    await Promise.all(jobs.splice(0).map((j) => j.stop()));
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    // pg-pool's sockets finish closing after end() resolves; a forced DROP right away would cut them.
    await new Promise((r) => setTimeout(r, 200));
    await testDb?.drop();
  });

  const pair = () => ({ a: createDatabaseLease(one.db, one.kind, clock), b: createDatabaseLease(two.db, two.kind, clock) });

  it('one holder at a time, per name; the row names the holder', async () => {
    const { a, b } = pair();
    const job = fresh('contend');
    expect(a.scope).toBe('database');
    expect(await a.acquire(job, 'node-a', 5_000)).toBe(true);
    expect(await b.acquire(job, 'node-b', 5_000)).toBe(false);
    // "Take when free", as the other leases: the holder renews rather than re-takes.
    expect(await a.acquire(job, 'node-a', 5_000)).toBe(false);
    expect(await b.holderOf(job)).toBe('node-a');
    expect(await b.renew(job, 'node-b', 5_000)).toBe(false);
    const other = fresh('other');
    expect(await b.acquire(other, 'node-b', 5_000)).toBe(true);
    expect(await a.holderOf(other)).toBe('node-b');
    const row = await two.db.selectFrom('job_leases').selectAll().where('name', '=', job).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: job, holder: 'node-a', expires_at: t + 5_000 });
  });

  it('renewal keeps the lease past its first ttl; only the holder renews', async () => {
    const { a, b } = pair();
    const job = fresh('renew');
    expect(await a.acquire(job, 'node-a', 1_000)).toBe(true);
    for (let i = 0; i < 5; i++) {
      t += 600;
      expect(await a.renew(job, 'node-a', 1_000)).toBe(true);
      expect(await b.acquire(job, 'node-b', 1_000)).toBe(false);
      expect(await b.renew(job, 'node-b', 1_000)).toBe(false);
    }
    // 3 s of renewals on a 1 s lease: still node-a's.
    expect(await b.holderOf(job)).toBe('node-a');
  });

  it('a hold lapses after its ttl and the other node takes it; the old holder can neither renew nor release it', async () => {
    const { a, b } = pair();
    const job = fresh('lapse');
    expect(await a.acquire(job, 'node-a', 1_000)).toBe(true);
    t += 999;
    expect(await b.acquire(job, 'node-b', 1_000)).toBe(false);
    t += 1;
    expect(await b.holderOf(job)).toBeUndefined();
    expect(await a.renew(job, 'node-a', 1_000)).toBe(false);
    expect(await b.acquire(job, 'node-b', 1_000)).toBe(true);
    expect(await a.renew(job, 'node-a', 1_000)).toBe(false);
    await a.release(job, 'node-a');
    expect(await a.holderOf(job)).toBe('node-b');
    // And the old holder, once the new hold lapses too, may take it back.
    t += 1_000;
    expect(await a.acquire(job, 'node-a', 1_000)).toBe(true);
    expect(await b.holderOf(job)).toBe('node-a');
  });

  it("release frees the lease for others, and never drops another holder's lease", async () => {
    const { a, b } = pair();
    const job = fresh('release');
    expect(await a.acquire(job, 'node-a', 5_000)).toBe(true);
    await b.release(job, 'node-b');
    expect(await b.holderOf(job)).toBe('node-a');
    await a.release(job, 'node-a');
    expect(await a.holderOf(job)).toBeUndefined();
    expect(await b.acquire(job, 'node-b', 5_000)).toBe(true);
    expect(await a.holderOf(job)).toBe('node-b');
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses a ttl of %s', async (ttl) => {
    const { a } = pair();
    await expect(a.acquire('ttl', 'a', ttl)).rejects.toThrow(RangeError);
    await expect(a.renew('ttl', 'a', ttl)).rejects.toThrow(RangeError);
  });

  it('many holders in three worker threads racing for the same names: exactly one wins each, free or lapsed', async () => {
    const names = { free: Array.from({ length: 30 }, () => fresh('race-free')), lapsed: Array.from({ length: 30 }, () => fresh('race-lapsed')) };
    // Held long ago by a node that is gone: the race goes through the update path, not the insert.
    const past = createDatabaseLease(one.db, one.kind, { now: () => Date.now() - 120_000 });
    for (const name of names.lapsed) expect(await past.acquire(name, 'gone', 1_000)).toBe(true);
    const all = [...names.free, ...names.lapsed];

    const gate = new SharedArrayBuffer(4);
    const workers: Worker[] = [];
    try {
      for (let w = 0; w < 3; w++) {
        const holders = Array.from({ length: 4 }, (_, h) => `w${w}-h${h}`);
        workers.push(startModuleWorker(new URL('./fixtures/lease-race-worker.ts', import.meta.url), { workerData: { url: testDb.url, gate, names: all, holders } }));
      }
      await Promise.all(workers.map((w) => once(w, 'message')));
      const answers = workers.map((w) => once(w, 'message').then(([m]) => m as { won: Array<{ name: string; holder: string }>; errors: string[] }));
      // Every worker is connected and waiting: release them together.
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const results = await Promise.all(answers);

      expect(results.flatMap((r) => r.errors)).toEqual([]);
      const winners = new Map<string, string[]>();
      for (const { name, holder } of results.flatMap((r) => r.won)) winners.set(name, [...(winners.get(name) ?? []), holder]);
      for (const name of all) {
        expect(winners.get(name), `winners of ${name} on ${backend}`).toHaveLength(1);
        expect(await one.db.selectFrom('job_leases').select('holder').where('name', '=', name).executeTakeFirst()).toEqual({ holder: winners.get(name)![0] });
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('scheduled on two connections, the job runs on one; when that one stops, the other takes over', async () => {
    const runs = { a: 0, b: 0 };
    const job = fresh('sched');
    const options = { name: job, everyMs: 30, firstRunDelayMs: 0, leaseTtlMs: 2_000, onError: () => {} };
    const a = startScheduledJob({ ...options, lease: createDatabaseLease(one.db, one.kind), holder: 'node-a', run: () => runs.a++ });
    jobs.push(a);
    await vi.waitFor(() => expect(a.stats().holding).toBe(true), wait);
    const b = startScheduledJob({ ...options, lease: createDatabaseLease(two.db, two.kind), holder: 'node-b', run: () => runs.b++ });
    jobs.push(b);
    await vi.waitFor(() => expect(runs.a).toBeGreaterThanOrEqual(5), wait);
    expect(runs.b).toBe(0);
    expect(b.stats().holding).toBe(false);

    await a.stop(); // releases the row at once
    await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(3), wait);
    expect(await createDatabaseLease(one.db, one.kind).holderOf(job)).toBe('node-b');
  });
});

describe('database lease on a failing database', () => {
  it('a database failure rejects with the lease named, and the scheduler reports it instead of running', async () => {
    const bare = await createSqliteDatabase(); // no migrations: no job_leases table
    const database = await openDatabase(bare.url);
    try {
      const lease = createDatabaseLease(database.db, database.kind);
      await expect(lease.acquire('broken', 'a', 1_000)).rejects.toThrow(/job lease acquire "broken" failed: .*job_leases/);
      await expect(lease.release('broken', 'a')).rejects.toThrow(/job lease release "broken" failed/);
      const errors: string[] = [];
      let ran = 0;
      const job = startScheduledJob({ name: 'broken', everyMs: 20, firstRunDelayMs: 0, lease, run: () => ran++, onError: (err) => errors.push(String(err)) });
      await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(1), wait);
      expect(errors[0]).toMatch(/lease check failed.*job lease acquire "broken" failed/);
      expect(ran).toBe(0);
      await job.stop();
      // The release on stop failed too, and went to onError rather than the event loop.
      expect(errors.at(-1)).toMatch(/job lease release "broken" failed/);
    } finally {
      await database.close();
      await bare.drop();
    }
  });
});
