// /v1/images/generations and /v1/images/edits for Gemini image models: the
// OpenAI request becomes `n` Gemini generateContent calls made in parallel
// (each with its own failover), and their images come back in OpenAI's answer
// — inline, transcoded, or stored behind signed URLs. Partial failures return
// what succeeded and bill only that. OpenAI-speaking channels (gpt-image-1,
// dall-e-3) never come here: those requests pass through untouched.
import type { CanonicalResponse, CanonicalUsage } from '../dialects/canonical/types.js';
import { toBillingUsage } from '../dialects/canonical/usage.js';
import { CODECS } from '../dialects/codecs.js';
import { GatewayError } from '../dialects/errors.js';
import { inspectGeminiRequest } from '../dialects/gemini/inspect-request.js';
import { imageHeader } from '../dialects/gemini/image-header.js';
import { imageModelSpec } from '../dialects/gemini/image-models.js';
import type { DecodedImagesRequest } from '../dialects/openai/images/canonical-request.js';
import { decodeImageEdit, type UploadedFile } from '../dialects/openai/images/edits-request.js';
import { decodeImageGeneration } from '../dialects/openai/images/generation-request.js';
import { encodeImagesResponse, revisedPromptFrom, sumImagesUsage, type ImagesResponseImage } from '../dialects/openai/images/response.js';
import { transcodeImage } from '../media/transcode.js';
import type { Admitted } from './accounting.js';
import type { RequestFacts } from './request-facts.js';
import { forwardRequestHeaders } from './forward-headers.js';
import { upstreamError } from './upstream-error.js';
import type { Planned, RelayDeps, RelayRequest } from './relay-types.js';
import { clientAbortSignal, sendWithFailover } from './failover.js';
import { settleAccounts } from './settle.js';
import { answerJson } from './answer-json.js';

export interface ImagesJob {
  /** Candidates that take Gemini requests (passthrough candidates are served elsewhere). */
  planned: Planned[];
  /** Generations: the JSON body; edits: the parsed form. */
  input: { json: Record<string, unknown> } | { fields: Record<string, string>; files: UploadedFile[] };
}

/** Decodes for the first candidate's model: sizes map onto what that model supports. */
export function decodeImagesJob(job: ImagesJob): DecodedImagesRequest {
  const model = job.planned[0]!.candidate.upstreamModel;
  if (!imageModelSpec(model)) {
    throw new GatewayError('invalid_request', `Model "${model}" cannot generate images through this route.`, { param: 'model' });
  }
  return 'json' in job.input ? decodeImageGeneration(job.input.json, model) : decodeImageEdit(job.input.fields, job.input.files, model);
}

/** What the n calls will cost at most: Gemini's own validation of one call, times n. */
function imagesFacts(decoded: DecodedImagesRequest, model: string, rawBytes: number): RequestFacts {
  const body = CODECS.gemini.encodeRequest({ ...decoded.request, model }, { model, provider: 'gemini' }).body;
  const one = inspectGeminiRequest({ operation: 'generateContent', model, json: body, rawBytes });
  const n = decoded.n;
  return {
    promptTokens: one.promptTokens * n,
    ...(one.maxOutputTokens !== undefined && { maxOutputTokens: one.maxOutputTokens * n }),
    images: { ...(one.images ?? {}), count: (one.images?.count ?? 1) * n },
    referenceImages: one.referenceImages,
  };
}

type CallResult = { ok: true; response: CanonicalResponse } | { ok: false; error: GatewayError };

/** Gemini reads PNG, JPEG, WebP, HEIC and HEIF: a GIF upload is turned into a PNG first. */
async function geminiReadableImages(decoded: DecodedImagesRequest): Promise<void> {
  for (const message of decoded.request.messages) {
    for (const part of message.parts) {
      if (part.type === 'image' && part.mimeType === 'image/gif' && part.data !== undefined) {
        const png = await transcodeImage(Buffer.from(part.data, 'base64'), 'png');
        part.data = png.bytes.toString('base64');
        part.mimeType = png.mimeType;
      }
    }
  }
}

export async function serveImagesJob(deps: RelayDeps, r: RelayRequest, job: ImagesJob, admit: (facts: RequestFacts) => Promise<Admitted>): Promise<void> {
  const { ctx } = r;
  const decoded = decodeImagesJob(job);
  await geminiReadableImages(decoded);
  const firstModel = job.planned[0]!.candidate.upstreamModel;
  ctx.facts = imagesFacts(decoded, firstModel, r.body?.length ?? 0);
  const admitted = await admit(ctx.facts);
  try {
    await runCalls(deps, r, job, decoded);
  } finally {
    settleAccounts(ctx, admitted);
  }
}

