// Breakers on a fake clock: every `now` is given, so nothing waits.
import { describe, expect, it } from 'vitest';
import { BREAKER_DEFAULTS, breakerSettings, breakerSettingsProblems } from '../../src/routing/breaker-settings.js';
import { BreakerBoard } from '../../src/routing/circuit-breaker.js';
import type { BreakerFailure, BreakerTransition } from '../../src/routing/circuit-breaker.js';

const server: BreakerFailure = { kind: 'server', reason: 'upstream 503 UNAVAILABLE: overloaded' };
const T0 = 1_700_000_000_000;

function board(settings: Record<number, unknown> = {}) {
  const transitions: BreakerTransition[] = [];
  const b = new BreakerBoard({ settingsOf: (id) => settings[id], clock: () => T0 });
  b.onTransition((t) => transitions.push(t));
  return { b, transitions };
}

describe('breaker: closed → open → half-open → closed', () => {
  it('opens after 5 consecutive failures, refuses for the cooldown, then lets one probe through', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 4; i++) {
      expect(b.allow(1, null, T0 + i)).toBe(true);
      b.onFailure(1, null, server, T0 + i);
    }
    expect(transitions).toHaveLength(0);
    b.onFailure(1, null, server, T0 + 4);
    expect(transitions).toEqual([
      expect.objectContaining({ channelId: 1, keyId: null, from: 'closed', to: 'open', openedUntil: T0 + 4 + 30_000, reopens: 0, remote: false }),
    ]);
    expect(transitions[0]!.lastError).toEqual({ kind: 'server', reason: server.reason, at: T0 + 4 });

    expect(b.allow(1, null, T0 + 5)).toBe(false);
    expect(b.allow(1, null, T0 + 30_003)).toBe(false);
    expect(b.snapshot(T0 + 10)[0]).toMatchObject({ channel_id: 1, state: 'open', opened_until: T0 + 30_004, probing: false });

    // Half-open: one probe at a time; everyone else skips the channel.
    const t = T0 + 30_004;
    expect(b.snapshot(t)[0]!.state).toBe('half_open');
    expect(b.allow(1, null, t)).toBe(true);
    expect(b.snapshot(t)[0]!.probing).toBe(true);
    expect(b.allow(1, null, t + 1)).toBe(false);
    expect(b.allow(1, null, t + 2)).toBe(false);

    b.onSuccess(1, null, t + 50);
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'closed', openedUntil: null, remote: false });
    expect(b.allow(1, null, t + 51)).toBe(true);
    expect(b.allow(1, null, t + 52)).toBe(true);
    expect(b.snapshot(t + 60)[0]).toMatchObject({ state: 'closed', consecutive_failures: 0, opened_until: null, probing: false });
  });

  it('a success in between resets the consecutive count', () => {
    const { b, transitions } = board();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) b.onFailure(1, null, server, T0);
      b.onSuccess(1, null, T0);
    }
    expect(transitions).toHaveLength(0);
    expect(b.allow(1, null, T0)).toBe(true);
  });

  it('a failed probe re-opens with a doubled cooldown, up to 5 minutes; a closing probe keeps that history only briefly', () => {
    const { b, transitions } = board();
    let now = T0;
    for (let i = 0; i < 5; i++) b.onFailure(7, null, server, now);
    const cooldowns: number[] = [transitions.at(-1)!.openedUntil! - now];
    for (let i = 0; i < 6; i++) {
      now = transitions.at(-1)!.openedUntil!;
      expect(b.allow(7, null, now - 1)).toBe(false);
      expect(b.allow(7, null, now)).toBe(true);
      b.onFailure(7, null, server, now + 10);
      expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reopens: i + 1 });
      cooldowns.push(transitions.at(-1)!.openedUntil! - (now + 10));
    }
    expect(cooldowns).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);

    // A probe closes it; failing again within a minute of closing counts as a re-open (flapping)…
    now = transitions.at(-1)!.openedUntil!;
    expect(b.allow(7, null, now)).toBe(true);
    b.onSuccess(7, null, now);
    for (let i = 0; i < 5; i++) b.onFailure(7, null, server, now + 1_000);
    expect(transitions.at(-1)).toMatchObject({ from: 'closed', to: 'open', reopens: 7 });
    expect(transitions.at(-1)!.openedUntil! - (now + 1_000)).toBe(300_000);

    // …while after a quiet minute the next opening starts again at 30 s.
    now = transitions.at(-1)!.openedUntil!;
    expect(b.allow(7, null, now)).toBe(true);
    b.onSuccess(7, null, now);
    const later = now + 61_000;
    for (let i = 0; i < 5; i++) b.onFailure(7, null, server, later);
    expect(transitions.at(-1)).toMatchObject({ from: 'closed', to: 'open', reopens: 0, openedUntil: later + 30_000 });
  });

  it('opens on the error rate over the window without 5 failures in a row', () => {
    const { b, transitions } = board();
    // Alternate: never two failures in a row, 50% failing.
    for (let i = 0; i < 19; i++) {
      if (i % 2 === 0) b.onFailure(3, null, server, T0 + i * 1000);
      else b.onSuccess(3, null, T0 + i * 1000);
    }
    // 19 requests, 10 failed: under the 20-request minimum.
    expect(transitions).toHaveLength(0);
    expect(b.snapshot(T0 + 19_000)[0]).toMatchObject({ window_requests: 19, window_failures: 10, consecutive_failures: 1 });
    b.onSuccess(3, null, T0 + 19_000);
    expect(transitions).toHaveLength(0); // a success never opens
    b.onFailure(3, null, server, T0 + 20_000);
    expect(transitions).toEqual([expect.objectContaining({ channelId: 3, from: 'closed', to: 'open' })]);
  });

  it('counts the rate within the window only', () => {
    // Two failures to one success, never 5 in a row: all at once it trips the rate…
    const { b: burst, transitions: opened } = board();
    for (let i = 0; i < 30; i++) {
      if (i % 3 === 0) burst.onSuccess(5, null, T0);
      else burst.onFailure(5, null, server, T0);
    }
    expect(opened).toEqual([expect.objectContaining({ channelId: 5, to: 'open' })]);

    // …spread over 3 minutes, the same mix never fills one window.
    const { b: spread, transitions: none } = board();
    for (let i = 0; i < 30; i++) {
      const at = T0 + i * 6_000;
      if (i % 3 === 0) spread.onSuccess(6, null, at);
      else spread.onFailure(6, null, server, at);
    }
    expect(none).toHaveLength(0);
    const snap = spread.snapshot(T0 + 174_000)[0]!;
    expect(snap.window_requests).toBeLessThan(20);
    expect(snap.window_requests).toBeGreaterThan(5);
  });

  it('reads thresholds from channel.settings.breaker, and can be switched off', () => {
    const { b, transitions } = board({
      1: { failures: 2, cooldown_ms: 1000, max_cooldown_ms: 1500 },
      2: false,
      3: { enabled: false },
    });
    b.onFailure(1, null, server, T0);
    b.onFailure(1, null, server, T0);
    expect(transitions.at(-1)).toMatchObject({ channelId: 1, openedUntil: T0 + 1000 });
    b.allow(1, null, T0 + 1000);
    b.onFailure(1, null, server, T0 + 1000);
    expect(transitions.at(-1)).toMatchObject({ channelId: 1, openedUntil: T0 + 2500 }); // 2000 capped at 1500

    for (const id of [2, 3]) {
      for (let i = 0; i < 50; i++) b.onFailure(id, null, server, T0);
      expect(b.allow(id, null, T0)).toBe(true);
    }
    expect(transitions.filter((t) => t.channelId !== 1)).toHaveLength(0);
  });

  it('stays open at least as long as the upstream asked (retry-after), within the cap', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 5; i++) b.onFailure(1, 11, { kind: 'rate_limited', reason: '429', retryAfterMs: 90_000 }, T0);
    expect(transitions.at(-1)).toMatchObject({ keyId: 11, openedUntil: T0 + 90_000 });
    for (let i = 0; i < 5; i++) b.onFailure(2, 21, { kind: 'rate_limited', reason: '429', retryAfterMs: 3_600_000 }, T0);
    expect(transitions.at(-1)).toMatchObject({ keyId: 21, openedUntil: T0 + 300_000 });
  });
});

