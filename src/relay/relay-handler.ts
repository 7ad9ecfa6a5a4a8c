// The relay pipeline for one request: auth → model → candidates → upstream
// (with failover before the first byte) → stream back → usage row. Same-dialect
// requests pass through untouched: only the URL, key and (mapped) model change.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import { renderError } from '../dialects/render-error.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Candidate, CandidateIndex } from '../routing/candidates.js';
import type { NewUsageLog } from '../store/schema.js';
import { assertModelAllowed, authenticate, extractKey, type AuthCache } from './auth.js';
import { forwardRequestHeaders, responseHeadersFromUpstream } from './forward-headers.js';
import type { RelayContext } from './relay-context.js';
import { multipartFields, parseJsonBody } from './request-body.js';
import { inspectRequest } from './request-facts.js';
import type { Accounting } from './accounting.js';
import { settleAccounts } from './settle.js';
import type { RelayRouteSpec } from './routes.js';
import { channelTimeouts, type UpstreamClient } from './upstream-client.js';
import { UsageSniffer } from './usage-sniffer.js';
import { DeliveredTextCounter } from './delivered-text.js';
import { pickKey } from '../routing/keys.js';
import type { InFlight } from './in-flight.js';

export interface RelayMetricsSink {
  observe(ctx: RelayContext): void;
  upstreamError(route: string, channelId: number, reason: string): void;
}

export interface RelayDeps {
  cache: AuthCache;
  accounting: Accounting;
  candidates: CandidateIndex;
  providers: ProviderRegistry;
  upstream: UpstreamClient;
  usage: { push(row: NewUsageLog): void };
  metrics: RelayMetricsSink;
  /** Most channels tried for one request. */
  maxAttempts: number;
  inFlight: InFlight;
  log: { error(obj: unknown, msg: string): void };
}

export interface RelayRequest {
  spec: RelayRouteSpec;
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer | undefined;
  query: URLSearchParams;
  /** Gemini carries the model in the path. */
  pathModel?: string;
  ctx: RelayContext;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

export async function relay(deps: RelayDeps, r: RelayRequest): Promise<void> {
  const { ctx } = r;
  try {
    await relayOrThrow(deps, r);
  } catch (err) {
    const gwErr = err instanceof GatewayError ? err : internalError(deps, err, ctx);
    ctx.error = gwErr.message;
    if (!r.res.headersSent) sendError(r, gwErr);
    else if (!r.res.writableEnded) r.res.destroy();
  } finally {
    deps.usage.push(ctx.toUsageRow());
    deps.metrics.observe(ctx);
  }
}

function internalError(deps: RelayDeps, err: unknown, ctx: RelayContext): GatewayError {
  deps.log.error({ err, requestId: ctx.requestId }, 'relay failed');
  return new GatewayError('internal', `Internal gateway error (request ${ctx.requestId}).`);
}

function sendError(r: RelayRequest, err: GatewayError): void {
  const rendered = renderError(r.ctx.dialect, err);
  r.ctx.status = rendered.status;
  const body = JSON.stringify(rendered.body);
  r.res.writeHead(rendered.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': r.ctx.requestId,
    'server-timing': r.ctx.serverTiming(),
    ...rendered.headers,
  });
  r.res.end(body);
}

