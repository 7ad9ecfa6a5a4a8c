import type { User } from '../store/entities.js';
import { hashKey } from '../store/crypto.js';
import type { Repositories } from '../store/repositories.js';

export const ROOT_USER_NAME = 'root';

/** The root admin user exists and its management key is the current ADMIN_KEY. */
export async function ensureRootUser(repos: Repositories, adminKey: string): Promise<User> {
  const root =
    (await repos.users.byName(ROOT_USER_NAME)) ??
    (await repos.users.create({ name: ROOT_USER_NAME, displayName: 'Root admin', role: 'root', group: 'default', balanceMicros: 0 }));
  const current = await repos.users.byAccessKeyHash(hashKey(adminKey));
  if (current?.id !== root.id) await repos.users.setAccessKey(root.id, adminKey);
  return root;
}
