// The simulator's HTTP entry: reads the body (JSON, or multipart/form-data
// on the upload routes), journals the request, applies faults, checks the key
// the way the route's provider does, then hands the request to its route. Plain node:http, keep-alive on, no sleeps unless a
// fault asks for one.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicKey, geminiKey, openaiKey, type SimContext } from './context.js';
import { dialectError, keyError, malformedJsonError, openaiError, routeNotFoundError, statusError, type Dialect } from './errors.js';
import { parseFaults, splitModelFault, type FaultPlan } from './faults.js';
import { Journal } from './journal.js';
import { parseMultipart, type MultipartForm } from './multipart.js';
import { getImage, isValidImageSize } from './png.js';
import { PromptCache } from './prompt-cache.js';
import { ServiceAccounts, type SimServiceAccount } from './service-accounts.js';
import { Reply } from './reply.js';
import { fallbackDialect, matchRoute } from './routes.js';

export interface SimulatorOptions {
  /** The request journal behind /__sim/requests: `false` turns it off. Default: on, 200 entries. */
  journal?: false | { size?: number; bodyLimit?: number };
  /** Service accounts the fake Google OAuth trusts (more via `POST /__sim/service-accounts`). */
  serviceAccounts?: readonly SimServiceAccount[];
  /** Lifetime of issued access tokens. Default 3600, as Google's. */
  accessTokenTtlSeconds?: number;
}

export type SimulatorHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  /** The request journal, when enabled. */
  journal: Journal | undefined;
  /** Fake Google OAuth state: register accounts, see or revoke issued tokens. */
  serviceAccounts: ServiceAccounts;
  /** Cancels pending fault timers (stalls, latency). */
  close(): void;
};

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const IMAGE_PATH = /^\/__sim\/images\/(\d+)x(\d+)\.png$/;

function ignore(): void {}

