// The scheduler on the in-process lease: only the holder runs, another node
// takes over when the holder stops or dies, failures go to the hook, runs
// never overlap, stop() waits and releases.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalLease, type JobLease } from '../../src/jobs/lease.js';
import { startScheduledJob, type ScheduledJob, type ScheduledJobOptions } from '../../src/jobs/scheduled-job.js';

const started: ScheduledJob[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((j) => j.stop()));
});

function start(opts: Partial<ScheduledJobOptions> & Pick<ScheduledJobOptions, 'lease' | 'run'>): ScheduledJob {
  const job = startScheduledJob({ name: 'job', everyMs: 20, firstRunDelayMs: 0, onError: () => {}, ...opts });
  started.push(job);
  return job;
}

const wait = { timeout: 15_000, interval: 5 };

/** A lease that behaves like `inner` until `kill()`, then fails every call, as a node whose Redis connection died. */
function killable(inner: JobLease) {
  let dead = false;
  const guard = <T>(fn: () => Promise<T>) => (dead ? Promise.reject(new Error('connection lost')) : fn());
  const lease: JobLease = {
    scope: inner.scope,
    acquire: (n, h, t) => guard(() => inner.acquire(n, h, t)),
    renew: (n, h, t) => guard(() => inner.renew(n, h, t)),
    release: (n, h) => guard(() => inner.release(n, h)),
    holderOf: (n) => guard(() => inner.holderOf(n)),
  };
  return { lease, kill: () => (dead = true) };
}

