// Decides what a Gemini model answers, before any byte is written: text
// (with thought summaries, function calls, MAX_TOKENS) for text models; for
// image models a PNG at the official size, thought images for the thinking
// ones, a thought signature on every final image, and usageMetadata by
// Google's conventions (image output tokens from the shared table).

import {
  nearestAspectRatio,
  outputTokensPerImage,
  pixelSize,
  resolveImageSize,
  validateImageConfig,
  type ImageModelSpec,
} from '../dialects/gemini/image-models.js';
import { geminiError, type SimError } from './errors.js';
import type { GeminiModel } from './gemini-catalog.js';
import type { GeminiRequest } from './gemini-request.js';
import type { GeminiPlan, OutPart } from './gemini-render.js';
import { newId } from './ids.js';
import { getImage } from './png.js';
import { lookupPrefix, type PromptCache } from './prompt-cache.js';
import { countTokens, fakeReply, fakeSignature, fakeThought, hashString, sampleFromSchema } from './text.js';

const MEDIA_TOKENS = 258;

function promptUsage(model: GeminiModel, req: GeminiRequest, cache: PromptCache) {
  const textTokens = countTokens(req.promptText);
  const imageTokens = req.inputImages * (model.image?.inputImageTokens ?? MEDIA_TOKENS) + req.otherMedia * MEDIA_TOKENS;
  const promptTokenCount = textTokens + imageTokens;
  const details = [{ modality: 'TEXT', tokenCount: textTokens }];
  if (imageTokens > 0) details.push({ modality: 'IMAGE', tokenCount: imageTokens });
  const prefixTokens = countTokens(req.prefixText);
  const seen = lookupPrefix(cache, prefixTokens, () => `gemini|${model.id}|${req.prefixText}`);
  const usage: Record<string, unknown> = { promptTokenCount, promptTokensDetails: details };
  if (seen === 'hit') usage.cachedContentTokenCount = prefixTokens;
  return { promptTokenCount, usage };
}

function thinkingTokens(model: GeminiModel, req: GeminiRequest, seed: number): number | SimError {
  const budget = req.thinkingBudget;
  let on: boolean;
  switch (model.thinking) {
    case 'always':
      if (budget === 0) return geminiError(400, 'Budget 0 is invalid. This model only works in thinking mode.');
      on = true;
      break;
    case 'default-on':
      on = budget !== 0;
      break;
    case 'default-off':
      on = budget !== undefined && budget !== 0;
      break;
    default:
      on = false;
  }
  if (!on) return 0;
  const tokens = 96 + (seed % 160);
  return budget !== undefined && budget > 0 ? Math.min(tokens, budget) : tokens;
}

function chooseFunction(req: GeminiRequest) {
  if (req.functions.length === 0 || req.toolMode === 'NONE') return undefined;
  if (req.toolMode !== 'ANY' && req.lastTurnIsFunctionResponse) return undefined;
  const allowed = req.allowedFunctionNames;
  return req.functions.find((f) => allowed?.includes(f.name)) ?? req.functions[0];
}

function textPlan(model: GeminiModel, req: GeminiRequest, cache: PromptCache): GeminiPlan | SimError {
  const seed = hashString(req.lastUserText);
  const thoughts = thinkingTokens(model, req, seed);
  if (typeof thoughts !== 'number') return thoughts;
  const prompt = promptUsage(model, req, cache);
  const candidates: GeminiPlan['candidates'] = [];
  let outputTokens = 0;
  for (let index = 0; index < req.candidateCount; index++) {
    const parts: OutPart[] = [];
    if (req.includeThoughts && thoughts > 0) parts.push({ text: fakeThought(req.lastUserText, Math.min(thoughts, 40)), thought: true });
    const fn = chooseFunction(req);
    let finishReason = 'STOP';
    if (fn) {
      const args = sampleFromSchema(fn.parameters);
      const part: OutPart = { functionCall: { name: fn.name, args } };
      if (thoughts > 0 || model.id.startsWith('gemini-3')) part.thoughtSignature = fakeSignature(`${model.id}|call|${req.lastUserText}`);
      parts.push(part);
      outputTokens += countTokens(fn.name + JSON.stringify(args)) + 4;
    } else {
      const reply = fakeReply(req.lastUserText, index, req.maxOutputTokens);
      const json = !reply.truncated && req.responseMimeType === 'application/json';
      const text = json ? JSON.stringify(req.responseSchema ? sampleFromSchema(req.responseSchema) : { answer: reply.text }) : reply.text;
      parts.push({ text });
      outputTokens += countTokens(text);
      if (reply.truncated) finishReason = 'MAX_TOKENS';
    }
    candidates.push({ parts, finishReason });
  }
  const usage: Record<string, unknown> = {
    promptTokenCount: prompt.promptTokenCount,
    candidatesTokenCount: outputTokens,
    totalTokenCount: prompt.promptTokenCount + outputTokens + thoughts * req.candidateCount,
    ...prompt.usage,
  };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts * req.candidateCount;
  return finish(model, candidates, usage, prompt.usage, prompt.promptTokenCount);
}

