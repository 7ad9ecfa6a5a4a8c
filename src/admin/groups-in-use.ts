// Group checks shared by the user, token and group routes: a named group must
// exist, a plain user may not move a token into a cheaper group, and a group
// still referenced by anything may not be deleted.
import type { User } from '../store/entities.js';
import { isAdmin } from './auth.js';
import type { AdminContext } from './context.js';
import { forbidden, invalid } from './envelope.js';

/** The group every account and channel falls back to; it always exists. */
export const DEFAULT_GROUP = 'default';

export async function assertGroupExists(ctx: AdminContext, group: string, field = 'group'): Promise<void> {
  if (group === DEFAULT_GROUP) return;
  if (!(await ctx.repos.groups.byName(group))) throw invalid(field, `no group named ${JSON.stringify(group)}`);
}

/** For a token's group: null means "the owner's group" and is always fine. */
export async function assertGroupUsable(ctx: AdminContext, actor: User, owner: User, group: string | null | undefined): Promise<void> {
  if (group === undefined || group === null) return;
  if (!isAdmin(actor) && group !== owner.group) {
    throw forbidden(`group: you may use only your own group ${JSON.stringify(owner.group)}`);
  }
  await assertGroupExists(ctx, group);
}

export interface GroupUse {
  users: number;
  tokens: number;
  channels: number;
}

export async function groupUse(ctx: AdminContext, name: string): Promise<GroupUse> {
  const db = ctx.database.db;
  const [users, tokens, channels] = await Promise.all([
    db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('group_name', '=', name).executeTakeFirstOrThrow(),
    db.selectFrom('tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('group_name', '=', name).executeTakeFirstOrThrow(),
    ctx.repos.channels.list(),
  ]);
  return {
    users: Number(users.n),
    tokens: Number(tokens.n),
    channels: channels.filter((c) => c.groups.includes(name)).length,
  };
}
