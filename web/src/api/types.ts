// Shapes of the management API answers the console shares across pages.
// Page folders declare the shapes only they read next to their own code.

export type Role = 'root' | 'admin' | 'user';

/** `GET /api/user/self` (src/admin/user-view.ts). */
export interface UserSelf {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  group: string;
  status: 1 | 2;
  status_name: 'enabled' | 'disabled';
  unlimited: boolean;
  balance_usd: number;
  quota: number;
  used_usd: number;
  used_quota: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One circuit breaker (src/routing/circuit-breaker.ts BreakerSnapshot), as the channels list and /api/channels/health show it. */
export interface BreakerSnapshot {
  channel_id: number;
  /** null: the channel's own breaker; else one of its keys. */
  key_id: number | null;
  state: BreakerState;
  consecutive_failures: number;
  window_requests: number;
  window_failures: number;
  /** Epoch ms when an open breaker lets its first probe through. */
  opened_until: number | null;
  reopens: number;
  probing: boolean;
  last_error: { kind: string; reason: string; at: number } | null;
}
