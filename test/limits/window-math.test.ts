import { describe, expect, it } from 'vitest';
import { concurrencyRefusal, refusalMessage, windowRefusal, worstRefusal } from '../../src/limits/refusal.js';
import { hasRoom, msUntilRoom, normalizeLimits, retryAfterSeconds, roll, WINDOW_MS } from '../../src/limits/window-math.js';

describe('two-bucket window math', () => {
  it('counts floor(previous × overlap) + current against the limit', () => {
    // Half-way: 10 previous count as 5.
    expect(hasRoom(10, 4, 30_000, 10)).toBe(true); // 5 + 4 + 1 ≤ 10
    expect(hasRoom(10, 5, 30_000, 10)).toBe(false);
    // Right at the start of the minute the previous minute counts in full.
    expect(hasRoom(10, 0, 0, 10)).toBe(false);
    expect(hasRoom(10, 0, 1, 10)).toBe(true); // floor(9.998…) = 9
    expect(hasRoom(0, 9, 59_999, 10)).toBe(true);
    expect(hasRoom(0, 10, 59_999, 10)).toBe(false);
  });

  it('the wait it predicts is the first moment with room', () => {
    const cases: Array<[number, number, number, number]> = [
      [10, 5, 30_000, 10],
      [10, 6, 31_000, 10],
      [0, 10, 12_000, 10],
      [0, 1100, 10_000, 1000],
      [7, 3, 0, 5],
      [1_000_000, 0, 45_000, 10],
    ];
    for (const [prev, cur, elapsed, limit] of cases) {
      const ms = msUntilRoom(prev, cur, elapsed, limit);
      const at = (t: number) => {
        // Simulate time passing with nothing else counted.
        const e = elapsed + t;
        return e < WINDOW_MS ? hasRoom(prev, cur, e, limit) : e < 2 * WINDOW_MS ? hasRoom(cur, 0, e - WINDOW_MS, limit) : true;
      };
      expect(at(Math.ceil(ms) + 1), `room after ${ms} ms for ${[prev, cur, elapsed, limit]}`).toBe(true);
      if (ms >= 1) expect(at(Math.floor(ms) - 1), `no room before ${ms} ms`).toBe(false);
    }
  });

  it('rounds waits up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(400)).toBe(1);
    expect(retryAfterSeconds(11_999)).toBe(12);
    expect(retryAfterSeconds(12_000)).toBe(13); // the boundary itself is still full
  });

  it('rolls the current minute into the previous one, and forgets older ones', () => {
    const c = { win: 5, prevRequests: 1, curRequests: 2, prevTokens: 10, curTokens: 20 };
    roll(c, 5);
    expect(c).toEqual({ win: 5, prevRequests: 1, curRequests: 2, prevTokens: 10, curTokens: 20 });
    roll(c, 6);
    expect(c).toEqual({ win: 6, prevRequests: 2, curRequests: 0, prevTokens: 20, curTokens: 0 });
    c.curRequests = 3;
    roll(c, 9);
    expect(c).toEqual({ win: 9, prevRequests: 0, curRequests: 0, prevTokens: 0, curTokens: 0 });
    c.curRequests = 4;
    roll(c, 8); // clock stepped back: keep counting in the same minute
    expect(c.win).toBe(9);
    expect(c.curRequests).toBe(4);
  });

  it('normalizes limits: whole numbers ≥ 1, anything else is no limit', () => {
    expect(normalizeLimits({ rpm: 60, tpm: 1000.7, concurrency: 4 })).toEqual({ rpm: 60, tpm: 1000, concurrency: 4 });
    expect(normalizeLimits({ rpm: 0, tpm: -1, concurrency: 0.5 })).toEqual({ rpm: 0, tpm: 0, concurrency: 0 });
    expect(normalizeLimits({ rpm: Infinity, tpm: Number.NaN, concurrency: '3' })).toEqual({ rpm: 0, tpm: 0, concurrency: 0 });
    expect(normalizeLimits(null)).toEqual({ rpm: 0, tpm: 0, concurrency: 0 });
  });
});

describe('refusals', () => {
  it('say which limit, with singular and plural', () => {
    expect(refusalMessage(windowRefusal('token', 'rpm', 60, 0, 60, 48_000))).toBe(
      'Token rate limit reached: 60 requests per minute. Try again in 13 s.',
    );
    expect(refusalMessage(windowRefusal('user', 'tpm', 1, 0, 1, 0))).toMatch(/^User rate limit reached: 1 token per minute\./);
    expect(refusalMessage(concurrencyRefusal('user', 4))).toBe('User concurrency limit reached: 4 requests in flight.');
  });

  it('the longest wait wins; ties go to the first', () => {
    const a = concurrencyRefusal('token', 1);
    const b = concurrencyRefusal('user', 1);
    const c = windowRefusal('user', 'rpm', 1, 0, 1, 0);
    expect(worstRefusal([a, b])).toBe(a);
    expect(worstRefusal([a, c, b])).toBe(c);
    expect(worstRefusal([])).toBeUndefined();
  });
});
