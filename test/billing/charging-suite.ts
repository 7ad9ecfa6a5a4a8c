// Money end to end on a real database: price → worst-case reservation →
// settle → usage row → one transaction that charges token and user and rolls
// up → cache catches up. Registered per backend (charging-*.test.ts); runs
// with the in-process ledger always and the Redis ledger when
// WAYSTATION_TEST_REDIS is set.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeCost, estimateWorstCase } from '../../src/billing/cost.js';
import type { TokenUsage } from '../../src/billing/cost.js';
import { QuotaExceededError, createLedger } from '../../src/billing/ledger.js';
import type { QuotaLedger } from '../../src/billing/ledger.js';
import { PriceBook } from '../../src/billing/price-book.js';
import { StoreCache } from '../../src/store/cache.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import type { Repositories } from '../../src/store/repositories.js';
import type { NewUsageLog } from '../../src/store/schema.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import { REDIS_DEFAULT, serverFromEnv } from '../store/test-databases.js';
import type { TestDatabase } from '../store/test-databases.js';

const redisUrl = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);

interface Node {
  database: Database;
  repos: Repositories;
  cache: StoreCache;
  writer: UsageWriter;
}

const box = new SecretBox('charging-suite');
let seq = 0;

function usageRow(over: Partial<NewUsageLog>): NewUsageLog {
  seq++;
  return {
    request_id: `c-${process.pid}-${seq}`,
    created_at: Date.now(),
    route: 'gemini.generateContent',
    status: 200,
    is_stream: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 0,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    cost_micros: 0,
    latency_ms: 1,
    ...over,
  };
}

