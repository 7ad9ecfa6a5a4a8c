// Starts a real gateway (real sockets, SQLite in a temp folder) for a test,
// with an optional YAML config, and a simulator to point channels at.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../src/config/settings.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';
import { startSimulator } from '../../src/simulator/server.js';

export const TEST_ADMIN_KEY = 'sk-admin-test-0123456789abcdefghijklmnopqrstuvwx';

export interface TestGateway {
  gw: Gateway;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export function testSettings(dataDir: string, overrides: Partial<Settings> = {}): Settings {
  return {
    port: 0,
    host: '127.0.0.1',
    configPath: null,
    databaseUrl: `sqlite:${join(dataDir, 'waystation.db')}`,
    redisUrl: null,
    adminKey: TEST_ADMIN_KEY,
    secret: 'test-secret-for-encryption-at-rest',
    workers: 1,
    dataDir,
    shutdownGraceMs: 5_000,
    bodyLimitBytes: 32 * 1024 * 1024,
    logLevel: 'silent',
    demo: false,
    allowUnpriced: false,
    logRetentionDays: 30,
    inlineDataLimitBytes: 20 * 1024 * 1024,
    imageOutput: 'both',
    imageUrlTtlMs: 3_600_000,
    imageFetchAllowPrivate: false,
    channelRetestMs: 5 * 60 * 1000,
    ...overrides,
  };
}

/** A gateway on port 0 with the given YAML config (written to its data dir). */
export async function startTestGateway(yaml?: string, overrides: Partial<Settings> = {}, opts: GatewayOptions = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-test-'));
  let configPath: string | null = null;
  if (yaml !== undefined) {
    configPath = join(dataDir, 'waystation.yaml');
    writeFileSync(configPath, yaml);
  }
  const gw = await startGateway(testSettings(dataDir, { configPath, ...overrides }), {
    redisKeyPrefix: `ws-test:${process.pid}:${Math.random().toString(36).slice(2)}:`,
    ...opts,
  });
  return {
    gw,
    url: gw.url,
    dataDir,
    async close() {
      await gw.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestSimulator {
  url: string;
  close(): Promise<void>;
  /** What the simulator received, newest last. */
  requests(): Promise<Array<{ method: string; path: string; headers: Record<string, string>; body?: unknown; query?: Record<string, string> }>>;
  clear(): Promise<void>;
}

export async function startTestSimulator(): Promise<TestSimulator> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1' });
  return {
    url: sim.url,
    close: () => sim.close(),
    async requests() {
      const res = await fetch(`${sim.url}/__sim/requests`);
      const body = (await res.json()) as { requests: any[] } | any[];
      return Array.isArray(body) ? body : body.requests;
    },
    async clear() {
      await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' });
    },
  };
}

export const TOKEN_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL';

/** A config with one simulator channel serving a few models of each family, and one token. */
export function simulatorConfig(simUrl: string, extra = ''): string {
  return `
channels:
  - name: sim
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-1]
    models: [gpt-4o-mini, claude-sonnet-4-5, gemini-2.5-flash, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview, text-embedding-3-small]
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
${extra}`;
}
