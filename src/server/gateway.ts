// Assembles a running gateway from settings: database, caches, in-process
// simulator, HTTP app. `startGateway` is what `serve` and the tests call; it
// returns a handle whose `stop()` drains in-flight requests and flushes writes.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { registerAdminRoutes } from '../admin/index.js';
import { BUILTIN_PRICES, PriceBook, createLedger } from '../billing/index.js';
import { createLimiter } from '../limits/limiter.js';
import { closeRedis, connectRedis } from '../store/redis.js';
import { createAccounting } from './accounting.js';
import { setInlineDataLimit } from '../dialects/gemini/inspect-request.js';
import { loadConfigFile } from '../config/load.js';
import { loadOrCreateAdminKey, loadOrCreateSecret } from '../config/secrets.js';
import { createGatewayMedia, registerImageDownloads } from './media.js';
import type { Settings } from '../config/settings.js';
import { createProviderRegistry } from '../providers/registry.js';
import { DEFAULT_MAX_ATTEMPTS } from '../relay/defaults.js';
import { InFlight } from '../relay/in-flight.js';
import { startGatewayJobs, type GatewayJobs } from '../jobs/gateway-jobs.js';
import { createHolderId } from '../jobs/scheduled-job.js';
import { UpstreamClient } from '../relay/upstream-client.js';
import { CandidateIndex } from '../routing/candidates.js';
import { BreakerBoard } from '../routing/circuit-breaker.js';
import { shareBreakers } from '../routing/breaker-sync.js';
import { KeySetAside } from '../routing/key-health.js';
import { startSimulator } from '../simulator/server.js';
import { StoreCache } from '../store/cache.js';
import { createLocalBus, createRedisBus, type ChangeBus } from '../store/change-bus.js';
import { createRepositories } from '../store/create-repositories.js';
import { SecretBox } from '../store/crypto.js';
import { openDatabase, type Database } from '../store/db.js';
import { migrateToLatest } from '../store/migrations/index.js';
import type { Repositories } from '../store/repositories.js';
import { UsageWriter } from '../store/usage-writer.js';
import { buildApp } from './app.js';
import type { DemoInfo } from './demo.js';
import { seedStore } from './seed.js';
import { Metrics } from './metrics.js';
import { drain } from './drain.js';

export interface Gateway {
  app: FastifyInstance;
  url: string;
  port: number;
  adminKey: string;
  adminKeyCreated: boolean;
  /** Plain keys of tokens created by the config at this start. */
  createdTokenKeys: Array<{ name: string; key: string }>;
  demo: DemoInfo | undefined;
  repos: Repositories;
  cache: StoreCache;
  usage: UsageWriter;
  database: Database;
  /** This node's identity in the job leases. */
  nodeId: string;
  /** Background jobs (pruning, channel retest), each run by one node at a time. */
  jobs: GatewayJobs;
  /** Graceful stop: stop accepting, let in-flight requests finish (up to the grace), flush, close. */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Namespace for Redis keys (quota ledger, rate limits, job leases, change events): lets tests share one Redis. */
  redisKeyPrefix?: string;
  /** The built admin console to serve at `/` (default: web/dist of this installation; `null`: none). */
  consoleDir?: string | null;
}

/** Connections the kernel queues for accept (node's default is 511). */
const LISTEN_BACKLOG = 4096;

