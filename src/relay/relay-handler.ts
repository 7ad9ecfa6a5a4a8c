// The relay pipeline for one request: auth → model → candidates → upstream
// (with failover before the first byte) → stream back → usage row. Same-dialect
// requests pass through untouched: only the URL, key and (mapped) model change.
import type { Dispatcher } from 'undici';
import { GatewayError } from '../dialects/errors.js';
import { IMAGE_OUTPUT_MODES } from '../store/entities.js';
import { applyParamOverride, paramOverride } from '../providers/overrides.js';
import type { DialectName } from '../dialects/types.js';
import { decodeEmbeddings, type EmbeddingsConversion } from './embeddings-conversion.js';
import type { ImageOutputMode } from '../dialects/canonical/codec.js';
import { CODECS } from '../dialects/codecs.js';
import { imageModelSpec } from '../dialects/gemini/image-models.js';
import { isGeminiBody } from '../dialects/openai/images/generation-request.js';
import { renderError } from '../dialects/render-error.js';
import { parseMultipart } from '../media/multipart-files.js';
import { assertModelAllowed, authenticate, extractKey } from './auth.js';
import { Conversion, serveMode, type ServeMode } from './conversion.js';
import { deliverConverted } from './deliver-converted.js';
import { clientAbortSignal, sendWithFailover } from './failover.js';
import { forwardRequestHeaders } from './forward-headers.js';
import { serveImagesJob, type ImagesJob } from './images-handler.js';
import { COUNT_OPERATIONS, estimatePromptTokens, localCountBody } from './local-count.js';
import { clientGone, deliver, deliverUpstreamError, includeUsageAsked, upstreamBody, wantsInjectedUsage } from './passthrough.js';
import type { RelayContext } from './relay-context.js';
import type { Planned, RelayDeps, RelayRequest } from './relay-types.js';
import { multipartFields, parseJsonBody } from './request-body.js';
import { inspectRequest } from './request-facts.js';
import { geminiRoute } from './routes.js';
import { settleAccounts } from './settle.js';
import { upstreamError } from './upstream-error.js';
import { UsageChunkFilter } from './usage-chunk-filter.js';
import { answerJson } from './answer-json.js';

export type { Planned, RelayDeps, RelayMedia, RelayMetricsSink, RelayRequest } from './relay-types.js';

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
  if (IMAGE_OPERATIONS.has(spec.operation)) return relayImagesOrThrow(deps, r);
  ctx.caller = authenticate(deps.cache, extractKey(r.req.headers, r.query), ctx.clientIp);
  const { model, json } = await readModel(r);
  ctx.modelRequested = model;
  assertModelAllowed(ctx.caller, model);
  ctx.stream = spec.dialect === 'gemini' ? spec.operation === 'streamGenerateContent' : json?.stream === true;

  // Channel types repeat among candidates (usually one): remember the last answer, not a Map per request.
  let lastType: string | undefined;
  let lastMode: ServeMode | undefined;
  const modeOf = (type: string) => {
    if (type !== lastType) {
      lastType = type;
      lastMode = serveMode(spec, deps.providers.get(type));
    }
    return lastMode;
  };
  const candidates = deps.candidates.candidates({ group: ctx.caller.group, model, speaks: (type) => modeOf(type) !== undefined });
  if (candidates.length === 0) {
    if (COUNT_OPERATIONS.has(spec.operation) && deps.candidates.channelsFor(ctx.caller.group, model).length > 0) return answerLocalCount(r, json);
    throw noChannel(deps, ctx.caller.group, model);
  }
  const planned: Planned[] = candidates.map((candidate) => ({ candidate, mode: modeOf(candidate.channel.type)! }));

  // The client's body is decoded once, only when some candidate needs it converted.
  const conversion = json && planned.some((p) => p.mode.kind === 'convert') ? Conversion.decode(spec, json, r.pathModel, r.body?.length ?? 0) : undefined;
  const embeddings = json && planned.some((p) => p.mode.kind === 'embed') ? decodeEmbeddings(spec, json, r.pathModel) : undefined;
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
    await callUpstream(deps, r, model, json, planned, { conversion, embeddings });
  } finally {
    settleAccounts(ctx, admitted);
  }
}

/** The decoded forms of the client's request, for candidates that need it converted. */
interface Decoded {
  conversion?: Conversion;
  embeddings?: EmbeddingsConversion;
}

