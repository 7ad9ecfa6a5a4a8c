// Two-bucket sliding window: the count "in the last minute" is the current
// fixed minute's count plus the previous minute's, weighted by how much of it
// still overlaps the sliding minute. O(1) state and time, in-process and in
// the Redis script alike (redis-scripts.ts repeats `hasRoom` in Lua).
import type { NormalLimits } from './types.js';

export const WINDOW_MS = 60_000;

/** Counts of one subject (token or user): previous and current minute. */
export interface WindowCounts {
  /** Index of the current fixed minute (`floor(now / WINDOW_MS)`). */
  win: number;
  prevRequests: number;
  curRequests: number;
  prevTokens: number;
  curTokens: number;
}

export function windowOf(now: number): { win: number; elapsed: number } {
  const win = Math.floor(now / WINDOW_MS);
  return { win, elapsed: now - win * WINDOW_MS };
}

/** Moves the counts to minute `win`: the current minute becomes the previous one. */
export function roll(c: WindowCounts, win: number): void {
  if (c.win >= win) return; // same minute, or a clock that stepped back: keep counting
  if (c.win === win - 1) {
    c.prevRequests = c.curRequests;
    c.prevTokens = c.curTokens;
  } else {
    c.prevRequests = 0;
    c.prevTokens = 0;
  }
  c.curRequests = 0;
  c.curTokens = 0;
  c.win = win;
}

/**
 * Whether one more unit fits: floor(prev × overlap) + cur + 1 ≤ limit, written
 * without division so it is exact (the Lua twin compares the same integers).
 */
export function hasRoom(prev: number, cur: number, elapsed: number, limit: number): boolean {
  return prev * (WINDOW_MS - elapsed) < (limit - cur) * WINDOW_MS;
}

/**
 * Milliseconds until `hasRoom` turns true if nothing else is counted: later in
 * this minute as the previous minute's weight fades, or else in the next one
 * (where this minute's count becomes the fading one).
 */
export function msUntilRoom(prev: number, cur: number, elapsed: number, limit: number): number {
  const W = WINDOW_MS;
  const left = limit - cur;
  if (left >= 1) {
    if (prev * (W - elapsed) < left * W) return 0;
    return W - elapsed - (left * W) / prev;
  }
  return W - elapsed + Math.max(0, W - (limit * W) / cur);
}

/** Whole seconds to wait, ≥ 1: the boundary itself is still full, so round past it. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.floor(ms / 1000) + 1);
}

function limitValue(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : 0;
}

export function normalizeLimits(l: { rpm?: unknown; tpm?: unknown; concurrency?: unknown } | null | undefined): NormalLimits {
  if (!l) return { rpm: 0, tpm: 0, concurrency: 0 };
  return { rpm: limitValue(l.rpm), tpm: limitValue(l.tpm), concurrency: limitValue(l.concurrency) };
}

export function anyLimit(l: NormalLimits): boolean {
  return l.rpm > 0 || l.tpm > 0 || l.concurrency > 0;
}
