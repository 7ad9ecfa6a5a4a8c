import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './app.js';

/** Liveness, readiness (the database answers) and Prometheus metrics. */
export function registerHealthRoutes(app: FastifyInstance, opts: Pick<AppOptions, 'metrics' | 'databaseReady'>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ok = await opts.databaseReady().catch(() => false);
    reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unreachable' });
  });
  app.get('/metrics', async (_req, reply) => {
    reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
}
