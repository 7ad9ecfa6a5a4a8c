// POST /v1/images/edits (multipart), like OpenAI: gpt-image-* take `image`
// or repeated `image[]` (up to 16 PNG/JPEG/WebP files), dall-e-2 one square
// PNG; an optional PNG `mask` the size of the first image. Files are checked
// by their part Content-Type as OpenAI does (a file sent without one arrives
// as application/octet-stream and is refused) and by their bytes. The answer
// is the generations one (`answerImages`); `size: auto` follows the first
// image's shape.

import type { SimContext } from './context.js';
import { isSimError, listValues, openaiError, openaiInvalidValue, openaiMissing, openaiModelNotFound, type SimError } from './errors.js';
import { imageDimensions, type ImageDimensions } from './image-header.js';
import type { FormFile, MultipartForm } from './multipart.js';
import { answerImages } from './openai-images.js';

const GPT_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const DALL_E_2_TYPES = ['image/png'];
const EDIT_MODELS = ['dall-e-2', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5'];
const MAX_IMAGES = 16;
const DALL_E_2_MAX_BYTES = 4 * 1024 * 1024;
const GPT_IMAGE_MAX_BYTES = 50 * 1024 * 1024;

// gpt-image input images: a base plus a price per 512 px tile of the image
// scaled to fit 2048 px, shortest side 768 (the vision rule, approximately).
const IMAGE_BASE_TOKENS = 65;
const IMAGE_TILE_TOKENS = 129;

function imageTokens(d: ImageDimensions): number {
  let scale = Math.min(1, 2048 / Math.max(d.width, d.height));
  scale = Math.min(scale, 768 / Math.min(d.width * scale, d.height * scale)) || scale;
  const tiles = Math.ceil((d.width * scale) / 512) * Math.ceil((d.height * scale) / 512);
  return IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * tiles;
}

function autoSize(d: ImageDimensions): string {
  const ratio = d.width / d.height;
  return ratio > 1.25 ? '1536x1024' : ratio < 0.8 ? '1024x1536' : '1024x1024';
}

/** A form number (`n=2`) as a number; anything else as sent, for the shared check to refuse. */
function formNumber(value: string | undefined): unknown {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
}

function checkImage(file: FormFile, param: string, types: readonly string[], dallE2: boolean): SimError | ImageDimensions {
  const mime = file.mimeType.toLowerCase();
  if (!types.includes(mime)) {
    return openaiError(400, `Invalid file '${param}': unsupported mimetype ('${mime}'). Supported file formats are ${listValues(types)}.`, 'invalid_request_error', param, 'unsupported_file_mimetype');
  }
  const dims = imageDimensions(file.data);
  if (!dims || `image/${dims.format}` !== mime) {
    return openaiError(400, `Invalid file '${param}': the file could not be read as ${mime}.`, 'invalid_request_error', param, 'invalid_image_file');
  }
  const limit = dallE2 ? DALL_E_2_MAX_BYTES : GPT_IMAGE_MAX_BYTES;
  if (file.data.length >= limit) {
    return openaiError(400, `Invalid file '${param}': the image must be less than ${limit / 1024 / 1024} MB.`, 'invalid_request_error', param, 'file_too_large');
  }
  if (dallE2 && dims.width !== dims.height) {
    return openaiError(400, 'Invalid input image - image must be square.', 'invalid_request_error', param, 'invalid_value');
  }
  return dims;
}

function checkMask(form: MultipartForm, first: ImageDimensions): SimError | undefined {
  const mask = form.filesNamed('mask')[0];
  if (!mask) return undefined;
  const dims = checkImage(mask, 'mask', DALL_E_2_TYPES, false);
  if (isSimError(dims)) return dims;
  if (dims.width !== first.width || dims.height !== first.height) {
    return openaiError(400, `Invalid mask image: the mask (${dims.width}x${dims.height}) must be the same size as the image (${first.width}x${first.height}).`, 'invalid_request_error', 'mask', 'invalid_value');
  }
  return undefined;
}

export async function handleImageEdits(ctx: SimContext): Promise<void> {
  const form = ctx.form;
  if (!form) return ctx.reply.error(openaiError(400, 'Expected a multipart/form-data body.'));
  const model = ctx.model ?? 'dall-e-2';
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  if (!EDIT_MODELS.some((m) => model.startsWith(m)) && !model.startsWith('gpt-image')) {
    return ctx.reply.error(openaiInvalidValue('model', model, EDIT_MODELS));
  }
  const prompt = form.field('prompt');
  if (!prompt) return ctx.reply.error(openaiMissing('prompt'));
  const images = form.filesNamed('image', 'image[]');
  if (images.length === 0) return ctx.reply.error(openaiMissing('image'));
  const dallE2 = model.startsWith('dall-e-2');
  const max = dallE2 ? 1 : MAX_IMAGES;
  if (images.length > max) {
    return ctx.reply.error(openaiError(400, `Invalid 'image': array too long. Expected an array with maximum length ${max}, but got an array with length ${images.length} instead.`, 'invalid_request_error', 'image', 'array_above_max_length'));
  }
  const types = dallE2 ? DALL_E_2_TYPES : GPT_IMAGE_TYPES;
  const dims: ImageDimensions[] = [];
  for (let i = 0; i < images.length; i++) {
    const file = images[i] as FormFile;
    const checked = checkImage(file, file.field === 'image[]' ? `image[${i}]` : 'image', types, dallE2);
    if (isSimError(checked)) return ctx.reply.error(checked);
    dims.push(checked);
  }
  const first = dims[0] as ImageDimensions;
  const maskProblem = checkMask(form, first);
  if (maskProblem) return ctx.reply.error(maskProblem);

  await answerImages(ctx, {
    model,
    prompt,
    size: form.field('size'),
    n: formNumber(form.field('n')),
    responseFormat: form.field('response_format'),
    quality: form.field('quality'),
    background: form.field('background'),
    inputImageTokens: dallE2 ? undefined : dims.reduce((sum, d) => sum + imageTokens(d), 0),
    autoSize: autoSize(first),
  });
}
