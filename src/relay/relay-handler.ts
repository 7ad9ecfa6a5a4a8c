// The relay pipeline for one request: auth → model → candidates → upstream
// (with failover before the first byte) → stream back → usage row. Same-dialect
// requests pass through untouched: only the URL, key and (mapped) model change.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import { renderError } from '../dialects/render-error.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { UpstreamCall } from '../providers/types.js';
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
import { UsageChunkFilter } from './usage-chunk-filter.js';
import { serveImagesJob, type ImagesJob } from './images-handler.js';
import { parseMultipart } from '../media/multipart-files.js';
import { isGeminiBody } from '../dialects/openai/images/generation-request.js';
import { geminiRoute } from './routes.js';
import { imageModelSpec } from '../dialects/gemini/image-models.js';
import { COUNT_OPERATIONS, estimatePromptTokens, localCountBody } from './local-count.js';
import { pickKey } from '../routing/keys.js';
import type { InFlight } from './in-flight.js';
import { Conversion, serveMode, type RemoteImageFetcher, type ServeMode } from './conversion.js';
import { deliverConverted, type ImagePublisher } from './deliver-converted.js';
import { readUpstreamError } from './upstream-error.js';
import { CODECS } from '../dialects/codecs.js';
import type { ImageOutputMode } from '../dialects/canonical/codec.js';

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
  media: RelayMedia;
  /** How OpenAI chat answers carry images unless the channel says otherwise. */
  imageOutput: ImageOutputMode;
}

