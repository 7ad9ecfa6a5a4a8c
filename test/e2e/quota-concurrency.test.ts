// Issue 3's acceptance: 40 parallel image requests on a token whose quota
// covers exactly 10 worst cases → 10 served, 30 refused, and the charges in
// the database equal the usage rows. On SQLite always; on PostgreSQL and MySQL
// with Redis when the test variables name those servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PriceBook, estimateWorstCase } from '../../src/billing/index.js';
import { inspectRequest } from '../../src/relay/request-facts.js';
import {
  MYSQL_DEFAULT,
  PG_DEFAULT,
  REDIS_DEFAULT,
  createMysqlDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  serverFromEnv,
  type TestDatabase,
} from '../store/test-databases.js';
import { startTestGateway, startTestSimulator, type TestSimulator } from '../helpers/gateway.js';

const MODEL = 'gemini-2.5-flash-image';
const KEY = 'sk-quota-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI';
const body = {
  contents: [{ role: 'user', parts: [{ text: 'A red bicycle leaning on a blue wall' }] }],
  generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '1:1' } },
};
const raw = JSON.stringify(body);

/** The worst case the gateway reserves for this exact request. */
function worstCaseMicros(): number {
  const facts = inspectRequest('gemini', { operation: 'generateContent', model: MODEL, json: body, rawBytes: Buffer.byteLength(raw) });
  const { price } = new PriceBook({}).require(MODEL);
  return estimateWorstCase(price, facts, 1, 1, MODEL);
}

const pgServer = serverFromEnv('WAYSTATION_TEST_PG', PG_DEFAULT);
const mysqlServer = serverFromEnv('WAYSTATION_TEST_MYSQL', MYSQL_DEFAULT);
const redisServer = serverFromEnv('WAYSTATION_TEST_REDIS', REDIS_DEFAULT);
const backends: Array<[string, (() => Promise<TestDatabase>) | undefined, string | undefined]> = [
  ['sqlite, in-process ledger', createSqliteDatabase, undefined],
  ['postgres + redis', pgServer ? () => createPostgresDatabase(pgServer) : undefined, redisServer],
  ['mysql + redis', mysqlServer ? () => createMysqlDatabase(mysqlServer) : undefined, redisServer],
];

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => sim?.close());

for (const [name, create, redisUrl] of backends) {
  const needsRedis = name.includes('redis');
  const runnable = create && (!needsRedis || redisUrl);
  const suite = runnable ? describe : describe.skip;
  suite(`${name}${runnable ? '' : ' (set WAYSTATION_TEST_PG / WAYSTATION_TEST_MYSQL and WAYSTATION_TEST_REDIS to run)'}`, () => {
    it('40 parallel image requests, quota for exactly 10: 10 served, 30 refused, charges match the rows', async () => {
      const db = await create!();
      const worst = worstCaseMicros();
      const quotaUsd = (10 * worst) / 1e6;
      const gw = await startTestGateway(
        `
users:
  - name: alice
    balance_usd: 100
channels:
  - name: sim
    type: simulator
    base_url: ${sim.url}
    keys: [k]
    models: [${MODEL}]
tokens:
  - name: ten
    user: alice
    key: ${KEY}
    quota_usd: ${quotaUsd}
`,
        { databaseUrl: db.url, redisUrl: needsRedis ? redisUrl! : null },
      );
      try {
        const send = () =>
          fetch(`${gw.url}/v1beta/models/${MODEL}:generateContent`, {
            method: 'POST',
            // The latency keeps every request in flight until all 40 have asked.
            headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY, 'x-sim-fault': 'latency:400' },
            body: raw,
          }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
        const results = await Promise.all(Array.from({ length: 40 }, send));
        const served = results.filter((r) => r.status === 200);
        const refused = results.filter((r) => r.status === 429);
        expect(served).toHaveLength(10);
        expect(refused).toHaveLength(30);
        expect(refused[0]!.body.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/quota/i) });

        await gw.gw.usage.flush();
        const rows = (await gw.gw.repos.usageLogs.query({ limit: 100 })).items;
        expect(rows).toHaveLength(40);
        const charged = rows.filter((r) => r.status === 200);
        expect(charged).toHaveLength(10);
        for (const r of charged) {
          expect(r.cost_micros).toBeGreaterThanOrEqual(39_000); // $0.039 per image
          expect(r.image_count).toBe(1);
        }
        expect(rows.filter((r) => r.status === 429).every((r) => r.cost_micros === 0)).toBe(true);
        const token = (await gw.gw.repos.tokens.list({})).items.find((t) => t.name === 'ten')!;
        expect(token.usedMicros).toBe(charged.reduce((s, r) => s + r.cost_micros, 0));
        expect(token.usedMicros).toBeLessThanOrEqual(token.quotaMicros);
      } finally {
        await gw.close();
        await db.drop();
      }
    });
  });
}
