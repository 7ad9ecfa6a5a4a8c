// Two gateways on one database and no Redis (two workers on one SQLite file,
// or two nodes on one PostgreSQL/MySQL): the background jobs' leases live in
// the database, so the scheduled retest of an auto-disabled channel reaches
// the simulator from one gateway only, and the other takes over when that one
// stops its jobs. The gateways run in this process, each with its own
// connection; two SQLite connections on one thread only contend for single
// short statements here, which the busy timeout absorbs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_RETEST_JOB, USAGE_RETENTION_JOB } from '../../src/jobs/gateway-jobs.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { startTestGateway, startTestSimulator, testSettings, type TestGateway, type TestSimulator } from '../helpers/gateway.js';
import { MYSQL_DEFAULT, PG_DEFAULT, createMysqlDatabase, createPostgresDatabase, serverFromEnv, type TestDatabase } from '../store/test-databases.js';

const RETEST_EVERY_MS = 200;
/** The failing channel's test model: each retest run sends exactly one request for it, and it stays set aside. */
const PROBE_MODEL = 'gpt-4o-mini@fault=503';
const wait = { timeout: 20_000, interval: 20 };

async function sharedSqliteFile(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-jobs-'));
  return { url: `sqlite:${join(dir, 'shared.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
const mysqlServer = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
const backends: Array<{ name: string; create(): Promise<TestDatabase> }> = [{ name: 'sqlite', create: sharedSqliteFile }];
if (pgServer) backends.push({ name: 'postgres', create: () => createPostgresDatabase(pgServer) });
if (mysqlServer) backends.push({ name: 'mysql', create: () => createMysqlDatabase(mysqlServer) });
if (!pgServer) describe.skip('two gateways on one postgres database, no Redis (set WAYSTATION_TEST_PG to run)', () => it('jobs run once', () => {}));
if (!mysqlServer) describe.skip('two gateways on one mysql database, no Redis (set WAYSTATION_TEST_MYSQL to run)', () => it('jobs run once', () => {}));

describe.each(backends)('two gateways on one $name database, no Redis', ({ create }) => {
  let sim: TestSimulator;
  let db: TestDatabase;
  let a: TestGateway;
  let b: TestGateway;
  let brokenId: number;

  beforeAll(async () => {
    sim = await startTestSimulator();
    db = await create();
    // Before either gateway starts, so every retest run of either one probes it (once: one key, one model).
    const seeding = await openDatabase(db.url);
    try {
      await migrateToLatest(seeding);
      const repos = createRepositories(seeding, new SecretBox(testSettings('').secret!), createLocalBus());
      // Set aside as a breaker would, with a test that keeps failing, so it stays set aside.
      const broken = await repos.channels.create({
        name: 'broken',
        type: 'simulator',
        baseUrl: sim.url,
        keys: ['k'],
        models: ['broken-model'],
        settings: { test_model: PROBE_MODEL },
        status: 'auto_disabled',
        statusReason: 'too many 503s',
      });
      brokenId = broken.id;
    } finally {
      await seeding.close();
    }
    const settings = { databaseUrl: db.url, redisUrl: null, channelRetestMs: RETEST_EVERY_MS };
    a = await startTestGateway(undefined, settings);
    b = await startTestGateway(undefined, settings);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sim?.close();
    await new Promise((r) => setTimeout(r, 200)); // pg-pool's sockets close after end() resolves
    await db?.drop();
  });

  const retest = (node: TestGateway) => node.gw.jobs.job(CHANNEL_RETEST_JOB)!;
  const probes = async () => (await sim.requests()).filter((r) => (r.body as { model?: unknown } | undefined)?.model === PROBE_MODEL).length;

  it('the retest reaches the simulator from one gateway only; the other takes over when it stops', async () => {
    expect(a.gw.jobs.lease.scope).toBe('database');
    await vi.waitFor(() => expect(retest(a).stats().runs + retest(b).stats().runs).toBeGreaterThanOrEqual(6), wait);
    const [holder, other] = retest(a).stats().holding ? [a, b] : [b, a];
    // The row in the shared database names the gateway that runs the job.
    expect(await other.gw.jobs.lease.holderOf(CHANNEL_RETEST_JOB)).toBe(holder.gw.nodeId);
    // Usage pruning: one holder for the one database. Each gateway has an images folder of its own, so each prunes its own.
    expect([a, b].filter((n) => n.gw.jobs.job(USAGE_RETENTION_JOB)!.stats().holding)).toHaveLength(1);
    expect([a, b].map((n) => n.gw.jobs.jobs.find((j) => j.name.startsWith('image-prune:'))!.stats().holding)).toEqual([true, true]);

    // Stop the holder's jobs (waits for a run in flight, releases the lease).
    await holder.gw.jobs.stop();
    const holderRuns = retest(holder).stats().runs;
    expect(retest(holder).stats().failures).toBe(0);
    expect(retest(other).stats().runs).toBe(0);
    // Every probe the simulator saw so far came from the holder's runs, one each: none from the other gateway.
    expect(await probes()).toBe(holderRuns);

    await vi.waitFor(() => expect(retest(other).stats().runs).toBeGreaterThanOrEqual(2), wait);
    expect(retest(other).stats().holding).toBe(true);
    expect(await other.gw.jobs.lease.holderOf(CHANNEL_RETEST_JOB)).toBe(other.gw.nodeId);
    await other.gw.jobs.stop();
    expect(await probes()).toBe(holderRuns + retest(other).stats().runs);
    expect(await other.gw.repos.channels.get(brokenId)).toMatchObject({ status: 'auto_disabled' });
  });
});
