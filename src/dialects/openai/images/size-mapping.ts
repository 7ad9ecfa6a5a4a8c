// OpenAI's `size` ("1024x1536", "auto") → Gemini's imageConfig (aspectRatio,
// imageSize). Gemini has no free pixel sizes: the ratio goes to the nearest one
// the model supports and the long side picks a size class. SIZE_CLASSES is the
// table, kept as data so the README shows exactly what the code does.
import type { ImageOptions } from '../../canonical/types.js';
import {
  IMAGE_MODELS,
  imageModelSpec,
  nearestAspectRatio,
  type GeminiImageSize,
  type ImageModelSpec,
} from '../../gemini/image-models.js';
import { invalidParam, invalidType, invalidValue, listValues, showValue } from './param-errors.js';

export interface SizeClass {
  /** Longest side in pixels this class covers (inclusive); null = no upper bound. */
  maxLongSide: number | null;
  imageSize: GeminiImageSize;
  /** Used when the model lacks `imageSize` (only 3.1 Flash renders "512"). */
  fallback?: GeminiImageSize;
}

export const SIZE_CLASSES: readonly SizeClass[] = [
  { maxLongSide: 768, imageSize: '512', fallback: '1K' },
  { maxLongSide: 1536, imageSize: '1K' },
  { maxLongSide: 3072, imageSize: '2K' },
  { maxLongSide: null, imageSize: '4K' },
];

/** The largest side accepted in a `WxH` size; far beyond any Gemini output, it only stops nonsense. */
export const MAX_SIDE = 16384;

/** The size fields of an images request: OpenAI's `size` and the gateway's extension fields. */
export interface OpenAISizeInput {
  size?: unknown;
  aspect_ratio?: unknown;
  image_size?: unknown;
}

const PIXELS = /^\s*(\d{1,9})\s*[xX]\s*(\d{1,9})\s*$/;
const RATIO = /^\d{1,3}:\d{1,3}$/;

/**
 * The rules for a model name. An unknown name (a newer model, a custom
 * deployment) gets the Gemini 3 Pro rules, the common ground of the family.
 */
export function sizeRulesFor(model: string | ImageModelSpec): ImageModelSpec {
  if (typeof model !== 'string') return model;
  const spec = imageModelSpec(model);
  if (spec) return spec;
  const generic = IMAGE_MODELS.find((m) => m.id === 'gemini-3-pro-image-preview') ?? IMAGE_MODELS[0]!;
  return { ...generic, id: model, aliases: [] };
}

/** The size class for a long side, limited to what the model renders; undefined for a fixed-size model. */
export function imageSizeForLongSide(spec: ImageModelSpec, longSide: number): GeminiImageSize | undefined {
  if (spec.imageSizes.length === 0) return undefined;
  const cls = SIZE_CLASSES.find((c) => c.maxLongSide === null || longSide <= c.maxLongSide) ?? SIZE_CLASSES[SIZE_CLASSES.length - 1]!;
  if (spec.imageSizes.includes(cls.imageSize)) return cls.imageSize;
  if (cls.fallback && spec.imageSizes.includes(cls.fallback)) return cls.fallback;
  return spec.imageSizes[spec.imageSizes.length - 1];
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function fromSize(spec: ImageModelSpec, size: unknown): ImageOptions {
  if (isAbsent(size)) return {};
  if (typeof size !== 'string') throw invalidType('size', 'a string', size);
  if (size.trim() === 'auto') return {};
  const pixels = PIXELS.exec(size);
  if (pixels) {
    const width = Number(pixels[1]);
    const height = Number(pixels[2]);
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      throw invalidParam('size', `Invalid 'size': '${showValue(size)}'. Width and height must each be between 1 and ${MAX_SIDE} pixels.`);
    }
    const options: ImageOptions = { aspectRatio: nearestAspectRatio(spec, width, height) };
    const imageSize = imageSizeForLongSide(spec, Math.max(width, height));
    if (imageSize) options.imageSize = imageSize;
    return options;
  }
  if (RATIO.test(size.trim())) return { aspectRatio: checkRatio(spec, size.trim(), 'size') };
  throw invalidValue('size', size, [], {
    hint: `Expected 'auto', a pixel size like '1024x1536', or an aspect ratio ${spec.id} supports (${listValues(spec.aspectRatios)}).`,
  });
}

function checkRatio(spec: ImageModelSpec, ratio: string, param: string): string {
  if (spec.aspectRatios.includes(ratio)) return ratio;
  throw invalidValue(param, ratio, spec.aspectRatios, { context: `for ${spec.id}` });
}

function checkImageSize(spec: ImageModelSpec, value: unknown): GeminiImageSize | undefined {
  if (typeof value !== 'string') throw invalidType('image_size', 'a string', value);
  if (spec.imageSizes.length === 0) {
    // 2.5 Flash Image renders one 1024 px class; naming it is harmless, anything else is not.
    if (value === spec.defaultImageSize) return undefined;
    throw invalidParam('image_size', `Invalid 'image_size': ${spec.id} renders a fixed 1024 px size and takes no image_size (got '${showValue(value)}').`);
  }
  if (spec.imageSizes.includes(value as GeminiImageSize)) return value as GeminiImageSize;
  const upper = value.toUpperCase();
  const hint = spec.imageSizes.includes(upper as GeminiImageSize) ? `Sizes are case-sensitive: use '${upper}'.` : undefined;
  throw invalidValue('image_size', value, spec.imageSizes, { context: `for ${spec.id}`, hint });
}

/**
 * Gemini image options for an OpenAI images request. `aspect_ratio` and
 * `image_size` (gateway extensions) win over what `size` implies; 'auto' or no
 * size leaves the choice to the model. Throws GatewayError('invalid_request')
 * with `param` set for anything the model cannot render.
 */
export function imageOptionsForOpenAISize(model: string | ImageModelSpec, input: OpenAISizeInput): ImageOptions {
  const spec = sizeRulesFor(model);
  const options = fromSize(spec, input.size);
  const ratio = input.aspect_ratio;
  if (!isAbsent(ratio)) {
    if (typeof ratio !== 'string') throw invalidType('aspect_ratio', 'a string', ratio);
    if (ratio === 'auto') delete options.aspectRatio;
    else options.aspectRatio = checkRatio(spec, ratio, 'aspect_ratio');
  }
  if (!isAbsent(input.image_size)) {
    const imageSize = checkImageSize(spec, input.image_size);
    if (imageSize) options.imageSize = imageSize;
    else delete options.imageSize;
  }
  return options;
}
