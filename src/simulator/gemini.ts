// Gemini's model methods: POST /{v1beta|v1}/models/{model}:generateContent,
// :streamGenerateContent (?alt=sse, or a JSON array), :countTokens,
// :embedContent, :batchEmbedContents.

import { asRecord, field, type SimContext } from './context.js';
import { geminiError } from './errors.js';
import { findGeminiModel, modelNotFound, type GeminiModel } from './gemini-catalog.js';
import { planGeminiAnswer } from './gemini-plan.js';
import { renderWhole, writeJsonArray, writeSse } from './gemini-render.js';
import { parseGeminiRequest } from './gemini-request.js';
import { countTokens, fakeEmbedding } from './text.js';

export async function handleGeminiMethod(ctx: SimContext, version: string, method: string): Promise<void> {
  const name = ctx.model ?? '';
  const model = findGeminiModel(name);
  switch (method) {
    case 'generateContent':
    case 'streamGenerateContent':
      if (!model || model.kind === 'embedding') return ctx.reply.error(modelNotFound(name, version, method));
      return generate(ctx, model, method === 'streamGenerateContent');
    case 'countTokens':
      if (!model) return ctx.reply.error(modelNotFound(name, version, method));
      return countTokensFor(ctx, model);
    case 'embedContent':
    case 'batchEmbedContents':
      if (!model || model.kind !== 'embedding') return ctx.reply.error(modelNotFound(name, version, method));
      return embed(ctx, model, method === 'batchEmbedContents');
    default:
      return ctx.reply.error(geminiError(404, `Method not found: ${method}`));
  }
}

async function generate(ctx: SimContext, model: GeminiModel, stream: boolean): Promise<void> {
  const req = parseGeminiRequest(asRecord(ctx.json), model);
  if (typeof req === 'string') return ctx.reply.error(geminiError(400, req));
  const plan = await planGeminiAnswer(model, req, ctx.promptCache);
  if ('status' in plan) return ctx.reply.error(plan);
  if (!stream) return ctx.reply.send(200, renderWhole(plan), { 'content-type': 'application/json; charset=UTF-8' });
  if (ctx.query.get('alt') === 'sse') return writeSse(ctx.reply, plan);
  writeJsonArray(ctx.reply, plan);
}

function countTokensFor(ctx: SimContext, model: GeminiModel): void {
  const body = asRecord(ctx.json);
  const inner = field(body, 'generateContentRequest', 'generate_content_request');
  const req = parseGeminiRequest(inner === undefined ? body : asRecord(inner), model);
  if (typeof req === 'string') return ctx.reply.error(geminiError(400, req));
  const textTokens = countTokens(req.promptText);
  const imageTokens = req.inputImages * (model.image?.inputImageTokens ?? 258) + req.otherMedia * 258;
  const details = [{ modality: 'TEXT', tokenCount: textTokens }];
  if (imageTokens > 0) details.push({ modality: 'IMAGE', tokenCount: imageTokens });
  ctx.reply.json(200, { totalTokens: textTokens + imageTokens, promptTokensDetails: details });
}

function contentText(content: unknown): string {
  const parts = asRecord(content).parts;
  if (!Array.isArray(parts)) return '';
  return parts.map((p) => asRecord(p).text).filter((t): t is string => typeof t === 'string').join('');
}

function embedOne(request: Record<string, unknown>, model: GeminiModel): number[] | string {
  const full = model.embeddingDimensions ?? 768;
  const dims = field(request, 'outputDimensionality', 'output_dimensionality') ?? full;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > full) {
    return `* EmbedContentRequest.output_dimensionality: must be between 1 and ${full}.`;
  }
  if (!asRecord(request.content).parts) return '* EmbedContentRequest.content: content is not specified';
  return Array.from(fakeEmbedding(contentText(request.content), dims));
}

function embed(ctx: SimContext, model: GeminiModel, batch: boolean): void {
  const body = asRecord(ctx.json);
  if (!batch) {
    const values = embedOne(body, model);
    if (typeof values === 'string') return ctx.reply.error(geminiError(400, values));
    return ctx.reply.json(200, { embedding: { values } });
  }
  if (!Array.isArray(body.requests) || body.requests.length === 0) {
    return ctx.reply.error(geminiError(400, '* BatchEmbedContentsRequest.requests: requests is not specified'));
  }
  const embeddings: { values: number[] }[] = [];
  for (const request of body.requests) {
    const values = embedOne(asRecord(request), model);
    if (typeof values === 'string') return ctx.reply.error(geminiError(400, values));
    embeddings.push({ values });
  }
  ctx.reply.json(200, { embeddings });
}
