// Circuit breakers per channel and per key, in memory. The request path asks
// allow() (a Map lookup or two) and reports each attempt's outcome; a breaker
// opens after consecutive failures or a high error rate over a sliding
// window, stays open for a cooldown that doubles on each re-open, then lets
// one probe through at a time (half-open) until a probe succeeds.
//
// Nothing here does I/O. Other nodes learn of opens and closes through
// onTransition (see breaker-sync.ts) and feed theirs in with adopt().
import { randomUUID } from 'node:crypto';
import { breakerSettings } from './breaker-settings.js';
import type { BreakerSettings } from './breaker-settings.js';
import type { UpstreamFailureKind } from './upstream-failure.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** An upstream failure kind, or `network`: refused or reset connection, timeout, a stream cut. */
export type BreakerFailureKind = UpstreamFailureKind | 'network';

export interface BreakerFailure {
  kind: BreakerFailureKind;
  /** Shown as the breaker's last error. */
  reason: string;
  /** The upstream's retry-after: an opening breaker stays open at least this long (up to max_cooldown_ms). */
  retryAfterMs?: number;
}

export interface BreakerError {
  kind: BreakerFailureKind;
  reason: string;
  /** Epoch ms. */
  at: number;
}

export interface BreakerTransition {
  channelId: number;
  /** null: the channel's own breaker. */
  keyId: number | null;
  from: BreakerState;
  to: 'open' | 'closed';
  /** Epoch ms when an open breaker lets its first probe through; null once closed. */
  openedUntil: number | null;
  /** Re-opens in a row; the cooldown was cooldown_ms × 2^reopens (capped). */
  reopens: number;
  lastError: BreakerError | null;
  at: number;
  /** Adopted from another node (or board), not decided here: never published again. */
  remote: boolean;
}

/** What another node saw, as adopt() takes it. */
export interface AdoptedTransition {
  channelId: number;
  keyId: number | null;
  to: 'open' | 'closed';
  /** For `open`: how long from now it stays open (relative, so node clocks need not agree). */
  remainingMs?: number;
  reopens?: number;
  lastError?: BreakerError | null;
}

/** One breaker, for the admin API and console (snake_case, as the API answers). */
export interface BreakerSnapshot {
  channel_id: number;
  key_id: number | null;
  state: BreakerState;
  consecutive_failures: number;
  window_requests: number;
  window_failures: number;
  opened_until: number | null;
  reopens: number;
  /** A half-open probe is in flight. */
  probing: boolean;
  last_error: BreakerError | null;
}

export interface BreakerBoardOptions {
  /** `channel.settings.breaker` for a channel (e.g. `id => cache.channel(id)?.settings.breaker`); absent = defaults. */
  settingsOf?: (channelId: number) => unknown;
  /** Time source when a call gives no `now` (default Date.now). */
  clock?: () => number;
  /** Identifies this board in shared transitions (default: a random UUID). */
  id?: string;
  /** A transition listener threw; default: one line on stderr. */
  onError?: (err: unknown) => void;
}

// Failures that say something about the key, not the upstream as a whole.
const KEY_KINDS = new Set<BreakerFailureKind>(['key_invalid', 'key_no_credit', 'rate_limited']);
// Failures that open a key's breaker at once: it will be set aside anyway, and
// until the store's change reaches the cache no request should use it.
const FATAL_KINDS = new Set<BreakerFailureKind>(['key_invalid', 'key_no_credit']);

export class BreakerBoard {
  readonly id: string;
  readonly #channels = new Map<number, Breaker>();
  /** Key ids are unique across channels (rows of channel_keys). */
  readonly #keys = new Map<number, Breaker>();
  readonly #listeners = new Set<(t: BreakerTransition) => void>();
  readonly #settingsOf: (channelId: number) => unknown;
  readonly #clock: () => number;
  readonly #onError: (err: unknown) => void;

  constructor(opts: BreakerBoardOptions = {}) {
    this.id = opts.id ?? randomUUID();
    this.#settingsOf = opts.settingsOf ?? (() => undefined);
    this.#clock = opts.clock ?? Date.now;
    this.#onError = opts.onError ?? ((err) => console.error(`[waystation] breaker listener: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * May this channel (and this key of it) take a request now? True when every
   * breaker involved is closed, or half-open with no probe in flight, in which
   * case this call takes the probe slot: report the attempt's outcome with
   * onSuccess/onFailure, or hand the slot back with release().
   */
  allow(channelId: number, keyId?: number | null, now: number = this.#clock()): boolean {
    return this.#check(channelId, keyId, now, true);
  }

  /** allow() without taking a probe slot: for display and for explaining a skip. */
  wouldAllow(channelId: number, keyId?: number | null, now: number = this.#clock()): boolean {
    return this.#check(channelId, keyId, now, false);
  }

  #check(channelId: number, keyId: number | null | undefined, now: number, claim: boolean): boolean {
    const ch = this.#channels.get(channelId);
    const key = keyId == null ? undefined : this.#keys.get(keyId);
    if (!ch?.open && !key?.open) return true;
    const s = this.#settings(channelId);
    if (!s.enabled) return true;
    if (ch && !ch.permits(now, s)) return false;
    if (key && !key.permits(now, s)) return false;
    if (claim) {
      ch?.claim(now);
      key?.claim(now);
    }
    return true;
  }