async function sumCost(database: Database, tokenId: number) {
  const r = await database.db
    .selectFrom('usage_logs')
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(cost_micros), 0)`.as('cost')])
    .where('token_id', '=', tokenId)
    .executeTakeFirstOrThrow();
  return { rows: Number(r.n), cost: Number(r.cost) };
}

export interface ChargingSuiteOptions {
  /**
   * Two "nodes" share one connection. SQLite needs it in one process: a second
   * connection waiting on the write lock would block the only thread that can
   * release it (separate processes, as with WORKERS > 1, wait normally).
   */
  oneConnection?: boolean;
}

export function registerChargingSuite(label: string, create: () => Promise<TestDatabase>, opts: ChargingSuiteOptions = {}): void {
  describe(label, () => {
    const dbs: TestDatabase[] = [];
    const nodes: Node[] = [];
    const redisClients: Redis[] = [];
    const prefix = `waystation:test:charging:${process.pid}:${randomBytes(4).toString('hex')}`;
    let url: string;

    async function node(shared?: Database): Promise<Node> {
      const database = shared ?? (await openDatabase(url));
      const bus = createLocalBus();
      const repos = createRepositories(database, box, bus, { chargeEventIntervalMs: 50 });
      const cache = new StoreCache(database, box, bus, { refreshIntervalMs: 0 });
      await cache.start();
      const writer = new UsageWriter(repos.usageLogs, { intervalMs: 20, onError: () => {} });
      const n = { database, repos, cache, writer };
      nodes.push(n);
      return n;
    }

    beforeAll(async () => {
      const db = await create();
      dbs.push(db);
      url = db.url;
      const first = await openDatabase(url);
      await migrateToLatest(first);
      await first.close();
    });

    afterAll(async () => {
      for (const n of nodes) {
        await n.writer.close().catch(() => {});
        await n.cache.stop();
        await n.database.close(); // idempotent for a shared one
      }
      const [r] = redisClients;
      if (r) {
        const keys = await r.keys(`${prefix}:*`);
        if (keys.length) await r.del(...keys);
      }
      for (const r2 of redisClients) await closeRedis(r2);
      for (const db of dbs) await db.drop();
    });

    const ledgers: Array<[string, () => Promise<QuotaLedger>]> = [['in-process ledger', async () => createLedger()]];
    if (redisUrl) {
      ledgers.push([
        'redis ledger',
        async () => {
          const redis = await connectRedis(redisUrl, 'charging-test');
          redisClients.push(redis);
          return createLedger({ redis, keyPrefix: prefix });
        },
      ]);
    }

    for (const [ledgerName, makeLedger] of ledgers) {
      it(`40 parallel image requests, quota for exactly 10: 10 served and charged, 30 refused free; rows, totals, rollups and cache agree (${ledgerName})`, async () => {
        const n = await node();
        const ledger = await makeLedger();
        const book = new PriceBook({ operator: n.cache });
        const model = 'gemini-3-pro-image-preview';
        const ratio = 0.8;
        const facts = { promptTokens: 12, images: { count: 1, size: '4K' } };
        const { price } = book.require(model);
        const perRequest = estimateWorstCase(price, facts, ratio); // (12 × $2 + $0.24 + 1024 × $12) × 0.8
        expect(perRequest).toBe(201_850);

        const user = await n.repos.users.create({ name: `buyer-${seq++}`, balanceMicros: 50_000_000, group: 'vip' });
        const { token } = await n.repos.tokens.create({ userId: user.id, name: 'k', quotaMicros: 10 * perRequest });
        await n.cache.settled();

        const realUsage: TokenUsage = { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTextTokens: 0, outputImageTokens: 2000, reasoningTokens: 100 };
        const oneRequest = async (): Promise<'served' | 'refused'> => {
          const t = n.cache.token(token.id)!;
          const u = n.cache.user(user.id)!;
          const base = { token_id: token.id, user_id: user.id, model_requested: model, channel_id: 7 };
          let hold;
          try {
            hold = await ledger.reserve({
              tokenId: t.id,
              userId: u.id,
              tokenQuota: t.unlimited ? null : t.quotaMicros,
              tokenUsed: t.usedMicros,
              userBalance: u.role === 'root' ? null : u.balanceMicros,
              userUsed: u.usedMicros,
              amount: perRequest,
            });
          } catch (err) {
            expect(err).toBeInstanceOf(QuotaExceededError);
            n.writer.push(usageRow({ ...base, status: 429, error: (err as Error).message }));
            return 'refused';
          }
          await new Promise((r) => setImmediate(r)); // the upstream call
          const cost = computeCost(price, realUsage, facts.images, ratio);
          await hold.settle(cost.micros);
          n.writer.push(
            usageRow({
              ...base,
              input_tokens: 12,
              output_image_tokens: 2000,
              reasoning_tokens: 100,
              image_count: 1,
              image_size: '4K',
              cost_micros: cost.micros,
              group_ratio: ratio,
              cost_detail: JSON.stringify(cost.detail),
            }),
          );
          return 'served';
        };

        const outcomes = await Promise.all(Array.from({ length: 40 }, oneRequest));
        expect(outcomes.filter((o) => o === 'served')).toHaveLength(10);
        expect(outcomes.filter((o) => o === 'refused')).toHaveLength(30);

        // (12 × 2 + 100 × 12 + $0.24) × 0.8 = 192 979.2 → 192 979 each
        const each = computeCost(price, realUsage, facts.images, ratio).micros;
        expect(each).toBe(192_979);
        await n.writer.flush();
        const spent = 10 * each;
        expect(await sumCost(n.database, token.id)).toEqual({ rows: 40, cost: spent });
        expect((await n.repos.tokens.get(token.id))?.usedMicros).toBe(spent);
        expect(await n.repos.users.get(user.id)).toMatchObject({ usedMicros: spent, balanceMicros: 50_000_000 - spent });
        const [rollup] = await n.repos.usageLogs.daily({ tokenId: token.id, groupBy: [] });
        expect(rollup).toMatchObject({ requests: 40, errors: 30, image_count: 10, cost_micros: spent, output_tokens: 10 * 2100 });
        // The cache catches up through the (throttled) change events …
        await vi.waitFor(() => expect(n.cache.token(token.id)?.usedMicros).toBe(spent), { timeout: 5000 });
        await vi.waitFor(() => expect(n.cache.user(user.id)?.usedMicros).toBe(spent), { timeout: 5000 });
        // … the token never went past its quota, and what is spent is counted once, not twice.
        expect(spent).toBeLessThanOrEqual(10 * perRequest);
        const t = n.cache.token(token.id)!;
        await expect(
          ledger.reserve({ tokenId: t.id, userId: user.id, tokenQuota: t.quotaMicros, tokenUsed: t.usedMicros, userBalance: null, userUsed: 0, amount: perRequest }),
        ).rejects.toMatchObject({ limit: 'token_quota', remainingMicros: 10 * perRequest - spent });
        await ledger.close();
      });
    }

    it('two writers on one database (two nodes) pushing at once keep rows, totals and rollups consistent', async () => {
      const a = await node();
      const b = await node(opts.oneConnection ? a.database : undefined);
      const users = [
        await a.repos.users.create({ name: `w1-${seq++}`, balanceMicros: 10_000_000 }),
        await a.repos.users.create({ name: `w2-${seq++}`, balanceMicros: 10_000_000 }),
      ];
      const tokens = [
        (await a.repos.tokens.create({ userId: users[0]!.id, name: 'a' })).token,
        (await a.repos.tokens.create({ userId: users[0]!.id, name: 'b' })).token,
        (await a.repos.tokens.create({ userId: users[1]!.id, name: 'c' })).token,
      ];
      const expected = new Map<number, number>();
      const models = ['m1', 'm2'];
      for (let i = 0; i < 1200; i++) {
        const token = tokens[i % 3]!;
        const cost = 1 + ((i * 7919) % 1000);
        expected.set(token.id, (expected.get(token.id) ?? 0) + cost);
        const row = usageRow({ token_id: token.id, user_id: token.userId, model_requested: models[i % 2]!, channel_id: 1 + (i % 2), cost_micros: cost, status: i % 10 === 0 ? 500 : 200 });
        (i % 2 === 0 ? a : b).writer.push(row);
        if (i % 100 === 99) await new Promise((r) => setImmediate(r)); // let both writers flush as they go
      }
      await Promise.all([a.writer.flush(), b.writer.flush()]);
      for (const token of tokens) {
        const want = expected.get(token.id)!;
        expect(await sumCost(a.database, token.id)).toEqual({ rows: 400, cost: want });
        expect((await a.repos.tokens.get(token.id))?.usedMicros).toBe(want);
        const [rollup] = await a.repos.usageLogs.daily({ tokenId: token.id, groupBy: [] });
        expect(rollup).toMatchObject({ requests: 400, cost_micros: want, errors: 40 });
      }
      const u0 = expected.get(tokens[0]!.id)! + expected.get(tokens[1]!.id)!;
      const u1 = expected.get(tokens[2]!.id)!;
      expect(await a.repos.users.get(users[0]!.id)).toMatchObject({ usedMicros: u0, balanceMicros: 10_000_000 - u0 });
      expect(await a.repos.users.get(users[1]!.id)).toMatchObject({ usedMicros: u1, balanceMicros: 10_000_000 - u1 });
    });

    it('a failed flush leaves neither rows nor charges; the retry charges exactly once', async () => {
      const n = await node();
      const user = await n.repos.users.create({ name: `f-${seq++}`, balanceMicros: 1_000_000 });
      const { token } = await n.repos.tokens.create({ userId: user.id, name: 'k', quotaMicros: 1_000_000 });
      const writer = new UsageWriter(n.repos.usageLogs, { intervalMs: 60_000, onError: () => {} });
      await sql`alter table usage_daily rename to usage_daily_away`.execute(n.database.db);
      try {
        for (let i = 0; i < 5; i++) writer.push(usageRow({ token_id: token.id, user_id: user.id, cost_micros: 1000 }));
        await expect(writer.flush()).rejects.toThrow();
        expect(writer.stats()).toMatchObject({ buffered: 5, written: 0 });
        expect(await sumCost(n.database, token.id)).toEqual({ rows: 0, cost: 0 });
        expect((await n.repos.tokens.get(token.id))?.usedMicros).toBe(0);
        expect(await n.repos.users.get(user.id)).toMatchObject({ usedMicros: 0, balanceMicros: 1_000_000 });
      } finally {
        await sql`alter table usage_daily_away rename to usage_daily`.execute(n.database.db);
      }
      await writer.close();
      expect(writer.stats()).toMatchObject({ buffered: 0, written: 5, dropped: 0 });
      expect(await sumCost(n.database, token.id)).toEqual({ rows: 5, cost: 5000 });
      expect((await n.repos.tokens.get(token.id))?.usedMicros).toBe(5000);
      expect(await n.repos.users.get(user.id)).toMatchObject({ usedMicros: 5000, balanceMicros: 995_000 });
    });
  });
}