function finish(
  model: GeminiModel,
  candidates: GeminiPlan['candidates'],
  usage: Record<string, unknown>,
  promptSide: Record<string, unknown>,
  promptTokenCount: number,
): GeminiPlan {
  return {
    candidates,
    usage,
    partialUsage: { ...promptSide, totalTokenCount: promptTokenCount },
    modelVersion: model.id,
    responseId: newId(''),
  };
}

function imageThinking(spec: ImageModelSpec, req: GeminiRequest, seed: number): { tokens: number; images: number } {
  if (spec.thinking === 'always') return { tokens: 180 + (seed % 120), images: 1 + (seed % 2) };
  if (spec.thinking === 'optional' && req.thinkingLevel === 'high') return { tokens: 150 + (seed % 100), images: 1 };
  return { tokens: 0, images: 0 };
}

async function imagePlan(model: GeminiModel, spec: ImageModelSpec, req: GeminiRequest, cache: PromptCache): Promise<GeminiPlan | SimError> {
  const modalities = req.responseModalities;
  const wantImage = !modalities || modalities.length === 0 || modalities.includes('IMAGE');
  if (!wantImage) return textPlan({ ...model, thinking: 'none' }, req, cache);
  const invalid = validateImageConfig(spec, { aspectRatio: req.aspectRatio, imageSize: req.imageSize });
  if (invalid) return geminiError(400, invalid);
  if (req.candidateCount > 1) return geminiError(400, 'Multiple candidates is not enabled for this model.');

  const ratio =
    typeof req.aspectRatio === 'string' && req.aspectRatio !== ''
      ? req.aspectRatio
      : req.firstImage
        ? nearestAspectRatio(spec, req.firstImage.width, req.firstImage.height)
        : '1:1';
  const size = resolveImageSize(spec, typeof req.imageSize === 'string' ? req.imageSize : undefined);
  const { width, height } = pixelSize(spec, ratio, size);
  const seed = hashString(req.lastUserText);
  const thinking = imageThinking(spec, req, seed);
  const thoughtSize = size === '512' ? '512' : '1K';
  const thoughtPixels = pixelSize(spec, ratio, thoughtSize);
  const [image, thoughtImage] = await Promise.all([
    getImage(width, height),
    thinking.images > 0 ? getImage(thoughtPixels.width, thoughtPixels.height) : undefined,
  ]);

  const parts: OutPart[] = [];
  if (req.includeThoughts && thinking.tokens > 0) parts.push({ text: fakeThought(req.lastUserText, 40), thought: true });
  for (let i = 0; i < thinking.images && thoughtImage; i++) parts.push({ image: thoughtImage, thought: true });
  let textTokens = 0;
  if (modalities?.includes('TEXT')) {
    const text = `Here is the image you asked for${req.lastUserText ? `: ${req.lastUserText.slice(0, 60)}` : ''}.`;
    parts.push({ text });
    textTokens = countTokens(text);
  }
  parts.push({ image, thoughtSignature: fakeSignature(`${model.id}|${req.lastUserText}|${width}x${height}`) });

  const prompt = promptUsage(model, req, cache);
  const imageTokens = outputTokensPerImage(spec, size);
  const details = [{ modality: 'IMAGE', tokenCount: imageTokens }];
  if (textTokens > 0) details.push({ modality: 'TEXT', tokenCount: textTokens });
  const usage: Record<string, unknown> = {
    promptTokenCount: prompt.promptTokenCount,
    candidatesTokenCount: imageTokens + textTokens,
    totalTokenCount: prompt.promptTokenCount + imageTokens + textTokens + thinking.tokens,
    ...prompt.usage,
    candidatesTokensDetails: details,
  };
  if (thinking.tokens > 0) usage.thoughtsTokenCount = thinking.tokens;
  return finish(model, [{ parts, finishReason: 'STOP' }], usage, prompt.usage, prompt.promptTokenCount);
}

/** The planned answer, or the refusal Google would send. */
export async function planGeminiAnswer(model: GeminiModel, req: GeminiRequest, cache: PromptCache): Promise<GeminiPlan | SimError> {
  if (model.image) return imagePlan(model, model.image, req, cache);
  const modalities = req.responseModalities;
  const unsupported = modalities?.filter((m) => m !== 'TEXT');
  if (unsupported && unsupported.length > 0) {
    return geminiError(400, `Model does not support the requested response modalities: ${unsupported.map((m) => m.toLowerCase()).join(',')}`);
  }
  return textPlan(model, req, cache);
}
