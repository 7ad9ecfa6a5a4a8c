// Admin: user accounts. Nobody becomes root through the API; only root grants
// or manages admins; the root user is never disabled, demoted or deleted.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import * as z from 'zod';
import { hashKey } from '../../store/crypto.js';
import type { User } from '../../store/entities.js';
import type { UserInput } from '../../store/repositories.js';
import { canManage, generateAccessKey, requireAdmin } from '../auth.js';
import { balanceFromEcho, pickEdited } from '../echo.js';
import { actorOf, type AdminContext } from '../context.js';
import { conflict, forbidden, invalid, notFound, ok, type Page } from '../envelope.js';
import { assertGroupExists } from '../groups-in-use.js';
import { MAX_UNITS, MAX_USD, microsToUnits, microsToUsd, unitsToMicros, usdToMicros } from '../units.js';
import { userView, type UserView } from '../user-view.js';
import { mergeLimits, groupName, idParam, limitsSchema, paging, parseBody, queryOf, usd } from '../validate.js';

const userName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'use letters, digits, "_", "-", "." and "@" (up to 64)');
const accessKey = z
  .string()
  .min(16)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'must not contain spaces or non-ASCII characters');
const status = z.union([z.enum(['enabled', 'disabled']), z.literal(1), z.literal(2)]);

const userFields = {
  name: userName,
  display_name: z.string().max(128),
  role: z.enum(['root', 'admin', 'user']),
  group: groupName,
  balance_usd: usd,
  quota: z.number().int().min(0).max(MAX_UNITS),
  status,
  access_key: accessKey,
  limits: z.union([limitsSchema, z.null()]),
  // Echoed by clients that PUT back what they read: what was spent when they looked.
  used_usd: usd,
  used_quota: z.number().int().min(0).max(MAX_UNITS),
};
const createSchema = z.strictObject(userFields).partial().required({ name: true });
const updateSchema = z.strictObject(userFields).partial();
const READ_ONLY = ['id', 'username', 'status_name', 'unlimited', 'created_at', 'updated_at'];

type UserBody = z.output<typeof updateSchema>;

function inputFrom(body: UserBody, current?: User): Partial<UserInput> & { limits?: User['limits'] } {
  const out: Partial<UserInput> & { limits?: User['limits'] } = {};
  if (body.name !== undefined) out.name = body.name;
  if (body.display_name !== undefined) out.displayName = body.display_name;
  // An echoed role changes nothing; nobody becomes root through the API.
  if (body.role !== undefined && body.role !== current?.role) {
    if (body.role === 'root') throw invalid('role', 'there is one root user; use "admin" or "user"');
    out.role = body.role;
  }
  if (body.group !== undefined) out.group = body.group;
  const balance = balanceFrom(body, current);
  if (balance !== undefined) out.balanceMicros = balance;
  if (body.status !== undefined) out.status = body.status === 1 || body.status === 'enabled' ? 'enabled' : 'disabled';
  if (body.limits !== undefined) out.limits = mergeLimits(current?.limits, body.limits);
  return out;
}

/** The balance a body sets: the edited twin, counted from what the client saw (./echo.ts). */
function balanceFrom(body: UserBody, current: User | undefined): number | undefined {
  const pick = pickEdited(
    body.balance_usd,
    body.quota,
    current && microsToUsd(current.balanceMicros),
    current && microsToUnits(current.balanceMicros),
  );
  if (pick === undefined) return undefined;
  const given = pick === 'ours' ? usdToMicros(body.balance_usd!) : unitsToMicros(body.quota!);
  if (!current) return given;
  const usedSeen =
    body.used_usd !== undefined ? usdToMicros(body.used_usd) : body.used_quota !== undefined ? unitsToMicros(body.used_quota) : current.usedMicros;
  return balanceFromEcho(given, usedSeen, current.usedMicros, current.balanceMicros);
}

async function target(ctx: AdminContext, actor: User, id: number): Promise<User> {
  const user = await ctx.repos.users.get(id);
  if (!user) throw notFound(`user ${id} not found`);
  if (!canManage(actor, user)) throw forbidden(`user ${id} is not an account you manage`);
  return user;
}

async function assertKeyFree(ctx: AdminContext, key: string): Promise<void> {
  if (await ctx.repos.users.byAccessKeyHash(hashKey(key))) throw conflict('access_key: another account already uses this key');
}

