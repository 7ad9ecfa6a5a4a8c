// Query string → UsageFilter for the logs and stats routes, scoped to the
// caller: a plain user always sees only their own rows, and naming another
// user or someone else's token is refused rather than silently emptied.
import type { User } from '../store/entities.js';
import { isAdmin } from './auth.js';
import type { AdminContext } from './context.js';
import { forbidden, invalid } from './envelope.js';
import type { UsageFilter } from './usage-queries.js';
import { optionalInt, parseWith, modelName, timeParam } from './validate.js';

function statusParam(raw: string | undefined): UsageFilter['status'] {
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = raw.trim().toLowerCase();
  if (t === 'success' || t === 'error') return t;
  if (/^\d{1,3}$/.test(t)) return Number(t);
  throw invalid('status', `expected an HTTP status, "success" or "error", got ${JSON.stringify(raw)}`);
}

export async function usageFilterFor(ctx: AdminContext, actor: User, q: Record<string, string>): Promise<UsageFilter> {
  const f: UsageFilter = {
    tokenId: optionalInt('token_id', q.token_id, 1),
    userId: optionalInt('user_id', q.user_id, 1),
    channelId: optionalInt('channel_id', q.channel_id, 1),
    model: q.model?.trim() ? parseWith(modelName, q.model.trim(), 'model') : undefined,
    status: statusParam(q.status),
    // new-api's names (epoch seconds) are read too.
    from: timeParam(q.from !== undefined ? 'from' : 'start_timestamp', q.from ?? q.start_timestamp),
    to: timeParam(q.to !== undefined ? 'to' : 'end_timestamp', q.to ?? q.end_timestamp),
  };
  if (f.from !== undefined && f.to !== undefined && f.from >= f.to) throw invalid('to', 'must be later than from');
  if (isAdmin(actor)) return f;

  if (f.userId !== undefined && f.userId !== actor.id) throw forbidden('you may read only your own usage');
  if (f.tokenId !== undefined) {
    const token = await ctx.repos.tokens.get(f.tokenId);
    if (token && token.userId !== actor.id) throw forbidden(`token ${f.tokenId} is not yours`);
  }
  return { ...f, userId: actor.id };
}
