// The answer to /images/generations and /images/edits, shaped as gpt-image-1
// answers: created, data[{b64_json | url, revised_prompt}], background,
// output_format, quality, size, usage.
import type { CanonicalUsage, Part } from '../../canonical/types.js';
import { imageHeader } from '../../gemini/image-header.js';
import type { ImageOutputFormat, ImageQuality } from './output-options.js';

export interface ImagesResponseImage {
  /** Base64 image bytes, for response_format b64_json. */
  b64?: string;
  /** A signed download URL, for response_format url. */
  url?: string;
  revisedPrompt?: string;
}

/** Token totals over all the upstream calls behind one images response. */
export interface ImagesUsage {
  /** All prompt tokens, image tokens included. */
  inputTokens: number;
  inputImageTokens: number;
  /** All output tokens, image tokens included. */
  outputTokens: number;
  outputImageTokens?: number;
}

export interface EncodeImagesResponseInput {
  /** Unix seconds. */
  created: number;
  images: readonly ImagesResponseImage[];
  usage?: ImagesUsage;
  outputFormat: ImageOutputFormat;
  /** "WIDTHxHEIGHT"; read from the first base64 image when absent. */
  size?: string;
  /** As asked; 'auto' (the model's choice) is left out. */
  quality?: ImageQuality;
  /** Whether the images really carry transparency; Gemini renders opaque images, the default. */
  background?: 'transparent' | 'opaque';
}

export interface OpenAIImageData {
  b64_json?: string;
  url?: string;
  revised_prompt?: string;
}

export interface OpenAIImagesUsage {
  input_tokens: number;
  input_tokens_details: { text_tokens: number; image_tokens: number };
  output_tokens: number;
  total_tokens: number;
  output_tokens_details?: { text_tokens: number; image_tokens: number };
}

export interface OpenAIImagesResponse {
  created: number;
  data: OpenAIImageData[];
  background: 'transparent' | 'opaque';
  output_format: ImageOutputFormat;
  quality?: 'low' | 'medium' | 'high';
  size?: string;
  usage?: OpenAIImagesUsage;
}

// dall-e-3 names (`standard`, `hd`) mapped onto gpt-image's three levels.
const QUALITY_LEVEL: Partial<Record<ImageQuality, 'low' | 'medium' | 'high'>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  standard: 'medium',
  hd: 'high',
};

function sizeOf(images: readonly ImagesResponseImage[]): string | undefined {
  const first = images.find((i) => i.b64)?.b64;
  if (!first) return undefined;
  const header = imageHeader(first);
  return header?.width && header.height ? `${header.width}x${header.height}` : undefined;
}

function encodeUsage(u: ImagesUsage): OpenAIImagesUsage {
  const imageIn = Math.min(u.inputImageTokens, u.inputTokens);
  const usage: OpenAIImagesUsage = {
    input_tokens: u.inputTokens,
    input_tokens_details: { text_tokens: u.inputTokens - imageIn, image_tokens: imageIn },
    output_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  if (u.outputImageTokens !== undefined) {
    const imageOut = Math.min(u.outputImageTokens, u.outputTokens);
    usage.output_tokens_details = { text_tokens: u.outputTokens - imageOut, image_tokens: imageOut };
  }
  return usage;
}

export function encodeImagesResponse(input: EncodeImagesResponseInput): OpenAIImagesResponse {
  const data = input.images.map((image) => {
    const entry: OpenAIImageData = {};
    if (image.b64 !== undefined) entry.b64_json = image.b64;
    if (image.url !== undefined) entry.url = image.url;
    if (image.revisedPrompt) entry.revised_prompt = image.revisedPrompt;
    return entry;
  });
  const response: OpenAIImagesResponse = {
    created: input.created,
    data,
    background: input.background ?? 'opaque',
    output_format: input.outputFormat,
  };
  const quality = input.quality && QUALITY_LEVEL[input.quality];
  if (quality) response.quality = quality;
  const size = input.size ?? sizeOf(input.images);
  if (size) response.size = size;
  if (input.usage) response.usage = encodeUsage(input.usage);
  return response;
}

/**
 * Usage over the `n` upstream calls. Gemini does not split prompt tokens by
 * kind in the canonical usage, so the caller passes the image share
 * (reference images × the model's `inputImageTokens`, per call).
 */
export function sumImagesUsage(usages: readonly CanonicalUsage[], inputImageTokensPerCall = 0): ImagesUsage {
  const total: ImagesUsage = { inputTokens: 0, inputImageTokens: 0, outputTokens: 0, outputImageTokens: 0 };
  for (const u of usages) {
    total.inputTokens += u.inputTokens;
    total.inputImageTokens += Math.min(inputImageTokensPerCall, u.inputTokens);
    total.outputTokens += u.outputTokens;
    total.outputImageTokens = (total.outputImageTokens ?? 0) + u.outputImageTokens;
  }
  return total;
}

/** The model's words next to its image, offered as `revised_prompt`; thinking is left out. */
export function revisedPromptFrom(parts: readonly Part[]): string | undefined {
  let text = '';
  for (const part of parts) if (part.type === 'text') text += part.text;
  text = text.trim();
  return text === '' ? undefined : text;
}