export function registerUserRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/users', async (req) => {
    requireAdmin(actorOf(req));
    const q = queryOf(req);
    const pg = paging(q);
    const { items, total } = await ctx.repos.users.list({ keyword: q.keyword?.trim() || undefined, offset: pg.offset, limit: pg.pageSize });
    return ok<Page<UserView>>({ items: items.map(userView), total, page: pg.page, page_size: pg.pageSize });
  });

  app.get('/api/users/:id', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    return ok(userView(await target(ctx, actor, idParam(req))));
  });

  app.post('/api/users', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    const body = parseBody(req, createSchema, READ_ONLY);
    if (body.role === 'admin' && actor.role !== 'root') throw forbidden('role: only root may create administrators');
    if (body.group !== undefined) await assertGroupExists(ctx, body.group);
    const key = body.access_key ?? generateAccessKey();
    await assertKeyFree(ctx, key);
    const input = { ...inputFrom(body), name: body.name };
    const user = await ctx.repos.users.create(input);
    await ctx.repos.users.setAccessKey(user.id, key);
    return ok({ ...userView(user), access_key: key }, 'user created; the access key is shown only now');
  });

  app.put('/api/users/:id', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    const user = await target(ctx, actor, idParam(req));
    const body = parseBody(req, updateSchema, READ_ONLY);
    const patch = inputFrom(body, user);
    if (user.role === 'root' && (patch.role !== undefined || patch.status === 'disabled')) {
      throw forbidden('the root user cannot be demoted or disabled');
    }
    if (patch.role !== undefined && patch.role !== user.role && actor.role !== 'root') {
      throw forbidden('role: only root may grant or remove the admin role');
    }
    if (user.id === actor.id && patch.status === 'disabled') throw invalid('status', 'you cannot disable your own account');
    if (patch.group !== undefined) await assertGroupExists(ctx, patch.group);
    if (body.access_key !== undefined) {
      if (user.role === 'root') throw invalid('access_key', 'the root key is ADMIN_KEY; change it in the environment');
      await assertKeyFree(ctx, body.access_key);
    }
    let updated = Object.keys(patch).length > 0 ? await ctx.repos.users.update(user.id, patch) : user;
    if (body.access_key !== undefined) {
      await ctx.repos.users.setAccessKey(user.id, body.access_key);
      updated = (await ctx.repos.users.get(user.id)) ?? updated;
    }
    return ok(userView(updated));
  });

  app.post('/api/users/:id/topup', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    const user = await target(ctx, actor, idParam(req));
    const body = parseBody(
      req,
      z.strictObject({ amount_usd: z.number().min(-MAX_USD).max(MAX_USD).refine((n) => n !== 0, 'must not be zero') }),
    );
    const delta = usdToMicros(body.amount_usd);
    // One statement, so a top-up never loses a charge written at the same moment.
    const res = await ctx.database.db
      .updateTable('users')
      .set({ balance_micros: sql<number>`balance_micros + ${delta}`, updated_at: ctx.now() })
      .where('id', '=', user.id)
      .where(sql<boolean>`balance_micros + ${delta} >= 0`)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw invalid('amount_usd', 'would leave the balance below zero');
    // An empty patch re-reads the row and tells every cache it changed.
    return ok(userView(await ctx.repos.users.update(user.id, {})), 'balance updated');
  });

  for (const [action, status] of [
    ['disable', 'disabled'],
    ['enable', 'enabled'],
  ] as const) {
    app.post(`/api/users/:id/${action}`, async (req) => {
      const actor = actorOf(req);
      requireAdmin(actor);
      const user = await target(ctx, actor, idParam(req));
      if (status === 'disabled' && user.role === 'root') throw forbidden('the root user cannot be disabled');
      if (status === 'disabled' && user.id === actor.id) throw invalid('id', 'you cannot disable your own account');
      return ok(userView(await ctx.repos.users.update(user.id, { status })));
    });
  }

  app.post('/api/users/:id/access_key', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    const user = await target(ctx, actor, idParam(req));
    const body = parseBody(req, z.strictObject({ access_key: accessKey.optional() }));
    if (user.role === 'root') throw invalid('access_key', 'the root key is ADMIN_KEY; change it in the environment');
    const key = body.access_key ?? generateAccessKey();
    await assertKeyFree(ctx, key);
    await ctx.repos.users.setAccessKey(user.id, key);
    return ok({ id: user.id, access_key: key }, 'access key set; it is shown only now');
  });

  app.delete('/api/users/:id', async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    const user = await target(ctx, actor, idParam(req));
    if (user.role === 'root') throw forbidden('the root user cannot be deleted');
    if (user.id === actor.id) throw invalid('id', 'you cannot delete your own account');
    await ctx.repos.users.delete(user.id);
    return ok({ id: user.id }, 'user and its tokens deleted');
  });
}