/** Images in and out: fetching image URLs for upstreams that need inline data, storing answers for `url` output. */
export interface RelayMedia {
  /** Fetches an http(s) image (SSRF-guarded). */
  fetchImage: RemoteImageFetcher;
  /** Stores generated images and returns signed URLs on this gateway, as the client reached it. */
  publisher(req: IncomingMessage): ImagePublisher;
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

export interface Planned {
  candidate: Candidate;
  mode: ServeMode;
}

async function relayOrThrow(deps: RelayDeps, r: RelayRequest): Promise<void> {
  const { ctx, spec } = r;
  if (IMAGE_OPERATIONS.has(spec.operation)) return relayImagesOrThrow(deps, r);
  ctx.caller = authenticate(deps.cache, extractKey(r.req.headers, r.query), ctx.clientIp);
  const { model, json } = await readModel(r);
  ctx.modelRequested = model;
  assertModelAllowed(ctx.caller, model);
  ctx.stream = spec.dialect === 'gemini' ? spec.operation === 'streamGenerateContent' : json?.stream === true;

  const modes = new Map<string, ServeMode | undefined>();
  const modeOf = (type: string) => {
    if (!modes.has(type)) modes.set(type, serveMode(spec, deps.providers.get(type)));
    return modes.get(type);
  };
  const candidates = deps.candidates.candidates({ group: ctx.caller.group, model, speaks: (type) => modeOf(type) !== undefined });
  if (candidates.length === 0) {
    if (COUNT_OPERATIONS.has(spec.operation) && deps.candidates.channelsFor(ctx.caller.group, model).length > 0) return answerLocalCount(r, json);
    throw noChannel(deps, ctx.caller.group, model);
  }
  const planned: Planned[] = candidates.map((candidate) => ({ candidate, mode: modeOf(candidate.channel.type)! }));

  // The client's body is decoded once, only when some candidate needs it converted.
  const conversion = json && planned.some((p) => p.mode.kind === 'convert') ? Conversion.decode(spec, json, r.pathModel, r.body?.length ?? 0) : undefined;
  // Validate against the model the upstream will run: a mapped name ("nano-banana") is checked as its target.
  const first = planned[0]!;
  if (first.mode.kind === 'convert') {
    await conversion!.prepareFor(first.mode.codec, deps.media.fetchImage);
    ctx.facts = conversion!.facts(first.candidate.upstreamModel);
  } else {
    ctx.facts = inspectRequest(spec.dialect, { operation: spec.operation, model: first.candidate.upstreamModel, json, rawBytes: r.body?.length ?? 0 });
  }

  // Money moves only for a request that can be served: after validation and routing.
  const admitted = await deps.accounting.admit(ctx.caller, model, ctx.facts, candidates.map((c) => c.upstreamModel));
  try {
    await callUpstream(deps, r, model, json, planned, conversion);
  } finally {
    settleAccounts(ctx, admitted);
  }
}

const IMAGE_OPERATIONS = new Set(['/images/generations', '/images/edits']);
const GEMINI_IMAGES: ServeMode = { kind: 'convert', codec: 'gemini' };
/** Reference images and a mask, each at most this large. */
const EDIT_LIMITS = { maxFiles: 20, maxFileBytes: 50 * 1024 * 1024 };

/**
 * The OpenAI image routes. OpenAI-speaking channels (gpt-image-1, dall-e-3, a
 * relay) get the request untouched; Gemini channels get it converted (see
 * images-handler.ts). A Gemini body posted here is served as Gemini's own
 * generateContent and answered in Gemini's shape.
 */
async function relayImagesOrThrow(deps: RelayDeps, r: RelayRequest): Promise<void> {
  const { ctx, spec } = r;
  ctx.caller = authenticate(deps.cache, extractKey(r.req.headers, r.query), ctx.clientIp);
  let input: ImagesJob['input'];
  let json: Record<string, unknown> | undefined;
  if (spec.body === 'multipart') {
    const ct = r.req.headers['content-type'] ?? '';
    if (!ct.startsWith('multipart/form-data')) throw new GatewayError('unsupported_media_type', 'This route takes multipart/form-data.');
    const form = await parseMultipart(r.body ?? Buffer.alloc(0), ct, EDIT_LIMITS);
    input = { fields: form.fields, files: form.files };
  } else {
    json = parseJsonBody(r.body);
    if (isGeminiBody(json)) {
      const { model: bodyModel, ...geminiBody } = json;
      ctx.dialect = 'gemini';
      const generate = geminiRoute('generateContent')!;
      return relayOrThrow(deps, { ...r, spec: generate, body: Buffer.from(JSON.stringify(geminiBody)), pathModel: requireModel(bodyModel) });
    }
    input = { json };
  }
  const model = requireModel('json' in input ? input.json.model : input.fields.model);
  ctx.modelRequested = model;
  assertModelAllowed(ctx.caller, model);

  // Gemini image models go to channels that take Gemini requests (the simulator speaks both); other models pass through.
  const modeOf = (type: string, upstreamModel: string): ServeMode | undefined => {
    const provider = deps.providers.get(type);
    if (!provider) return undefined;
    if (provider.codecs.includes('gemini') && (imageModelSpec(upstreamModel) || !provider.dialects.includes('openai'))) return GEMINI_IMAGES;
    return provider.dialects.includes('openai') ? serveMode(spec, provider) : undefined;
  };
  const speaks = (type: string) => {
    const provider = deps.providers.get(type);
    return provider !== undefined && (provider.dialects.includes('openai') || provider.codecs.includes('gemini'));
  };
  const candidates = deps.candidates.candidates({ group: ctx.caller.group, model, speaks });
  const planned: Planned[] = [];
  for (const candidate of candidates) {
    const mode = modeOf(candidate.channel.type, candidate.upstreamModel);
    if (mode) planned.push({ candidate, mode });
  }
  if (planned.length === 0) throw noChannel(deps, ctx.caller.group, model);
  // One kind per request: the first candidate's, with failover among channels of the same kind.
  const kind = planned[0]!.mode.kind;
  const sameKind = planned.filter((p) => p.mode.kind === kind);
  const upstreamModels = sameKind.map((p) => p.candidate.upstreamModel);
  if (kind === 'convert') {
    return serveImagesJob(deps, r, { planned: sameKind, input }, (facts) => deps.accounting.admit(ctx.caller!, model, facts, upstreamModels));
  }
  ctx.facts = inspectRequest(spec.dialect, { operation: spec.operation, model: upstreamModels[0]!, json, rawBytes: r.body?.length ?? 0 });
  const admitted = await deps.accounting.admit(ctx.caller, model, ctx.facts, upstreamModels);
  try {
    await callUpstream(deps, r, model, json, sameKind, undefined);
  } finally {
    settleAccounts(ctx, admitted);
  }
}

/** Counts tokens here when no channel of the model can count in this dialect; costs nothing. */
function answerLocalCount(r: RelayRequest, json: Record<string, unknown> | undefined): void {
  const body = JSON.stringify(localCountBody(r.spec.dialect, estimatePromptTokens(json)));
  r.ctx.status = 200;
  r.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': r.ctx.requestId,
    'server-timing': r.ctx.serverTiming(),
  });
  r.res.end(body);
}

