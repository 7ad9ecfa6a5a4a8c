// The access-token cache with a fake clock and a fake exchange: one exchange
// per account while the token is fresh, a single flight for concurrent
// callers, renewal five minutes before expiry, failures not remembered.
import { describe, expect, it } from 'vitest';
import type { ServiceAccount } from '../../src/providers/vertex-account.js';
import { AccessTokenCache, REFRESH_MARGIN_MS, type IssuedToken } from '../../src/providers/vertex-token.js';

const HOUR = 3600_000;
const sa = (email: string) => ({ clientEmail: email }) as ServiceAccount;

function rig(opts: { lifetimeMs?: number; fail?: () => boolean } = {}) {
  let now = 1_000_000;
  const calls: string[] = [];
  const waiting: Array<() => void> = [];
  let hold = false;
  const cache = new AccessTokenCache({
    now: () => now,
    exchange: async (account): Promise<IssuedToken> => {
      calls.push(account.clientEmail);
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      if (opts.fail?.()) throw new Error('invalid_grant: Invalid JWT Signature. (HTTP 400)');
      return { accessToken: `tok-${account.clientEmail}-${calls.length}`, expiresAt: now + (opts.lifetimeMs ?? HOUR) };
    },
  });
  return {
    cache,
    calls,
    advance: (ms: number) => (now += ms),
    hold: () => (hold = true),
    release: () => {
      hold = false;
      waiting.splice(0).forEach((r) => r());
    },
  };
}

describe('AccessTokenCache', () => {
  it('reuses a token until five minutes before it expires, then renews it', async () => {
    const r = rig();
    const first = await r.cache.token('a', sa('a'));
    r.advance(HOUR - REFRESH_MARGIN_MS - 1);
    expect(await r.cache.token('a', sa('a'))).toBe(first);
    expect(r.calls).toHaveLength(1);
    r.advance(1);
    const second = await r.cache.token('a', sa('a'));
    expect(second).not.toBe(first);
    expect(r.calls).toHaveLength(2);
  });

  it('concurrent callers share one exchange', async () => {
    const r = rig();
    r.hold();
    const pending = Array.from({ length: 20 }, () => r.cache.token('a', sa('a')));
    r.release();
    const tokens = await Promise.all(pending);
    expect(new Set(tokens).size).toBe(1);
    expect(r.calls).toHaveLength(1);
  });

  it('keeps one token per account', async () => {
    const r = rig();
    const [a, b] = await Promise.all([r.cache.token('a', sa('a')), r.cache.token('b', sa('b'))]);
    expect(a).not.toBe(b);
    await r.cache.token('a', sa('a'));
    await r.cache.token('b', sa('b'));
    expect(r.calls.sort()).toEqual(['a', 'b']);
  });

  it('a failed exchange fails every waiting caller once, and the next call tries again', async () => {
    let failing = true;
    const r = rig({ fail: () => failing });
    r.hold();
    const pending = [r.cache.token('a', sa('a')), r.cache.token('a', sa('a'))];
    r.release();
    for (const p of pending) await expect(p).rejects.toThrow(/invalid_grant/);
    expect(r.calls).toHaveLength(1);
    failing = false;
    expect(await r.cache.token('a', sa('a'))).toMatch(/^tok-a-/);
    expect(r.calls).toHaveLength(2);
  });

  it('a short-lived token is renewed at half its life', async () => {
    const r = rig({ lifetimeMs: 60_000 });
    const first = await r.cache.token('a', sa('a'));
    r.advance(29_999);
    expect(await r.cache.token('a', sa('a'))).toBe(first);
    r.advance(1);
    expect(await r.cache.token('a', sa('a'))).not.toBe(first);
  });
});