const IMAGE_OPERATIONS = new Set(['/images/generations', '/images/edits']);
/** Stateless (it is handed whole events): one for every request. */
const USAGE_CHUNK_FILTER = new UsageChunkFilter();
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
    await callUpstream(deps, r, model, json, sameKind, {});
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
  decoded: Decoded,
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
    const override = json && paramOverride(channel.settings);
    // An operator's param_override re-serialises the body: the one case a same-dialect body is not sent byte for byte.
    if (override) return { call, body: Buffer.from(JSON.stringify(applyParamOverride(JSON.parse(upstreamBody(r, json, model, upstreamModel)!.toString('utf8')) as Record<string, unknown>, override))) };
    return { call, body: upstreamBody(r, json, model, upstreamModel) };
  }
  let encoded: { dialect: DialectName; operation: string; query: string; body: Record<string, unknown>; headers?: Record<string, string> };
  if (plan.mode.kind === 'embed') {
    encoded = { query: '', ...decoded.embeddings!.encode(upstreamModel) };
  } else {
    await decoded.conversion!.prepareFor(plan.mode.codec, deps.media.fetchImage);
    encoded = decoded.conversion!.encode(plan.mode.codec, upstreamModel, channel.type);
  }
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
  const override = paramOverride(channel.settings);
  return { call, body: Buffer.from(JSON.stringify(override ? applyParamOverride(encoded.body, override) : encoded.body)) };
}

async function callUpstream(
  deps: RelayDeps,
  r: RelayRequest,
  model: string,
  json: Record<string, unknown> | undefined,
  planned: Planned[],
  decoded: Decoded,
): Promise<void> {
  const { ctx, spec } = r;
  const signal = clientAbortSignal(r);
  const sent = await sendWithFailover(deps, r, planned, (plan, key) => buildAttempt(deps, r, plan, key, model, json, decoded), signal);
  if (!sent) return clientGone(ctx);
  const { up, plan } = sent;
  ctx.channelId = plan.candidate.channel.id;
  ctx.modelServed = plan.candidate.upstreamModel;
  if (sent.error && plan.mode.kind !== 'passthrough') throw upstreamError(sent.error);
  if (plan.mode.kind === 'convert') {
    const imageOutput = imageOutputFor(deps, r, plan.candidate.channel.settings);
    await deliverConverted({
      ctx,
      res: r.res,
      up,
      upstreamCodec: CODECS[plan.mode.codec],
      clientCodec: decoded.conversion!.clientCodec,
      options: { model, sse: spec.dialect !== 'gemini' || r.query.get('alt') === 'sse', imageOutput, includeUsage: includeUsageAsked(json) },
      signal,
      ...(imageOutput === 'url' && { publishImage: deps.media.publisher(r.req) }),
    });
    return;
  }
  if (plan.mode.kind === 'embed') return answerEmbeddings(r, up, decoded.embeddings!);
  if (sent.error) return deliverUpstreamError(r, sent.error);
  await deliver(r, up, signal, wantsInjectedUsage(r, json) ? USAGE_CHUNK_FILTER : undefined);
}

/** A converted embeddings answer (always whole). */
async function answerEmbeddings(r: RelayRequest, up: Dispatcher.ResponseData, embeddings: EmbeddingsConversion): Promise<void> {
  const { ctx } = r;
  let answer: Record<string, unknown>;
  try {
    answer = (await up.body.json()) as Record<string, unknown>;
  } catch (err) {
    throw new GatewayError('upstream', `The upstream's answer could not be read: ${(err as Error).message}`);
  }
  const body = JSON.stringify(embeddings.decode(answer));
  ctx.usage = embeddings.usageOf(answer);
  await answerJson(ctx, r.res, body);
}

/** The token's `image_output`, else the channel's `settings.image_output`, else the gateway default. */
function imageOutputFor(deps: RelayDeps, r: RelayRequest, settings: Record<string, unknown>): ImageOutputMode {
  const token = r.ctx.caller?.token.imageOutput;
  if (token) return token;
  const v = settings.image_output;
  return typeof v === 'string' && (IMAGE_OUTPUT_MODES as readonly string[]).includes(v) ? (v as ImageOutputMode) : deps.imageOutput;
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

