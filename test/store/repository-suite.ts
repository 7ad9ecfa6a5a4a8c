// The one repository test suite, registered once per backend (see
// sqlite.test.ts, postgres.test.ts, mysql.test.ts). Every backend must pass
// exactly the same checks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBus } from '../../src/store/change-bus.js';
import type { ChangeBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase } from '../../src/store/db.js';
import type { Database } from '../../src/store/db.js';
import type { ChangeEvent } from '../../src/store/entities.js';
import { allMigrations, migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import { registerCacheTests } from './suite-cache.js';
import { registerChargeTests } from './suite-charges.js';
import { registerChannelAndPriceTests } from './suite-channels.js';
import { registerUserAndTokenTests } from './suite-users-tokens.js';
import { registerUsageTests } from './suite-usage.js';
import { registerUsageWriterTests } from './suite-usage-writer.js';
import type { TestDatabase } from './test-databases.js';

export interface SuiteContext {
  database: Database;
  repos: Repositories;
  box: SecretBox;
  bus: ChangeBus;
  /** Every event published since the current test began. */
  events: ChangeEvent[];
  /** A fresh, empty database on the same backend (dropped after the suite). */
  freshDatabase(): Promise<TestDatabase>;
  /** A name no other test in this run uses. */
  unique(prefix: string): string;
}

export const TABLES = ['users', 'groups', 'tokens', 'channels', 'channel_keys', 'prices', 'usage_logs', 'usage_daily', 'tasks', 'meta'];
/** Every migration name, in order. */
export const MIGRATIONS = Object.keys(allMigrations('sqlite'));

export function registerRepositorySuite(label: string, create: () => Promise<TestDatabase>): void {
  describe(label, () => {
    const extra: TestDatabase[] = [];
    let testDb: TestDatabase | undefined;
    let applied: string[] = [];
    let counter = 0;
    const ctx = {
      box: new SecretBox('test-secret-for-the-store-suite'),
      events: [] as ChangeEvent[],
      async freshDatabase() {
        const db = await create();
        extra.push(db);
        return db;
      },
      unique: (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
    } as SuiteContext;

    beforeAll(async () => {
      testDb = await create();
      ctx.database = await openDatabase(testDb.url);
      applied = await migrateToLatest(ctx.database);
      ctx.bus = createLocalBus();
      ctx.bus.subscribe((ev) => ctx.events.push(ev));
      ctx.repos = createRepositories(ctx.database, ctx.box, ctx.bus);
    });

    afterAll(async () => {
      await ctx.bus?.close();
      await ctx.database?.close();
      for (const db of [testDb, ...extra]) await db?.drop();
    });

    beforeEach(() => {
      ctx.events.length = 0;
    });

    describe('migrations', () => {
      it('creates every table on first run and nothing on the second', async () => {
        expect(applied).toEqual(MIGRATIONS);
        expect(await migrateToLatest(ctx.database)).toEqual([]);
        const tables = (await ctx.database.db.introspection.getTables()).map((t) => t.name);
        for (const table of TABLES) expect(tables).toContain(table);
      });

      it('survives a restart: a new connection migrates to nothing and keeps the data', async () => {
        const name = ctx.unique('restart');
        await ctx.repos.groups.upsert({ name, ratio: 2 });
        const { url } = await ctx.freshDatabase();
        // Restart twice on a fresh database: apply once, then find nothing to do.
        const first = await openDatabase(url);
        try {
          expect(await migrateToLatest(first)).toEqual(MIGRATIONS);
        } finally {
          await first.close();
        }
        const second = await openDatabase(url);
        try {
          expect(await migrateToLatest(second)).toEqual([]);
        } finally {
          await second.close();
        }
        expect((await ctx.repos.groups.byName(name))?.ratio).toBe(2);
      });

      it.skipIf(label.startsWith('sqlite'))('two processes migrating at once apply it exactly once', async () => {
        // (SQLite: two connections in one thread would block each other; its
        // safety comes from BEGIN IMMEDIATE, see src/store/sqlite-dialect.ts.)
        const { url } = await ctx.freshDatabase();
        const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
        try {
          const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
          expect(results.flat()).toEqual(MIGRATIONS);
          const tables = (await a.db.introspection.getTables()).map((t) => t.name);
          for (const table of TABLES) expect(tables).toContain(table);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });
    });

    registerUserAndTokenTests(() => ctx);
    registerChannelAndPriceTests(() => ctx);
    registerUsageTests(() => ctx);
    registerUsageWriterTests(() => ctx);
    registerChargeTests(() => ctx);
    registerCacheTests(() => ctx);
  });
}
