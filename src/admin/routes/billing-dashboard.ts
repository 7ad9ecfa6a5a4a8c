// OpenAI's old billing routes, for the CALLING TOKEN (relay token auth), as
// chat front-ends still query them to show "used / limit":
//   GET /v1/dashboard/billing/subscription → hard_limit_usd
//   GET /v1/dashboard/billing/usage?start_date=&end_date= → total_usage in cents
// Errors come back in OpenAI's error shape, not the management envelope.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, kindForStatus } from '../../dialects/errors.js';
import { renderError } from '../../dialects/render-error.js';
import { authenticate, extractKey, type Caller } from '../../relay/auth.js';
import type { AdminContext } from '../context.js';
import { ApiError, toApiError } from '../envelope.js';
import { microsToUsd, seconds } from '../units.js';
import { DAY_MS } from '../usage-queries.js';
import { pickSource, usageReader } from '../usage-stats.js';
import { timeParam } from '../validate.js';

/** What new-api reports for a limit that is not one. */
export const UNLIMITED_USD = 100_000_000;
const MICROS_PER_CENT = 10_000;

function caller(ctx: AdminContext, req: FastifyRequest): Caller {
  const q = req.url.indexOf('?');
  const query = new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1));
  return authenticate(ctx.cache, extractKey(req.headers, query), req.ip, ctx.now());
}

function sendOpenAIError(reply: FastifyReply, err: unknown): void {
  let gw: GatewayError;
  if (err instanceof GatewayError) gw = err;
  else {
    const api = err instanceof ApiError ? err : toApiError(err);
    gw = new GatewayError(kindForStatus(api.status), api.message, { status: api.status, param: api.field });
  }
  const rendered = renderError('openai', gw);
  if (rendered.headers) reply.headers(rendered.headers);
  reply.status(rendered.status).send(rendered.body);
}

function utcDayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

export function registerBillingDashboardRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.setErrorHandler((err, _req, reply) => sendOpenAIError(reply, err));

  const subscription = async (req: FastifyRequest) => {
    const { token: cached, user: cachedUser } = caller(ctx, req);
    // Fresh rows: spending moves faster than the cache is told about it.
    const token = (await ctx.repos.tokens.get(cached.id)) ?? cached;
    const user = (await ctx.repos.users.get(cachedUser.id)) ?? cachedUser;
    const hard = !token.unlimited
      ? microsToUsd(token.quotaMicros)
      : user.role === 'root'
        ? UNLIMITED_USD
        : microsToUsd(user.balanceMicros);
    return {
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: hard,
      hard_limit_usd: hard,
      system_hard_limit_usd: hard,
      access_until: token.expiresAt === null ? 0 : seconds(token.expiresAt),
    };
  };

  const usage = async (req: FastifyRequest) => {
    const { token } = caller(ctx, req);
    const q = req.query as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
    const now = ctx.now();
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    const from = timeParam('start_date', str(q.start_date)) ?? monthStart;
    // end_date is exclusive, as in OpenAI's API; by default the range ends tonight.
    const to = timeParam('end_date', str(q.end_date)) ?? utcDayStart(now) + DAY_MS;
    if (from >= to) throw new GatewayError('invalid_request', 'end_date must be later than start_date.', { param: 'end_date' });
    const filter = { tokenId: token.id, from, to };
    const reader = usageReader({ repos: ctx.repos, db: ctx.database.db }, filter, pickSource(filter));
    const [totals, byDay] = await Promise.all([reader.totals(), reader.costByDayModel()]);
    const days = new Map<number, Array<{ name: string; cost: number }>>();
    for (const r of byDay) {
      const items = days.get(r.day) ?? [];
      items.push({ name: r.model || 'unknown', cost: r.cost_micros / MICROS_PER_CENT });
      days.set(r.day, items);
    }
    return {
      object: 'list',
      daily_costs: [...days].map(([day, line_items]) => ({ timestamp: seconds(day), line_items })),
      total_usage: totals.cost_micros / MICROS_PER_CENT,
    };
  };

  for (const prefix of ['/v1/dashboard', '/dashboard']) {
    app.get(`${prefix}/billing/subscription`, subscription);
    app.get(`${prefix}/billing/usage`, usage);
  }
}
