// Two gateway nodes in this process on one PostgreSQL database and one Redis
// (a fresh database and a key prefix of their own per run), one simulator:
// a quota shared between the nodes, changes made through node A's admin API
// reaching node B within a second, background jobs run by one node at a
// time, and the scheduled retest bringing an auto-disabled channel back.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PriceBook, estimateWorstCase } from '../../src/billing/index.js';
import { CHANNEL_RETEST_JOB, USAGE_RETENTION_JOB } from '../../src/jobs/gateway-jobs.js';
import { inspectRequest } from '../../src/relay/request-facts.js';
import { TEST_ADMIN_KEY, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';
import { PG_DEFAULT, REDIS_DEFAULT, createPostgresDatabase, serverFromEnv, type TestDatabase } from '../store/test-databases.js';

const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
const redisServer = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

const IMAGE_MODEL = 'gemini-2.5-flash-image';
const QUOTA_KEY = 'sk-multi-quota-0123456789abcdefghijklmnopqrstuvwxyzABC';
const PROP_KEY = 'sk-multi-prop-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const OPEN_KEY = 'sk-multi-open-0123456789abcdefghijklmnopqrstuvwxyzABCD';
/** Image requests the quota covers, exactly. */
const N = 6;
/**
 * The issue asks for changes on node B within one second (pub/sub takes tens
 * of ms here). No timing assertion (they flake on a loaded CI machine): the
 * polling gives up at this ceiling, which a broken propagation never meets.
 */
const CEILING_MS = 3_000;
const RETEST_EVERY_MS = 200;

const imageBody = {
  contents: [{ role: 'user', parts: [{ text: 'A red bicycle leaning on a blue wall' }] }],
  generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '1:1' } },
};
const imageRaw = JSON.stringify(imageBody);

/** The worst case the gateway reserves for this exact request. */
function worstCaseMicros(): number {
  const facts = inspectRequest('gemini', { operation: 'generateContent', model: IMAGE_MODEL, json: imageBody, rawBytes: Buffer.byteLength(imageRaw) });
  return estimateWorstCase(new PriceBook({}).require(IMAGE_MODEL).price, facts, 1, 1, IMAGE_MODEL);
}

const runnable = Boolean(pgServer && redisServer);
const suite = runnable ? describe : describe.skip;