  /** The attempt allow() admitted never got an answer that counts (client gone, request refused locally). */
  release(channelId: number, keyId?: number | null): void {
    this.#channels.get(channelId)?.release();
    if (keyId != null) this.#keys.get(keyId)?.release();
  }

  /** The upstream answered successfully (headers in, status < 400). */
  onSuccess(channelId: number, keyId?: number | null, now: number = this.#clock()): void {
    const s = this.#settings(channelId);
    if (!s.enabled) return this.release(channelId, keyId);
    this.#succeed(this.#breaker(this.#channels, channelId, channelId, null), now, s);
    if (keyId != null) this.#succeed(this.#breaker(this.#keys, keyId, channelId, keyId), now, s);
  }

  /**
   * The attempt failed. Key kinds (key_invalid, key_no_credit, rate_limited)
   * count against the key's breaker when there is a key, the rest against the
   * channel's; `client` counts against neither (the upstream works).
   */
  onFailure(channelId: number, keyId: number | null | undefined, failure: BreakerFailure, now: number = this.#clock()): void {
    const s = this.#settings(channelId);
    if (!s.enabled || failure.kind === 'client') return this.release(channelId, keyId);
    if (keyId != null && KEY_KINDS.has(failure.kind)) {
      this.#channels.get(channelId)?.release();
      this.#fail(this.#breaker(this.#keys, keyId, channelId, keyId), now, failure, s);
    } else {
      if (keyId != null) this.#keys.get(keyId)?.release();
      this.#fail(this.#breaker(this.#channels, channelId, channelId, null), now, failure, s);
    }
  }

  /** Takes another node's open or close as this board's own (without reporting it as local). */
  adopt(t: AdoptedTransition, now: number = this.#clock()): void {
    const b = t.keyId == null ? this.#breaker(this.#channels, t.channelId, t.channelId, null) : this.#breaker(this.#keys, t.keyId, t.channelId, t.keyId);
    if (t.to === 'closed') {
      if (b.open) this.#close(b, now, true);
      return;
    }
    const from = b.state(now);
    const until = now + Math.max(0, t.remainingMs ?? 0);
    b.openAt(b.open && b.openedUntil > until ? b.openedUntil : until, t.reopens ?? b.reopens);
    if (t.lastError) b.lastError = t.lastError;
    this.#emit(b, from, 'open', now, true);
  }

  /** Listens to every open and close (local and adopted); returns the unsubscribe function. */
  onTransition(fn: (t: BreakerTransition) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  /** Every breaker that has seen traffic, channel first, then its keys. */
  snapshot(now: number = this.#clock()): BreakerSnapshot[] {
    const all = [...this.#channels.values(), ...this.#keys.values()].map((b) => b.snapshot(now));
    return all.sort((a, b) => a.channel_id - b.channel_id || (a.key_id ?? -1) - (b.key_id ?? -1));
  }

  /** One channel's breaker and its keys'. */
  snapshotChannel(channelId: number, now: number = this.#clock()): BreakerSnapshot[] {
    return this.snapshot(now).filter((s) => s.channel_id === channelId);
  }

  /** Forgets breakers of channels and keys that no longer exist (call with the cache's channels after a change). */
  retain(channels: Iterable<{ id: number; keys: readonly { id: number }[] }>): void {
    const channelIds = new Set<number>();
    const keyIds = new Set<number>();
    for (const ch of channels) {
      channelIds.add(ch.id);
      for (const k of ch.keys) keyIds.add(k.id);
    }
    for (const id of this.#channels.keys()) if (!channelIds.has(id)) this.#channels.delete(id);
    for (const id of this.#keys.keys()) if (!keyIds.has(id)) this.#keys.delete(id);
  }

  #settings(channelId: number): BreakerSettings {
    return breakerSettings(this.#settingsOf(channelId));
  }

  #breaker(map: Map<number, Breaker>, id: number, channelId: number, keyId: number | null): Breaker {
    let b = map.get(id);
    if (!b || b.channelId !== channelId) {
      b = new Breaker(channelId, keyId);
      map.set(id, b);
    }
    return b;
  }

  #succeed(b: Breaker, now: number, s: BreakerSettings): void {
    if (!b.open) {
      b.consecutive = 0;
      b.window.add(now, s.windowMs, true);
    } else if (b.probeSince !== null) {
      this.#close(b, now, false);
    }
    // Open with no probe out: a late answer to a request sent before it opened proves nothing.
  }

  #fail(b: Breaker, now: number, f: BreakerFailure, s: BreakerSettings): void {
    b.lastError = { kind: f.kind, reason: f.reason, at: now };
    if (b.open) {
      if (b.probeSince !== null) this.#open(b, now, s, f, b.reopens + 1);
      return;
    }
    b.consecutive++;
    b.window.add(now, s.windowMs, false);
    if (FATAL_KINDS.has(f.kind) || b.consecutive >= s.failures || b.window.tripped(now, s)) {
      // Opening again soon after closing counts as a re-open: a flapping upstream waits longer each time.
      this.#open(b, now, s, f, now - b.closedAt < s.windowMs ? b.reopens + 1 : 0);
    }
  }

  #open(b: Breaker, now: number, s: BreakerSettings, f: BreakerFailure, reopens: number): void {
    const from = b.state(now);
    let cooldown = Math.min(s.cooldownMs * 2 ** Math.min(reopens, 30), s.maxCooldownMs);
    if (f.retryAfterMs !== undefined && f.retryAfterMs > cooldown) cooldown = Math.min(f.retryAfterMs, s.maxCooldownMs);
    b.openAt(now + cooldown, reopens);
    this.#emit(b, from, 'open', now, false);
  }

