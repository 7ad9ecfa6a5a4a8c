// Keeps the usage tables from growing without end: usage rows older than N
// days (default 30; 0 keeps them forever) and daily rollups older than 400
// days (dashboards look back a year). Every node may run it; deletes are
// idempotent and go in slices (see UsageLogsRepo.pruneBefore).
import type { UsageLogsRepo } from '../store/repositories.js';

export interface RetentionOptions {
  /** Days of usage rows to keep (default 30; 0 = forever). */
  days?: number;
  /** Days of daily rollups to keep (default 400; 0 = forever). */
  dailyDays?: number;
  /** Time between runs (default 1 hour). */
  intervalMs?: number;
  /** Delay before the first run, so start-up is not slowed (default 10 s). */
  firstRunDelayMs?: number;
  now?: () => number;
  /** A run finished; default: nothing. */
  onPruned?: (result: PruneResult) => void;
  /** A run failed (the next one tries again); default: one line on stderr. */
  onError?: (err: unknown) => void;
}

export interface PruneResult {
  logs: number;
  daily: number;
}

const DAY_MS = 86_400_000;

function days(v: number | undefined, fallback: number, name: string): number {
  const n = v ?? fallback;
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`retention: ${name} must be a number of days ≥ 0 (got ${v})`);
  return n;
}

/** One pruning pass. */
export async function pruneUsage(repos: { usageLogs: Pick<UsageLogsRepo, 'pruneBefore' | 'pruneDailyBefore'> }, opts: RetentionOptions = {}): Promise<PruneResult> {
  const now = (opts.now ?? Date.now)();
  const logDays = days(opts.days, 30, 'days');
  const dailyDays = days(opts.dailyDays, 400, 'dailyDays');
  const logs = logDays > 0 ? await repos.usageLogs.pruneBefore(now - logDays * DAY_MS) : 0;
  const daily = dailyDays > 0 ? await repos.usageLogs.pruneDailyBefore(new Date(now - dailyDays * DAY_MS).toISOString().slice(0, 10)) : 0;
  return { logs, daily };
}

/** Prunes now-ish and then every interval; returns stop(). Timers never keep the process alive. */
export function startRetention(repos: { usageLogs: Pick<UsageLogsRepo, 'pruneBefore' | 'pruneDailyBefore'> }, opts: RetentionOptions = {}): () => void {
  days(opts.days, 30, 'days');
  days(opts.dailyDays, 400, 'dailyDays');
  const intervalMs = Math.max(1000, opts.intervalMs ?? 3_600_000);
  const onError = opts.onError ?? ((err: unknown) => console.error(`[waystation] usage retention failed: ${err instanceof Error ? err.message : String(err)}`));
  let running = false;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = true;
    pruneUsage(repos, opts)
      .then((r) => opts.onPruned?.(r), onError)
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(run, Math.max(0, opts.firstRunDelayMs ?? 10_000));
  first.unref();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
