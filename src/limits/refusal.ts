// The 429 a refused request gets: which limit, and when to come back. When
// several limits refuse at once, the one that frees up last is reported, so a
// client that honours `retry-after` is not refused again by the other one.
import { GatewayError } from '../dialects/errors.js';
import type { LimitKind, LimitScope } from './types.js';
import { msUntilRoom, retryAfterSeconds } from './window-math.js';

export interface Refusal {
  scope: LimitScope;
  kind: LimitKind;
  limit: number;
  /** Seconds until the window frees up (≥ 1; concurrency: 1). */
  retryAfter: number;
}

export function windowRefusal(
  scope: LimitScope,
  kind: 'rpm' | 'tpm',
  limit: number,
  prev: number,
  cur: number,
  elapsed: number,
): Refusal {
  return { scope, kind, limit, retryAfter: retryAfterSeconds(msUntilRoom(prev, cur, elapsed, limit)) };
}

export function concurrencyRefusal(scope: LimitScope, limit: number): Refusal {
  return { scope, kind: 'concurrency', limit, retryAfter: 1 };
}

/** The refusal with the longest wait; on a tie the first (token before user). */
export function worstRefusal(refusals: readonly Refusal[]): Refusal | undefined {
  let worst: Refusal | undefined;
  for (const r of refusals) if (!worst || r.retryAfter > worst.retryAfter) worst = r;
  return worst;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function refusalMessage(r: Refusal): string {
  const who = r.scope === 'token' ? 'Token' : 'User';
  if (r.kind === 'concurrency') {
    return `${who} concurrency limit reached: ${plural(r.limit, 'request', 'requests')} in flight.`;
  }
  const what = r.kind === 'rpm' ? plural(r.limit, 'request', 'requests') : plural(r.limit, 'token', 'tokens');
  return `${who} rate limit reached: ${what} per minute. Try again in ${r.retryAfter} s.`;
}

/** `token_rpm_exceeded`, `user_concurrency_exceeded`, … (OpenAI `code`, Gemini `reason`). */
export function refusalCode(r: Refusal): string {
  return `${r.scope}_${r.kind}_exceeded`;
}

export function refusalError(r: Refusal): GatewayError {
  return new GatewayError('rate_limit', refusalMessage(r), { retryAfter: r.retryAfter, code: refusalCode(r) });
}