/** The bytes and address of one attempt. */
async function buildAttempt(
  deps: RelayDeps,
  r: RelayRequest,
  plan: Planned,
  key: string,
  model: string,
  json: Record<string, unknown> | undefined,
  conversion: Conversion | undefined,
) {
  const { ctx, spec } = r;
  const { channel, upstreamModel } = plan.candidate;
  const toSimulator = channel.type === 'simulator';
  if (plan.mode.kind === 'passthrough') {
    const call = {
      channel,
      key,
      dialect: spec.dialect,
      operation: spec.operation,
      model: upstreamModel,
      stream: ctx.stream,
      query: spec.dialect === 'gemini' && r.query.get('alt') === 'sse' ? 'alt=sse' : '',
      forwardHeaders: forwardRequestHeaders(r.req.headers, toSimulator),
    };
    return { call, body: upstreamBody(r, json, model, upstreamModel) };
  }
  await conversion!.prepareFor(plan.mode.codec, deps.media.fetchImage);
  const encoded = conversion!.encode(plan.mode.codec, upstreamModel, channel.type);
  const forwardHeaders: Record<string, string> = { ...forwardRequestHeaders({}, false), 'content-type': 'application/json', ...encoded.headers };
  const fault = r.req.headers['x-sim-fault'];
  if (toSimulator && typeof fault === 'string') forwardHeaders['x-sim-fault'] = fault;
  const call = {
    channel,
    key,
    dialect: encoded.dialect,
    operation: encoded.operation,
    model: upstreamModel,
    stream: ctx.stream,
    query: encoded.query,
    forwardHeaders,
  };
  return { call, body: Buffer.from(JSON.stringify(encoded.body)) };
}

/** The upstream answer of the attempt that was kept: a success, or the last candidate's error status. */
export interface Sent {
  up: Dispatcher.ResponseData;
  plan: Planned;
  call: UpstreamCall;
}

/** Builds one attempt's upstream call and body for a candidate. */
export type AttemptBuilder = (plan: Planned, key: string) => Promise<{ call: UpstreamCall; body: Buffer | undefined }>;

/**
 * Tries candidates in order until one answers with something other than a
 * retryable failure (connection error, timeout, 408, 429, 5xx), recording
 * every attempt. Returns undefined when the client went away.
 */
export async function sendWithFailover(
  deps: RelayDeps,
  r: RelayRequest,
  planned: Planned[],
  build: AttemptBuilder,
  signal: AbortSignal,
): Promise<Sent | undefined> {
  const { ctx, spec } = r;
  let lastError: GatewayError | undefined;
  const tries = Math.min(planned.length, Math.max(1, deps.maxAttempts));
  for (let i = 0; i < tries; i++) {
    const plan = planned[i]!;
    const { channel } = plan.candidate;
    const provider = deps.providers.get(channel.type)!;
    const key = pickKey(channel);
    if (key === undefined) {
      ctx.attempts.push({ channel_id: channel.id, status: null, error: 'no enabled key', ms: 0 });
      lastError = new GatewayError('unavailable', `No enabled upstream key for model "${ctx.modelRequested}".`);
      continue;
    }
    const sentAt = performance.now();
    let call: UpstreamCall | undefined;
    let up: Dispatcher.ResponseData;
    try {
      const attempt = await build(plan, key);
      call = attempt.call;
      const target = provider.target(call);
      // Async credentials (Vertex OAuth tokens); a refusal fails this channel like a refused connection.
      if (provider.authorize) Object.assign(target.headers, await provider.authorize(call));
      up = await deps.upstream.request(target, attempt.body, 'POST', signal, channelTimeouts(channel.settings));
    } catch (err) {
      ctx.upstreamWaitMs += performance.now() - sentAt;
      if (signal.aborted) return undefined;
      // A request this candidate's format cannot carry (an encoder refusal) is the client's error, not the channel's.
      if (err instanceof GatewayError && err.kind === 'invalid_request' && call === undefined) throw err;
      lastError = err instanceof GatewayError ? err : connectionError(err);
      ctx.attempts.push({ channel_id: channel.id, status: null, error: lastError.message, ms: Math.round(performance.now() - sentAt) });
      deps.metrics.upstreamError(spec.name, channel.id, lastError.kind);
      continue;
    }
    ctx.upstreamWaitMs += performance.now() - sentAt;
    ctx.attempts.push({ channel_id: channel.id, status: up.statusCode, ms: Math.round(performance.now() - sentAt) });
    if (up.statusCode >= 400) deps.metrics.upstreamError(spec.name, channel.id, String(up.statusCode));
    if (RETRYABLE(up.statusCode) && i < tries - 1) {
      up.body.dump().catch(() => {});
      continue;
    }
    if (up.statusCode === 401) provider.credentialsRejected?.(call);
    return { up, plan, call };
  }
  throw lastError ?? new GatewayError('unavailable', `No upstream could serve model "${ctx.modelRequested}".`);
}

