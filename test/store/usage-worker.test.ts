// The SQLite usage worker: UsageWriter on a SQLite file writes its batches
// from a worker thread with its own connection. Same results as the main
// thread, one transaction per batch, failures retried without charging twice,
// a worker that dies mid-batch settled by looking at what committed.
import { unlink } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import { DatabaseError } from '../../src/store/errors.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { normalizeUsageRow } from '../../src/store/repos/usage-logs.js';
import type { Repositories } from '../../src/store/repositories.js';
import type { NewUsageLog } from '../../src/store/schema.js';
import { SqliteUsageThread, batchCommitted } from '../../src/store/sqlite-usage-thread.js';
import { UsageWriter } from '../../src/store/usage-writer.js';
import { createSqliteDatabase } from './test-databases.js';
import type { TestDatabase } from './test-databases.js';

const T0 = Date.UTC(2024, 2, 3, 4, 5, 6);
const box = new SecretBox('usage-worker-test');
const dropLater: TestDatabase[] = [];

afterAll(async () => {
  for (const d of dropLater) await d.drop();
});

interface Store {
  database: Database;
  repos: Repositories;
  file: string;
  userId: number;
  tokenIds: number[];
}

async function store(url?: string): Promise<Store> {
  let file = ':memory:';
  if (!url) {
    const test = await createSqliteDatabase();
    dropLater.push(test);
    url = test.url;
    file = url.slice('sqlite:'.length);
  }
  const database = await openDatabase(url);
  await migrateToLatest(database);
  const repos = createRepositories(database, box, createLocalBus());
  const user = await repos.users.create({ name: 'payer', balanceMicros: 10_000_000 });
  const tokenIds: number[] = [];
  for (let i = 0; i < 3; i++) tokenIds.push((await repos.tokens.create({ userId: user.id, name: `t${i}` })).token.id);
  return { database, repos, file, userId: user.id, tokenIds };
}

let seq = 0;
function rows(s: Store, n: number, cost = 10): NewUsageLog[] {
  return Array.from({ length: n }, (_, i) => {
    seq++;
    return {
      request_id: `w-${seq}`,
      created_at: T0 + seq * 1000,
      token_id: s.tokenIds[i % s.tokenIds.length]!,
      user_id: s.userId,
      route: 'gemini.generateContent',
      model_requested: i % 2 ? 'gemini-2.5-flash' : 'gemini-2.5-flash-image',
      channel_id: 1 + (i % 2),
      status: i % 7 === 0 ? 429 : 200,
      is_stream: i % 2,
      input_tokens: 7,
      cached_input_tokens: 1,
      cache_write_tokens: 0,
      output_text_tokens: 11,
      output_image_tokens: i % 2 ? 0 : 1290,
      reasoning_tokens: 0,
      image_count: i % 2 ? 0 : 1,
      image_size: i % 2 ? null : '1K',
      cost_micros: cost,
      attempts: JSON.stringify([{ channel_id: 1, status: 200, ms: i }]),
      latency_ms: 40 + i,
    };
  });
}

