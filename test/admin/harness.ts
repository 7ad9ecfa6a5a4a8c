// A real HTTP server with the management API registered, built the way
// startGateway builds one (SQLite in a temp folder, migrations, repositories,
// cache, root user with TEST_ADMIN_KEY, buildApp) — but with the admin plugin
// passed in, since routes cannot be added to a gateway once it listens.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerAdminRoutes } from '../../src/admin/index.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import type { RelayDeps } from '../../src/relay/relay-handler.js';
import { buildApp } from '../../src/server/app.js';
import { Metrics } from '../../src/server/metrics.js';
import { ensureRootUser } from '../../src/server/root-user.js';
import { StoreCache } from '../../src/store/cache.js';
import { createLocalBus } from '../../src/store/change-bus.js';
import { createRepositories } from '../../src/store/create-repositories.js';
import { SecretBox } from '../../src/store/crypto.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import type { ModelPrice, User } from '../../src/store/entities.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';
import type { Repositories } from '../../src/store/repositories.js';
import { TEST_ADMIN_KEY } from '../helpers/gateway.js';

export { TEST_ADMIN_KEY };

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface AdminHarness {
  url: string;
  app: FastifyInstance;
  repos: Repositories;
  cache: StoreCache;
  database: Database;
  root: User;
  /** Calls the API with `Authorization: Bearer <key>` (none when key is undefined). */
  call<T = any>(key: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResult<T>>;
  /** Creates a user through the API (as root) and returns it with its access key. */
  createUser(name: string, extra?: Record<string, unknown>): Promise<{ id: number; key: string; user: any }>;
  close(): Promise<void>;
}

export const BUILTIN_PRICES: Record<string, ModelPrice> = {
  'gpt-4o-mini': { input_per_mtok: 0.15, output_per_mtok: 0.6 },
  'gemini-2.5-flash-image': { input_per_mtok: 0.3, per_image: { default: 0.039 } },
};

export interface HarnessOptions {
  simulatorUrl?: string;
  now?: () => number;
  /** Default: SQLite in a temp folder. */
  databaseUrl?: string;
}

export async function startAdminHarness(opts: HarnessOptions = {}): Promise<AdminHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-admin-'));
  const database = await openDatabase(opts.databaseUrl ?? `sqlite:${join(dir, 'waystation.db')}`);
  await migrateToLatest(database);
  const bus = createLocalBus();
  const box = new SecretBox('admin-test-secret');
  const repos = createRepositories(database, box, bus);
  const root = await ensureRootUser(repos, TEST_ADMIN_KEY);
  const cache = new StoreCache(database, box, bus, { refreshIntervalMs: 0 });
  await cache.start();

  const app = buildApp({
    bodyLimit: 1024 * 1024,
    metrics: new Metrics(),
    databaseReady: async () => true,
    // Relay deps are read only when a relay route runs; these tests call none.
    relay: {} as unknown as RelayDeps,
    plugins: [
      (a) =>
        registerAdminRoutes(a, {
          repos,
          cache,
          database,
          prices: { builtin: () => BUILTIN_PRICES },
          providers: createProviderRegistry({ simulatorUrl: () => opts.simulatorUrl }),
          now: opts.now,
        }),
    ],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const call: AdminHarness['call'] = async (key, method, path, body) => {
    const headers: Record<string, string> = {};
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(url + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // leave as text
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };

  return {
    url,
    app,
    repos,
    cache,
    database,
    root,
    call,
    async createUser(name, extra = {}) {
      const res = await call(TEST_ADMIN_KEY, 'POST', '/api/users', { name, ...extra });
      if (res.status !== 200) throw new Error(`createUser ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.data.id, key: res.body.data.access_key, user: res.body.data };
    },
    async close() {
      await app.close();
      await cache.stop();
      await bus.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