suite(`two nodes on postgres + redis${runnable ? '' : ' (set WAYSTATION_TEST_PG and WAYSTATION_TEST_REDIS to run)'}`, () => {
  let sim: TestSimulator;
  let db: TestDatabase;
  let a: TestGateway;
  let b: TestGateway;
  const prefix = `ws-test:${process.pid}:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    sim = await startTestSimulator();
    db = await createPostgresDatabase(pgServer!);
    const settings = { databaseUrl: db.url, redisUrl: redisServer!, channelRetestMs: RETEST_EVERY_MS };
    a = await startTestGateway(
      `
users:
  - name: alice
    balance_usd: 100
channels:
  - name: sim
    type: simulator
    base_url: ${sim.url}
    keys: [k]
    # house-model has no price until the test sets one.
    models: [${IMAGE_MODEL}, gpt-4o-mini, house-model]
tokens:
  - name: quota
    user: alice
    key: ${QUOTA_KEY}
    quota_usd: ${(N * worstCaseMicros()) / 1e6}
  - name: prop
    key: ${PROP_KEY}
    unlimited: true
  - name: open
    key: ${OPEN_KEY}
    unlimited: true
`,
      settings,
      { redisKeyPrefix: prefix },
    );
    // Node B: same database, same Redis and prefix, no config of its own.
    b = await startTestGateway(undefined, settings, { redisKeyPrefix: prefix });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sim?.close();
    await db?.drop();
  });

  const chat = (node: TestGateway, key: string, model = 'gpt-4o-mini') =>
    fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  const admin = (node: TestGateway, method: string, path: string, body?: unknown) =>
    fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => (await r.json()) as any);

  /** Makes a change through node A, then polls node B until it shows; the time from A's answer (the change committed and published). */
  async function propagation(change: () => Promise<void>, seenOnB: () => Promise<boolean> | boolean): Promise<number> {
    await change();
    const started = performance.now();
    while (performance.now() - started < CEILING_MS) {
      if (await seenOnB()) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`node B did not see the change within ${CEILING_MS} ms`);
  }

  it(`a quota for exactly ${N} images, hit through both nodes at once: ${N} served, the rest refused`, async () => {
    const send = (node: TestGateway) =>
      fetch(`${node.url}/v1beta/models/${IMAGE_MODEL}:generateContent`, {
        method: 'POST',
        // The latency keeps every request in flight until all have asked.
        headers: { 'content-type': 'application/json', 'x-goog-api-key': QUOTA_KEY, 'x-sim-fault': 'latency:400' },
        body: imageRaw,
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    const results = await Promise.all(Array.from({ length: 4 * N }, (_, i) => send(i % 2 === 0 ? a : b)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(N);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(3 * N);
    expect(refused[0]!.body.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/quota/i) });

    // Both nodes' usage rows land in the one database, and the charges match them.
    await Promise.all([a.gw.usage.flush(), b.gw.usage.flush()]);
    const token = (await a.gw.repos.tokens.list({})).items.find((t) => t.name === 'quota')!;
    const rows = (await a.gw.repos.usageLogs.query({ tokenId: token.id, limit: 100 })).items;
    expect(rows).toHaveLength(4 * N);
    const charged = rows.filter((r) => r.status === 200);
    expect(charged).toHaveLength(N);
    expect(token.usedMicros).toBe(charged.reduce((sum, r) => sum + r.cost_micros, 0));
    expect(token.usedMicros).toBeLessThanOrEqual(token.quotaMicros);
  });

  it('a token disabled through node A is refused by node B within a second', async () => {
    expect((await chat(b, PROP_KEY)).status).toBe(200);
    const token = (await a.gw.repos.tokens.list({})).items.find((t) => t.name === 'prop')!;
    let last = { status: 200, body: {} as any };
    await propagation(
      async () => {
        const res = await admin(a, 'PUT', '/api/token/?status_only=true', { id: token.id, status: 2 });
        expect(res.success).toBe(true);
      },
      async () => (last = await chat(b, PROP_KEY)).status !== 200,
    );
    expect(last.status).toBe(403);
    expect(last.body.error.message).toMatch(/disabled/i);
  });

  it('a channel created through node A serves on node B within a second', async () => {
    expect((await chat(b, OPEN_KEY, 'gpt-4o')).status).toBe(404);
    await propagation(
      async () => {
        const res = await admin(a, 'POST', '/api/channels', { name: 'late', type: 'simulator', base_url: sim.url, keys: ['k'], models: ['gpt-4o'] });
        expect(res.success).toBe(true);
      },
      async () => (await chat(b, OPEN_KEY, 'gpt-4o')).status === 200,
    );
  });

  it('a price set and then changed through node A applies on node B within a second', async () => {
    const refused = await chat(b, OPEN_KEY, 'house-model');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('model_price_not_set');
    await propagation(
      async () => {
        expect((await admin(a, 'PUT', '/api/prices/house-model', { input_per_mtok: 1, output_per_mtok: 2 })).success).toBe(true);
      },
      async () => (await chat(b, OPEN_KEY, 'house-model')).status === 200,
    );

    await propagation(
      async () => {
        expect((await admin(a, 'PUT', '/api/prices/house-model', { input_per_mtok: 3, output_per_mtok: 9 })).success).toBe(true);
      },
      () => b.gw.cache.price('house-model')?.price.input_per_mtok === 3,
    );
    expect(b.gw.cache.price('house-model')?.price).toMatchObject({ input_per_mtok: 3, output_per_mtok: 9 });
  });

  it('each scheduled job runs on exactly one node', async () => {
    const retestA = a.gw.jobs.job(CHANNEL_RETEST_JOB)!;
    const retestB = b.gw.jobs.job(CHANNEL_RETEST_JOB)!;
    const runsBefore = retestA.stats().runs + retestB.stats().runs;
    await vi.waitFor(() => expect(retestA.stats().runs + retestB.stats().runs).toBeGreaterThanOrEqual(runsBefore + 5), { timeout: 15_000, interval: 20 });
    const [holder, other] = retestA.stats().runs > 0 ? [a, b] : [b, a];
    expect(holder.gw.jobs.job(CHANNEL_RETEST_JOB)!.stats()).toMatchObject({ holding: true, failures: 0 });
    expect(holder.gw.jobs.job(CHANNEL_RETEST_JOB)!.stats().runs).toBeGreaterThanOrEqual(5);
    expect(other.gw.jobs.job(CHANNEL_RETEST_JOB)!.stats()).toMatchObject({ holding: false, runs: 0 });
    // The lease in Redis names the node that runs it.
    expect(await a.gw.jobs.lease.holderOf(CHANNEL_RETEST_JOB)).toBe(holder.gw.nodeId);

    // Usage pruning works on the shared database: one holder between the two nodes.
    const retention = [a, b].map((n) => n.gw.jobs.job(USAGE_RETENTION_JOB)!.stats().holding);
    expect(retention.filter(Boolean)).toHaveLength(1);
    // Each node here keeps images in a folder of its own, so each prunes its own.
    const prunes = [a, b].map((n) => n.gw.jobs.jobs.find((j) => j.name.startsWith('image-prune:'))!);
    expect(prunes[0]!.name).not.toBe(prunes[1]!.name);
    expect(prunes.map((j) => j.stats().holding)).toEqual([true, true]);
  });

  it('an auto-disabled channel comes back once the scheduled retest passes; manual and failing ones stay', async () => {
    const repos = a.gw.repos;
    // Only the gateway sets auto_disabled (the admin API refuses it), as a breaker would. Created
    // set aside, so no node's cache ever holds an 'enabled' row for them from before the retest.
    const setAside = { type: 'simulator', baseUrl: sim.url, keys: ['k'], status: 'auto_disabled' as const };
    const flaky = await repos.channels.create({ ...setAside, name: 'flaky', models: ['flaky-model'], modelMapping: { 'flaky-model': 'gpt-4o-mini' }, statusReason: 'too many 500s' });
    const broken = await repos.channels.create({ ...setAside, name: 'broken', models: ['broken-model'], settings: { test_model: 'gpt-4o-mini@fault=503' }, statusReason: 'too many 503s' });
    const manual = await repos.channels.create({ name: 'manual', type: 'simulator', baseUrl: sim.url, keys: ['k'], models: ['manual-model'] });
    expect((await admin(a, 'POST', `/api/channels/${manual.id}/disable`)).success).toBe(true);
    expect(flaky.status).toBe('auto_disabled');

    await vi.waitFor(
      () => {
        expect(b.gw.cache.channel(flaky.id)?.status).toBe('enabled');
        expect(a.gw.cache.channel(flaky.id)?.status).toBe('enabled');
      },
      { timeout: 15_000, interval: 20 },
    );
    expect(await repos.channels.get(flaky.id)).toMatchObject({ status: 'enabled', statusReason: null });

    // Two more full retest runs later, the others are as they were.
    const holderJob = [a, b].map((n) => n.gw.jobs.job(CHANNEL_RETEST_JOB)!).find((j) => j.stats().holding)!;
    const runs = holderJob.stats().runs;
    await vi.waitFor(() => expect(holderJob.stats().runs).toBeGreaterThanOrEqual(runs + 2), { timeout: 15_000, interval: 20 });
    expect(await b.gw.repos.channels.get(broken.id)).toMatchObject({ status: 'auto_disabled', statusReason: 'too many 503s' });
    expect(await b.gw.repos.channels.get(manual.id)).toMatchObject({ status: 'disabled' });
    // And the channel that came back serves requests again through either node.
    expect((await chat(b, OPEN_KEY, 'flaky-model')).status).toBe(200);
  });

  it('when the node running the jobs stops, the other takes them over', async () => {
    const [holder, other] = a.gw.jobs.job(CHANNEL_RETEST_JOB)!.stats().holding ? [a, b] : [b, a];
    await holder.gw.stop();
    const job = other.gw.jobs.job(CHANNEL_RETEST_JOB)!;
    const runs = job.stats().runs;
    await vi.waitFor(() => expect(job.stats().runs).toBeGreaterThanOrEqual(runs + 2), { timeout: 15_000, interval: 20 });
    expect(job.stats().holding).toBe(true);
    expect(await other.gw.jobs.lease.holderOf(CHANNEL_RETEST_JOB)).toBe(other.gw.nodeId);
  });
});
