import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageStore } from '../../src/media/image-store.js';
import { startImagePruner } from '../../src/media/retention.js';

function fakeStore(prune: (ms: number) => Promise<number>): ImageStore & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    put: () => Promise.reject(new Error('unused')),
    get: () => Promise.resolve(undefined),
    prune: (ms) => {
      calls.push(ms);
      return prune(ms);
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startImagePruner', () => {
  it('prunes at once and then every interval with the retention, until stopped', async () => {
    const pruned: number[] = [];
    const store = fakeStore(async () => 2);
    const pruner = startImagePruner(store, 3600_000, 60_000, { onPruned: (n) => pruned.push(n) });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toEqual([3600_000]);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(store.calls).toHaveLength(4);
    expect(pruned).toEqual([2, 2, 2, 2]);
    pruner.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(store.calls).toHaveLength(4);
  });

  it('keeps going after a failed prune, reporting it', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const store = fakeStore(() => (++n === 1 ? Promise.reject(new Error('disk busy')) : Promise.resolve(0)));
    const pruner = startImagePruner(store, 1000, 10_000, { onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.calls).toHaveLength(2);
    expect((errors[0] as Error).message).toBe('disk busy');
    pruner.stop();
  });

  it('does not start a prune while the last one still runs', async () => {
    let finish: (n: number) => void = () => undefined;
    const store = fakeStore(() => new Promise<number>((resolve) => (finish = resolve)));
    const pruner = startImagePruner(store, 1000, 10_000);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(store.calls).toHaveLength(1);
    finish(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.calls).toHaveLength(2);
    pruner.stop();
  });

  it('never keeps the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    const pruner = startImagePruner(fakeStore(async () => 0), 1000, 10_000);
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    pruner.stop();
    spy.mockRestore();
  });
});