async function charged(s: Store): Promise<{ tokens: number; user: number; balance: number; rows: number; daily: number }> {
  let tokens = 0;
  for (const id of s.tokenIds) tokens += (await s.repos.tokens.get(id))?.usedMicros ?? 0;
  const user = await s.repos.users.get(s.userId);
  const n = await s.database.db.selectFrom('usage_logs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const daily = await s.repos.usageLogs.daily({ groupBy: [] });
  return { tokens, user: user?.usedMicros ?? 0, balance: user?.balanceMicros ?? 0, rows: Number(n.n), daily: daily[0]?.cost_micros ?? 0 };
}

/** What the database holds, ids and timestamps that differ between runs left out. */
async function snapshot(s: Store) {
  const logs = await s.database.db.selectFrom('usage_logs').selectAll().orderBy('id').execute();
  const tokens = await s.database.db.selectFrom('tokens').select(['id', 'used_micros', 'last_used_at']).orderBy('id').execute();
  const users = await s.database.db.selectFrom('users').select(['id', 'used_micros', 'balance_micros']).orderBy('id').execute();
  const daily = await s.database.db.selectFrom('usage_daily').selectAll().orderBy('day').orderBy('token_id').orderBy('user_id').orderBy('model').orderBy('channel_id').execute();
  return { logs: logs.map(({ id: _id, ...rest }) => rest), tokens, users, daily };
}

describe('UsageWriter on a SQLite file', () => {
  it('writes from a worker thread and leaves exactly what the main thread would', async () => {
    const viaWorker = await store();
    const viaMain = await store();
    const input = rows(viaWorker, 1234);
    const worker = new UsageWriter(viaWorker.repos.usageLogs, { batchSize: 300, intervalMs: 60_000 });
    const main = new UsageWriter(viaMain.repos.usageLogs, { batchSize: 300, intervalMs: 60_000, sqliteWorker: false });
    for (const r of input) {
      worker.push(r);
      main.push(r);
    }
    await Promise.all([worker.close(), main.close()]);
    expect(worker.stats()).toMatchObject({ written: 1234, offThread: true });
    expect(main.stats()).toMatchObject({ written: 1234, offThread: false });
    const a = await snapshot(viaWorker);
    expect(a.logs).toHaveLength(1234);
    expect(a).toEqual(await snapshot(viaMain));
    await Promise.all([viaWorker.database.close(), viaMain.database.close()]);
  });

  it('a failed flush writes nothing, keeps the rows, and the retry charges them once', async () => {
    const s = await store();
    const errors: unknown[] = [];
    const writer = new UsageWriter(s.repos.usageLogs, { batchSize: 1000, intervalMs: 60_000, onError: (e) => errors.push(e) });
    for (const r of rows(s, 250, 3)) writer.push(r);
    // The rollup table is missing: the transaction's last statements fail on the worker.
    await sql`alter table usage_daily rename to usage_daily_off`.execute(s.database.db);
    const failed = writer.flush();
    await expect(failed).rejects.toThrow(/250 usage rows.*no such table: usage_daily/);
    await expect(failed).rejects.toBeInstanceOf(DatabaseError);
    expect(writer.stats()).toMatchObject({ buffered: 250, written: 0, failedWrites: 1, offThread: true });
    expect(errors).toHaveLength(1);
    await sql`alter table usage_daily_off rename to usage_daily`.execute(s.database.db);
    expect(await charged(s)).toMatchObject({ tokens: 0, user: 0, rows: 0 });

    await writer.close();
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 250 });
    expect(await charged(s)).toEqual({ tokens: 750, user: 750, balance: 10_000_000 - 750, rows: 250, daily: 750 });
    await s.database.close();
  });

  it('the main thread reads and writes while the worker writes', async () => {
    const s = await store();
    const writer = new UsageWriter(s.repos.usageLogs, { batchSize: 100, intervalMs: 5 });
    let reads = 0;
    for (let round = 0; round < 20; round++) {
      for (const r of rows(s, 100, 1)) writer.push(r);
      await s.repos.users.update(s.userId, { displayName: `round ${round}` });
      await s.repos.usageLogs.query({ limit: 5 });
      reads++;
    }
    await writer.close();
    expect(reads).toBe(20);
    expect(writer.stats()).toMatchObject({ written: 2000, failedWrites: 0, offThread: true });
    expect(await charged(s)).toMatchObject({ tokens: 2000, user: 2000, rows: 2000 });
    expect((await s.repos.users.get(s.userId))?.displayName).toBe('round 19');
    await s.database.close();
  });

  it('keeps writing on the main thread when the worker cannot start', async () => {
    const s = await store();
    // The worker opens the file by name; the main connection keeps the unlinked one.
    await unlink(s.file);
    const errors: unknown[] = [];
    const writer = new UsageWriter(s.repos.usageLogs, { intervalMs: 60_000, onError: (e) => errors.push(e) });
    for (const r of rows(s, 40, 2)) writer.push(r);
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 40, failedWrites: 0, offThread: false });
    expect(String(errors[0])).toMatch(/usage worker did not start: .*; writing usage logs on the main thread/);
    expect(await charged(s)).toMatchObject({ tokens: 80, rows: 40 });
    await s.database.close();
  });

  it('stays on the main thread for :memory: (a worker cannot share it)', async () => {
    const s = await store('sqlite::memory:');
    const writer = new UsageWriter(s.repos.usageLogs, { intervalMs: 60_000 });
    for (const r of rows(s, 30, 5)) writer.push(r);
    await writer.close();
    expect(writer.stats()).toMatchObject({ written: 30, offThread: false });
    expect(await charged(s)).toMatchObject({ tokens: 150, user: 150, rows: 30 });
    await s.database.close();
  });
});

describe('SqliteUsageThread', () => {
  it('batchCommitted finds a batch by its first row above the watermark', async () => {
    const s = await store();
    const batch = rows(s, 3).map(normalizeUsageRow);
    await s.repos.usageLogs.insertMany(batch);
    const maxId = Number((await sql<{ n: number }>`select max(id) as n from usage_logs`.execute(s.database.db)).rows[0]!.n);
    expect(await batchCommitted(s.database.db, batch[0]!, 0)).toBe(true);
    expect(await batchCommitted(s.database.db, batch[0]!, maxId)).toBe(false); // an older row with the same values
    expect(await batchCommitted(s.database.db, rows(s, 1).map(normalizeUsageRow)[0]!, 0)).toBe(false);
    await s.database.close();
  });

  it('a worker killed mid-batch never charges a batch twice', async () => {
    const s = await store();
    const thread = new SqliteUsageThread({ file: s.file, committed: (first, w) => batchCommitted(s.database.db, first, w) });
    await thread.write(rows(s, 1, 0).map(normalizeUsageRow)); // started and warm
    let expected = 0;
    for (let i = 0; i < 4; i++) {
      const batch = rows(s, 400, 1).map(normalizeUsageRow);
      const written = thread.write(batch).then(
        () => 'committed',
        (err: Error) => err.message,
      );
      // Kill it at a different moment each time: while sending, writing, or after.
      await new Promise((r) => setTimeout(r, i * 5));
      await thread.terminate();
      const outcome = await written;
      if (outcome !== 'committed') {
        expect(outcome).toMatch(/usage worker died before committing/);
        await thread.write(batch); // a new worker, the same rows
      }
      expected += 400;
      expect(await charged(s)).toMatchObject({ tokens: expected, user: expected, rows: expected + 1, daily: expected });
    }
    await thread.close();
    await expect(thread.write(rows(s, 1).map(normalizeUsageRow))).rejects.toThrow(/closed/);
    await s.database.close();
  });

  it('a worker that died after committing, before answering, counts the batch as written', async () => {
    const s = await store();
    const thread = new SqliteUsageThread({
      file: s.file,
      committed: (first, w) => batchCommitted(s.database.db, first, w),
      entry: new URL('./fixtures/usage-worker-dies-after-commit.ts', import.meta.url),
    });
    const charged1 = await thread.write(rows(s, 250, 2).map(normalizeUsageRow));
    expect(charged1).toEqual({ tokens: s.tokenIds, users: [s.userId] });
    expect(await charged(s)).toMatchObject({ tokens: 500, user: 500, rows: 250 });
    await thread.close();
    await s.database.close();
  });
});
