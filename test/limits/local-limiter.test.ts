import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalLimiter } from '../../src/limits/local-limiter.js';
import { createLimiter } from '../../src/limits/limiter.js';
import { normalizeLimits } from '../../src/limits/window-math.js';
import { fakeClock, refusal, req } from './helpers.js';
import { limiterBehaviour } from './limiter-suite.js';

describe('in-process limiter', () => {
  limiterBehaviour((now) => createLimiter({ now }));
});

describe('in-process limiter: memory and timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const rpm = normalizeLimits({ rpm: 5 });
  const none = normalizeLimits({});
  const busy = normalizeLimits({ rpm: 1_000_000 });
  const oneSlot = normalizeLimits({ concurrency: 1 });

  it('forgets subjects idle for two minutes, without a sweep timer', () => {
    const clock = fakeClock();
    const limiter = new LocalLimiter(clock.now);
    for (let id = 1; id <= 10_000; id++) limiter.admit(id, 1_000_000 + id, rpm, rpm);
    expect(limiter.trackedSubjects).toBe(20_000);
    clock.at(3, 0);
    // Each admit sweeps a few idle subjects off the front: the map drains as traffic goes on.
    for (let i = 0; i < 2_000; i++) limiter.admit(1, 2, busy, none);
    expect(limiter.trackedSubjects).toBeLessThanOrEqual(20_000 - 2_000 * 3);
    for (let i = 0; i < 10_000; i++) limiter.admit(1, 2, busy, none);
    expect(limiter.trackedSubjects).toBe(1);
  });

  it('never forgets a subject that still has a request in flight', async () => {
    const clock = fakeClock();
    const limiter = new LocalLimiter(clock.now);
    const held = limiter.admit(1, 1, oneSlot, none);
    clock.at(10, 0); // a ten-minute stream
    for (let id = 2; id < 2000; id++) limiter.admit(id, id, rpm, none);
    clock.at(20, 0);
    for (let i = 0; i < 2000; i++) limiter.admit(5000, 5000, busy, none);
    expect(() => limiter.admit(1, 1, oneSlot, none)).toThrow(/concurrency limit reached/);
    held.done(0);
    limiter.admit(1, 1, oneSlot, none).done(0);
  });

  it('creates no timers, however many requests it admits', async () => {
    vi.useFakeTimers();
    const clock = fakeClock();
    const limiter = createLimiter({ now: clock.now });
    const admissions = await Promise.all(
      Array.from({ length: 100 }, (_, i) => limiter.admit(req({ concurrency: 1000, tpm: 1e9, rpm: 1000 }, { rpm: 1000 }, i % 7, 1))),
    );
    expect(vi.getTimerCount()).toBe(0);
    for (const a of admissions) a.done(10);
    expect(vi.getTimerCount()).toBe(0);
    limiter.close();
  });

  it('refuses synchronously-checked limits through the promise, never by throwing', () => {
    const limiter = createLimiter({ now: fakeClock().now });
    const first = limiter.admit(req({ rpm: 1 }));
    let second: Promise<unknown> | undefined;
    expect(() => {
      second = limiter.admit(req({ rpm: 1 }));
    }).not.toThrow();
    return Promise.all([first, refusal(second as never)]);
  });
});
