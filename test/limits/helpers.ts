// Shared bits of the limiter tests: a hand-driven clock, settling many admits
// at once, and the Redis server to use (WAYSTATION_TEST_REDIS).
import { expect } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import type { Admission, AdmitRequest, Limiter } from '../../src/limits/limiter.js';
import type { RateLimits } from '../../src/store/entities.js';

/** 2025-01-01T00:00:00Z: a minute boundary, so offsets read as "seconds into the minute". */
export const MINUTE_START = Date.UTC(2025, 0, 1);

export interface FakeClock {
  now: () => number;
  /** Sets the time to MINUTE_START + minutes × 60 s + seconds. */
  at(minutes: number, seconds: number): void;
  advance(ms: number): void;
}

export function fakeClock(): FakeClock {
  let t = MINUTE_START;
  return {
    now: () => t,
    at: (minutes, seconds) => {
      t = MINUTE_START + minutes * 60_000 + Math.round(seconds * 1000);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export function req(tokenLimits: RateLimits, userLimits: RateLimits = {}, tokenId = 1, userId = 100): AdmitRequest {
  return { tokenId, userId, tokenLimits, userLimits };
}

export interface Settled {
  admitted: Admission[];
  refused: GatewayError[];
}

/** Fires `n` admits at once and sorts the outcomes; anything but a GatewayError fails the test. */
export async function admitMany(limiter: Limiter, r: AdmitRequest, n: number): Promise<Settled> {
  const results = await Promise.allSettled(Array.from({ length: n }, () => limiter.admit(r)));
  const out: Settled = { admitted: [], refused: [] };
  for (const res of results) {
    if (res.status === 'fulfilled') out.admitted.push(res.value);
    else if (res.reason instanceof GatewayError) out.refused.push(res.reason);
    else throw res.reason;
  }
  return out;
}

/** The refusal an admit ends in (fails the test when it is admitted instead). */
export async function refusal(p: Promise<Admission>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the request to be refused').toBeInstanceOf(GatewayError);
  const g = err as GatewayError;
  expect(g.kind).toBe('rate_limit');
  expect(g.status).toBe(429);
  return g;
}

/** The Redis server the env asks for: unset → undefined, "1" → the local default. */
export function redisUrlFromEnv(): string | undefined {
  const value = process.env.WAYSTATION_TEST_REDIS?.trim();
  if (!value || value === '0') return undefined;
  return value === '1' ? 'redis://127.0.0.1:6379' : value;
}
