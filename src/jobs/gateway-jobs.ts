// The gateway's background jobs, each run once across all nodes: usage-log
// pruning, stored-image pruning, and the scheduled test of auto-disabled
// channels. With Redis the lease lives there; without it, in the database
// (job_leases), which every worker and node of this gateway shares.
import type { Redis } from 'ioredis';
import type { Dispatcher } from 'undici';
import { testChannel } from '../admin/channel-test.js';
import { pruneUsage } from '../billing/retention.js';
import type { Settings } from '../config/settings.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Database } from '../store/db.js';
import type { Repositories } from '../store/repositories.js';
import { retestAutoDisabledChannels, type ChannelRetestResult } from './channel-retest.js';
import { imageStoreId } from './image-store-id.js';
import { createDatabaseLease } from './db-lease.js';
import type { JobLease } from './lease.js';
import { createRedisLease } from './redis-lease.js';
import { startScheduledJob, type ScheduledJob } from './scheduled-job.js';

export const USAGE_RETENTION_JOB = 'usage-retention';
export const CHANNEL_RETEST_JOB = 'channel-retest';
/** Followed by `:<store id>`: one schedule per images folder (see image-store-id.ts). */
export const IMAGE_PRUNE_JOB = 'image-prune';

const HOUR_MS = 3_600_000;
const IMAGE_PRUNE_EVERY_MS = 10 * 60 * 1000;
/** Pruning waits a little after start-up, so it does not compete with it. */
const PRUNE_FIRST_RUN_MS = 10_000;

/** pino's shape, narrowed to what the jobs log. */
export interface JobLog {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface GatewayJobsDeps {
  settings: Pick<Settings, 'logRetentionDays' | 'imageUrlTtlMs' | 'channelRetestMs'>;
  repos: Pick<Repositories, 'channels' | 'usageLogs'>;
  providers: ProviderRegistry;
  /** A channel's dispatcher (its proxy, its connect timeout), so retests go the way requests do. */
  dispatcherFor?: (settings: Record<string, unknown>) => Dispatcher;
  /** The stored images (the gateway's FileImageStore). */
  images: { dir: string; prune(olderThanMs: number): Promise<number> };
  /** The gateway's database: holds the leases when there is no Redis. */
  database: Pick<Database, 'db' | 'kind'>;
  /** The gateway's Redis connection, when REDIS_URL is set. */
  redis?: Redis;
  /** The gateway's Redis key prefix (tests); leases live under `<prefix>job:`. */
  redisKeyPrefix?: string;
  /** This node's identity in the leases. */
  nodeId: string;
  log: JobLog;
}

export interface GatewayJobs {
  readonly lease: JobLease;
  readonly jobs: readonly ScheduledJob[];
  /** The job with this lease name (`channel-retest`, `usage-retention`, `image-prune:<id>`). */
  job(name: string): ScheduledJob | undefined;
  stop(): Promise<void>;
}

export function startGatewayJobs(deps: GatewayJobsDeps): GatewayJobs {
  const { settings, repos, log } = deps;
  const lease = deps.redis
    ? createRedisLease(deps.redis, { keyPrefix: deps.redisKeyPrefix ? `${deps.redisKeyPrefix}job:` : undefined })
    : createDatabaseLease(deps.database.db, deps.database.kind);
  const common = {
    lease,
    holder: deps.nodeId,
    onError: (err: unknown, job: string) => log.error({ err, job }, 'background job failed'),
  };
  const jobs: ScheduledJob[] = [];

  jobs.push(
    startScheduledJob({
      ...common,
      name: USAGE_RETENTION_JOB,
      everyMs: HOUR_MS,
      firstRunDelayMs: PRUNE_FIRST_RUN_MS,
      run: () => pruneUsage(repos, { days: settings.logRetentionDays }),
      onRun: (r, job) => log.debug({ job, ...(r as object) }, 'usage rows pruned'),
    }),
  );

  const imageEvery = Math.max(1_000, Math.min(IMAGE_PRUNE_EVERY_MS, settings.imageUrlTtlMs));
  jobs.push(
    startScheduledJob({
      ...common,
      name: `${IMAGE_PRUNE_JOB}:${imageStoreLeaseId(deps.images.dir, log)}`,
      everyMs: imageEvery,
      firstRunDelayMs: Math.min(PRUNE_FIRST_RUN_MS, imageEvery),
      run: () => deps.images.prune(settings.imageUrlTtlMs),
      onRun: (count, job) => log.debug({ job, count }, 'stored images pruned'),
    }),
  );

  if (settings.channelRetestMs > 0) {
    jobs.push(
      startScheduledJob({
        ...common,
        name: CHANNEL_RETEST_JOB,
        everyMs: settings.channelRetestMs,
        run: () => retestAutoDisabledChannels({ channels: repos.channels, test: (channel) => testChannel(channel, deps.providers, { dispatcher: deps.dispatcherFor?.(channel.settings) }) }),
        onRun: (result, job) => logRetest(log, job, result as ChannelRetestResult),
      }),
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    lease,
    jobs,
    job: (name) => jobs.find((j) => j.name === name),
    stop: () => (stopping ??= Promise.all(jobs.map((j) => j.stop())).then(() => undefined)),
  };
}

/** The images folder's id; if the folder cannot hold one, its path (correct when nodes do not share it). */
function imageStoreLeaseId(dir: string, log: JobLog): string {
  try {
    return imageStoreId(dir);
  } catch (err) {
    log.warn({ err, dir }, 'cannot read or create the image store id; nodes sharing this folder may each prune it');
    return dir;
  }
}

function logRetest(log: JobLog, job: string, result: ChannelRetestResult): void {
  for (const c of result.reenabled) log.info({ job, channel: c.id, name: c.name, result: c.message }, 'channel re-enabled: its scheduled test passed');
  for (const c of result.failed) log.debug({ job, channel: c.id, name: c.name, result: c.message }, 'auto-disabled channel still failing its test');
}
