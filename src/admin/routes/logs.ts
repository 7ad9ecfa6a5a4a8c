// Usage logs. Admins read every row; a user reads only their own,
// without the routing details (channel, attempts) that are the operator's.
import type { FastifyInstance } from 'fastify';
import type { User } from '../../store/entities.js';
import type { UsageLogRow } from '../../store/schema.js';
import { isAdmin } from '../auth.js';
import { actorOf, type AdminContext } from '../context.js';
import { ok, type Page } from '../envelope.js';
import { microsToUnits, microsToUsd, seconds } from '../units.js';
import { usageFilterFor } from '../usage-filter.js';
import { queryLogs } from '../usage-queries.js';
import { paging, queryOf } from '../validate.js';

function parsedJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A row with USD and units added; extra columns added by later migrations pass through. */
export function logView(row: UsageLogRow, actor: User): Record<string, unknown> {
  const r = row as UsageLogRow & Record<string, unknown>;
  const view: Record<string, unknown> = {
    ...r,
    id: Number(r.id),
    created_time: seconds(Number(r.created_at)),
    model: r.model_requested,
    is_stream: Number(r.is_stream) === 1,
    attempts: parsedJson(r.attempts),
    cost_usd: microsToUsd(Number(r.cost_micros)),
    quota: microsToUnits(Number(r.cost_micros)),
  };
  if ('cost_detail' in r) view.cost_detail = parsedJson(r.cost_detail);
  if (!isAdmin(actor)) {
    delete view.channel_id;
    delete view.attempts;
  }
  return view;
}

export function registerLogRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/logs', async (req) => {
    const actor = actorOf(req);
    const q = queryOf(req);
    const pg = paging(q);
    const filter = await usageFilterFor(ctx, actor, q);
    const { items, total } = await queryLogs(ctx.database.db, filter, pg.offset, pg.pageSize);
    return ok<Page<Record<string, unknown>>>({ items: items.map((r) => logView(r, actor)), total, page: pg.page, page_size: pg.pageSize });
  });
}
