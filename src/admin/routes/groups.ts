// Admin: groups and their price ratios. Upserts by name; a group still used by
// a user, a token or a channel (or the default group) is never deleted.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Group } from '../../store/entities.js';
import { requireAdmin } from '../auth.js';
import { actorOf, type AdminContext } from '../context.js';
import { conflict, notFound, ok, type Page } from '../envelope.js';
import { DEFAULT_GROUP, groupUse } from '../groups-in-use.js';
import { groupName, parseBody, parseWith } from '../validate.js';

const ratio = z.number().min(0).max(1000);
const description = z.string().max(1000);
const createSchema = z.strictObject({ name: groupName, ratio: ratio.optional(), description: description.optional() });
const updateSchema = z.strictObject({ ratio: ratio.optional(), description: description.optional() });
const READ_ONLY = ['id', 'name', 'created_at', 'updated_at'];

function groupView(g: Group) {
  return { id: g.id, name: g.name, ratio: g.ratio, description: g.description };
}

function nameParam(params: unknown): string {
  return parseWith(groupName, (params as { name?: string }).name, 'name');
}

export function registerGroupRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/groups', async (req) => {
    requireAdmin(actorOf(req));
    const items = (await ctx.repos.groups.list()).map(groupView).sort((a, b) => a.name.localeCompare(b.name));
    return ok<Page<ReturnType<typeof groupView>>>({ items, total: items.length, page: 1, page_size: items.length });
  });

  app.get('/api/groups/:name', async (req) => {
    requireAdmin(actorOf(req));
    const name = nameParam(req.params);
    const group = await ctx.repos.groups.byName(name);
    if (!group) throw notFound(`group ${JSON.stringify(name)} not found`);
    return ok({ ...groupView(group), used_by: await groupUse(ctx, name) });
  });

  app.post('/api/groups', async (req) => {
    requireAdmin(actorOf(req));
    const body = parseBody(req, createSchema, ['id', 'created_at', 'updated_at']);
    return ok(groupView(await ctx.repos.groups.upsert(body)));
  });

  app.put('/api/groups/:name', async (req) => {
    requireAdmin(actorOf(req));
    const name = nameParam(req.params);
    const body = parseBody(req, updateSchema, READ_ONLY);
    return ok(groupView(await ctx.repos.groups.upsert({ name, ...body })));
  });

  app.delete('/api/groups/:name', async (req) => {
    requireAdmin(actorOf(req));
    const name = nameParam(req.params);
    if (name === DEFAULT_GROUP) throw conflict('the default group cannot be deleted');
    if (!(await ctx.repos.groups.byName(name))) throw notFound(`group ${JSON.stringify(name)} not found`);
    const use = await groupUse(ctx, name);
    if (use.users + use.tokens + use.channels > 0) {
      throw conflict(
        `group ${JSON.stringify(name)} is in use by ${use.users} user(s), ${use.tokens} token(s) and ${use.channels} channel(s); move them first`,
      );
    }
    await ctx.repos.groups.delete(name);
    return ok({ name }, 'group deleted');
  });
}
