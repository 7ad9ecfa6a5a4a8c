// Usage logging on SQLite, with its charges: every batch inserts the rows,
// charges tokens and users and upserts the daily rollups in one transaction.
//
//   npm run build && npx tsc -p tsconfig.bench.json && node .bench/usage-log.js
//
// 1. throughput: rows/s through UsageWriter, pushed as fast as possible;
// 2. the request path: event-loop delay (p50/p99/max) while requests push rows
//    at a steady rate, against the same load with logging switched off; the
//    difference is what logging adds to every request's latency.
// USAGE_BENCH_ROWS (default 100 000), USAGE_BENCH_RATE (rows/s, default 5000)
// and USAGE_BENCH_SECONDS (default 5) tune a run. It loads the built store from
// dist/ (this folder compiles on its own), so build first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

interface Row {
  [column: string]: unknown;
}
interface Writer {
  push(row: Row): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): { written: number; dropped: number; failedWrites: number };
}
interface Store {
  openDatabase(url: string): Promise<{ db: { selectFrom(t: string): any }; close(): Promise<void> }>;
  migrateToLatest(database: unknown): Promise<string[]>;
  SecretBox: new (secret: string) => unknown;
  createLocalBus(): { close(): Promise<void> };
  createRepositories(database: unknown, box: unknown, bus: unknown): any;
  UsageWriter: new (sink: unknown, opts?: Record<string, unknown>) => Writer;
}

const ROWS = Number(process.env.USAGE_BENCH_ROWS ?? 100_000);
const RATE = Number(process.env.USAGE_BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.USAGE_BENCH_SECONDS ?? 5);
const MODELS = ['gpt-4o-mini', 'gemini-2.5-flash', 'claude-sonnet-4-5', 'gemini-2.5-flash-image'];

let seq = 0;
function makeRow(tokens: Array<{ id: number; userId: number }>): Row {
  const n = seq++;
  const token = tokens[n % tokens.length]!;
  return {
    request_id: `bench-${n}`,
    created_at: Date.now(),
    token_id: token.id,
    user_id: token.userId,
    token_name: 'bench',
    route: 'openai.chat',
    model_requested: MODELS[n % MODELS.length],
    model_served: MODELS[n % MODELS.length],
    channel_id: 1 + (n % 3),
    attempts: '[{"channel_id":1,"status":200,"ms":12}]',
    status: n % 50 === 0 ? 500 : 200,
    is_stream: n % 2,
    input_tokens: 120,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_text_tokens: 300,
    output_image_tokens: 0,
    reasoning_tokens: 0,
    image_count: 0,
    cost_micros: 198,
    group_ratio: 1,
    cost_detail: '{"input":18,"output":180,"ratio":1}',
    latency_ms: 240,
    first_byte_ms: 80,
    client_ip: '127.0.0.1',
  };
}

function ms(ns: number): string {
  return (ns / 1e6).toFixed(2);
}

async function main(): Promise<void> {
  const store = (await import(new URL('../dist/store/index.js', import.meta.url).href)) as Store;
  const dir = mkdtempSync(join(tmpdir(), 'ws-usage-bench-'));
  const database = await store.openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  await store.migrateToLatest(database);
  const bus = store.createLocalBus();
  const repos = store.createRepositories(database, new store.SecretBox('bench'), bus);
  const tokens: Array<{ id: number; userId: number }> = [];
  for (let u = 0; u < 50; u++) {
    const user = await repos.users.create({ name: `user-${u}`, balanceMicros: 1_000_000_000_000 });
    for (let t = 0; t < 4; t++) tokens.push({ id: (await repos.tokens.create({ userId: user.id, name: `t${t}` })).token.id, userId: user.id });
  }
  console.log(`usage-log bench: SQLite (WAL), ${tokens.length} tokens of 50 users, node ${process.version}\n`);

  // 1. Throughput.
  const writer = new store.UsageWriter(repos.usageLogs);
  const started = performance.now();
  for (let i = 0; i < ROWS; i++) {
    writer.push(makeRow(tokens));
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await writer.flush();
  const seconds = (performance.now() - started) / 1000;
  const totals = await database.db
    .selectFrom('tokens')
    .select((eb: any) => eb.fn.sum('used_micros').as('used'))
    .executeTakeFirst();
  const expected = ROWS * 198;
  console.log(`throughput: ${ROWS} rows in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds)} rows/s (rows + charges + rollups per transaction)`);
  console.log(`  consistency: Σ tokens.used_micros = ${Number(totals.used)} (expected ${expected}) ${Number(totals.used) === expected ? 'ok' : 'MISMATCH'}`);
  await writer.close();

  // 2. The request path at a steady rate: with logging vs without.
  const pushCost: number[] = [];
  async function steady(log: boolean): Promise<{ p50: number; p99: number; max: number }> {
    const w = new store.UsageWriter(log ? repos.usageLogs : { insertMany: async () => {} });
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const end = Date.now() + SECONDS * 1000;
    let due = 0;
    const tickStart = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = Date.now();
        if (now >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        // Catch up on the rows due so far: the offered rate holds even when a tick is late.
        const target = Math.floor(((now - tickStart) / 1000) * RATE);
        while (due < target) {
          const t0 = performance.now();
          w.push(makeRow(tokens));
          if (log) pushCost.push(performance.now() - t0);
          due++;
        }
      }, 1);
    });
    histogram.disable();
    await w.close();
    return { p50: histogram.percentile(50), p99: histogram.percentile(99), max: histogram.max };
  }
  const base = await steady(false);
  const withLog = await steady(true);
  pushCost.sort((a, b) => a - b);
  const pushP99 = pushCost[Math.floor(pushCost.length * 0.99)] ?? 0;
  console.log(`\nrequest path at ${RATE} rows/s for ${SECONDS} s (event-loop delay, ms):`);
  console.log(`  logging off: p50 ${ms(base.p50)}  p99 ${ms(base.p99)}  max ${ms(base.max)}`);
  console.log(`  logging on:  p50 ${ms(withLog.p50)}  p99 ${ms(withLog.p99)}  max ${ms(withLog.max)}`);
  console.log(`  added p99: ${ms(Math.max(0, withLog.p99 - base.p99))} ms;  push() itself: p99 ${(pushP99 * 1000).toFixed(1)} µs`);

  await bus.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