/** An AbortSignal that fires when the client leaves before its answer is complete. */
export function clientAbortSignal(r: RelayRequest): AbortSignal {
  const abort = new AbortController();
  r.res.on('close', () => {
    if (!r.res.writableFinished) abort.abort();
  });
  return abort.signal;
}

async function callUpstream(
  deps: RelayDeps,
  r: RelayRequest,
  model: string,
  json: Record<string, unknown> | undefined,
  planned: Planned[],
  conversion: Conversion | undefined,
): Promise<void> {
  const { ctx, spec } = r;
  const signal = clientAbortSignal(r);
  const sent = await sendWithFailover(deps, r, planned, (plan, key) => buildAttempt(deps, r, plan, key, model, json, conversion), signal);
  if (!sent) return clientGone(ctx);
  const { up, plan } = sent;
  ctx.channelId = plan.candidate.channel.id;
  ctx.modelServed = plan.candidate.upstreamModel;
  if (plan.mode.kind === 'convert') {
    if (up.statusCode >= 400) throw await readUpstreamError(up);
    const imageOutput = imageOutputFor(deps, plan.candidate.channel.settings);
    await deliverConverted({
      ctx,
      res: r.res,
      up,
      upstreamCodec: CODECS[plan.mode.codec],
      clientCodec: conversion!.clientCodec,
      options: { model, sse: spec.dialect !== 'gemini' || r.query.get('alt') === 'sse', imageOutput, includeUsage: includeUsageAsked(json) },
      signal,
      ...(imageOutput === 'url' && { publishImage: deps.media.publisher(r.req) }),
    });
    return;
  }
  if (up.statusCode >= 400) {
    const own = await ownUpstreamError(up);
    if (own) throw own;
  }
  await deliver(r, up, signal, wantsInjectedUsage(r, json) && up.statusCode < 400 ? new UsageChunkFilter() : undefined);
}

const IMAGE_OUTPUT_MODES: readonly ImageOutputMode[] = ['images', 'markdown', 'both', 'url'];

/** A channel's `settings.image_output`, else the gateway default. */
function imageOutputFor(deps: RelayDeps, settings: Record<string, unknown>): ImageOutputMode {
  const v = settings.image_output;
  return typeof v === 'string' && (IMAGE_OUTPUT_MODES as readonly string[]).includes(v) ? (v as ImageOutputMode) : deps.imageOutput;
}

function includeUsageAsked(json: Record<string, unknown> | undefined): boolean {
  const so = json?.stream_options;
  return typeof so === 'object' && so !== null && (so as Record<string, unknown>).include_usage === true;
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
  if (r.spec.dialect === 'gemini' || !json) return r.body;
  if (wantsInjectedUsage(r, json)) {
    if (upstreamModel === model && json.stream_options === undefined) return withIncludeUsage(r.body!);
    return Buffer.from(JSON.stringify({ ...json, model: upstreamModel, stream_options: { ...(json.stream_options as object), include_usage: true } }));
  }
  if (upstreamModel === model) return r.body;
  return Buffer.from(JSON.stringify({ ...json, model: upstreamModel }));
}

/** A streamed chat request whose client did not ask for usage: the gateway asks for it (to bill) and hides it. */
function wantsInjectedUsage(r: RelayRequest, json: Record<string, unknown> | undefined): boolean {
  return r.spec.codec === 'openai-chat' && json?.stream === true && !includeUsageAsked(json);
}

const INCLUDE_USAGE = Buffer.from('{"stream_options":{"include_usage":true},');

/** Splices the option in after the body's opening brace: no re-serialising of a long history. */
function withIncludeUsage(body: Buffer): Buffer {
  const open = body.indexOf(0x7b); // '{' — parseJsonBody already proved the body is an object
  return Buffer.concat([INCLUDE_USAGE, body.subarray(open + 1)]);
}

function clientGone(ctx: RelayContext): void {
  ctx.status = 499;
  ctx.error = 'client closed the request';
}

/** Streams the upstream answer to the client, reading usage on the way. */
function deliver(r: RelayRequest, up: Dispatcher.ResponseData, signal: AbortSignal, usageFilter?: UsageChunkFilter): Promise<void> {
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
      const out = usageFilter ? usageFilter.push(chunk) : chunk;
      delivered?.push(out);
      if (out.length > 0 && !res.write(out)) body.pause();
    });
    body.once('end', () => {
      ctx.usage = sniffer.usage;
      ctx.images = sniffer.images ?? ctx.images;
      const rest = usageFilter?.end();
      if (rest?.length) res.write(rest);
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
