// The relay's view of money and limits: what it asks before the upstream call
// and tells after it. The billing and limits layers implement these; the relay
// never computes a price itself.
import type { Usage } from '../dialects/usage.js';
import type { Caller } from './auth.js';
import type { ImageFacts, RequestFacts } from './request-facts.js';

export interface Settlement {
  costMicros: number;
  groupRatio: number;
  /** Cost by kind, for the usage row. */
  detail: Record<string, number>;
}

/** A worst-case amount held against the token and the user until the call ends. */
export interface Hold {
  /** Charges the real cost (from the reported usage and images) and frees the rest. */
  settle(usage: Usage, images: ImageFacts | undefined): Settlement;
  /** The call produced nothing billable: free the whole hold. */
  release(): void;
}

export interface Accounting {
  /**
   * Admits the call: rate limits first (nothing reserved when they refuse),
   * then the price check and the worst-case reservation. Throws a GatewayError
   * naming the limit, the quota or the missing price. `upstreamModels` are the
   * names the candidate channels map the model to (a price may be set on those).
   */
  admit(caller: Caller, model: string, facts: RequestFacts, upstreamModels?: readonly string[]): Promise<Admitted>;
}

export interface Admitted {
  hold: Hold;
  /** Frees the concurrency slot and reports tokens for per-minute limits. */
  done(tokens: number): void;
}