describe('startScheduledJob', () => {
  it('of two nodes on one lease, only the holder runs', async () => {
    const lease = createLocalLease();
    const runs = { a: 0, b: 0 };
    const a = start({ lease, holder: 'a', run: () => runs.a++ });
    const b = start({ lease, holder: 'b', run: () => runs.b++ });
    await vi.waitFor(() => expect(runs.a).toBeGreaterThanOrEqual(5), wait);
    expect(runs.b).toBe(0);
    expect(a.stats()).toMatchObject({ holding: true, failures: 0 });
    expect(a.stats().runs).toBeGreaterThanOrEqual(5);
    expect(b.stats()).toMatchObject({ holding: false, runs: 0 });
    expect(await lease.holderOf('job')).toBe('a');
  });

  it('the other node takes over when the holder stops, and the stopped one runs no more', async () => {
    const lease = createLocalLease();
    const runs = { a: 0, b: 0 };
    const a = start({ lease, holder: 'a', leaseTtlMs: 300, run: () => runs.a++ });
    start({ lease, holder: 'b', leaseTtlMs: 300, run: () => runs.b++ });
    await vi.waitFor(() => expect(runs.a).toBeGreaterThanOrEqual(2), wait);
    await a.stop();
    const aRuns = runs.a;
    expect(a.stats().holding).toBe(false);
    await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(3), wait);
    expect(runs.a).toBe(aRuns);
    expect(await lease.holderOf('job')).toBe('b');
  });

  it('when the holder dies (cannot renew), its lease lapses and the other node takes over', async () => {
    const shared = createLocalLease();
    const node = killable(shared);
    const runs = { a: 0, b: 0 };
    const errors: string[] = [];
    start({ lease: node.lease, holder: 'a', leaseTtlMs: 300, run: () => runs.a++, onError: (e) => errors.push(String((e as Error).message)) });
    start({ lease: shared, holder: 'b', leaseTtlMs: 300, run: () => runs.b++ });
    await vi.waitFor(() => expect(runs.a).toBeGreaterThanOrEqual(2), wait);
    node.kill();
    await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(2), wait);
    // The dead node noticed at its next check and stopped running; one report for the whole streak.
    const aRuns = runs.a;
    await vi.waitFor(() => expect(runs.b).toBeGreaterThanOrEqual(6), wait);
    expect(runs.a).toBe(aRuns);
    expect(errors.filter((m) => m.includes('lease check failed'))).toHaveLength(1);
    expect(await shared.holderOf('job')).toBe('b');
  });

  it('a run that throws or rejects goes to onError and the schedule carries on', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const job = start({
      lease: createLocalLease(),
      onError: (err, name) => errors.push([name, (err as Error).message]),
      run: () => {
        n++;
        if (n === 1) throw new Error('sync boom');
        if (n === 2) return Promise.reject(new Error('async boom'));
        return 'fine';
      },
    });
    await vi.waitFor(() => expect(job.stats().runs).toBeGreaterThanOrEqual(4), wait);
    expect(errors.slice(0, 2)).toEqual([
      ['job', 'sync boom'],
      ['job', 'async boom'],
    ]);
    expect(job.stats()).toMatchObject({ failures: 2, lastError: 'async boom', holding: true });
  });

  it('hands each result to onRun; a throwing hook is reported, not fatal', async () => {
    const results: unknown[] = [];
    const errors: string[] = [];
    const job = start({
      lease: createLocalLease(),
      run: async () => ({ pruned: 3 }),
      onRun: (r) => {
        results.push(r);
        if (results.length === 1) throw new Error('hook broke');
      },
      onError: (e) => errors.push((e as Error).message),
    });
    await vi.waitFor(() => expect(results.length).toBeGreaterThanOrEqual(3), wait);
    expect(results[0]).toEqual({ pruned: 3 });
    expect(errors).toContain('hook broke');
    expect(job.stats().failures).toBe(0);
  });

  it('never starts a run while the last one is still going', async () => {
    let active = 0;
    let most = 0;
    let finished = 0;
    start({
      lease: createLocalLease(),
      everyMs: 5,
      run: async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 40));
        active--;
        finished++;
      },
    });
    await vi.waitFor(() => expect(finished).toBeGreaterThanOrEqual(3), wait);
    expect(most).toBe(1);
  });

  it('a lease slower than the interval still never lets two runs overlap', async () => {
    const inner = createLocalLease();
    const slow: JobLease = {
      ...inner,
      scope: 'local',
      acquire: (n, h, t) => inner.acquire(n, h, t),
      renew: async (n, h, t) => {
        await new Promise((r) => setTimeout(r, 30));
        return inner.renew(n, h, t);
      },
      release: (n, h) => inner.release(n, h),
      holderOf: (n) => inner.holderOf(n),
    };
    let active = 0;
    let most = 0;
    const job = start({
      lease: slow,
      everyMs: 3,
      run: async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
      },
    });
    await vi.waitFor(() => expect(job.stats().runs).toBeGreaterThanOrEqual(4), wait);
    expect(most).toBe(1);
  });

  it('stop() waits for the run in progress, then releases the lease', async () => {
    const lease = createLocalLease();
    let release!: () => void;
    let entered = false;
    const job = start({
      lease,
      holder: 'a',
      run: () =>
        new Promise<void>((r) => {
          entered = true;
          release = r;
        }),
    });
    await vi.waitFor(() => expect(entered).toBe(true), wait);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    expect(await lease.holderOf('job')).toBe('a');
    release();
    await stopping;
    expect(await lease.holderOf('job')).toBeUndefined();
    expect(job.stats().runs).toBe(1);
  });

  it('the first run waits firstRunDelayMs after becoming the holder', async () => {
    let runs = 0;
    const job = start({ lease: createLocalLease(), everyMs: 10, firstRunDelayMs: 60_000, run: () => runs++ });
    await vi.waitFor(() => expect(job.stats().holding).toBe(true), wait);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(0);
  });

  it.each([
    [{ everyMs: 0 }, /everyMs must be ≥ 1/],
    [{ everyMs: Number.NaN }, /everyMs/],
    [{ name: ' ' }, /name must be a non-empty string/],
    [{ leaseTtlMs: -1 }, /leaseTtlMs/],
    [{ run: 'nope' as unknown as () => void }, /run must be a function/],
  ])('refuses bad options %j', (bad, message) => {
    expect(() => startScheduledJob({ name: 'job', everyMs: 10, run: () => {}, lease: createLocalLease(), ...bad })).toThrow(message);
  });
});