function keyFor(dialect: Dialect, ctx: SimContext): string | undefined {
  return dialect === 'openai' ? openaiKey(ctx) : dialect === 'anthropic' ? anthropicKey(ctx) : geminiKey(ctx);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function createSimulatorHandler(opts: SimulatorOptions = {}): SimulatorHandler {
  const journal = opts.journal === false ? undefined : new Journal(opts.journal?.size ?? 200, opts.journal?.bodyLimit);
  const promptCache = new PromptCache();
  const accounts = new ServiceAccounts(opts.serviceAccounts, opts.accessTokenTtlSeconds);
  const timers = new Set<NodeJS.Timeout>();
  /** Requests seen per `fail-nth` fault string. */
  const failCounters = new Map<string, number>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function admin(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: Buffer): Promise<void> {
    const reply = new Reply(res, undefined, {});
    if (path === '/__sim/requests' && req.method === 'GET') {
      const limit = Number(query.get('limit'));
      const all = journal?.list() ?? [];
      return reply.json(200, { enabled: journal !== undefined, requests: limit > 0 ? all.slice(-limit) : all });
    }
    if (path === '/__sim/requests' && req.method === 'DELETE') {
      journal?.clear();
      return reply.json(200, { cleared: true });
    }
    if (path === '/__sim/health') return reply.json(200, { ok: true });
    if (path === '/__sim/faults' && req.method === 'DELETE') {
      const counters = failCounters.size;
      failCounters.clear();
      return reply.json(200, { cleared: counters });
    }
    if (path === '/__sim/service-accounts' && req.method === 'POST') return registerAccount(reply, body);
    if (path === '/__sim/tokens' && req.method === 'DELETE') return reply.json(200, { revoked: accounts.revokeAll() });
    const image = IMAGE_PATH.exec(path);
    if (image && req.method === 'GET') {
      const width = Number(image[1]);
      const height = Number(image[2]);
      if (!isValidImageSize(width, height)) return reply.json(400, { error: `image size ${width}x${height} is out of range` });
      const { png } = await getImage(width, height);
      return reply.send(200, png, { 'content-type': 'image/png' });
    }
    reply.json(404, { error: `no simulator admin route ${req.method} ${path}` });
  }

  /** `{client_email, public_key}` (or a whole key file's public half) → trusted from now on. */
  function registerAccount(reply: Reply, body: Buffer): void {
    try {
      const account = JSON.parse(body.toString('utf8')) as SimServiceAccount;
      accounts.register(account);
      reply.json(200, { registered: account.client_email });
    } catch (err) {
      reply.json(400, { error: `expected {"client_email": …, "public_key": "-----BEGIN PUBLIC KEY-----…"}: ${(err as Error).message}` });
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const path = safeDecode(q === -1 ? url : url.slice(0, q));
    const query = new URLSearchParams(rawQuery);
    const method = req.method ?? 'GET';
    if (path.startsWith('/__sim/')) return admin(req, res, path, query, body);

    const route = matchRoute(method, path, req.headers, query);
    const dialect = route?.dialect ?? fallbackDialect(path, req.headers, query);
    let json: unknown;
    let jsonError: string | undefined;
    let form: MultipartForm | undefined;
    let formError: string | undefined;
    if (route?.multipart) {
      try {
        form = await parseMultipart(body, req.headers['content-type']);
      } catch (err) {
        formError = (err as Error).message;
      }
    } else if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch (err) {
        jsonError = (err as Error).message;
      }
    }
    const bodyModel = form ? form.field('model') : json && typeof json === 'object' ? (json as Record<string, unknown>).model : undefined;
    const named = route?.pathModel ?? (typeof bodyModel === 'string' ? bodyModel : undefined);
    const split = named === undefined ? undefined : splitModelFault(named);
    if (form) journal?.record(method, path, rawQuery, req.headers, body.length, form.summary(), true);
    else journal?.record(method, path, rawQuery, req.headers, body.length, json);

    const faults: FaultPlan = {};
    const header = req.headers['x-sim-fault'];
    const spec = [Array.isArray(header) ? header.join(',') : header, split?.fault].filter(Boolean).join(',');
    const faultProblem = spec ? parseFaults(spec, faults) : undefined;
    const reply = new Reply(res, faults.cutAfter, {}, faults.dripMs, faults.cutMidEvent);
    if (faultProblem) return reply.error(dialectError(dialect, 400, faultProblem));
    for (const item of faults.failNth ?? []) {
      const seen = (failCounters.get(item.key) ?? 0) + 1;
      failCounters.set(item.key, seen);
      if (seen === item.nth) faults.status ??= item.status;
    }

    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (res.destroyed) return;
    if (faults.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    if (faults.stallMs !== undefined) {
      if (faults.stallMs !== Infinity) await sleep(faults.stallMs);
      else if (!req.socket.destroyed) await new Promise((resolve) => req.socket.once('close', resolve));
      req.socket.destroy();
      return;
    }
    if (faults.status) return reply.error(statusError(dialect, faults.status));

    const ctx: SimContext = {
      req,
      reply,
      method,
      path,
      query,
      body,
      json,
      form,
      model: split?.model,
      origin: `http://${req.headers.host ?? 'localhost'}`,
      promptCache,
      accounts,
    };
    if (!route) return reply.error(routeNotFoundError(dialect, method, path));
    const refused = route.authorize ? route.authorize(ctx) : keyError(dialect, keyFor(dialect, ctx));
    if (refused) return reply.error(refused);
    if (jsonError !== undefined && !route.form) return reply.error(malformedJsonError(dialect, jsonError));
    if (formError !== undefined) return reply.error(openaiError(400, formError));
    await route.run(ctx);
  }

  function internalError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const url = req.url ?? '/';
    const dialect = fallbackDialect(url, req.headers, new URLSearchParams());
    const message = `simulator error: ${(err as Error)?.message ?? String(err)}`;
    new Reply(res, undefined, {}).error(dialectError(dialect, 500, message));
  }

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    res.on('error', ignore); // a client that left must never crash the simulator
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        const dialect = fallbackDialect(req.url ?? '/', req.headers, new URLSearchParams());
        const message = `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`;
        new Reply(res, undefined, { connection: 'close' }).error(dialectError(dialect, 413, message));
        return;
      }
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      serve(req, res, body).catch((err: unknown) => internalError(req, res, err));
    });
  }) as SimulatorHandler;
  handler.journal = journal;
  handler.serviceAccounts = accounts;
  handler.close = () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  return handler;
}

export interface RunningSimulator {
  url: string;
  port: number;
  journal: Journal | undefined;
  serviceAccounts: ServiceAccounts;
  close(): Promise<void>;
}

/** Starts the simulator on host:port (port 0: any free port). */
export async function startSimulator(opts: SimulatorOptions & { port?: number; host?: string } = {}): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1' } = opts;
  const handler = createSimulatorHandler(opts);
  const server = createServer({ keepAlive: true, noDelay: true, requestTimeout: 0 }, handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const shownHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    journal: handler.journal,
    serviceAccounts: handler.serviceAccounts,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
