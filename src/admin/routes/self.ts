// The caller's own account: profile and balance, the models it may use, and
// a fresh access key.
import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../store/entities.js';
import { generateAccessKey } from '../auth.js';
import { actorOf, type AdminContext } from '../context.js';
import { invalid, ok } from '../envelope.js';
import { DEFAULT_GROUP } from '../groups-in-use.js';
import { userView } from '../user-view.js';

/** Models some enabled channel serves to the group (mapped names included), sorted. */
export function modelsForGroup(channels: readonly Channel[], group: string): string[] {
  const out = new Set<string>();
  for (const ch of channels) {
    if (ch.status !== 'enabled') continue;
    const groups = ch.groups.length > 0 ? ch.groups : [DEFAULT_GROUP];
    if (!groups.includes(group)) continue;
    for (const m of ch.models) out.add(m);
    for (const m of Object.keys(ch.modelMapping)) out.add(m);
  }
  return [...out].sort();
}

export function registerSelfRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/user/self', async (req) => {
    // Re-read: balance and usage move with every request the account makes.
    const actor = actorOf(req);
    const fresh = (await ctx.repos.users.get(actor.id)) ?? actor;
    return ok(userView(fresh));
  });

  app.get('/api/user/models', async (req) => ok(modelsForGroup(ctx.cache.channels(), actorOf(req).group)));

  app.post('/api/user/self/access_key', async (req) => {
    const actor = actorOf(req);
    if (actor.role === 'root') {
      throw invalid('access_key', 'the root key is ADMIN_KEY; change it in the environment and restart');
    }
    const key = generateAccessKey();
    await ctx.repos.users.setAccessKey(actor.id, key);
    return ok({ access_key: key }, 'new access key; the old one no longer works and this one is shown only now');
  });
}
