// UsageWriter fed straight from the usage repository, as the gateway runs it:
// on a SQLite file its batches go through the worker thread, on PostgreSQL
// and MySQL through insertMany. Every backend must end in the same state.
import { describe, expect, it } from 'vitest';
import type { NewUsageLog } from '../../src/store/schema.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import type { SuiteContext } from './repository-suite.js';

const T0 = Date.UTC(2024, 6, 1, 23, 59, 59, 500); // the batch straddles midnight UTC

let seq = 0;
function row(overrides: Partial<NewUsageLog>): NewUsageLog {
  seq++;
  return {
    request_id: `writer-${seq}`,
    created_at: T0,
    route: 'openai.chat',
    status: 200,
    is_stream: 0,
    input_tokens: 10,
    cached_input_tokens: 2,
    cache_write_tokens: 0,
    output_text_tokens: 20,
    output_image_tokens: 0,
    reasoning_tokens: 3,
    image_count: 0,
    cost_micros: 100,
    latency_ms: 50,
    ...overrides,
  };
}

export function registerUsageWriterTests(get: () => SuiteContext): void {
  describe('usage writer on the repository', () => {
    it('writes rows, charges and rollups batch by batch, then publishes events for what it charged', async () => {
      const ctx = get();
      const tag = ctx.unique('writer');
      const payer = await ctx.repos.users.create({ name: ctx.unique('payer'), balanceMicros: 1_000_000 });
      const a = (await ctx.repos.tokens.create({ userId: payer.id, name: 'a' })).token;
      const b = (await ctx.repos.tokens.create({ userId: payer.id, name: 'b' })).token;
      const idle = (await ctx.repos.tokens.create({ userId: payer.id, name: 'idle' })).token;

      ctx.events.length = 0; // creating them published events too
      const writer = new UsageWriter(ctx.repos.usageLogs, { batchSize: 50, maxRowsPerWrite: 40, intervalMs: 60_000 });
      for (let i = 0; i < 130; i++) {
        const token = i % 3 === 0 ? b : a;
        writer.push(
          row({
            request_id: `${tag}-${i}`,
            created_at: T0 + i * 10, // the later ones fall on the next day
            token_id: token.id,
            user_id: payer.id,
            model_requested: i % 2 === 0 ? 'm-even' : 'm-odd',
            channel_id: 7,
            status: i % 10 === 0 ? 502 : 200,
            cost_micros: i % 10 === 0 ? 0 : 100 + i,
          }),
        );
      }
      // A row that charges nothing still moves last_used_at but publishes no event.
      writer.push(row({ request_id: `${tag}-free`, token_id: idle.id, user_id: payer.id, cost_micros: 0 }));
      await writer.close();

      // On a SQLite file the batches went through the worker thread.
      expect(writer.stats()).toMatchObject({ written: 131, buffered: 0, dropped: 0, failedWrites: 0, offThread: ctx.database.kind === 'sqlite' });
      let costA = 0;
      let costB = 0;
      for (let i = 0; i < 130; i++) {
        const cost = i % 10 === 0 ? 0 : 100 + i;
        if (i % 3 === 0) costB += cost;
        else costA += cost;
      }
      expect((await ctx.repos.tokens.get(a.id))?.usedMicros).toBe(costA);
      expect((await ctx.repos.tokens.get(b.id))?.usedMicros).toBe(costB);
      expect(await ctx.repos.users.get(payer.id)).toMatchObject({ usedMicros: costA + costB, balanceMicros: 1_000_000 - costA - costB });
      const lastUsed = await ctx.database.db.selectFrom('tokens').select(['id', 'last_used_at']).where('id', 'in', [a.id, b.id, idle.id]).orderBy('id').execute();
      expect(lastUsed.map((t) => Number(t.last_used_at))).toEqual([T0 + 1280, T0 + 1290, T0]);

      const { total } = await ctx.repos.usageLogs.query({ userId: payer.id, limit: 1 });
      expect(total).toBe(131);
      const byDay = await ctx.repos.usageLogs.daily({ userId: payer.id, groupBy: ['day'] });
      expect(byDay.map((d) => [d.day, d.requests, d.errors, d.cost_micros])).toEqual([
        ['2024-07-01', 51, 5, costOfDay(0, 49)],
        ['2024-07-02', 80, 8, costOfDay(50, 129)],
      ]);
      const byToken = await ctx.repos.usageLogs.daily({ userId: payer.id, groupBy: ['token_id', 'model'] });
      expect(byToken.reduce((n, d) => n + d.requests, 0)).toBe(131);
      expect(byToken.find((d) => d.token_id === a.id && d.model === 'm-odd')).toMatchObject({ requests: 43, input_tokens: 12 * 43, output_tokens: 23 * 43 });

      // Published here, after commit, through the repository's throttle: the first at once.
      expect(ctx.events).toContainEqual({ entity: 'token', id: a.id });
      expect(ctx.events).toContainEqual({ entity: 'token', id: b.id });
      expect(ctx.events).toContainEqual({ entity: 'user', id: payer.id });
      expect(ctx.events).not.toContainEqual({ entity: 'token', id: idle.id });
    });
  });
}

/** Σ cost of rows first..last (cost 0 for every tenth, 100 + i otherwise). */
function costOfDay(first: number, last: number): number {
  let sum = 0;
  for (let i = first; i <= last; i++) sum += i % 10 === 0 ? 0 : 100 + i;
  return sum;
}
