// The management API (CONTRACT §5) as one fastify plugin, plus OpenAI's old
// billing routes for the calling token. Wire it in through AppOptions.plugins:
//   plugins: [(app) => registerAdminRoutes(app, { repos, cache, database, prices, providers })]
import type { FastifyInstance } from 'fastify';
import { createProviderRegistry } from '../providers/registry.js';
import { resolveActor } from './auth.js';
import { setActor, type AdminContext, type AdminDeps } from './context.js';
import { sendApiError } from './envelope.js';
import { registerBillingDashboardRoutes } from './routes/billing-dashboard.js';
import { registerChannelRoutes } from './routes/channels.js';
import { registerGroupRoutes } from './routes/groups.js';
import { registerImageModelRoutes } from './routes/image-models.js';
import { registerLogRoutes } from './routes/logs.js';
import { registerPriceRoutes } from './routes/prices.js';
import { registerSelfRoutes } from './routes/self.js';
import { registerStatsRoutes } from './routes/stats.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerUserRoutes } from './routes/users.js';

export type { AdminDeps } from './context.js';
export type { ChannelTestResult } from './channel-test.js';
export { testChannel } from './channel-test.js';
export { UNITS_PER_USD, microsToUnits, unitsToMicros, microsToUsd } from './units.js';

function contextFrom(deps: AdminDeps): AdminContext {
  return {
    repos: deps.repos,
    cache: deps.cache,
    database: deps.database,
    builtinPrices: () => deps.prices?.builtin() ?? {},
    providers: deps.providers ?? createProviderRegistry({ simulatorUrl: () => undefined }),
    now: deps.now ?? Date.now,
    breakers: deps.breakers ?? { snapshot: () => [], snapshotChannel: () => [] },
    ...(deps.dispatcherFor && { dispatcherFor: deps.dispatcherFor }),
  };
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const ctx = contextFrom(deps);

  // Encapsulated: the auth hook and the envelope error handler cover /api only.
  void app.register(async (api) => {
    api.setErrorHandler((err, _req, reply) => sendApiError(reply, err));
    api.addHook('onRequest', async (req) => {
      setActor(req, await resolveActor(ctx.repos, req.headers));
    });
    registerSelfRoutes(api, ctx);
    registerImageModelRoutes(api, ctx);
    registerTokenRoutes(api, ctx);
    registerUserRoutes(api, ctx);
    registerGroupRoutes(api, ctx);
    registerPriceRoutes(api, ctx);
    registerChannelRoutes(api, ctx);
    registerLogRoutes(api, ctx);
    registerStatsRoutes(api, ctx);
  });

  void app.register(async (scope) => registerBillingDashboardRoutes(scope, ctx));
}
