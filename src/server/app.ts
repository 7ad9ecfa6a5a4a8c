// The HTTP surface: relay routes for every dialect, health and metrics, and the
// shared plumbing (request ids, Server-Timing, body limit, dialect-shaped errors).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import { renderError } from '../dialects/render-error.js';
import { authenticate, extractKey } from '../relay/auth.js';
import { modelBody, modelsListBody, visibleModels } from '../relay/models-list.js';
import type { RelayDeps } from '../relay/relay-handler.js';
import {
  ANTHROPIC_ROUTES,
  OPENAI_ROUTES,
  dialectForPath,
  geminiRoute,
  modelsDialect,
  parseGeminiModelPath,
  type RelayRouteSpec,
} from '../relay/routes.js';
import type { Metrics } from './metrics.js';
import { registerHealthRoutes } from './health.js';
import { registerConsole } from './console-static.js';
import { createRelayListener, queryOf, startRelay, type RequestListener } from './relay-listener.js';

export interface AppOptions {
  relay: RelayDeps;
  metrics: Metrics;
  bodyLimit: number;
  /** Whether the database answers (for /readyz). */
  databaseReady(): Promise<boolean>;
  /** Extra routes (management API) registered by their owners. */
  plugins?: Array<(app: FastifyInstance) => void>;
  /** The built admin console (web/dist); found next to the installation when left out, `null` for none. */
  consoleDir?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: number;
  }
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });
  app.decorateRequest('startedAt', 0);
  app.addHook('onRequest', (req, _reply, done) => {
    req.startedAt = performance.now();
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    reply.header('server-timing', `gateway;dur=${(performance.now() - req.startedAt).toFixed(3)}`);
    done(null, payload);
  });

  // Every body arrives as raw bytes: passthrough forwards them untouched, and
  // each route parses (and refuses) in its own dialect.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const gwErr = toGatewayError(err, opts.bodyLimit);
    sendDialectError(req, reply, gwErr);
  });
  app.setNotFoundHandler((req, reply) => {
    sendDialectError(req, reply, new GatewayError('not_found', `No route for ${req.method} ${req.url.split('?')[0]}.`));
  });

  registerHealthRoutes(app, opts);
  registerConsole(app, opts.consoleDir);
  registerRelayRoutes(app, opts.relay);
  for (const plugin of opts.plugins ?? []) plugin(app);
  serveRelayBeforeFastify(app, opts);
  return app;
}

/**
 * Plain relay requests skip fastify (see relay-listener.ts): its request
 * listener is wrapped, so every server setting fastify applied stays. Relay
 * routes are still registered above for the requests it hands back.
 */
function serveRelayBeforeFastify(app: FastifyInstance, opts: AppOptions): void {
  const [fastifyListener, ...others] = app.server.listeners('request') as RequestListener[];
  if (!fastifyListener || others.length > 0) throw new Error('expected fastify to own the one request listener');
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.server.removeListener('request', fastifyListener);
  app.server.on('request', createRelayListener({ deps: opts.relay, bodyLimit: opts.bodyLimit, fallback: fastifyListener, closing: () => closing }));
}

function toGatewayError(err: Error & { statusCode?: number; code?: string }, bodyLimit: number): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('request_too_large', `The request body is larger than the limit of ${bodyLimit} bytes.`);
  }
  const status = err.statusCode;
  if (status && status >= 400 && status < 500) return new GatewayError(kindForStatus(status), err.message, { status });
  return new GatewayError('internal', 'Internal gateway error.');
}

function sendDialectError(req: FastifyRequest, reply: FastifyReply, err: GatewayError): void {
  const path = req.url.split('?')[0] ?? '/';
  if (path.startsWith('/api/')) {
    reply.status(err.status).send({ success: false, message: err.message, data: null });
    return;
  }
  const rendered = renderError(dialectForPath(path, req.headers), err);
  reply.status(rendered.status);
  if (rendered.headers) reply.headers(rendered.headers);
  reply.send(rendered.body);
}

function registerRelayRoutes(app: FastifyInstance, deps: RelayDeps): void {
  const run = (spec: RelayRouteSpec, req: FastifyRequest, reply: FastifyReply, pathModel?: string) => {
    reply.hijack();
    const start = { spec, pathModel, requestId: req.id, startedAt: req.startedAt, clientIp: req.ip };
    return startRelay(deps, start, req.raw, reply.raw, req.body as Buffer | undefined);
  };

  for (const [path, spec] of Object.entries({ ...OPENAI_ROUTES, ...ANTHROPIC_ROUTES })) {
    app.post(path, (req, reply) => run(spec, req, reply));
  }

  const geminiPost = (req: FastifyRequest, reply: FastifyReply) => {
    const tail = (req.params as { '*': string })['*'];
    const { model, method } = parseGeminiModelPath(tail);
    const spec = method ? geminiRoute(method) : undefined;
    if (!spec) {
      throw new GatewayError('not_found', `Unknown method "${method ?? ''}" for models/${model}.`);
    }
    return run(spec, req, reply, model);
  };
  app.post('/v1beta/models/*', geminiPost);
  app.post('/v1/models/*', geminiPost);

  const listModels = (forced: 'gemini' | undefined) => (req: FastifyRequest, reply: FastifyReply) => {
    const dialect = forced ?? modelsDialect(req.headers);
    const query = queryOf(req.url);
    const caller = authenticate(deps.cache, extractKey(req.headers, query), req.ip);
    const models = visibleModels(caller, deps.candidates.modelsForGroup(caller.group));
    const id = (req.params as { '*'?: string })['*'];
    reply.send(id ? modelBody(dialect, models, id) : modelsListBody(dialect, models, query));
  };
  app.get('/v1beta/models', listModels('gemini'));
  app.get('/v1beta/models/*', listModels('gemini'));
  app.get('/v1/models', listModels(undefined));
  app.get('/v1/models/*', listModels(undefined));
}
