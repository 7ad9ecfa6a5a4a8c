// A token as the management API shows it: new-api's field names and units
// (status codes, seconds, quota units, comma / newline strings) beside ours
// (status_name, *_usd, expires_at in ms, limits).
//
// A token's `quotaMicros` is its total allowance and `usedMicros` what it has
// spent, so what remains is the difference.
import type { ImageOutputMode, RateLimits, Token } from '../store/entities.js';
import { microsToUnits, microsToUsd, seconds } from './units.js';

/** new-api's numeric token statuses. */
export const TOKEN_STATUS = { enabled: 1, disabled: 2, expired: 3, exhausted: 4 } as const;
export type TokenStatusName = keyof typeof TOKEN_STATUS;

export function remainingMicros(t: Pick<Token, 'quotaMicros' | 'usedMicros'>): number {
  return Math.max(0, t.quotaMicros - t.usedMicros);
}

/** What the token can do now: an enabled token past its expiry or out of quota reads as such. */
export function effectiveStatus(t: Token, now: number): TokenStatusName {
  if (t.status !== 'enabled') return t.status;
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  if (!t.unlimited && remainingMicros(t) <= 0) return 'exhausted';
  return 'enabled';
}

export interface TokenView {
  id: number;
  user_id: number;
  name: string;
  /** Masked (`sk-abcd…wxyz`) unless this is the answer to a create or a reveal. */
  key: string;
  status: number;
  status_name: TokenStatusName;
  created_time: number;
  accessed_time: number;
  expired_time: number;
  remain_quota: number;
  used_quota: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  model_limits: string;
  allow_ips: string;
  group: string;
  remain_quota_usd: number;
  used_quota_usd: number;
  quota_usd: number;
  expires_at: number | null;
  limits: RateLimits;
  /** null = unset (the channel's or gateway's choice). */
  image_output: ImageOutputMode | null;
}

export function tokenView(t: Token, opts: { now: number; accessedAt?: number | null; key?: string }): TokenView {
  const status = effectiveStatus(t, opts.now);
  const remaining = remainingMicros(t);
  return {
    id: t.id,
    user_id: t.userId,
    name: t.name,
    key: opts.key ?? t.keyMask,
    status: TOKEN_STATUS[status],
    status_name: status,
    created_time: seconds(t.createdAt),
    accessed_time: opts.accessedAt ? seconds(opts.accessedAt) : 0,
    expired_time: t.expiresAt === null ? -1 : seconds(t.expiresAt),
    remain_quota: microsToUnits(remaining),
    used_quota: microsToUnits(t.usedMicros),
    unlimited_quota: t.unlimited,
    model_limits_enabled: t.models !== null && t.models.length > 0,
    model_limits: (t.models ?? []).join(','),
    allow_ips: (t.allowIps ?? []).join('\n'),
    group: t.group ?? '',
    remain_quota_usd: microsToUsd(remaining),
    used_quota_usd: microsToUsd(t.usedMicros),
    quota_usd: microsToUsd(t.quotaMicros),
    expires_at: t.expiresAt,
    limits: t.limits ?? {},
    image_output: t.imageOutput ?? null,
  };
}
