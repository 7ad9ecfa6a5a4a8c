// The in-process lease: one holder per name at a time, renewal by the holder
// only, release by the holder only, lapse after the ttl.
import { describe, expect, it } from 'vitest';
import { createLocalLease } from '../../src/jobs/lease.js';

function clocked() {
  let t = 1_000;
  return { lease: createLocalLease({ now: () => t }), advance: (ms: number) => (t += ms) };
}

describe('local lease', () => {
  it('one holder at a time, per name', async () => {
    const { lease } = clocked();
    expect(lease.scope).toBe('local');
    expect(await lease.acquire('prune', 'a', 1000)).toBe(true);
    expect(await lease.acquire('prune', 'b', 1000)).toBe(false);
    // Acquire is "take when free": even the holder does not re-take (it renews).
    expect(await lease.acquire('prune', 'a', 1000)).toBe(false);
    expect(await lease.holderOf('prune')).toBe('a');
    expect(await lease.acquire('retest', 'b', 1000)).toBe(true);
    expect(await lease.holderOf('retest')).toBe('b');
  });

  it('renewal keeps the lease past its first ttl; only the holder renews', async () => {
    const { lease, advance } = clocked();
    await lease.acquire('job', 'a', 1000);
    for (let i = 0; i < 5; i++) {
      advance(600);
      expect(await lease.renew('job', 'a', 1000)).toBe(true);
      expect(await lease.acquire('job', 'b', 1000)).toBe(false);
    }
    expect(await lease.renew('job', 'b', 1000)).toBe(false);
    expect(await lease.holderOf('job')).toBe('a');
  });

  it('lapses after the ttl without renewal; the old holder cannot renew it back', async () => {
    const { lease, advance } = clocked();
    await lease.acquire('job', 'a', 1000);
    advance(999);
    expect(await lease.acquire('job', 'b', 1000)).toBe(false);
    advance(1);
    expect(await lease.holderOf('job')).toBeUndefined();
    expect(await lease.renew('job', 'a', 1000)).toBe(false);
    expect(await lease.acquire('job', 'b', 1000)).toBe(true);
    expect(await lease.renew('job', 'a', 1000)).toBe(false);
    expect(await lease.holderOf('job')).toBe('b');
  });

  it("release frees the lease for others, and never drops another holder's lease", async () => {
    const { lease } = clocked();
    await lease.acquire('job', 'a', 1000);
    await lease.release('job', 'b');
    expect(await lease.holderOf('job')).toBe('a');
    await lease.release('job', 'a');
    expect(await lease.holderOf('job')).toBeUndefined();
    expect(await lease.acquire('job', 'b', 1000)).toBe(true);
  });

  it('two leases are separate spaces (two gateways in one process)', async () => {
    const one = createLocalLease();
    const two = createLocalLease();
    expect(await one.acquire('job', 'a', 1000)).toBe(true);
    expect(await two.acquire('job', 'b', 1000)).toBe(true);
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses a ttl of %s', async (ttl) => {
    const { lease } = clocked();
    await expect(lease.acquire('job', 'a', ttl)).rejects.toThrow(RangeError);
    await expect(lease.renew('job', 'a', ttl)).rejects.toThrow(RangeError);
  });
});
