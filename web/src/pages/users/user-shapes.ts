// A user as the management API shows it (src/admin/user-view.ts), the form's
// state and the bodies it sends (src/admin/routes/users.ts).
import type { Role } from '../../api/types';
import { limitsBody, limitsForm, limitsProblem, type LimitKey, type LimitsForm, type RateLimits } from '../tokens/limits';

export interface UserView {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  group: string;
  status: 1 | 2;
  status_name: 'enabled' | 'disabled';
  unlimited: boolean;
  balance_usd: number;
  used_usd: number;
  limits: RateLimits;
  created_at: number;
  updated_at: number;
}

export interface UserForm {
  name: string;
  displayName: string;
  role: 'user' | 'admin';
  group: string;
  balanceUsd: string;
  limits: LimitsForm;
}

export type UserFormField = 'name' | 'displayName' | 'role' | 'group' | 'balanceUsd' | LimitKey;

export function emptyUserForm(): UserForm {
  return { name: '', displayName: '', role: 'user', group: 'default', balanceUsd: '0', limits: limitsForm(undefined) };
}

export function userFormFrom(u: UserView): UserForm {
  return {
    name: u.username,
    displayName: u.display_name,
    role: u.role === 'admin' ? 'admin' : 'user',
    group: u.group,
    balanceUsd: String(u.balance_usd),
    limits: limitsForm(u.limits),
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

export function userFormProblems(f: UserForm, editing?: UserView): Partial<Record<UserFormField, string>> {
  const out: Partial<Record<UserFormField, string>> = {};
  if (!NAME.test(f.name.trim())) out.name = 'errors.name';
  if (!editing?.unlimited && !(f.balanceUsd.trim() !== '' && Number(f.balanceUsd) >= 0)) out.balanceUsd = 'errors.balance';
  const badLimit = limitsProblem(f.limits);
  if (badLimit) out[badLimit] = 'errors.limit';
  return out;
}

/**
 * The body of `POST /api/users` (no `current`) or `PUT /api/users/:id`. An
 * edit sends only what changed, and for the balance what was spent when the
 * form was read, so spending since is not forgotten.
 */
export function userBody(f: UserForm, current?: UserView, mayGrantAdmin = false): Record<string, unknown> {
  const body: Record<string, unknown> = {
    display_name: f.displayName.trim(),
    group: f.group,
    limits: limitsBody(f.limits),
  };
  if (!current) {
    body.name = f.name.trim();
    body.balance_usd = Number(f.balanceUsd);
    if (mayGrantAdmin) body.role = f.role;
    return body;
  }
  if (f.name.trim() !== current.username) body.name = f.name.trim();
  if (mayGrantAdmin && current.role !== 'root' && f.role !== current.role) body.role = f.role;
  if (!current.unlimited && f.balanceUsd.trim() !== String(current.balance_usd)) {
    body.balance_usd = Number(f.balanceUsd);
    body.used_usd = current.used_usd;
  }
  return body;
}

/** A server field → the form field showing its error. */
export function userFormFieldOf(serverField: string | undefined): UserFormField | undefined {
  const map: Record<string, UserFormField> = {
    name: 'name',
    display_name: 'displayName',
    role: 'role',
    group: 'group',
    balance_usd: 'balanceUsd',
    'limits.rpm': 'rpm',
    'limits.tpm': 'tpm',
    'limits.concurrency': 'concurrency',
  };
  return serverField ? map[serverField] : undefined;
}
