// Admin: channels (upstream connections). Keys are masked in every answer;
// an update without `keys` keeps them.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { maskKey } from '../../store/crypto.js';
import type { Channel } from '../../store/entities.js';
import { requireAdmin } from '../auth.js';
import { assertChannelComplete, CHANNEL_READ_ONLY, channelBodySchema, channelPatchFromBody, settingsView } from '../channel-input.js';
import { testChannel } from '../channel-test.js';
import { actorOf, type AdminContext, type BreakerView } from '../context.js';
import { invalid, notFound, ok, type Page } from '../envelope.js';
import { assertGroupExists } from '../groups-in-use.js';
import { idParam, modelName, optionalInt, paging, parseBody, parseWith, queryOf } from '../validate.js';

/** A channel as the API shows it, with its live breaker state (the channel's own, then one per key that has one). */
export function channelView(c: Channel, breakers?: BreakerView) {
  const health = breakers?.snapshotChannel(c.id) ?? [];
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    base_url: c.baseUrl,
    models: c.models,
    model_mapping: c.modelMapping,
    groups: c.groups,
    priority: c.priority,
    weight: c.weight,
    status: c.status,
    status_reason: c.statusReason,
    settings: settingsView(c.settings),
    keys: c.keys.map((k) => ({ id: k.id, key: maskKey(k.key), status: k.status, status_reason: k.statusReason })),
    key_count: c.keys.length,
    breaker: health.find((b) => b.key_id === null) ?? null,
    key_breakers: health.filter((b) => b.key_id !== null),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
export type ChannelView = ReturnType<typeof channelView>;

async function channelOr404(ctx: AdminContext, id: number): Promise<Channel> {
  const channel = await ctx.repos.channels.get(id);
  if (!channel) throw notFound(`channel ${id} not found`);
  return channel;
}

async function assertGroups(ctx: AdminContext, groups: string[] | undefined): Promise<void> {
  for (const [i, g] of (groups ?? []).entries()) await assertGroupExists(ctx, g, `groups[${i}]`);
}

const testBody = z.strictObject({ model: modelName.optional(), timeout_ms: z.number().int().min(100).max(300_000).optional() });

export function registerChannelRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/channels', async (req) => {
    requireAdmin(actorOf(req));
    const q = queryOf(req);
    const pg = paging(q);
    const keyword = q.keyword?.trim().toLowerCase();
    let all = await ctx.repos.channels.list();
    if (keyword) all = all.filter((c) => c.name.toLowerCase().includes(keyword) || c.models.some((m) => m.toLowerCase().includes(keyword)));
    if (q.type) all = all.filter((c) => c.type === q.type);
    if (q.status) all = all.filter((c) => c.status === q.status);
    // The console's filters: name, group (exact), model (served or mapped, in part).
    const name = q.name?.trim().toLowerCase();
    if (name) all = all.filter((c) => c.name.toLowerCase().includes(name));
    if (q.group) all = all.filter((c) => c.groups.includes(q.group!));
    const model = q.model?.trim().toLowerCase();
    if (model) all = all.filter((c) => [...c.models, ...Object.keys(c.modelMapping)].some((m) => m.toLowerCase().includes(model)));
    const items = all.slice(pg.offset, pg.offset + pg.pageSize).map((c) => channelView(c, ctx.breakers));
    return ok<Page<ChannelView>>({ items, total: all.length, page: pg.page, page_size: pg.pageSize });
  });

  app.get('/api/channels/:id', async (req) => {
    requireAdmin(actorOf(req));
    return ok(channelView(await channelOr404(ctx, idParam(req)), ctx.breakers));
  });

  app.post('/api/channels', async (req) => {
    requireAdmin(actorOf(req));
    const patch = channelPatchFromBody(parseBody(req, channelBodySchema, CHANNEL_READ_ONLY));
    if (patch.name === undefined) throw invalid('name', 'is required');
    if (patch.type === undefined) throw invalid('type', 'is required');
    const input = { ...patch, name: patch.name, type: patch.type, baseUrl: patch.baseUrl ?? '', keys: patch.keys ?? [], models: patch.models ?? [] };
    assertChannelComplete(input);
    await assertGroups(ctx, input.groups);
    return ok(channelView(await ctx.repos.channels.create(input), ctx.breakers), 'channel created');
  });

  app.put('/api/channels/:id', async (req) => {
    requireAdmin(actorOf(req));
    const current = await channelOr404(ctx, idParam(req));
    const patch = channelPatchFromBody(parseBody(req, channelBodySchema, CHANNEL_READ_ONLY), current);
    assertChannelComplete({ type: patch.type ?? current.type, baseUrl: patch.baseUrl ?? current.baseUrl });
    await assertGroups(ctx, patch.groups);
    const updated = Object.keys(patch).length > 0 ? await ctx.repos.channels.update(current.id, patch) : current;
    return ok(channelView(updated, ctx.breakers));
  });

  for (const [action, status] of [
    ['enable', 'enabled'],
    ['disable', 'disabled'],
  ] as const) {
    app.post(`/api/channels/:id/${action}`, async (req) => {
      requireAdmin(actorOf(req));
      const channel = await channelOr404(ctx, idParam(req));
      await ctx.repos.channels.setStatus(channel.id, status, null);
      return ok(channelView(await channelOr404(ctx, channel.id), ctx.breakers));
    });
    // One key of a multi-key channel: a key set aside automatically (refused, out of credit) comes back by hand.
    app.post(`/api/channels/:id/keys/:keyId/${action}`, async (req) => {
      requireAdmin(actorOf(req));
      const channel = await channelOr404(ctx, idParam(req));
      const keyId = Number((req.params as { keyId?: string }).keyId);
      if (!channel.keys.some((k) => k.id === keyId)) throw notFound(`key ${String((req.params as { keyId?: string }).keyId)} not found on channel ${channel.id}`);
      await ctx.repos.channels.setKeyStatus(keyId, status, null);
      return ok(channelView(await channelOr404(ctx, channel.id), ctx.breakers));
    });
  }

  /** Every breaker that has seen traffic: channels and keys, open, half-open or closed. */
  app.get('/api/channels/health', async (req) => {
    requireAdmin(actorOf(req));
    return ok({ items: ctx.breakers.snapshot() });
  });

  app.post('/api/channels/:id/test', async (req) => {
    requireAdmin(actorOf(req));
    const channel = await channelOr404(ctx, idParam(req));
    const q = queryOf(req);
    const body = parseBody(req, testBody);
    const model = body.model ?? (q.model ? parseWith(modelName, q.model, 'model') : undefined);
    const timeoutMs = body.timeout_ms ?? optionalInt('timeout_ms', q.timeout_ms, 100);
    const result = await testChannel(channel, ctx.providers, { model, timeoutMs, dispatcher: ctx.dispatcherFor?.(channel.settings) });
    return { success: result.ok, message: result.message, data: result };
  });

  app.delete('/api/channels/:id', async (req) => {
    requireAdmin(actorOf(req));
    const channel = await channelOr404(ctx, idParam(req));
    await ctx.repos.channels.delete(channel.id);
    return ok({ id: channel.id }, 'channel deleted');
  });
}
