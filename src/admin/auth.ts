// Who is calling the management API, and what they may touch.
//
// The key is a user's access key: `Authorization: Bearer <key>`, or the bare
// key as new-api clients send it. The root user's access key is ADMIN_KEY.
// Lookups go to the database rather than the cache, so a regenerated key or a
// disabled account takes effect on the very next call.
import type { IncomingHttpHeaders } from 'node:http';
import { generateTokenKey, hashKey } from '../store/crypto.js';
import type { User } from '../store/entities.js';
import type { Repositories } from '../store/repositories.js';
import { forbidden, unauthorized } from './envelope.js';

export function accessKeyFrom(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers.authorization;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value);
  const key = (m ? m[1]! : value).trim();
  return key || undefined;
}

export async function resolveActor(repos: Repositories, headers: IncomingHttpHeaders): Promise<User> {
  const key = accessKeyFrom(headers);
  if (!key) throw unauthorized('no access key: send Authorization: Bearer <your access key>');
  const user = await repos.users.byAccessKeyHash(hashKey(key));
  if (!user) throw unauthorized('invalid access key');
  if (user.status !== 'enabled') throw forbidden('this account is disabled');
  return user;
}

export function isAdmin(user: User): boolean {
  return user.role === 'admin' || user.role === 'root';
}

export function requireAdmin(actor: User): void {
  if (!isAdmin(actor)) throw forbidden('this route is for administrators');
}

/**
 * Everyone manages themselves; root manages everyone; an admin manages plain
 * users (never root, never another admin).
 */
export function canManage(actor: User, target: Pick<User, 'id' | 'role'>): boolean {
  if (actor.id === target.id) return true;
  if (actor.role === 'root') return true;
  return actor.role === 'admin' && target.role === 'user';
}

/** A fresh management access key: `ws-` + 48 random characters (tokens use `sk-`). */
export function generateAccessKey(): string {
  return `ws-${generateTokenKey().slice(3)}`;
}