describe('breaker: channel and key', () => {
  it('key failures open the key only; other keys and the channel keep serving', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 5; i++) b.onFailure(1, 10, { kind: 'rate_limited', reason: 'slow down' }, T0);
    expect(transitions).toEqual([expect.objectContaining({ channelId: 1, keyId: 10, to: 'open' })]);
    expect(b.allow(1, 10, T0 + 1)).toBe(false);
    expect(b.allow(1, 11, T0 + 1)).toBe(true);
    expect(b.allow(1, null, T0 + 1)).toBe(true);
  });

  it('server and network failures open the channel, which refuses every key', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 5; i++) b.onFailure(1, i % 2 === 0 ? 10 : 11, { kind: 'network', reason: 'ECONNRESET' }, T0);
    expect(transitions).toEqual([expect.objectContaining({ channelId: 1, keyId: null, to: 'open' })]);
    expect(b.allow(1, 10, T0 + 1)).toBe(false);
    expect(b.allow(1, 11, T0 + 1)).toBe(false);
    expect(b.allow(1, 12, T0 + 1)).toBe(false);
  });

  it('a bad key or an empty balance opens that key at once', () => {
    const { b, transitions } = board();
    b.onFailure(1, 10, { kind: 'key_invalid', reason: 'upstream 401 invalid_api_key' }, T0);
    b.onFailure(1, 11, { kind: 'key_no_credit', reason: 'upstream 429 insufficient_quota' }, T0);
    expect(transitions.map((t) => [t.keyId, t.to, t.lastError?.kind])).toEqual([
      [10, 'open', 'key_invalid'],
      [11, 'open', 'key_no_credit'],
    ]);
    expect(b.allow(1, 10, T0 + 1)).toBe(false);
    expect(b.allow(1, 12, T0 + 1)).toBe(true);
  });

  it('client errors count against nothing and hand back a probe slot', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 50; i++) b.onFailure(1, 10, { kind: 'client', reason: 'upstream 400' }, T0);
    expect(transitions).toHaveLength(0);
    for (let i = 0; i < 5; i++) b.onFailure(2, null, server, T0);
    const half = T0 + 30_000;
    expect(b.allow(2, null, half)).toBe(true);
    expect(b.allow(2, null, half)).toBe(false);
    b.onFailure(2, null, { kind: 'client', reason: 'upstream 400' }, half);
    expect(b.snapshot(half).find((s) => s.channel_id === 2)).toMatchObject({ state: 'half_open', probing: false });
    expect(b.allow(2, null, half + 1)).toBe(true);
  });

  it('half-open: allow() takes the probe slot for channel and key together, release() gives it back', () => {
    const { b } = board();
    for (let i = 0; i < 5; i++) b.onFailure(1, null, server, T0);
    const half = T0 + 30_000;
    expect(b.wouldAllow(1, 10, half)).toBe(true);
    expect(b.wouldAllow(1, 11, half)).toBe(true); // peeking takes nothing
    expect(b.allow(1, 10, half)).toBe(true);
    expect(b.allow(1, 11, half)).toBe(false);
    b.release(1, 10);
    expect(b.allow(1, 11, half)).toBe(true);
    // A key-kind failure of the probe leaves the channel half-open for the next probe.
    b.onFailure(1, 11, { kind: 'rate_limited', reason: '429' }, half);
    expect(b.allow(1, 12, half)).toBe(true);
    b.onSuccess(1, 12, half);
    expect(b.snapshot(half).find((s) => s.key_id === null)!.state).toBe('closed');
  });

  it('a probe whose outcome never comes frees its slot after probe_timeout_ms', () => {
    const { b } = board({ 1: { probe_timeout_ms: 5_000 } });
    for (let i = 0; i < 5; i++) b.onFailure(1, null, server, T0);
    const half = T0 + 30_000;
    expect(b.allow(1, null, half)).toBe(true);
    expect(b.allow(1, null, half + 4_999)).toBe(false);
    expect(b.allow(1, null, half + 5_000)).toBe(true);
  });

  it('late answers to requests sent before it opened neither close nor extend it', () => {
    const { b, transitions } = board();
    for (let i = 0; i < 5; i++) b.onFailure(1, null, server, T0);
    b.onSuccess(1, null, T0 + 10);
    b.onFailure(1, null, server, T0 + 20);
    expect(transitions).toHaveLength(1);
    expect(b.snapshot(T0 + 30)[0]).toMatchObject({ state: 'open', opened_until: T0 + 30_000 });
  });

  it('snapshot lists channel then keys; retain forgets what no longer exists', () => {
    const { b } = board();
    b.onSuccess(2, 21, T0);
    b.onFailure(1, 12, { kind: 'rate_limited', reason: 'x' }, T0);
    b.onSuccess(1, 11, T0);
    expect(b.snapshot(T0).map((s) => [s.channel_id, s.key_id])).toEqual([
      [1, null],
      [1, 11],
      [1, 12],
      [2, null],
      [2, 21],
    ]);
    expect(b.snapshotChannel(2, T0).map((s) => s.key_id)).toEqual([null, 21]);
    b.retain([{ id: 1, keys: [{ id: 11 }] }]);
    expect(b.snapshot(T0).map((s) => [s.channel_id, s.key_id])).toEqual([
      [1, null],
      [1, 11],
    ]);
  });

  it('a throwing transition listener does not break the request path', () => {
    const errors: unknown[] = [];
    const b = new BreakerBoard({ onError: (e) => errors.push(e) });
    b.onTransition(() => {
      throw new Error('listener');
    });
    for (let i = 0; i < 5; i++) b.onFailure(1, null, server, T0);
    expect(errors).toHaveLength(1);
    expect(b.allow(1, null, T0 + 1)).toBe(false);
  });
});

