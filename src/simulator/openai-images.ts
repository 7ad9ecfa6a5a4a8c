// POST /v1/images/generations, like OpenAI: gpt-image-* (always b64_json,
// with token usage), dall-e-3 and dall-e-2 (url by default). Images are real
// PNGs at the asked size; URLs point back at the simulator's /__sim/images/.
// `answerImages` is shared with /v1/images/edits (openai-image-edits.ts).

import { asRecord, type SimContext } from './context.js';
import { openaiError, openaiInvalidValue, openaiMissing, openaiModelNotFound } from './errors.js';
import { newId } from './ids.js';
import { blobPlaceholder, jsonWithBlobs } from './json-blobs.js';
import { getImage } from './png.js';
import { countTokens } from './text.js';

export interface ImageFamily {
  sizes: readonly string[];
  defaultSize: string;
  maxN: number;
  tokenUsage: boolean;
  defaultFormat: 'url' | 'b64_json';
}

const GPT_IMAGE: ImageFamily = { sizes: ['1024x1024', '1024x1536', '1536x1024', 'auto'], defaultSize: 'auto', maxN: 10, tokenUsage: true, defaultFormat: 'b64_json' };
const DALL_E_3: ImageFamily = { sizes: ['1024x1024', '1792x1024', '1024x1792'], defaultSize: '1024x1024', maxN: 1, tokenUsage: false, defaultFormat: 'url' };
const DALL_E_2: ImageFamily = { sizes: ['256x256', '512x512', '1024x1024'], defaultSize: '1024x1024', maxN: 10, tokenUsage: false, defaultFormat: 'url' };

export function imageFamily(model: string): ImageFamily {
  if (model.startsWith('dall-e-3')) return DALL_E_3;
  if (model.startsWith('dall-e-2')) return DALL_E_2;
  return GPT_IMAGE;
}

// gpt-image-1 output tokens by quality and size (OpenAI's published table).
const OUTPUT_TOKENS: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

export interface ImageRequest {
  model: string;
  prompt: unknown;
  size: unknown;
  n: unknown;
  responseFormat: unknown;
  quality: unknown;
  background: unknown;
  /** Edits: tokens for the input images (gpt-image-* usage). */
  inputImageTokens?: number;
  /** Edits: what `auto` resolves to (the input image's shape). */
  autoSize?: string;
}

/** Checks the shared options, generates the PNGs and answers like OpenAI. */
export async function answerImages(ctx: SimContext, req: ImageRequest): Promise<void> {
  const { model } = req;
  const fam = imageFamily(model);
  if (typeof req.prompt !== 'string' || req.prompt === '') return ctx.reply.error(openaiMissing('prompt'));
  const size = req.size === undefined || req.size === null ? fam.defaultSize : req.size;
  if (typeof size !== 'string' || !fam.sizes.includes(size)) return ctx.reply.error(openaiInvalidValue('size', size, fam.sizes));
  const n = req.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > fam.maxN) {
    const message = fam.maxN === 1 ? 'You must provide n=1 for this model.' : `Invalid 'n': expected an integer between 1 and ${fam.maxN}, but got ${JSON.stringify(n)} instead.`;
    return ctx.reply.error(openaiError(400, message, 'invalid_request_error', 'n', 'invalid_value'));
  }
  const format = fam.tokenUsage ? 'b64_json' : req.responseFormat ?? fam.defaultFormat;
  if (format !== 'url' && format !== 'b64_json') return ctx.reply.error(openaiInvalidValue('response_format', format, ['url', 'b64_json']));

  const pixels = size === 'auto' ? req.autoSize ?? '1024x1024' : size;
  const [width, height] = pixels.split('x').map(Number) as [number, number];
  const image = await getImage(width, height);
  const item = (): Record<string, unknown> => {
    const entry: Record<string, unknown> =
      format === 'url' ? { url: `${ctx.origin}/__sim/images/${pixels}.png` } : { b64_json: blobPlaceholder(0) };
    if (model.startsWith('dall-e-3')) entry.revised_prompt = req.prompt;
    return entry;
  };
  const response: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data: Array.from({ length: n }, item) };
  if (fam.tokenUsage) {
    const quality = typeof req.quality === 'string' && req.quality in OUTPUT_TOKENS ? req.quality : 'medium';
    const perImage = OUTPUT_TOKENS[quality]?.[pixels] ?? 0;
    const textTokens = countTokens(req.prompt);
    const imageTokens = req.inputImageTokens ?? 0;
    Object.assign(response, {
      background: req.background === 'transparent' ? 'transparent' : 'opaque',
      output_format: 'png',
      quality,
      size: pixels,
      usage: {
        input_tokens: textTokens + imageTokens,
        input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
        output_tokens: perImage * n,
        total_tokens: textTokens + imageTokens + perImage * n,
      },
    });
  }
  ctx.reply.send(200, jsonWithBlobs(response, [image.base64]), {
    'content-type': 'application/json',
    'x-request-id': newId('req_'),
  });
}

export async function handleImageGenerations(ctx: SimContext): Promise<void> {
  const body = asRecord(ctx.json);
  const model = ctx.model ?? 'dall-e-2';
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  await answerImages(ctx, {
    model,
    prompt: body.prompt,
    size: body.size,
    n: body.n,
    responseFormat: body.response_format,
    quality: body.quality,
    background: body.background,
  });
}
