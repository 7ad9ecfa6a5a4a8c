// A user account as the management API shows it: our names beside new-api's
// (`username`, numeric `status`, `quota` / `used_quota` in units).
import type { RateLimits, User } from '../store/entities.js';
import { microsToUnits, microsToUsd } from './units.js';

export interface UserView {
  id: number;
  username: string;
  name: string;
  display_name: string;
  role: User['role'];
  group: string;
  /** new-api's codes: 1 enabled, 2 disabled. */
  status: 1 | 2;
  status_name: User['status'];
  /** The root user has no balance limit. */
  unlimited: boolean;
  balance_usd: number;
  quota: number;
  used_usd: number;
  used_quota: number;
  limits: RateLimits;
  created_at: number;
  updated_at: number;
}

export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.name,
    name: u.name,
    display_name: u.displayName,
    role: u.role,
    group: u.group,
    status: u.status === 'enabled' ? 1 : 2,
    status_name: u.status,
    unlimited: u.role === 'root',
    balance_usd: microsToUsd(u.balanceMicros),
    quota: microsToUnits(u.balanceMicros),
    used_usd: microsToUsd(u.usedMicros),
    used_quota: microsToUnits(u.usedMicros),
    limits: u.limits ?? {},
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}
