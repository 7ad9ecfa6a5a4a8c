// Behaviour every limiter backend must show, driven by a fake clock. Run by
// local-limiter.test.ts (in-process) and redis-limiter.test.ts (Redis).
import { expect, it } from 'vitest';
import type { Limiter } from '../../src/limits/limiter.js';
import { admitMany, fakeClock, refusal, req, type FakeClock } from './helpers.js';

/** A fresh limiter with its own state on each call, reading `now`. */
export type MakeLimiter = (now: () => number) => Promise<Limiter> | Limiter;

export function limiterBehaviour(make: MakeLimiter): void {
  async function setup(): Promise<{ clock: FakeClock; limiter: Limiter }> {
    const clock = fakeClock();
    return { clock, limiter: await make(clock.now) };
  }

  it('admits everything when no limit is set, and done() is harmless', async () => {
    const { limiter } = await setup();
    const { admitted, refused } = await admitMany(limiter, req({}, {}), 50);
    expect(refused).toHaveLength(0);
    expect(admitted).toHaveLength(50);
    for (const a of admitted) {
      a.done(100);
      a.done(100);
    }
  });

  it('RPM: 30 parallel admits against a limit of 10 admit exactly 10', async () => {
    const { clock, limiter } = await setup();
    clock.at(0, 12);
    const { admitted, refused } = await admitMany(limiter, req({ rpm: 10 }), 30);
    expect(admitted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const err of refused) {
      expect(err.code).toBe('token_rpm_exceeded');
      // The 10 fade out of the sliding minute just after the next minute starts, 48 s from now.
      expect(err.retryAfter).toBe(49);
      expect(err.message).toBe('Token rate limit reached: 10 requests per minute. Try again in 49 s.');
    }
  });

  it('RPM slides: half a minute later, the previous minute counts half', async () => {
    const { clock, limiter } = await setup();
    clock.at(0, 0);
    expect((await admitMany(limiter, req({ rpm: 10 }), 10)).admitted).toHaveLength(10);
    clock.at(1, 30);
    // floor(10 × 0.5) = 5 still count, so 5 more fit.
    expect((await admitMany(limiter, req({ rpm: 10 }), 10)).admitted).toHaveLength(5);
    clock.at(1, 31);
    // 10 × 29/60 → 4 counted + 5 current: one more fits, then the wait is 5 s and a bit.
    expect((await admitMany(limiter, req({ rpm: 10 }), 3)).admitted).toHaveLength(1);
    const err = await refusal(limiter.admit(req({ rpm: 10 })));
    expect(err.retryAfter).toBe(6);
    clock.advance(6000);
    await limiter.admit(req({ rpm: 10 }));
    clock.at(3, 0); // two minutes idle: everything has slid out
    expect((await admitMany(limiter, req({ rpm: 10 }), 12)).admitted).toHaveLength(10);
  });

  it('retry-after is honest: waiting that long is enough, waiting one second less is not', async () => {
    const { clock, limiter } = await setup();
    clock.at(0, 40);
    await admitMany(limiter, req({ rpm: 3 }), 3);
    const err = await refusal(limiter.admit(req({ rpm: 3 })));
    expect(err.retryAfter).toBe(21);
    clock.advance((err.retryAfter! - 1) * 1000);
    await refusal(limiter.admit(req({ rpm: 3 })));
    clock.advance(1000);
    await limiter.admit(req({ rpm: 3 }));
  });

  it('TPM counts the tokens reported by done(), once per admission', async () => {
    const { clock, limiter } = await setup();
    clock.at(0, 10);
    const limits = { tpm: 1000 };
    const a = await limiter.admit(req(limits));
    a.done(600);
    a.done(600); // ignored: already done
    const b = await limiter.admit(req(limits));
    b.done(Number.NaN); // not a number: counts 0
    const c = await limiter.admit(req(limits));
    c.done(500); // window now holds 1100 ≥ 1000
    await settle();
    const err = await refusal(limiter.admit(req(limits)));
    expect(err.code).toBe('token_tpm_exceeded');
    // Next minute the 1100 weigh 1100 × (60 − s)/60, below 1000 after s > 5.45 s: 50 + 5.45 s from now.
    expect(err.retryAfter).toBe(56);
    expect(err.message).toBe('Token rate limit reached: 1000 tokens per minute. Try again in 56 s.');
    clock.advance(55_000);
    await refusal(limiter.admit(req(limits)));
    clock.advance(1000);
    (await limiter.admit(req(limits))).done(0);
  });

  it('concurrency: done() frees the slot exactly once', async () => {
    const { limiter } = await setup();
    const limits = { concurrency: 2 };
    const { admitted, refused } = await admitMany(limiter, req(limits), 5);
    expect(admitted).toHaveLength(2);
    expect(refused).toHaveLength(3);
    expect(refused[0]!.message).toBe('Token concurrency limit reached: 2 requests in flight.');
    expect(refused[0]!.code).toBe('token_concurrency_exceeded');
    expect(refused[0]!.retryAfter).toBe(1);
    admitted[0]!.done(10);
    admitted[0]!.done(10);
    await settle();
    const third = await limiter.admit(req(limits));
    await refusal(limiter.admit(req(limits))); // the double done() freed one slot, not two
    third.done(0);
    admitted[1]!.done(0);
    await settle();
    expect((await admitMany(limiter, req(limits), 3)).admitted).toHaveLength(2);
  });

  it('a refused request consumes neither RPM nor concurrency', async () => {
    const { limiter } = await setup();
    const limits = { rpm: 3, concurrency: 1 };
    const a = await limiter.admit(req(limits));
    await refusal(limiter.admit(req(limits)));
    await refusal(limiter.admit(req(limits)));
    a.done(0);
    await settle();
    const b = await limiter.admit(req(limits));
    await refusal(limiter.admit(req(limits)));
    b.done(0);
    await settle();
    (await limiter.admit(req(limits))).done(0); // third request of the minute: still allowed
    const err = await refusal(limiter.admit(req(limits)));
    expect(err.code).toBe('token_rpm_exceeded');
  });

  it('a refusal by the user limit does not spend the token limit', async () => {
    const { limiter } = await setup();
    await limiter.admit(req({ rpm: 3 }, { rpm: 1 }));
    const err = await refusal(limiter.admit(req({ rpm: 3 }, { rpm: 1 })));
    expect(err.code).toBe('user_rpm_exceeded');
    expect(err.message).toMatch(/^User rate limit reached: 1 request per minute\. Try again in \d+ s\.$/);
    // Without the user limit, the token has exactly 2 of its 3 left.
    expect((await admitMany(limiter, req({ rpm: 3 }, {}), 5)).admitted).toHaveLength(2);
  });

  it('user limits span all of the user’s tokens; other users are untouched', async () => {
    const { limiter } = await setup();
    const user = { rpm: 3, concurrency: 5 };
    await limiter.admit(req({}, user, 1, 100));
    await limiter.admit(req({}, user, 2, 100));
    await limiter.admit(req({}, user, 3, 100));
    const err = await refusal(limiter.admit(req({}, user, 4, 100)));
    expect(err.message).toMatch(/^User rate limit reached: 3 requests per minute\./);
    await limiter.admit(req({}, user, 5, 200));
  });

  it('user concurrency names the user', async () => {
    const { limiter } = await setup();
    const a = await limiter.admit(req({}, { concurrency: 1 }, 1, 7));
    const err = await refusal(limiter.admit(req({}, { concurrency: 1 }, 2, 7)));
    expect(err.message).toBe('User concurrency limit reached: 1 request in flight.');
    expect(err.code).toBe('user_concurrency_exceeded');
    a.done(0);
  });

  it('when several limits refuse, it reports the one that frees up last', async () => {
    const { clock, limiter } = await setup();
    clock.at(0, 30);
    const held = await limiter.admit(req({ rpm: 1 }, { concurrency: 1 }));
    const err = await refusal(limiter.admit(req({ rpm: 1 }, { concurrency: 1 })));
    expect(err.code).toBe('token_rpm_exceeded');
    expect(err.retryAfter).toBe(31);
    held.done(0);
  });

  it('zero, negative and non-numeric limits mean no limit', async () => {
    const { limiter } = await setup();
    const odd = { rpm: 0, tpm: -5, concurrency: Number.NaN } as const;
    const junk = { rpm: '2' as unknown as number, concurrency: Infinity };
    const { admitted } = await admitMany(limiter, req(odd, junk), 20);
    expect(admitted).toHaveLength(20);
    const nullish = { tokenId: 1, userId: 2, tokenLimits: null, userLimits: undefined };
    await limiter.admit(nullish);
  });

  it('fractional limits round down', async () => {
    const { limiter } = await setup();
    expect((await admitMany(limiter, req({ rpm: 2.9 }), 5)).admitted).toHaveLength(2);
  });
}

/** Lets fire-and-forget releases (Redis) land before the next check. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
