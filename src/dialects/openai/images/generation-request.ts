// POST /v1/images/generations (OpenAI JSON body) → one canonical request plus
// the answer options. The relay calls the upstream `n` times in parallel.
import { GatewayError } from '../../errors.js';
import { imagesRequest, type DecodedImagesRequest } from './canonical-request.js';
import { jsonParams, readOutputOptions, readRequiredText, readString } from './output-options.js';
import { missingParam } from './param-errors.js';
import { imageOptionsForOpenAISize } from './size-mapping.js';

/** True when a body posted to /images/generations is Gemini's (`contents`), to be answered in Gemini's shape. */
export function isGeminiBody(json: unknown): boolean {
  return json !== null && typeof json === 'object' && !Array.isArray(json) && (json as Record<string, unknown>).contents !== undefined;
}

/** The size fields: top level, or OpenRouter-style `image_config` (what some SDK wrappers send). */
function sizeFields(json: Record<string, unknown>): { size?: unknown; aspect_ratio?: unknown; image_size?: unknown } {
  const config = json.image_config;
  const nested = config !== null && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  return {
    size: json.size,
    aspect_ratio: json.aspect_ratio ?? nested.aspect_ratio,
    image_size: json.image_size ?? nested.image_size,
  };
}

/**
 * Decodes an OpenAI images generation body. `specModel` is the name to look up
 * in the image model table when it differs from the client's (after model
 * mapping); it defaults to the body's `model`.
 */
export function decodeImageGeneration(json: unknown, specModel?: string): DecodedImagesRequest {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object.');
  }
  const body = json as Record<string, unknown>;
  const params = jsonParams(body);
  const model = readString(params, 'model');
  if (model === undefined || model.trim() === '') throw missingParam('model');
  const prompt = readRequiredText(params, 'prompt');
  const output = readOutputOptions(params);
  const image = imageOptionsForOpenAISize(specModel ?? model, sizeFields(body));
  return imagesRequest(model, [{ type: 'text', text: prompt }], image, output);
}