  #close(b: Breaker, now: number, remote: boolean): void {
    const from = b.state(now);
    b.closeAt(now);
    this.#emit(b, from, 'closed', now, remote);
  }

  #emit(b: Breaker, from: BreakerState, to: 'open' | 'closed', now: number, remote: boolean): void {
    if (this.#listeners.size === 0) return;
    const t: BreakerTransition = {
      channelId: b.channelId,
      keyId: b.keyId,
      from,
      to,
      openedUntil: to === 'open' ? b.openedUntil : null,
      reopens: b.reopens,
      lastError: b.lastError,
      at: now,
      remote,
    };
    for (const fn of [...this.#listeners]) {
      try {
        fn(t);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}

class Breaker {
  open = false;
  openedUntil = 0;
  reopens = 0;
  closedAt = -Infinity;
  consecutive = 0;
  /** When the current half-open probe was let through; null = none out. */
  probeSince: number | null = null;
  lastError: BreakerError | null = null;
  readonly window = new OutcomeWindow();

  constructor(
    readonly channelId: number,
    readonly keyId: number | null,
  ) {}

  state(now: number): BreakerState {
    if (!this.open) return 'closed';
    return now >= this.openedUntil ? 'half_open' : 'open';
  }

  permits(now: number, s: BreakerSettings): boolean {
    if (!this.open) return true;
    if (now < this.openedUntil) return false;
    return this.probeSince === null || now - this.probeSince >= s.probeTimeoutMs;
  }

  claim(now: number): void {
    if (this.open) this.probeSince = now;
  }

  release(): void {
    this.probeSince = null;
  }

  openAt(until: number, reopens: number): void {
    this.open = true;
    this.openedUntil = until;
    this.reopens = reopens;
    this.probeSince = null;
    this.consecutive = 0;
    this.window.reset();
  }

  closeAt(now: number): void {
    this.open = false;
    this.probeSince = null;
    this.consecutive = 0;
    this.closedAt = now;
    this.window.reset();
  }

  snapshot(now: number): BreakerSnapshot {
    const { requests, failures } = this.window.totals(now);
    return {
      channel_id: this.channelId,
      key_id: this.keyId,
      state: this.state(now),
      consecutive_failures: this.consecutive,
      window_requests: requests,
      window_failures: failures,
      opened_until: this.open ? this.openedUntil : null,
      reopens: this.reopens,
      probing: this.open && this.probeSince !== null,
      last_error: this.lastError,
    };
  }
}

const SLOTS = 10;

/** Successes and failures over the last window, in tenths of it: constant memory, no per-request allocation. */
class OutcomeWindow {
  #slotMs = 0;
  readonly #epoch: number[] = new Array<number>(SLOTS).fill(-1);
  readonly #ok: number[] = new Array<number>(SLOTS).fill(0);
  readonly #fail: number[] = new Array<number>(SLOTS).fill(0);

  add(now: number, windowMs: number, ok: boolean): void {
    const slotMs = Math.max(1, Math.ceil(windowMs / SLOTS));
    if (slotMs !== this.#slotMs) {
      this.reset();
      this.#slotMs = slotMs;
    }
    const epoch = Math.floor(now / slotMs);
    const i = epoch % SLOTS;
    if (this.#epoch[i] !== epoch) {
      this.#epoch[i] = epoch;
      this.#ok[i] = 0;
      this.#fail[i] = 0;
    }
    if (ok) this.#ok[i]!++;
    else this.#fail[i]!++;
  }

  totals(now: number): { requests: number; failures: number } {
    if (this.#slotMs === 0) return { requests: 0, failures: 0 };
    const current = Math.floor(now / this.#slotMs);
    let ok = 0;
    let failures = 0;
    for (let i = 0; i < SLOTS; i++) {
      const e = this.#epoch[i]!;
      if (e > current - SLOTS && e <= current) {
        ok += this.#ok[i]!;
        failures += this.#fail[i]!;
      }
    }
    return { requests: ok + failures, failures };
  }

  tripped(now: number, s: BreakerSettings): boolean {
    const { requests, failures } = this.totals(now);
    return requests >= s.minRequests && failures / requests >= s.errorRate;
  }

  reset(): void {
    this.#epoch.fill(-1);
    this.#ok.fill(0);
    this.#fail.fill(0);
  }
}
