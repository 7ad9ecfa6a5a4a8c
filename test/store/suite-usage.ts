// Usage logs: batch inserts, filtered queries, pruning, and the UsageWriter
// that feeds them from the request path.
import { describe, expect, it, vi } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import type { SuiteContext } from './repository-suite.js';

let seq = 0;
function row(overrides: Partial<NewUsageLog> = {}): NewUsageLog {
  seq++;
  return {
    request_id: `req-${seq}`,
    created_at: 1_700_000_000_000 + seq,
    route: 'openai.chat',
    status: 200,
    is_stream: 0,
    input_tokens: 10,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 20,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    cost_micros: 123,
    latency_ms: 50,
    ...overrides,
  };
}

export function registerUsageTests(get: () => SuiteContext): void {
  /** Rows whose request_id starts with the tag. */
  async function countTagged(ctx: SuiteContext, tag: string): Promise<number> {
    const r = await ctx.database.db
      .selectFrom('usage_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('request_id', 'like', `${tag}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  describe('usage logs', () => {
    it('inserts many rows at once (more than one statement) with every column kept', async () => {
      const ctx = get();
      const tag = ctx.unique('bulk');
      const rows = Array.from({ length: 1203 }, (_, i) => row({ request_id: `${tag}-${i}`, token_id: 900_001 }));
      rows[0] = row({
        request_id: `${tag}-first`,
        token_id: 900_001,
        attempts: JSON.stringify([{ channel_id: 1, status: 500, ms: 3 }]),
        error: 'x'.repeat(2000),
        model_requested: 'm'.repeat(300), // longer than varchar(255): truncated, not rejected
        image_size: '2K',
        aspect_ratio: '16:9',
        first_byte_ms: 12,
        client_ip: '::1',
        is_stream: 1,
      });
      await ctx.repos.usageLogs.insertMany(rows);
      expect(await countTagged(ctx, tag)).toBe(1203);
      const { items } = await ctx.repos.usageLogs.query({ tokenId: 900_001, limit: 5000 });
      const first = items.find((r) => r.request_id === `${tag}-first`);
      expect(first).toMatchObject({ error: 'x'.repeat(2000), image_size: '2K', aspect_ratio: '16:9', first_byte_ms: 12, client_ip: '::1', is_stream: 1 });
      expect(first?.model_requested).toHaveLength(255);
      expect(JSON.parse(first!.attempts!)).toEqual([{ channel_id: 1, status: 500, ms: 3 }]);
    });

    it('queries by token, user, model, channel, status and time, newest first, with paging', async () => {
      const ctx = get();
      const base = 1_600_000_000_000;
      const token = 800_000 + Math.floor(Math.random() * 99_999);
      const rows: NewUsageLog[] = [];
      for (let i = 0; i < 10; i++) {
        rows.push(
          row({
            request_id: `q-${token}-${i}`,
            created_at: base + i * 1000,
            token_id: token,
            user_id: i % 2 === 0 ? 71 : 72,
            model_requested: i < 3 ? 'model-a' : 'model-b',
            channel_id: i < 5 ? 11 : 12,
            status: i === 9 ? 500 : 200,
          }),
        );
      }
      await ctx.repos.usageLogs.insertMany(rows);
      const q = (extra: object) => ctx.repos.usageLogs.query({ tokenId: token, limit: 100, ...extra });

      const all = await q({});
      expect(all.total).toBe(10);
      expect(all.items.map((r) => r.request_id)).toEqual(rows.map((r) => r.request_id).reverse());
      expect((await q({ userId: 71 })).total).toBe(5);
      expect((await q({ model: 'model-a' })).total).toBe(3);
      expect((await q({ channelId: 12 })).total).toBe(5);
      expect((await q({ status: 500 })).items.map((r) => r.request_id)).toEqual([`q-${token}-9`]);
      const window = await q({ from: base + 2000, to: base + 5000 });
      expect(window.items.map((r) => r.request_id)).toEqual([`q-${token}-4`, `q-${token}-3`, `q-${token}-2`]);
      const paged = await q({ offset: 2, limit: 3 });
      expect(paged.total).toBe(10);
      expect(paged.items.map((r) => r.request_id)).toEqual([`q-${token}-7`, `q-${token}-6`, `q-${token}-5`]);
      expect((await ctx.repos.usageLogs.query({ tokenId: token })).items).toHaveLength(10); // default limit 50
    });

    it('pruneBefore deletes older rows and says how many', async () => {
      const ctx = get();
      const tag = ctx.unique('prune');
      // Far in the past, older than every other test's rows.
      await ctx.repos.usageLogs.insertMany([
        row({ request_id: `${tag}-old1`, created_at: 1000 }),
        row({ request_id: `${tag}-old2`, created_at: 2000 }),
        row({ request_id: `${tag}-new`, created_at: 3000 }),
      ]);
      expect(await ctx.repos.usageLogs.pruneBefore(3000)).toBe(2);
      expect(await countTagged(ctx, tag)).toBe(1);
      expect(await ctx.repos.usageLogs.pruneBefore(3000)).toBe(0);
    });
  });

  describe('usage writer', () => {
    it('writes a full batch without waiting for the timer, and close() flushes the rest', async () => {
      const ctx = get();
      const tag = ctx.unique('batch');
      const writes: number[] = [];
      const sink = {
        insertMany: async (rows: NewUsageLog[]) => {
          writes.push(rows.length);
          await ctx.repos.usageLogs.insertMany(rows);
        },
      };
      const writer = new UsageWriter(sink, { batchSize: 100, intervalMs: 60_000 });
      for (let i = 0; i < 100; i++) writer.push(row({ request_id: `${tag}-${i}` }));
      await vi.waitFor(() => expect(writer.stats().written).toBe(100), { timeout: 5000 });
      expect(writes).toEqual([100]);
      for (let i = 100; i < 130; i++) writer.push(row({ request_id: `${tag}-${i}` }));
      expect(writer.stats().buffered).toBe(30); // under the batch size: waits for the timer or close()
      await writer.close();
      expect(writes).toEqual([100, 30]);
      expect(writer.stats()).toMatchObject({ written: 130, buffered: 0, dropped: 0 });
      expect(await countTagged(ctx, tag)).toBe(130);
      writer.push(row());
      expect(writer.stats().dropped).toBe(1); // closed writers take nothing more
    });

    it('flushes on its timer', async () => {
      const ctx = get();
      const tag = ctx.unique('timer');
      const writer = new UsageWriter(ctx.repos.usageLogs, { intervalMs: 20 });
      for (let i = 0; i < 7; i++) writer.push(row({ request_id: `${tag}-${i}` }));
      await vi.waitFor(async () => expect(await countTagged(ctx, tag)).toBe(7), { timeout: 5000 });
      await writer.close();
    });

    it('keeps rows through a failing database and writes them once it recovers', async () => {
      const ctx = get();
      const tag = ctx.unique('retry');
      let failing = true;
      const errors: unknown[] = [];
      const sink = {
        insertMany: async (rows: NewUsageLog[]) => {
          if (failing) throw new Error('database is down');
          await ctx.repos.usageLogs.insertMany(rows);
        },
      };
      const writer = new UsageWriter(sink, { intervalMs: 10, batchSize: 5, maxBackoffMs: 20, onError: (e) => errors.push(e) });
      for (let i = 0; i < 12; i++) writer.push(row({ request_id: `${tag}-${i}` }));
      await expect(writer.flush()).rejects.toThrow('database is down');
      await vi.waitFor(() => expect(writer.stats().failedWrites).toBeGreaterThanOrEqual(2), { timeout: 5000 });
      expect(writer.stats()).toMatchObject({ buffered: 12, written: 0, dropped: 0, lastError: 'database is down' });
      expect(errors.length).toBeGreaterThanOrEqual(2);
      failing = false;
      for (let i = 12; i < 15; i++) writer.push(row({ request_id: `${tag}-${i}` }));
      await writer.close();
      expect(writer.stats()).toMatchObject({ written: 15, buffered: 0, dropped: 0 });
      expect(await countTagged(ctx, tag)).toBe(15);
    });

    it('bounds what it keeps while failing, counts drops, and close() reports rows it could not write', async () => {
      const sink = { insertMany: async () => Promise.reject(new Error('still down')) };
      const writer = new UsageWriter(sink, { intervalMs: 60_000, batchSize: 1000, maxBuffered: 10, closeAttempts: 1, onError: () => {} });
      for (let i = 0; i < 15; i++) writer.push(row());
      expect(writer.stats()).toMatchObject({ buffered: 10, dropped: 5 });
      await expect(writer.close()).rejects.toThrow(/10 rows not written at close \(still down\)/);
      expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 15 });
    });
  });
}
