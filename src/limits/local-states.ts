// In-process state per subject ("t:<id>" / "u:<id>"), bounded without timers:
// the Map's insertion order is least-recently-used first, and every lookup
// sweeps a few entries off the front that have been idle for two minutes
// (both buckets empty, so evicting them forgets nothing). A subject with
// requests in flight is never evicted; its slot count must survive.
import { roll, WINDOW_MS, type WindowCounts } from './window-math.js';

export interface LocalState extends WindowCounts {
  inFlight: number;
  /** Last lookup, epoch ms. */
  touched: number;
}

const IDLE_MS = 2 * WINDOW_MS;
/** Entries examined per lookup: more than a lookup can add, so the map cannot outgrow the active set. */
const SWEEP = 4;

export class LocalStates {
  private readonly map = new Map<string, LocalState>();

  get size(): number {
    return this.map.size;
  }

  /** The subject's counts rolled to minute `win`; created when missing; marked as just used. */
  get(key: string, now: number, win: number): LocalState {
    let st = this.map.get(key);
    if (st) this.map.delete(key);
    else st = { win, prevRequests: 0, curRequests: 0, prevTokens: 0, curTokens: 0, inFlight: 0, touched: now };
    roll(st, win);
    st.touched = now;
    this.map.set(key, st);
    this.sweep(now);
    return st;
  }

  private sweep(now: number): void {
    for (let i = 0; i < SWEEP; i++) {
      const first = this.map.entries().next();
      if (first.done) return;
      const [key, st] = first.value;
      if (now - st.touched < IDLE_MS) return; // everything behind it is fresher
      this.map.delete(key);
      // A long request still holds a slot: keep it, at the back.
      if (st.inFlight > 0) this.map.set(key, st);
    }
  }
}
