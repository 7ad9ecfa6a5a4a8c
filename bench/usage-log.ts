// Usage logging on SQLite, with its charges: every batch inserts the rows,
// charges tokens and users and upserts the daily rollups in one transaction.
//
//   npm run build && npx tsc -p tsconfig.bench.json && node .bench/usage-log.js
//
// Both ways UsageWriter can write on SQLite are measured: from its worker
// thread (the default) and on the main thread (sqliteWorker: false).
// 1. throughput: rows/s through UsageWriter, pushed as fast as possible;
// 2. the request path: event-loop delay (p50/p99/max) while requests push rows
//    at a steady rate, against the same load with logging switched off; the
//    difference is what logging adds to every request's latency.
// The last line sums up the default (worker) path.
// USAGE_BENCH_ROWS (default 100 000), USAGE_BENCH_RATE (rows/s, default 5000),
// USAGE_BENCH_SECONDS (default 3) and USAGE_BENCH_ROUNDS (default 3: the three
// loads take turns and each figure is the median over rounds, so a burst from
// another process skews none of them) tune a run. It loads the built store
// from dist/ (this folder compiles on its own), so build first.
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
  stats(): { written: number; dropped: number; failedWrites: number; offThread: boolean };
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
const SECONDS = Number(process.env.USAGE_BENCH_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(process.env.USAGE_BENCH_ROUNDS ?? 3));
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

  const usedTotal = async (): Promise<number> =>
    Number(
      (await database.db
        .selectFrom('tokens')
        .select((eb: any) => eb.fn.sum('used_micros').as('used'))
        .executeTakeFirst()).used,
    );

  // 1. Throughput.
  async function throughput(sqliteWorker: boolean): Promise<number> {
    const before = await usedTotal();
    const writer = new store.UsageWriter(repos.usageLogs, { sqliteWorker });
    const started = performance.now();
    for (let i = 0; i < ROWS; i++) {
      writer.push(makeRow(tokens));
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    await writer.flush();
    const seconds = (performance.now() - started) / 1000;
    const offThread = writer.stats().offThread;
    await writer.close();
    const charged = (await usedTotal()) - before;
    const expected = ROWS * 198;
    const rate = Math.round(ROWS / seconds);
    console.log(`throughput, ${offThread ? 'worker thread' : 'main thread'}: ${ROWS} rows in ${seconds.toFixed(2)} s = ${rate} rows/s (rows + charges + rollups per transaction)`);
    console.log(`  consistency: Σ tokens.used_micros grew by ${charged} (expected ${expected}) ${charged === expected ? 'ok' : 'MISMATCH'}`);
    return rate;
  }
  const maxRate = await throughput(true);
  await throughput(false);

  // 2. The request path at a steady rate: with logging vs without.
  const pushCost: number[] = [];
  async function steady(log: 'off' | 'worker' | 'main'): Promise<{ p50: number; p99: number; max: number }> {
    const w = new store.UsageWriter(log === 'off' ? { insertMany: async () => {} } : repos.usageLogs, { sqliteWorker: log === 'worker' });
    // Steady state: the first write (which starts the worker thread) happens before measuring.
    w.push(makeRow(tokens));
    await w.flush();
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
          if (log === 'worker') pushCost.push(performance.now() - t0);
          due++;
        }
      }, 1);
    });
    histogram.disable();
    if (log === 'worker' && !w.stats().offThread) console.log('  (warning: the worker thread did not start; that run wrote on the main thread)');
    await w.close();
    return { p50: histogram.percentile(50), p99: histogram.percentile(99), max: histogram.max };
  }
  type Delay = { p50: number; p99: number; max: number };
  const runs: Record<'off' | 'worker' | 'main', Delay[]> = { off: [], worker: [], main: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['off', 'worker', 'main'] as const) runs[mode].push(await steady(mode));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const summary = (rs: Delay[]): Delay => ({ p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), max: median(rs.map((r) => r.max)) });
  const base = summary(runs.off);
  const worker = summary(runs.worker);
  const main = summary(runs.main);
  pushCost.sort((a, b) => a - b);
  const pushP99 = pushCost[Math.floor(pushCost.length * 0.99)] ?? 0;
  const added = (r: { p99: number }) => Math.max(0, r.p99 - base.p99);
  console.log(`\nrequest path at ${RATE} rows/s, ${ROUNDS} × ${SECONDS} s each (event-loop delay, ms, median over rounds):`);
  console.log(`  logging off:            p50 ${ms(base.p50)}  p99 ${ms(base.p99)}  max ${ms(base.max)}`);
  console.log(`  logging, worker thread: p50 ${ms(worker.p50)}  p99 ${ms(worker.p99)}  max ${ms(worker.max)}  (added p99 ${ms(added(worker))})`);
  console.log(`  logging, main thread:   p50 ${ms(main.p50)}  p99 ${ms(main.p99)}  max ${ms(main.max)}  (added p99 ${ms(added(main))})`);
  console.log(`  push() itself: p99 ${(pushP99 * 1000).toFixed(1)} µs`);
  console.log(`\nusage log (sqlite): ${maxRate} rows/s max; at ${RATE} rows/s event-loop p99 +${ms(added(worker))} ms`);

  await bus.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
