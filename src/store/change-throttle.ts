// Charges touch the same token and user many times a second; their caches only
// need to catch up, not replay every step. This publishes a ChangeEvent for an
// entity at most once per interval, always with a trailing publish so the last
// change is never lost.
import type { ChangeBus } from './change-bus.js';
import type { ChangeEvent } from './entities.js';

export class ThrottledPublisher {
  readonly #bus: Pick<ChangeBus, 'publish'>;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #last = new Map<string, number>();
  readonly #pending = new Map<string, { ev: ChangeEvent; timer: NodeJS.Timeout }>();

  constructor(bus: Pick<ChangeBus, 'publish'>, intervalMs = 1000, now: () => number = Date.now) {
    this.#bus = bus;
    this.#intervalMs = Math.max(0, intervalMs);
    this.#now = now;
  }

  publish(ev: ChangeEvent): void {
    const key = `${ev.entity}:${ev.id ?? '*'}`;
    if (this.#pending.has(key)) return; // the scheduled publish will carry this change too
    const wait = (this.#last.get(key) ?? -Infinity) + this.#intervalMs - this.#now();
    if (wait <= 0) return this.#emit(key, ev);
    const timer = setTimeout(() => {
      this.#pending.delete(key);
      this.#emit(key, ev);
    }, wait);
    timer.unref();
    this.#pending.set(key, { ev, timer });
  }

  /** Publishes everything still waiting for its slot (shutdown, tests). */
  flush(): void {
    for (const [key, { ev, timer }] of [...this.#pending]) {
      clearTimeout(timer);
      this.#pending.delete(key);
      this.#emit(key, ev);
    }
  }

  #emit(key: string, ev: ChangeEvent): void {
    const now = this.#now();
    this.#last.set(key, now);
    this.#bus.publish(ev);
    if (this.#last.size > 10_000) {
      for (const [k, at] of this.#last) if (at + this.#intervalMs < now) this.#last.delete(k);
    }
  }
}
