// new-api compatible token routes. A user sees and changes only their own
// tokens; admins may name another user (`user_id`) they manage.
import type { FastifyInstance } from 'fastify';
import type { Token, User } from '../../store/entities.js';
import { hashKey } from '../../store/crypto.js';
import type { TokenInput } from '../../store/repositories.js';
import { actorOf, type AdminContext } from '../context.js';
import { canManage, isAdmin } from '../auth.js';
import { forbidden, invalid, notFound, ok, type Page } from '../envelope.js';
import { assertGroupUsable } from '../groups-in-use.js';
import { applied, assertCanEnable, statusFromBody, tokenBodySchema, tokenPatchFromBody } from '../token-input.js';
import { effectiveStatus, TOKEN_STATUS, tokenView, type TokenView } from '../token-view.js';
import { idParam, paging, parseBody, queryOf } from '../validate.js';

/** `last_used_at` is not on the Token entity; read it for the rows being shown. */
async function lastUsed(ctx: AdminContext, ids: number[]): Promise<Map<number, number | null>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.database.db.selectFrom('tokens').select(['id', 'last_used_at']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r.last_used_at === null ? null : Number(r.last_used_at)]));
}

async function views(ctx: AdminContext, tokens: Token[]): Promise<TokenView[]> {
  const used = await lastUsed(ctx, tokens.map((t) => t.id));
  const now = ctx.now();
  return tokens.map((t) => tokenView(t, { now, accessedAt: used.get(t.id) ?? null }));
}

async function userOrThrow(ctx: AdminContext, id: number, field: string): Promise<User> {
  const user = await ctx.repos.users.get(id);
  if (!user) throw invalid(field, `no user with id ${id}`);
  return user;
}

/** The token, if the caller may touch it: 404 when absent, 403 when someone else's. */
async function ownedToken(ctx: AdminContext, actor: User, id: number): Promise<{ token: Token; owner: User }> {
  const token = await ctx.repos.tokens.get(id);
  if (!token) throw notFound(`token ${id} not found`);
  if (token.userId === actor.id) return { token, owner: actor };
  if (!isAdmin(actor)) throw forbidden(`token ${id} is not yours`);
  const owner = await ctx.repos.users.get(token.userId);
  if (!owner || !canManage(actor, owner)) throw forbidden(`token ${id} belongs to an account you do not manage`);
  return { token, owner };
}

/** Whose tokens a list shows: the caller's, or (admins) `user_id=N` / `user_id=all`. */
async function listScope(ctx: AdminContext, actor: User, raw: string | undefined): Promise<number | undefined> {
  if (raw === undefined || raw === '' || raw === String(actor.id)) return actor.id;
  if (!isAdmin(actor)) throw forbidden('you may list only your own tokens');
  if (raw === 'all') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw invalid('user_id', `expected a user id or "all", got ${JSON.stringify(raw)}`);
  const owner = await userOrThrow(ctx, Number(raw), 'user_id');
  if (!canManage(actor, owner)) throw forbidden(`user ${owner.id} is not an account you manage`);
  return owner.id;
}

const TOKEN_KEY = /^sk-[\x21-\x7e]{13,125}$/;