describe('breaker settings', () => {
  it('keeps the defaults for missing or odd values', () => {
    expect(breakerSettings(undefined)).toEqual(BREAKER_DEFAULTS);
    expect(breakerSettings('nonsense')).toEqual(BREAKER_DEFAULTS);
    expect(breakerSettings([1, 2])).toEqual(BREAKER_DEFAULTS);
    expect(breakerSettings({ failures: -1, error_rate: 7, window_ms: 'x', cooldown_ms: 2000 })).toEqual({
      ...BREAKER_DEFAULTS,
      cooldownMs: 2000,
    });
    expect(breakerSettings({ failures: 3, error_rate: 0.25, min_requests: 8, window_ms: 10_000 })).toMatchObject({
      failures: 3,
      errorRate: 0.25,
      minRequests: 8,
      windowMs: 10_000,
    });
    expect(breakerSettings(false).enabled).toBe(false);
  });

  it('names every problem for config validation', () => {
    expect(breakerSettingsProblems(undefined)).toEqual([]);
    expect(breakerSettingsProblems({ failures: 3, error_rate: 0.5 })).toEqual([]);
    expect(breakerSettingsProblems({ failures: 0, error_rate: 2, colour: 'red', enabled: 'yes' })).toEqual([
      'breaker.colour is not a breaker setting',
      'breaker.enabled must be true or false',
      'breaker.failures must be a whole number ≥ 1',
      'breaker.error_rate must be a number in (0, 1]',
    ]);
    expect(breakerSettingsProblems('x')).toEqual(['breaker must be an object or false']);
  });
});
