// Workers of one cluster (or nodes on one database) start together and seed
// the same rows: root user, config file, demo. Two seedings run at once here
// on one store, their statements interleaving at every await as two workers'
// would: both must finish, and each row must exist once. cli.test.ts starts
// real cluster workers on a fresh data dir as well.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { seedStore } from '../../src/server/seed.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { SecretBox } from '../../src/store/crypto.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import { PG_DEFAULT, createPostgresDatabase, createSqliteDatabase, serverFromEnv, type TestDatabase } from '../store/test-databases.js';

const CONFIG = parseConfigText(
  `channels:
  - name: sim
    type: simulator
    base_url: http://127.0.0.1:9
    keys: [k]
    models: [gpt-4o-mini]
users:
  - name: alice
    balance_usd: 5
tokens:
  - name: t
    user: alice
    key: sk-seed-race-0123456789abcdefghijklmnopqrstuvwxyz
`,
  {},
);
const ADMIN_KEY = 'sk-admin-seed-race-0123456789abcdefghijklmnopqrstu';

const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
const stores: Array<{ name: string; create(): Promise<TestDatabase> }> = [{ name: 'sqlite', create: () => createSqliteDatabase() }];
if (pgServer) stores.push({ name: 'postgres', create: () => createPostgresDatabase(pgServer) });

let open: Array<{ database: Database; db: TestDatabase }> = [];
afterEach(async () => {
  for (const { database, db } of open) {
    await database.close();
    await new Promise((r) => setTimeout(r, 100)); // pg-pool's sockets close after end() resolves
    await db.drop();
  }
  open = [];
});

describe.each(stores)(`start-up seeding raced by another worker ($name${pgServer ? '' : '; postgres: set WAYSTATION_TEST_PG'})`, ({ create }) => {
  it('two seedings at once on a fresh database both finish, and each row exists once', async () => {
    const db = await create();
    const database = await openDatabase(db.url);
    open.push({ database, db });
    await migrateToLatest(database);
    // Two workers' repositories over one database (their caches and buses are their own).
    const a = createRepositories(database, new SecretBox('seed-race'), createLocalBus());
    const b = createRepositories(database, new SecretBox('seed-race'), createLocalBus());
    const input = { adminKey: ADMIN_KEY, config: CONFIG, configSource: 'seed-race.yaml', demo: true };

    const results = await Promise.allSettled([seedStore(a, input), seedStore(b, input)]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'seeded'))).toEqual(['seeded', 'seeded']);

    const users = await a.users.list({});
    expect(users.items.map((u) => u.name).sort()).toEqual(['alice', 'root']);
    expect((await a.channels.list()).filter((c) => c.name === 'sim')).toHaveLength(1);
    expect((await a.tokens.list({})).items.filter((t) => t.name === 't')).toHaveLength(1);
  });
});