async function runCalls(deps: RelayDeps, r: RelayRequest, job: ImagesJob, decoded: DecodedImagesRequest): Promise<void> {
  const { ctx } = r;
  const signal = clientAbortSignal(r);
  const fault = r.req.headers['x-sim-fault'];
  // The n calls send the same bytes to the same model: encode and serialise once
  // (reference images can be megabytes), not once per call.
  const bodies = new Map<string, { encoded: ReturnType<typeof CODECS.gemini.encodeRequest>; body: Buffer }>();
  const encodedFor = (model: string, provider: string) => {
    const key = `${provider}\u0000${model}`;
    let hit = bodies.get(key);
    if (!hit) {
      const encoded = CODECS.gemini.encodeRequest({ ...decoded.request, model }, { model, provider });
      hit = { encoded, body: Buffer.from(JSON.stringify(encoded.body)) };
      bodies.set(key, hit);
    }
    return hit;
  };
  const one = async (): Promise<CallResult> => {
    try {
      const sent = await sendWithFailover(
        deps,
        r,
        job.planned,
        async (plan, key) => {
          const model = plan.candidate.upstreamModel;
          const { encoded, body } = encodedFor(model, plan.candidate.channel.type);
          const forwardHeaders: Record<string, string> = { ...forwardRequestHeaders({}, false), 'content-type': 'application/json' };
          if (plan.candidate.channel.type === 'simulator' && typeof fault === 'string') forwardHeaders['x-sim-fault'] = fault;
          const call = { channel: plan.candidate.channel, key, dialect: 'gemini' as const, operation: encoded.operation, model, stream: false, query: encoded.query, forwardHeaders };
          return { call, body };
        },
        signal,
      );
      if (!sent) return { ok: false, error: new GatewayError('invalid_request', 'client closed the request', { status: 499 }) };
      ctx.channelId = sent.plan.candidate.channel.id;
      ctx.modelServed = sent.plan.candidate.upstreamModel;
      if (sent.error) return { ok: false, error: upstreamError(sent.error) };
      const json = (await sent.up.body.json()) as Record<string, unknown>;
      return { ok: true, response: CODECS.gemini.decodeResponse(json) };
    } catch (err) {
      if (err instanceof GatewayError) return { ok: false, error: err };
      return { ok: false, error: new GatewayError('upstream', `The upstream answer could not be read: ${(err as Error).message}`) };
    }
  };

  const results = await Promise.all(Array.from({ length: decoded.n }, one));
  if (signal.aborted) {
    ctx.status = 499;
    ctx.error = 'client closed the request';
    return;
  }
  const answers = results.filter((x): x is Extract<CallResult, { ok: true }> => x.ok).map((x) => x.response);
  const failures = results.filter((x): x is Extract<CallResult, { ok: false }> => !x.ok).map((x) => x.error);
  if (answers.length === 0) throw failures[0]!;
  if (failures.length > 0) ctx.error = `${failures.length} of ${decoded.n} image calls failed: ${failures[0]!.message}`;

  const { images, size } = await outputImages(deps, r, decoded, answers);
  const usages = answers.map((a) => a.usage).filter((u): u is CanonicalUsage => u !== undefined);
  const total = usages.reduce(addUsage, undefined);
  if (total) ctx.usage = toBillingUsage(total);
  const asked = ctx.facts?.images;
  ctx.images = { count: images.length, ...(asked?.size !== undefined && { size: asked.size }), ...(asked?.aspectRatio !== undefined && { aspectRatio: asked.aspectRatio }) };
  if (images.length === 0) throw new GatewayError('upstream', `The model answered without an image${revisedPromptFrom(answers[0]!.choices[0]?.parts ?? []) ? `: ${revisedPromptFrom(answers[0]!.choices[0]?.parts ?? [])}` : '.'}`, { status: 502, code: 'no_image' });

  const spec = imageModelSpec(ctx.modelServed ?? '');
  const body = JSON.stringify(
    encodeImagesResponse({
      created: Math.floor(Date.now() / 1000),
      images,
      usage: sumImagesUsage(usages, (ctx.facts?.referenceImages ?? 0) * (spec?.inputImageTokens ?? 0)),
      outputFormat: decoded.outputFormat,
      ...(size !== undefined && { size }),
      ...(decoded.quality !== undefined && { quality: decoded.quality }),
    }),
  );
  await answerJson(ctx, r.res, body);
}

function addUsage(sum: CanonicalUsage | undefined, u: CanonicalUsage): CanonicalUsage {
  if (!sum) return { ...u };
  return {
    inputTokens: sum.inputTokens + u.inputTokens,
    cachedInputTokens: sum.cachedInputTokens + u.cachedInputTokens,
    cacheWriteTokens: sum.cacheWriteTokens + u.cacheWriteTokens,
    outputTokens: sum.outputTokens + u.outputTokens,
    reasoningTokens: sum.reasoningTokens + u.reasoningTokens,
    outputImageTokens: sum.outputImageTokens + u.outputImageTokens,
  };
}

/**
 * Final images (thought images are free and never shown), in the asked format,
 * inline or stored; and the first one's pixel size, read before a stored image
 * leaves only its URL behind.
 */
async function outputImages(
  deps: RelayDeps,
  r: RelayRequest,
  decoded: DecodedImagesRequest,
  answers: CanonicalResponse[],
): Promise<{ images: ImagesResponseImage[]; size?: string }> {
  const publish = decoded.responseFormat === 'url' ? deps.media.publisher(r.req) : undefined;
  const out: ImagesResponseImage[] = [];
  let size: string | undefined;
  for (const answer of answers) {
    const parts = answer.choices[0]?.parts ?? [];
    const revisedPrompt = revisedPromptFrom(parts);
    for (const part of parts) {
      if (part.type !== 'image' || part.thought || part.data === undefined) continue;
      let b64 = part.data;
      let mimeType = part.mimeType;
      if (mimeType !== `image/${decoded.outputFormat}`) {
        const converted = await transcodeImage(Buffer.from(b64, 'base64'), decoded.outputFormat, {
          ...(decoded.outputCompression !== undefined && { quality: decoded.outputCompression }),
        });
        b64 = converted.bytes.toString('base64');
        mimeType = converted.mimeType;
      }
      if (out.length === 0) {
        const header = imageHeader(b64);
        if (header?.width && header.height) size = `${header.width}x${header.height}`;
      }
      const image: ImagesResponseImage = publish ? { url: await publish(mimeType, b64) } : { b64 };
      if (revisedPrompt !== undefined) image.revisedPrompt = revisedPrompt;
      out.push(image);
    }
  }
  return { images: out, ...(size !== undefined && { size }) };
}
