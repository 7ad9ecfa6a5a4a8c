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