export async function startGateway(settings: Settings, opts: GatewayOptions = {}): Promise<Gateway> {
  const log = pino({ level: settings.logLevel });
  mkdirSync(settings.dataDir, { recursive: true });
  setInlineDataLimit(settings.inlineDataLimitBytes);
  const secret = loadOrCreateSecret(settings);
  const admin = loadOrCreateAdminKey(settings);
  const config = settings.configPath ? loadConfigFile(settings.configPath, process.env) : undefined;

  const database = await openDatabase(settings.databaseUrl);
  const closers: Array<() => Promise<unknown>> = [() => database.close()];
  try {
    await migrateToLatest(database);
    const nodeId = createHolderId();
    // Nodes sharing a key prefix share a change channel; other prefixes (other test runs) stay apart.
    const busChannel = opts.redisKeyPrefix ? `${opts.redisKeyPrefix}changes` : undefined;
    const bus: ChangeBus = settings.redisUrl ? await createRedisBus(settings.redisUrl, { channel: busChannel, nodeId }) : createLocalBus();
    closers.unshift(() => bus.close());
    const box = new SecretBox(secret);
    const repos = createRepositories(database, box, bus);
    const { applied, demo } = await seedStore(repos, { adminKey: admin.key, config, configSource: settings.configPath ?? undefined, demo: settings.demo });

    const simulator = await startSimulatorIfNeeded(repos, settings.demo);
    if (simulator) closers.unshift(() => simulator.close());

    const cache = new StoreCache(database, box, bus);
    await cache.start();
    closers.unshift(async () => cache.stop());
    const candidates = new CandidateIndex();
    // Breakers decide locally; nodes share only their open/close transitions over the change bus.
    const breakers = new BreakerBoard({ settingsOf: (id) => cache.channel(id)?.settings.breaker });
    const stopSharingBreakers = shareBreakers(breakers, bus);
    closers.unshift(async () => stopSharingBreakers());
    const keySetAside = new KeySetAside(repos.channels, {
      onSetAside: (ev) => log.warn(ev, 'upstream key set aside'),
      onError: (err) => log.error({ err }, 'setting an upstream key aside failed'),
    });
    candidates.rebuild(cache.channels());
    const upstream = new UpstreamClient();
    const dispatcherFor = (settings: Record<string, unknown>) => upstream.dispatcherFor(settings);
    // Only channel changes reshape routing; token and user events (every charge) do not.
    cache.onChange((ev) => {
      if (ev.entity === 'channel' || ev.entity === 'all') {
        candidates.rebuild(cache.channels());
        breakers.retain(cache.channels());
        // A proxy or connect_ms that no channel uses any more: its dispatcher closes.
        upstream.retain(cache.channels());
      }
    });

    const redis = settings.redisUrl ? await connectRedis(settings.redisUrl, 'waystation') : undefined;
    if (redis) closers.unshift(() => closeRedis(redis));
    const onError = (err: unknown) => log.error({ err }, 'background failure');
    const limiter = createLimiter({ redis, onError, keyPrefix: opts.redisKeyPrefix && `${opts.redisKeyPrefix}rl:` });
    closers.unshift(async () => limiter.close());
    const ledger = createLedger({ redis, onError, keyPrefix: opts.redisKeyPrefix && `${opts.redisKeyPrefix}quota` });
    closers.unshift(async () => ledger.close());
    const accounting = createAccounting({ limiter, ledger, prices: new PriceBook({ operator: cache, allowUnpriced: settings.allowUnpriced }) });

    const usage = new UsageWriter(repos.usageLogs, { onError: (err) => log.error({ err }, 'usage log flush failed') });
    const metrics = new Metrics();
    const inFlight = new InFlight();
    const providers = createProviderRegistry({ simulatorUrl: () => simulator?.url });
    const media = createGatewayMedia(settings, secret);
    const app = buildApp({
      bodyLimit: settings.bodyLimitBytes,
      metrics,
      databaseReady: () => database.ping().then(() => true),
      consoleDir: opts.consoleDir,
      plugins: [
        (a) => registerAdminRoutes(a, { repos, cache, database, prices: { builtin: () => BUILTIN_PRICES }, providers, breakers, dispatcherFor }),
        (a) => registerImageDownloads(a, media),
      ],
      relay: {
        cache,
        accounting,
        candidates,
        providers,
        upstream,
        usage,
        metrics,
        maxAttempts: DEFAULT_MAX_ATTEMPTS,
        inFlight,
        log,
        media,
        imageOutput: settings.imageOutput,
        breakers,
        keySetAside,
      },
    });
    // A burst of clients connecting at once (a fleet of agents, a reconnect storm) waits in the kernel's
    // accept queue rather than in SYN retries of a second or more; Linux caps it at net.core.somaxconn.
    await app.listen({ port: settings.port, host: settings.host, backlog: LISTEN_BACKLOG });
    const port = (app.server.address() as AddressInfo).port;
    // Started once the node serves, so a failed start never runs a job; stopped before Redis and the database close.
    const jobs = startGatewayJobs({
      settings,
      repos,
      providers,
      dispatcherFor,
      images: media.store,
      database,
      redis,
      redisKeyPrefix: opts.redisKeyPrefix,
      nodeId,
      log,
    });
    closers.unshift(() => jobs.stop());
    const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await drain(app, settings.shutdownGraceMs, inFlight);
        // Requests cut by the drain still finish their bookkeeping (usage rows).
        await inFlight.idle(5_000);
        await usage.close();
        await upstream.close();
        for (const close of closers) await close().catch((err) => log.error({ err }, 'close failed'));
      })());

    return {
      app,
      url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
      port,
      adminKey: admin.key,
      adminKeyCreated: admin.created,
      createdTokenKeys: applied?.createdTokens ?? [],
      demo,
      repos,
      cache,
      usage,
      database,
      nodeId,
      jobs,
      stop,
    };
  } catch (err) {
    for (const close of closers) await close().catch(() => {});
    throw err;
  }
}

/** A simulator channel without base_url is served by a simulator inside this process. */
async function startSimulatorIfNeeded(repos: Repositories, demo: boolean) {
  const channels = await repos.channels.list();
  const needed = demo || channels.some((c) => c.type === 'simulator' && !c.baseUrl);
  return needed ? startSimulator({ port: 0, host: '127.0.0.1' }) : undefined;
}
