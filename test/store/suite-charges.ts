// Money in the store: rate limits on users and tokens, usage rows that carry
// their charge into the same transaction (token and user totals, daily
// rollups), throttled cache events, and pruning.
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import type { NewUsageLog } from '../../src/store/schema.js';
import type { SuiteContext } from './repository-suite.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 10, 12, 0, 0); // 2024-05-10 12:00 UTC

let seq = 0;
function row(overrides: Partial<NewUsageLog> = {}): NewUsageLog {
  seq++;
  return {
    request_id: `charge-${seq}`,
    created_at: T0,
    route: 'gemini.generateContent',
    status: 200,
    is_stream: 0,
    input_tokens: 10,
    cached_input_tokens: 5,
    cache_write_tokens: 1,
    output_text_tokens: 20,
    output_image_tokens: 1290,
    reasoning_tokens: 3,
    image_count: 1,
    cost_micros: 39_000,
    latency_ms: 50,
    ...overrides,
  };
}

export function registerChargeTests(get: () => SuiteContext): void {
  async function account(ctx: SuiteContext, balance = 1_000_000, role: 'user' | 'root' = 'user') {
    const user = await ctx.repos.users.create({ name: ctx.unique('payer'), balanceMicros: balance, role });
    const { token } = await ctx.repos.tokens.create({ userId: user.id, name: 'k', quotaMicros: 5_000_000 });
    return { user, token };
  }

  describe('rate limits on users and tokens', () => {
    it('stores, replaces and clears limits; absent fields mean no limit', async () => {
      const { repos, unique } = get();
      const user = await repos.users.create({ name: unique('limited'), limits: { rpm: 60, concurrency: 4 } });
      expect(user.limits).toEqual({ rpm: 60, concurrency: 4 });
      expect((await repos.users.get(user.id))?.limits).toEqual({ rpm: 60, concurrency: 4 });
      expect((await repos.users.update(user.id, { displayName: 'x' })).limits).toEqual({ rpm: 60, concurrency: 4 });
      expect((await repos.users.update(user.id, { limits: { tpm: 100_000 } })).limits).toEqual({ tpm: 100_000 });
      expect((await repos.users.update(user.id, { limits: null })).limits).toEqual({});

      const { token } = await repos.tokens.create({ userId: user.id, name: 'k', limits: { tpm: 5000 } });
      expect(token.limits).toEqual({ tpm: 5000 });
      expect((await repos.tokens.update(token.id, { limits: { rpm: 0, concurrency: 1 } })).limits).toEqual({ rpm: 0, concurrency: 1 });
      const plain = await repos.tokens.create({ userId: user.id, name: 'plain' });
      expect(plain.token.limits).toEqual({});
    });

    it('refuses a limit that is not a whole number ≥ 0, naming it', async () => {
      const { repos, unique } = get();
      await expect(repos.users.create({ name: unique('bad'), limits: { rpm: -1 } })).rejects.toThrow(/rate limit "rpm"/);
      const user = await repos.users.create({ name: unique('ok') });
      await expect(repos.users.update(user.id, { limits: { tpm: 1.5 } })).rejects.toThrow(/rate limit "tpm"/);
    });
  });

  describe('usage rows carry their charge', () => {
    it('one insert charges token and user, moves last_used_at, and rolls up per day, token, user, model and channel', async () => {
      const ctx = get();
      const { user, token } = await account(ctx);
      const rows = [
        row({ token_id: token.id, user_id: user.id, model_requested: 'm-a', channel_id: 3, cost_micros: 39_000 }),
        row({ token_id: token.id, user_id: user.id, model_requested: 'm-a', channel_id: 3, cost_micros: 1_000, created_at: T0 + 1000 }),
        row({ token_id: token.id, user_id: user.id, model_requested: 'm-a', channel_id: 3, cost_micros: 0, status: 429, image_count: 0 }),
        row({ token_id: token.id, user_id: user.id, model_requested: 'm-b', channel_id: null, cost_micros: 500, created_at: T0 + DAY }),
      ];
      await ctx.repos.usageLogs.insertMany(rows);

      const t = await ctx.repos.tokens.get(token.id);
      const u = await ctx.repos.users.get(user.id);
      expect(t?.usedMicros).toBe(40_500);
      expect(u).toMatchObject({ usedMicros: 40_500, balanceMicros: 1_000_000 - 40_500 });
      const last = await ctx.database.db.selectFrom('tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
      expect(Number(last.last_used_at)).toBe(T0 + DAY);

      const daily = await ctx.repos.usageLogs.daily({ tokenId: token.id });
      expect(daily).toEqual([
        { day: '2024-05-10', token_id: token.id, user_id: user.id, model: 'm-a', channel_id: 3, requests: 3, errors: 1, input_tokens: 48, output_tokens: 3939, image_count: 2, cost_micros: 40_000 },
        { day: '2024-05-11', token_id: token.id, user_id: user.id, model: 'm-b', channel_id: 0, requests: 1, errors: 0, input_tokens: 16, output_tokens: 1313, image_count: 1, cost_micros: 500 },
      ]);
      // A second batch adds to the same rollup rows.
      await ctx.repos.usageLogs.insertMany([row({ token_id: token.id, user_id: user.id, model_requested: 'm-a', channel_id: 3, cost_micros: 7 })]);
      const again = await ctx.repos.usageLogs.daily({ tokenId: token.id, model: 'm-a' });
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ requests: 4, cost_micros: 40_007 });
    });

    it('stores the group ratio and cost breakdown; defaults the ratio to 1', async () => {
      const ctx = get();
      const tag = ctx.unique('detail');
      await ctx.repos.usageLogs.insertMany([
        row({ request_id: `${tag}-a`, group_ratio: 0.8, cost_detail: JSON.stringify({ images: 39_000, ratio: 0.8 }) }),
        row({ request_id: `${tag}-b` }),
      ]);
      const got = await ctx.database.db
        .selectFrom('usage_logs')
        .select(['request_id', 'group_ratio', 'cost_detail'])
        .where('request_id', 'like', `${tag}%`)
        .orderBy('request_id')
        .execute();
      expect(got.map((r) => [r.request_id, Number(r.group_ratio), r.cost_detail])).toEqual([
        [`${tag}-a`, 0.8, '{"images":39000,"ratio":0.8}'],
        [`${tag}-b`, 1, null],
      ]);
    });

    it("charges the root user's used total but leaves its balance alone", async () => {
      const ctx = get();
      const { user, token } = await account(ctx, 123, 'root');
      await ctx.repos.usageLogs.insertMany([row({ token_id: token.id, user_id: user.id, cost_micros: 1000 })]);
      expect(await ctx.repos.users.get(user.id)).toMatchObject({ usedMicros: 1000, balanceMicros: 123 });
    });

    it('rows without token, user, model or channel roll up under 0 / ""', async () => {
      const ctx = get();
      const day = '1999-01-01';
      await ctx.repos.usageLogs.insertMany([row({ created_at: Date.UTC(1999, 0, 1), status: 401, cost_micros: 0, token_id: null, user_id: null, model_requested: null })]);
      const daily = await ctx.repos.usageLogs.daily({ from: day, to: day });
      expect(daily).toEqual([
        { day, token_id: 0, user_id: 0, model: '', channel_id: 0, requests: 1, errors: 1, input_tokens: 16, output_tokens: 1313, image_count: 1, cost_micros: 0 },
      ]);
    });

    it('a failed write leaves neither rows nor charges nor rollups', async () => {
      const ctx = get();
      const { url } = await ctx.freshDatabase();
      const { openDatabase } = await import('../../src/store/db.js');
      const { migrateToLatest } = await import('../../src/store/migrations/index.js');
      const database = await openDatabase(url);
      try {
        await migrateToLatest(database);
        const repos = createRepositories(database, ctx.box, createLocalBus());
        const user = await repos.users.create({ name: 'u', balanceMicros: 1000 });
        const { token } = await repos.tokens.create({ userId: user.id, name: 't', quotaMicros: 1000 });
        // The rollup table is missing: the last statement of the transaction fails.
        await sql`alter table usage_daily rename to usage_daily_off`.execute(database.db);
        const rows = [row({ token_id: token.id, user_id: user.id, cost_micros: 300 }), row({ token_id: token.id, user_id: user.id, cost_micros: 200 })];
        await expect(repos.usageLogs.insertMany(rows)).rejects.toThrow(/usage rows/);
        const count = await database.db.selectFrom('usage_logs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(0);
        expect((await repos.tokens.get(token.id))?.usedMicros).toBe(0);
        expect(await repos.users.get(user.id)).toMatchObject({ usedMicros: 0, balanceMicros: 1000 });
        const last = await database.db.selectFrom('tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
        expect(last.last_used_at).toBeNull();

        await sql`alter table usage_daily_off rename to usage_daily`.execute(database.db);
        await repos.usageLogs.insertMany(rows);
        expect((await repos.tokens.get(token.id))?.usedMicros).toBe(500);
        expect((await repos.usageLogs.daily({ tokenId: token.id }))[0]).toMatchObject({ requests: 2, cost_micros: 500 });
      } finally {
        await database.close();
      }
    });

    it('publishes cache events for charged tokens and users, at most once per interval, the last change never lost', async () => {
      const ctx = get();
      const { user, token } = await account(ctx);
      const events: ChangeEvent[] = [];
      const bus = createLocalBus();
      bus.subscribe((ev) => events.push(ev));
      const repos = createRepositories(ctx.database, ctx.box, bus, { chargeEventIntervalMs: 800 });
      const mine = () => events.filter((e) => (e.entity === 'token' && e.id === token.id) || (e.entity === 'user' && e.id === user.id));
      for (let i = 0; i < 5; i++) await repos.usageLogs.insertMany([row({ token_id: token.id, user_id: user.id, cost_micros: 10 })]);
      // Five commits, but only the first pair goes out at once …
      expect(mine()).toEqual([{ entity: 'token', id: token.id }, { entity: 'user', id: user.id }]);
      // … and one trailing pair once the interval has passed.
      await vi.waitFor(() => expect(mine()).toHaveLength(4), { timeout: 5000 });
      // A batch that charges nothing publishes nothing.
      await repos.usageLogs.insertMany([row({ token_id: token.id, user_id: user.id, cost_micros: 0 })]);
      await new Promise((r) => setTimeout(r, 200));
      expect(mine()).toHaveLength(4);
    });
  });

  describe('usage rollups and pruning', () => {
    it('sums over the keys left out of groupBy, oldest day first, and filters by day range', async () => {
      const ctx = get();
      const { user, token } = await account(ctx);
      const base = { token_id: token.id, user_id: user.id };
      await ctx.repos.usageLogs.insertMany([
        row({ ...base, model_requested: 'x', channel_id: 1, cost_micros: 1, created_at: T0 - 2 * DAY }),
        row({ ...base, model_requested: 'y', channel_id: 2, cost_micros: 2, created_at: T0 - 2 * DAY }),
        row({ ...base, model_requested: 'x', channel_id: 2, cost_micros: 4, created_at: T0 - DAY }),
        row({ ...base, model_requested: 'y', channel_id: 1, cost_micros: 8, created_at: T0 }),
      ]);
      const byDay = await ctx.repos.usageLogs.daily({ userId: user.id, groupBy: ['day'] });
      expect(byDay.map((r) => [r.day, r.requests, r.cost_micros, r.model, r.token_id])).toEqual([
        ['2024-05-08', 2, 3, '', 0],
        ['2024-05-09', 1, 4, '', 0],
        ['2024-05-10', 1, 8, '', 0],
      ]);
      const byModel = await ctx.repos.usageLogs.daily({ userId: user.id, groupBy: ['model'], from: '2024-05-09', to: '2024-05-10' });
      expect(byModel.map((r) => [r.model, r.requests, r.cost_micros, r.day])).toEqual([
        ['x', 1, 4, ''],
        ['y', 1, 8, ''],
      ]);
      const total = await ctx.repos.usageLogs.daily({ userId: user.id, groupBy: [] });
      expect(total).toEqual([expect.objectContaining({ requests: 4, cost_micros: 15, input_tokens: 64 })]);
      expect(await ctx.repos.usageLogs.daily({ userId: 987_654_321, groupBy: [] })).toEqual([]);
      await expect(ctx.repos.usageLogs.daily({ from: '2024-5-1' })).rejects.toThrow(/"from" must be YYYY-MM-DD/);
    });

    it('pruneDailyBefore deletes days before the given one', async () => {
      const ctx = get();
      const { user, token } = await account(ctx);
      await ctx.repos.usageLogs.insertMany([
        row({ token_id: token.id, user_id: user.id, created_at: Date.UTC(1990, 0, 1) }),
        row({ token_id: token.id, user_id: user.id, created_at: Date.UTC(1990, 0, 2) }),
      ]);
      expect(await ctx.repos.usageLogs.pruneDailyBefore('1990-01-02')).toBeGreaterThanOrEqual(1);
      expect((await ctx.repos.usageLogs.daily({ tokenId: token.id })).map((r) => r.day)).toEqual(['1990-01-02']);
      await expect(ctx.repos.usageLogs.pruneDailyBefore('yesterday')).rejects.toThrow(/YYYY-MM-DD/);
    });

    it('pruneBefore removes a backlog larger than one slice', async () => {
      const ctx = get();
      const tag = ctx.unique('backlog');
      const old = Array.from({ length: 4500 }, (_, i) => row({ request_id: `${tag}-${i}`, created_at: 500 + (i % 7), cost_micros: 0 }));
      await ctx.repos.usageLogs.insertMany(old);
      expect(await ctx.repos.usageLogs.pruneBefore(600)).toBeGreaterThanOrEqual(4500);
      const left = await ctx.database.db
        .selectFrom('usage_logs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('request_id', 'like', `${tag}%`)
        .executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(0);
    });
  });
}
