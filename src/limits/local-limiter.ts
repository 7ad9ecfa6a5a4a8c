// The limiter without Redis: one process, synchronous checks, O(1) per request.
import { concurrencyRefusal, refusalError, windowRefusal, worstRefusal, type Refusal } from './refusal.js';
import { LocalStates, type LocalState } from './local-states.js';
import type { Admission, LimitScope, NormalLimits } from './types.js';
import { hasRoom, windowOf } from './window-math.js';

export const NOOP_ADMISSION: Admission = Object.freeze({ done() {} });

/** Tokens as a whole, non-negative number (anything else counts as 0). */
export function tokenCount(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

interface Subject {
  scope: LimitScope;
  key: string;
  limits: NormalLimits;
}

function check(st: LocalState, s: Subject, elapsed: number, out: Refusal[]): void {
  const { rpm, tpm, concurrency } = s.limits;
  if (concurrency > 0 && st.inFlight >= concurrency) out.push(concurrencyRefusal(s.scope, concurrency));
  if (rpm > 0 && !hasRoom(st.prevRequests, st.curRequests, elapsed, rpm)) {
    out.push(windowRefusal(s.scope, 'rpm', rpm, st.prevRequests, st.curRequests, elapsed));
  }
  if (tpm > 0 && !hasRoom(st.prevTokens, st.curTokens, elapsed, tpm)) {
    out.push(windowRefusal(s.scope, 'tpm', tpm, st.prevTokens, st.curTokens, elapsed));
  }
}

export class LocalLimiter {
  private readonly states = new LocalStates();

  constructor(private readonly now: () => number) {}

  /** Subjects tracked right now (for tests and metrics). */
  get trackedSubjects(): number {
    return this.states.size;
  }

  admit(tokenId: number, userId: number, token: NormalLimits, user: NormalLimits): Admission {
    const now = this.now();
    const { win, elapsed } = windowOf(now);
    const subjects: Subject[] = [];
    if (token.rpm || token.tpm || token.concurrency) subjects.push({ scope: 'token', key: `t:${tokenId}`, limits: token });
    if (user.rpm || user.tpm || user.concurrency) subjects.push({ scope: 'user', key: `u:${userId}`, limits: user });

    const states = subjects.map((s) => this.states.get(s.key, now, win));
    const refusals: Refusal[] = [];
    subjects.forEach((s, i) => check(states[i]!, s, elapsed, refusals));
    const worst = worstRefusal(refusals);
    if (worst) throw refusalError(worst);

    subjects.forEach((s, i) => {
      const st = states[i]!;
      if (s.limits.rpm > 0) st.curRequests++;
      if (s.limits.concurrency > 0) st.inFlight++;
    });
    const held = subjects.filter((s) => s.limits.concurrency > 0 || s.limits.tpm > 0);
    if (held.length === 0) return NOOP_ADMISSION;

    let ended = false;
    return {
      done: (tokensUsed?: number) => {
        if (ended) return;
        ended = true;
        const n = tokenCount(tokensUsed);
        const at = this.now();
        const w = windowOf(at).win;
        for (const s of held) {
          const st = this.states.get(s.key, at, w);
          if (s.limits.concurrency > 0 && st.inFlight > 0) st.inFlight--;
          if (s.limits.tpm > 0) st.curTokens += n;
        }
      },
    };
  }
}
