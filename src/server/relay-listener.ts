// Relay requests served straight from node:http, in front of fastify. The
// relay takes over the raw response anyway, so fastify's per-request objects,
// hooks, router and body parser only cost time there. This listener takes the
// common, unambiguous case — POST to a relay path, a JSON body of declared
// length within the limit — and hands every other request to fastify as it
// came, so odd input (chunked or oversized bodies, other content types,
// encoded paths, trailing slashes, a closing server) meets fastify's own
// answers. Both ways end in the same `startRelay`.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { RelayContext } from '../relay/relay-context.js';
import { relay, type RelayDeps } from '../relay/relay-handler.js';
import { ANTHROPIC_ROUTES, OPENAI_ROUTES, geminiRoute, parseGeminiModelPath, type RelayRouteSpec } from '../relay/routes.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface RelayStart {
  spec: RelayRouteSpec;
  /** Gemini carries the model in the path. */
  pathModel?: string;
  requestId: string;
  startedAt: number;
  clientIp: string;
}

/** Runs one relay request on the raw request and response; never rejects. */
export function startRelay(deps: RelayDeps, start: RelayStart, req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): Promise<void> {
  const ctx = new RelayContext(start.requestId, start.spec.name, start.spec.dialect, start.startedAt, start.clientIp);
  const work = relay(deps, { spec: start.spec, req, res, body, query: queryOf(req.url ?? '/'), pathModel: start.pathModel, ctx });
  return deps.inFlight.track(work).catch((err: unknown) => deps.log.error({ err, requestId: start.requestId }, 'relay failed'));
}

export function queryOf(url: string): URLSearchParams {
  const q = url.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
}

const STATIC_ROUTES = new Map<string, RelayRouteSpec>(Object.entries({ ...OPENAI_ROUTES, ...ANTHROPIC_ROUTES }));
/** Where fastify's `POST …/models/*` routes live. */
const MODEL_PREFIXES = ['/v1beta/models/', '/v1/models/'];
/** JSON as SDKs and curl send it; anything else takes fastify's content-type rules. */
const PLAIN_JSON = /^application\/json(?:\s*;\s*charset=utf-8)?$/i;

/**
 * The relay route of a request fastify would route the same way, or
 * undefined. Paths with percent-escapes, a trailing slash or an unknown
 * Gemini method are left to fastify (its decoding, trimming and 404s).
 */
export function matchRelayPath(url: string): { spec: RelayRouteSpec; pathModel?: string } | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const spec = STATIC_ROUTES.get(path);
  if (spec) return spec.body === 'json' ? { spec } : undefined;
  if (path.endsWith('/') || path.includes('%')) return undefined;
  for (const prefix of MODEL_PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const { model, method } = parseGeminiModelPath(path.slice(prefix.length));
    const gemini = method ? geminiRoute(method) : undefined;
    return gemini && model ? { spec: gemini, pathModel: model } : undefined;
  }
  return undefined;
}

/** A JSON body of declared length within the limit: nothing fastify would refuse or read differently. */
function plainJsonBody(headers: IncomingHttpHeaders, bodyLimit: number): number | undefined {
  const type = headers['content-type'];
  if (type === undefined || headers['transfer-encoding'] !== undefined || !PLAIN_JSON.test(type)) return undefined;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length >= 0 && length <= bodyLimit ? length : undefined;
}

export interface RelayListenerOptions {
  deps: RelayDeps;
  bodyLimit: number;
  /** fastify's own request listener, for everything this one does not take. */
  fallback: RequestListener;
  /** True once the server is draining: fastify then answers 503. */
  closing(): boolean;
}

export function createRelayListener(opts: RelayListenerOptions): RequestListener {
  const { deps, bodyLimit, fallback, closing } = opts;
  return (req, res) => {
    const startedAt = performance.now();
    const match = req.method === 'POST' ? matchRelayPath(req.url ?? '/') : undefined;
    const length = match ? plainJsonBody(req.headers, bodyLimit) : undefined;
    if (match === undefined || length === undefined || closing()) {
      fallback(req, res);
      return;
    }
    readBody(req, length, (body) => {
      startRelay(deps, { ...match, requestId: randomUUID(), startedAt, clientIp: req.socket.remoteAddress ?? '' }, req, res, body);
    });
  };
}

/**
 * Reads a body of known length into one buffer of its own (never a view of
 * the socket's read buffer). A client that leaves mid-body just goes: there is
 * no one left to answer, and no relay has started.
 */
function readBody(req: IncomingMessage, length: number, done: (body: Buffer) => void): void {
  const body = Buffer.allocUnsafe(length);
  let received = 0;
  const onData = (chunk: Buffer) => {
    // The parser stops at Content-Length, so chunks never overflow the buffer.
    received += chunk.copy(body, received);
  };
  // Left attached after 'end' (nothing follows it; taking three listeners off a stream costs more than the request's parsing).
  const onEnd = () => done(received === length ? body : body.subarray(0, received));
  const onError = () => cleanup();
  const cleanup = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
}
