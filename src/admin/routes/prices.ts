// Prices: the built-in book merged with overrides (config or API), each entry
// marked with where it comes from. PUT overrides a model; DELETE drops the
// override so the built-in price applies again. Any caller may read; only
// admins write. Model names may hold slashes (`deepseek/deepseek-chat`).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { modelPriceShape } from '../../billing/price-shape.js';
import type { ModelPrice } from '../../store/entities.js';
import { requireAdmin } from '../auth.js';
import { actorOf, type AdminContext } from '../context.js';
import { invalid, notFound, ok, type Page } from '../envelope.js';
import { jsonBody, modelName, paging, parseWith, queryOf, usd, withoutReadOnly } from '../validate.js';

export const priceSchema = z
  .strictObject(modelPriceShape(usd, z.string().trim().min(1).max(32)))
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: 'set at least one price' });

export interface PriceEntry {
  model: string;
  price: ModelPrice;
  source: 'builtin' | 'config' | 'api';
  /** The built-in price an override replaces, if any. */
  builtin: ModelPrice | null;
}

function mergedPrices(ctx: AdminContext, overrides: Array<{ model: string; price: ModelPrice; source: 'config' | 'api' }>): PriceEntry[] {
  const builtin = ctx.builtinPrices();
  const out = new Map<string, PriceEntry>();
  for (const [model, price] of Object.entries(builtin)) out.set(model, { model, price, source: 'builtin', builtin: null });
  for (const o of overrides) out.set(o.model, { model: o.model, price: o.price, source: o.source, builtin: builtin[o.model] ?? null });
  return [...out.values()].sort((a, b) => a.model.localeCompare(b.model));
}

/** The bare price, or the entry shape the list shows (`{ model, price: {…}, source }`). */
function priceFromBody(req: FastifyRequest): ModelPrice {
  const body = jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'expected a JSON object');
  const record = body as Record<string, unknown>;
  if ('price' in record) return parseWith(priceSchema, record.price, 'price') as ModelPrice;
  return parseWith(priceSchema, withoutReadOnly(record, ['model', 'source', 'builtin'])) as ModelPrice;
}

function modelParam(req: FastifyRequest): string {
  return parseWith(modelName, (req.params as { '*'?: string })['*'] ?? '', 'model');
}

export function registerPriceRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/prices', async (req) => {
    actorOf(req);
    const q = queryOf(req);
    const pg = paging({ page_size: '100', ...q });
    const keyword = q.keyword?.trim().toLowerCase();
    const source = q.source?.trim();
    let all = mergedPrices(ctx, await ctx.repos.prices.list());
    if (keyword) all = all.filter((p) => p.model.toLowerCase().includes(keyword));
    if (source) all = all.filter((p) => p.source === source);
    const items = all.slice(pg.offset, pg.offset + pg.pageSize);
    return ok<Page<PriceEntry>>({ items, total: all.length, page: pg.page, page_size: pg.pageSize });
  });

  app.get('/api/prices/*', async (req) => {
    actorOf(req);
    const model = modelParam(req);
    const override = await ctx.repos.prices.get(model);
    const entry = mergedPrices(ctx, override ? [override] : []).find((p) => p.model === model);
    if (!entry) throw notFound(`no price for model ${JSON.stringify(model)}`);
    return ok(entry);
  });

  app.put('/api/prices/*', async (req) => {
    requireAdmin(actorOf(req));
    const model = modelParam(req);
    const saved = await ctx.repos.prices.upsert(model, priceFromBody(req), 'api');
    return ok<PriceEntry>({ ...saved, builtin: ctx.builtinPrices()[model] ?? null });
  });

  app.delete('/api/prices/*', async (req) => {
    requireAdmin(actorOf(req));
    const model = modelParam(req);
    if (!(await ctx.repos.prices.get(model))) throw notFound(`model ${JSON.stringify(model)} has no override to delete`);
    await ctx.repos.prices.delete(model);
    const builtin = ctx.builtinPrices()[model] ?? null;
    return ok({ model, builtin }, builtin ? 'override removed; the built-in price applies again' : 'price removed');
  });
}