export function registerTokenRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/token/', async (req) => {
    const actor = actorOf(req);
    const q = queryOf(req);
    const pg = paging(q);
    const userId = await listScope(ctx, actor, q.user_id);
    const { items, total } = await ctx.repos.tokens.list({ userId, offset: pg.offset, limit: pg.pageSize });
    return ok<Page<TokenView>>({ items: await views(ctx, items), total, page: pg.page, page_size: pg.pageSize });
  });

  app.get('/api/token/search', async (req) => {
    const actor = actorOf(req);
    const q = queryOf(req);
    const pg = paging(q);
    const userId = await listScope(ctx, actor, q.user_id);
    if (q.token) {
      // Keys are stored hashed: only a whole key can be searched for.
      const t = await ctx.repos.tokens.byHash(hashKey(q.token.trim()));
      const mine = t && (userId === undefined || t.userId === userId) ? [t] : [];
      return ok<Page<TokenView>>({ items: await views(ctx, mine), total: mine.length, page: 1, page_size: pg.pageSize });
    }
    const keyword = q.keyword?.trim() || undefined;
    const { items, total } = await ctx.repos.tokens.list({ userId, keyword, offset: pg.offset, limit: pg.pageSize });
    return ok<Page<TokenView>>({ items: await views(ctx, items), total, page: pg.page, page_size: pg.pageSize });
  });

  app.get('/api/token/:id', async (req) => {
    const { token } = await ownedToken(ctx, actorOf(req), idParam(req));
    const [view] = await views(ctx, [token]);
    return ok(view);
  });

  app.post('/api/token/:id/key', async (req) => {
    const { token } = await ownedToken(ctx, actorOf(req), idParam(req));
    return ok({ id: token.id, key: await ctx.repos.tokens.revealKey(token.id) });
  });

  app.post('/api/token/', async (req) => {
    const actor = actorOf(req);
    const body = parseBody(req, tokenBodySchema);
    let owner = actor;
    if (body.user_id !== undefined && body.user_id !== actor.id) {
      if (!isAdmin(actor)) throw forbidden('you may create tokens only for yourself');
      owner = await userOrThrow(ctx, body.user_id, 'user_id');
      if (!canManage(actor, owner)) throw forbidden(`user ${owner.id} is not an account you manage`);
    }
    if (body.name === undefined) throw invalid('name', 'is required');
    if (body.key !== undefined) {
      if (!isAdmin(actor)) throw forbidden('only administrators may choose a token key');
      if (!TOKEN_KEY.test(body.key)) throw invalid('key', 'must start with "sk-", be 16 to 128 characters, without spaces');
    }
    const patch = tokenPatchFromBody(body, undefined);
    await assertGroupUsable(ctx, actor, owner, patch.group);
    const input: TokenInput = { ...patch, userId: owner.id, name: body.name, key: body.key };
    const { token, key } = await ctx.repos.tokens.create(input);
    return ok(tokenView(token, { now: ctx.now(), key }), 'token created; the full key is in this answer (POST /api/token/{id}/key shows it again)');
  });

  app.put('/api/token/', async (req) => {
    const actor = actorOf(req);
    const body = parseBody(req, tokenBodySchema);
    if (body.id === undefined) throw invalid('id', 'is required');
    const { token, owner } = await ownedToken(ctx, actor, body.id);
    const now = ctx.now();
    const statusOnly = (queryOf(req).status_only ?? '') !== '';

    if (statusOnly) {
      const status = statusFromBody(body.status);
      if (status === undefined) throw invalid('status', 'is required with status_only');
      if (status === 'enabled') assertCanEnable({ ...token, status }, now);
      const updated = await ctx.repos.tokens.update(token.id, { status });
      return ok((await views(ctx, [updated]))[0]);
    }

    // new-api's full update ignores status; we apply 1 / 2 only when they change
    // something, so an echoed 3 / 4 (a state, not a choice) is no error.
    const shown = TOKEN_STATUS[effectiveStatus(token, now)];
    const echoedStatus = body.status === shown || body.status === 3 || body.status === 4;
    const patch = tokenPatchFromBody(echoedStatus ? { ...body, status: undefined } : body, token);
    if (patch.group !== undefined && patch.group !== token.group) await assertGroupUsable(ctx, actor, owner, patch.group);
    const after = applied(token, patch);
    if (patch.status === 'enabled') assertCanEnable(after, now);
    // A token set aside as expired / exhausted comes back once the edit makes it usable.
    if (patch.status === undefined && (token.status === 'expired' || token.status === 'exhausted')) {
      if (effectiveStatus({ ...after, status: 'enabled' }, now) === 'enabled') patch.status = 'enabled';
    }
    const updated = Object.keys(patch).length > 0 ? await ctx.repos.tokens.update(token.id, patch) : token;
    return ok((await views(ctx, [updated]))[0]);
  });

  app.delete('/api/token/:id', async (req) => {
    const { token } = await ownedToken(ctx, actorOf(req), idParam(req));
    await ctx.repos.tokens.delete(token.id);
    return ok({ id: token.id }, 'token deleted');
  });
}