async function readModel(r: RelayRequest): Promise<{ model: string; json: Record<string, unknown> | undefined }> {
  if (r.spec.body === 'multipart') {
    const ct = r.req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) {
      throw new GatewayError('unsupported_media_type', 'This route takes multipart/form-data.');
    }
    const fields = await multipartFields(r.body ?? Buffer.alloc(0), ct);
    return { model: requireModel(fields.model), json: undefined };
  }
  const json = parseJsonBody(r.body);
  if (r.pathModel !== undefined) return { model: requireModel(r.pathModel.replace(/^models\//, '')), json };
  return { model: requireModel(json.model), json };
}

function requireModel(model: unknown): string {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new GatewayError('invalid_request', 'A "model" is required.', { param: 'model' });
  }
  return model;
}

async function relayOrThrow(deps: RelayDeps, r: RelayRequest): Promise<void> {
  const { ctx, spec } = r;
  ctx.caller = authenticate(deps.cache, extractKey(r.req.headers, r.query), ctx.clientIp);
  const { model, json } = await readModel(r);
  ctx.modelRequested = model;
  assertModelAllowed(ctx.caller, model);
  ctx.stream = spec.dialect === 'gemini' ? spec.operation === 'streamGenerateContent' : json?.stream === true;

  const speaks = (type: string) => deps.providers.get(type)?.dialects.includes(spec.dialect) ?? false;
  const candidates = deps.candidates.candidates({ group: ctx.caller.group, model, speaks });
  if (candidates.length === 0) throw noChannel(deps, ctx.caller.group, model);
  // Validate against the model the upstream will run: a mapped name ("nano-banana") is checked as its target.
  ctx.facts = inspectRequest(spec.dialect, { operation: spec.operation, model: candidates[0]!.upstreamModel, json, rawBytes: r.body?.length ?? 0 });

  // Money moves only for a request that can be served: after validation and routing.
  const admitted = await deps.accounting.admit(ctx.caller, model, ctx.facts, candidates.map((c) => c.upstreamModel));
  try {
    await callUpstream(deps, r, model, json, candidates);
  } finally {
    settleAccounts(ctx, admitted);
  }
}

async function callUpstream(
  deps: RelayDeps,
  r: RelayRequest,
  model: string,
  json: Record<string, unknown> | undefined,
  candidates: Candidate[],
): Promise<void> {
  const { ctx, spec } = r;

  const abort = new AbortController();
  r.res.on('close', () => {
    if (!r.res.writableFinished) abort.abort();
  });

  let lastError: GatewayError | undefined;
  const tries = Math.min(candidates.length, Math.max(1, deps.maxAttempts));
  for (let i = 0; i < tries; i++) {
    const { channel, upstreamModel } = candidates[i]!;
    const provider = deps.providers.get(channel.type)!;
    const key = pickKey(channel);
    if (key === undefined) {
      ctx.attempts.push({ channel_id: channel.id, status: null, error: 'no enabled key', ms: 0 });
      lastError = new GatewayError('unavailable', `No enabled upstream key for model "${model}".`);
      continue;
    }
    const call = {
      channel,
      key,
      dialect: spec.dialect,
      operation: spec.operation,
      model: upstreamModel,
      stream: ctx.stream,
      query: spec.dialect === 'gemini' && r.query.get('alt') === 'sse' ? 'alt=sse' : '',
      forwardHeaders: forwardRequestHeaders(r.req.headers, channel.type === 'simulator'),
    };
    const target = provider.target(call);
    const body = upstreamBody(r, json, model, upstreamModel);
    const sentAt = performance.now();
    let up: Dispatcher.ResponseData;
    try {
      // Async credentials (Vertex OAuth tokens); a refusal fails this channel like a refused connection.
      if (provider.authorize) Object.assign(target.headers, await provider.authorize(call));
      up = await deps.upstream.request(target, body, 'POST', abort.signal, channelTimeouts(channel.settings));
    } catch (err) {
      ctx.upstreamWaitMs += performance.now() - sentAt;
      if (abort.signal.aborted) return clientGone(ctx);
      lastError = err instanceof GatewayError ? err : connectionError(err);
      ctx.attempts.push({ channel_id: channel.id, status: null, error: lastError.message, ms: Math.round(performance.now() - sentAt) });
      deps.metrics.upstreamError(spec.name, channel.id, lastError.kind);
      continue;
    }
    ctx.upstreamWaitMs += performance.now() - sentAt;
    ctx.attempts.push({ channel_id: channel.id, status: up.statusCode, ms: Math.round(performance.now() - sentAt) });
    if (RETRYABLE(up.statusCode) && i < tries - 1) {
      deps.metrics.upstreamError(spec.name, channel.id, String(up.statusCode));
      up.body.dump().catch(() => {});
      continue;
    }
    ctx.channelId = channel.id;
    ctx.modelServed = upstreamModel;
    if (up.statusCode >= 400) {
      deps.metrics.upstreamError(spec.name, channel.id, String(up.statusCode));
      if (up.statusCode === 401) provider.credentialsRejected?.(call);
      const own = await ownUpstreamError(up);
      if (own) throw own;
    }
    await deliver(r, up, abort.signal);
    return;
  }
  throw lastError ?? new GatewayError('unavailable', `No upstream could serve model "${model}".`);
}

/**
 * Upstream errors the client should not see verbatim: a non-JSON body (an HTML
 * page from a proxy in front of the upstream) is re-said in the client's
 * dialect, and a 401 — the channel's key was refused, not the client's — is
 * never passed on, since providers echo key fragments in that message.
 */
async function ownUpstreamError(up: Dispatcher.ResponseData): Promise<GatewayError | undefined> {
  const contentType = String(up.headers['content-type'] ?? '');
  if (up.statusCode === 401) {
    up.body.dump().catch(() => {});
    return new GatewayError('upstream', 'The upstream refused this channel\'s credentials.', { status: 502, code: 'upstream_auth_failed' });
  }
  if (contentType.includes('json') || contentType.includes('event-stream')) return undefined;
  const text = (await up.body.text().catch(() => '')).slice(0, 2000);
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const retryAfter = Number(up.headers['retry-after']);
  return new GatewayError(kindForStatus(up.statusCode), `The upstream answered ${up.statusCode}${plain ? `: ${plain}` : ''}.`, {
    status: up.statusCode,
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

function noChannel(deps: RelayDeps, group: string, model: string): GatewayError {
  if (deps.candidates.channelsFor(group, model).length > 0) {
    return new GatewayError('unavailable', `No channel for model "${model}" speaks this API yet.`, { code: 'no_available_channel' });
  }
  return new GatewayError('not_found', `No channel serves model "${model}" for group "${group}".`, {
    code: 'model_not_found',
    param: 'model',
  });
}

function connectionError(err: unknown): GatewayError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError('timeout', 'The upstream did not answer in time.');
  }
  return new GatewayError('upstream', `The upstream connection failed (${code || (err as Error).message}).`);
}

/** The original bytes unless the channel maps the model to another name. */
function upstreamBody(r: RelayRequest, json: Record<string, unknown> | undefined, model: string, upstreamModel: string): Buffer | undefined {
  if (upstreamModel === model || r.spec.dialect === 'gemini' || !json) return r.body;
  return Buffer.from(JSON.stringify({ ...json, model: upstreamModel }));
}

function clientGone(ctx: RelayContext): void {
  ctx.status = 499;
  ctx.error = 'client closed the request';
}

/** Streams the upstream answer to the client, reading usage on the way. */
function deliver(r: RelayRequest, up: Dispatcher.ResponseData, signal: AbortSignal): Promise<void> {
  const { ctx, res } = r;
  const upstreamHeaders = up.headers as Record<string, string | string[] | undefined>;
  const contentType = String(upstreamHeaders['content-type'] ?? '');
  const isSse = contentType.includes('text/event-stream');
  ctx.status = up.statusCode;
  if (up.statusCode >= 400) ctx.error = `upstream answered ${up.statusCode}`;
  res.writeHead(up.statusCode, {
    ...responseHeadersFromUpstream(upstreamHeaders),
    'x-request-id': ctx.requestId,
    'server-timing': ctx.serverTiming(),
  });
  ctx.firstByteMs = ctx.elapsedMs();
  const sniffer = new UsageSniffer(r.spec.dialect, ctx.facts);
  const delivered = ctx.stream && up.statusCode < 400 ? (ctx.deliveredText = new DeliveredTextCounter()) : undefined;
  const body = up.body;

  return new Promise<void>((resolve) => {
    const onDrain = () => body.resume();
    res.on('drain', onDrain);
    body.on('data', (chunk: Buffer) => {
      sniffer.push(chunk);
      delivered?.push(chunk);
      if (!res.write(chunk)) body.pause();
    });
    body.once('end', () => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      res.end(() => resolve());
    });
    body.once('error', (err) => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      res.off('drain', onDrain);
      if (signal.aborted) {
        clientGone(ctx);
        res.destroy(); // the client left mid-response: never leave its socket half-open
        return resolve();
      }
      const gwErr = new GatewayError(kindForStatus(502), `The upstream stream broke: ${(err as Error).message}`);
      ctx.error = gwErr.message;
      ctx.status = 502;
      ctx.brokeMidStream = true;
      const tail = res.getHeader('content-length') === undefined ? sniffer.streamErrorTail(gwErr, isSse) : undefined;
      if (tail !== undefined && !res.writableEnded) res.end(tail, () => resolve());
      else {
        res.destroy();
        resolve();
      }
    });
  });
}
