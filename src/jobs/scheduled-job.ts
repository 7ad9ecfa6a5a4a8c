// Runs a background job on one node per interval: the node holding the job's
// lease. Every node keeps a heartbeat (take the lease when free, renew it
// while held); only the holder runs, every `everyMs`, and confirms its hold
// just before each run. A holder that dies stops renewing, its lease lapses
// after `leaseTtlMs`, and another node's heartbeat takes the job over.
// Timers never keep the process alive; a failing run or lease call goes to
// `onError` and the schedule carries on.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobLease } from './lease.js';

export interface ScheduledJobOptions {
  /** The lease name: every node running this job under the same name shares one schedule. */
  name: string;
  everyMs: number;
  run: () => unknown;
  lease: JobLease;
  /** This node's identity in the lease (default: host:pid:random). */
  holder?: string;
  /** How long a hold lasts unrenewed, i.e. how soon another node takes over from a dead holder (default 2 × everyMs, within 5 s … 30 s: a busy event loop must not cost the lease). */
  leaseTtlMs?: number;
  /** From becoming the holder to the first run (default everyMs). */
  firstRunDelayMs?: number;
  /** How long stop() waits for a run in progress before giving the lease up (default 5 s). */
  stopWaitMs?: number;
  /** A run threw or rejected, or the lease could not be reached; default: one line on stderr. */
  onError?: (err: unknown, job: string) => void;
  /** A run finished, with what `run` returned. */
  onRun?: (result: unknown, job: string) => void;
}

export interface JobStats {
  /** Runs finished on this node (failed ones included). */
  runs: number;
  failures: number;
  lastRunAt: number | null;
  lastError: string | null;
  /** Whether this node held the lease at its last check. */
  holding: boolean;
}

export interface ScheduledJob {
  readonly name: string;
  readonly holder: string;
  stats(): JobStats;
  /** Stops the timers, waits for a run in progress (up to stopWaitMs), releases the lease. */
  stop(): Promise<void>;
}

/** A node identity that is unique even for two gateways in one process. */
export function createHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

const defaultOnError = (err: unknown, job: string) => {
  console.error(`[waystation] job ${job}: ${message(err)}`);
};

function positiveMs(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`scheduled job: ${what} must be a whole number of ms ≥ 0 (got ${value})`);
  return n;
}

/** Settles to `fallback` when `promise` has not settled within `ms` (a hung Redis call must not stall the heartbeat). */
function within<T>(promise: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function startScheduledJob(opts: ScheduledJobOptions): ScheduledJob {
  const { name, lease } = opts;
  if (typeof name !== 'string' || name.trim() === '') throw new RangeError('scheduled job: name must be a non-empty string');
  if (typeof opts.run !== 'function') throw new TypeError(`scheduled job ${name}: run must be a function`);
  const everyMs = positiveMs(opts.everyMs, 0, 'everyMs');
  if (everyMs < 1) throw new RangeError(`scheduled job ${name}: everyMs must be ≥ 1 (got ${opts.everyMs})`);
  const ttlMs = Math.max(1, positiveMs(opts.leaseTtlMs, Math.min(30_000, Math.max(5_000, 2 * everyMs)), 'leaseTtlMs'));
  const heartbeatMs = Math.max(1, Math.floor(ttlMs / 3));
  const firstRunDelayMs = positiveMs(opts.firstRunDelayMs, everyMs, 'firstRunDelayMs');
  const stopWaitMs = positiveMs(opts.stopWaitMs, 5_000, 'stopWaitMs');
  const holder = opts.holder ?? createHolderId();
  const onError = (err: unknown) => {
    try {
      (opts.onError ?? defaultOnError)(err, name);
    } catch {
      // a broken hook must not take the schedule down
    }
  };

  const stats: Omit<JobStats, 'holding'> = { runs: 0, failures: 0, lastRunAt: null, lastError: null };
  let holding = false;
  let stopped = false;
  let leaseFailing = false;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let runTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let leaseCheck: Promise<boolean> | undefined;

  const setHolding = (held: boolean) => {
    if (held && !holding && !stopped) scheduleRun(firstRunDelayMs);
    if (!held) {
      clearTimeout(runTimer);
      runTimer = undefined;
    }
    holding = held;
  };

  /** After a failed or unanswered check the lease may still be ours, though `holding` says not. */
  let unsure = false;

  /** Renews the hold (or takes a free lease); one check at a time, shared by the heartbeat and the run tick. */
  const checkLease = (): Promise<boolean> =>
    (leaseCheck ??= within(
      (async () => {
        try {
          let held: boolean;
          if (holding) {
            // Not renewed: it lapsed (maybe free again) or went to another node.
            held = (await lease.renew(name, holder, ttlMs)) || (await lease.acquire(name, holder, ttlMs));
          } else {
            held = (await lease.acquire(name, holder, ttlMs)) || (unsure && (await lease.renew(name, holder, ttlMs)));
          }
          leaseFailing = false;
          unsure = false;
          return held;
        } catch (err) {
          // Report the first failure of a streak, not one line per heartbeat.
          if (!leaseFailing) onError(new Error(`lease check failed, not running until it answers: ${message(err)}`, { cause: err }));
          leaseFailing = true;
          unsure = true;
          return false;
        }
      })(),
      ttlMs,
      () => {
        // Unanswered for a whole ttl: our hold may have lapsed, so do not run.
        unsure = true;
        return false;
      },
    ).then((held) => {
      leaseCheck = undefined;
      setHolding(held);
      return held;
    }));

  const runOnce = async () => {
    stats.lastRunAt = Date.now();
    try {
      const result = await opts.run();
      stats.runs++;
      try {
        opts.onRun?.(result, name);
      } catch (err) {
        onError(err);
      }
    } catch (err) {
      stats.runs++;
      stats.failures++;
      stats.lastError = message(err);
      onError(err);
    }
  };

  const tick = async () => {
    runTimer = undefined;
    if (stopped || !holding) return;
    scheduleRun(everyMs); // fixed cadence, however long the run takes
    if (running) return; // the last run is still going: skip this turn rather than overlap
    // Set before the lease check, so a slow check cannot let the next tick start a second run.
    running = (async () => {
      if ((await checkLease()) && !stopped) await runOnce();
    })().finally(() => {
      running = undefined;
    });
  };

  function scheduleRun(delayMs: number) {
    clearTimeout(runTimer);
    runTimer = setTimeout(() => void tick(), delayMs);
    runTimer.unref();
  }

  const heartbeat = async () => {
    heartbeatTimer = undefined;
    if (stopped) return;
    await checkLease();
    if (stopped) return;
    heartbeatTimer = setTimeout(() => void heartbeat(), heartbeatMs);
    heartbeatTimer.unref();
  };
  void heartbeat();

  let stopping: Promise<void> | undefined;
  return {
    name,
    holder,
    stats: () => ({ ...stats, holding }),
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        clearTimeout(heartbeatTimer);
        clearTimeout(runTimer);
        if (running) await within(running, stopWaitMs, () => undefined);
        if (leaseCheck) await leaseCheck;
        holding = false;
        // Compare-and-delete: safe even if the hold already went to another node.
        await within(lease.release(name, holder), ttlMs, () => undefined).catch(onError);
      })()),
  };
}
