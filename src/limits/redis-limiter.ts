// The limiter over Redis: one script per admit (atomic across nodes), one per
// done. In-flight slots are sorted-set members whose score is a lease expiry;
// this process refreshes the leases it holds from one shared timer, so a slot
// outlives any long stream, yet frees itself within a lease when a node dies.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GatewayError } from '../dialects/errors.js';
import { NOOP_ADMISSION, tokenCount } from './local-limiter.js';
import { concurrencyRefusal, refusalError, windowRefusal, worstRefusal, type Refusal } from './refusal.js';
import { ADMIT, DONE, REFRESH } from './redis-scripts.js';
import type { Admission, LimitKind, LimitScope, NormalLimits } from './types.js';
import { WINDOW_MS } from './window-math.js';

export interface RedisLimiterOptions {
  redis: Redis;
  now: (() => number) | undefined;
  keyPrefix: string;
  leaseMs: number;
  failOpen: boolean;
  onError: (err: Error) => void;
}

/** Keys refreshed per script call. */
const REFRESH_BATCH = 500;
/** A slot is refreshed for at most this long: a forgotten done() then costs an hour, not forever. */
const MAX_HOLD_MS = 3_600_000;
const KINDS: Record<number, LimitKind> = { 1: 'rpm', 2: 'tpm', 3: 'concurrency' };

/** Turns the script's refusal list into refusals (see ADMIT_LUA for the layout). */
export function parseRefusals(reply: readonly number[]): Refusal[] {
  const elapsed = Number(reply[1]);
  const out: Refusal[] = [];
  for (let i = 2; i + 4 < reply.length; i += 5) {
    const scope: LimitScope = Number(reply[i]) === 0 ? 'token' : 'user';
    const kind = KINDS[Number(reply[i + 1])];
    const prev = Number(reply[i + 2]);
    const cur = Number(reply[i + 3]);
    const limit = Number(reply[i + 4]);
    if (kind === 'concurrency') out.push(concurrencyRefusal(scope, limit));
    else if (kind) out.push(windowRefusal(scope, kind, limit, prev, cur, elapsed));
  }
  return out;
}

export class RedisLimiter {
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private seq = 0;
  /** Admission id → the in-flight sets it holds a slot in, and since when (process clock). */
  private readonly held = new Map<string, { keys: string[]; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private closed = false;

  constructor(private readonly o: RedisLimiterOptions) {}

  private clock(): number {
    return this.o.now ? Math.floor(this.o.now()) : -1;
  }

  async admit(tokenId: number, userId: number, token: NormalLimits, user: NormalLimits): Promise<Admission> {
    const p = this.o.keyPrefix;
    const keys = [`${p}t:${tokenId}:win`, `${p}t:${tokenId}:cc`, `${p}u:${userId}:win`, `${p}u:${userId}:cc`];
    const id = `${this.idPrefix}:${++this.seq}`;
    const args = [this.clock(), WINDOW_MS, this.o.leaseMs, id, token.rpm, token.tpm, token.concurrency, user.rpm, user.tpm, user.concurrency];
    let reply: unknown;
    try {
      reply = await ADMIT.run(this.o.redis, keys, args);
    } catch (err) {
      return this.unavailable(err);
    }
    if (!Array.isArray(reply)) return this.unavailable(new Error(`unexpected rate-limit script reply: ${String(reply)}`));
    if (Number(reply[0]) !== 1) {
      const worst = worstRefusal(parseRefusals(reply as number[]));
      if (worst) throw refusalError(worst);
      return this.unavailable(new Error(`unparseable rate-limit refusal: ${JSON.stringify(reply)}`));
    }
    return this.admission(id, keys, token, user);
  }

  private unavailable(err: unknown): Admission {
    this.o.onError(err instanceof Error ? err : new Error(String(err)));
    if (this.o.failOpen) return NOOP_ADMISSION;
    throw new GatewayError('unavailable', 'Rate limits cannot be checked right now (Redis is unavailable).', {
      code: 'rate_limiter_unavailable',
      retryAfter: 1,
    });
  }

  private admission(id: string, keys: string[], token: NormalLimits, user: NormalLimits): Admission {
    const slotKeys: string[] = [];
    if (token.concurrency > 0) slotKeys.push(keys[1]!);
    if (user.concurrency > 0) slotKeys.push(keys[3]!);
    if (slotKeys.length === 0 && token.tpm === 0 && user.tpm === 0) return NOOP_ADMISSION;
    if (slotKeys.length > 0) this.hold(id, slotKeys);

    let ended = false;
    return {
      done: (tokensUsed?: number) => {
        if (ended) return;
        ended = true;
        this.held.delete(id);
        const n = tokenCount(tokensUsed);
        const flags = [token.tpm > 0 && n > 0, token.concurrency > 0, user.tpm > 0 && n > 0, user.concurrency > 0];
        if (!flags.some(Boolean)) return;
        const args = [this.clock(), WINDOW_MS, id, n, ...flags.map((f) => (f ? '1' : '0'))];
        // Off the request path: a lost release only waits out its lease.
        DONE.run(this.o.redis, keys, args).catch((err: unknown) => this.o.onError(err as Error));
      },
    };
  }

  private hold(id: string, slotKeys: string[]): void {
    this.held.set(id, { keys: slotKeys, since: Date.now() });
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.refresh(), Math.max(50, Math.floor(this.o.leaseMs / 3)));
    this.timer.unref();
  }

  /** Pushes back the lease of every slot this process holds; stops the timer when none is held. */
  async refresh(): Promise<void> {
    if (this.held.size === 0) return this.stopTimer();
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const keys: string[] = [];
      const ids: string[] = [];
      const oldest = Date.now() - MAX_HOLD_MS;
      for (const [id, slot] of this.held) {
        if (slot.since < oldest) {
          this.held.delete(id);
          continue;
        }
        for (const k of slot.keys) {
          keys.push(k);
          ids.push(id);
        }
      }
      for (let i = 0; i < keys.length; i += REFRESH_BATCH) {
        const batch = keys.slice(i, i + REFRESH_BATCH);
        await REFRESH.run(this.o.redis, batch, [this.clock(), this.o.leaseMs, ...ids.slice(i, i + REFRESH_BATCH)]);
      }
    } catch (err) {
      this.o.onError(err as Error);
    } finally {
      this.refreshing = false;
    }
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops refreshing leases for good: slots still held expire within a lease. */
  close(): void {
    this.closed = true;
    this.stopTimer();
  }
}
