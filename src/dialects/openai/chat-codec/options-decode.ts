// The structured generation options of a chat request: response_format,
// reasoning, output modalities and image options.
import type { ImageOptions, Modality, ReasoningEffort, ReasoningOptions, ResponseFormat } from '../../canonical/types.js';
import { arrayAt, given, invalidValue, isRecord, missingParam, objectAt, optionalBoolean, optionalNumber, optionalString, stringAt, type Json } from './wire-guards.js';

const formatTypes = ['text', 'json_object', 'json_schema'] as const;
const efforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
const modalityNames = ['text', 'image', 'audio'] as const;

export function decodeResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (!given(raw)) return undefined;
  const format = objectAt(raw, 'response_format');
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type !== 'json_schema') throw invalidValue('response_format.type', format.type, formatTypes);
  if (!given(format.json_schema)) throw missingParam('response_format.json_schema');
  const spec = objectAt(format.json_schema, 'response_format.json_schema');
  const out: ResponseFormat = { type: 'json_schema', schema: given(spec.schema) ? objectAt(spec.schema, 'response_format.json_schema.schema') : {} };
  const name = optionalString(spec.name, 'response_format.json_schema.name');
  if (name !== undefined) out.name = name;
  const description = optionalString(spec.description, 'response_format.json_schema.description');
  if (description !== undefined) out.description = description;
  const strict = optionalBoolean(spec.strict, 'response_format.json_schema.strict');
  if (strict !== undefined) out.strict = strict;
  return out;
}

/** `reasoning_effort` (OpenAI), or OpenRouter's `reasoning: {effort, max_tokens, exclude}`. */
export function decodeReasoning(json: Json): ReasoningOptions | undefined {
  const out: ReasoningOptions = {};
  if (given(json.reasoning_effort)) out.effort = decodeEffort(json.reasoning_effort, 'reasoning_effort');
  if (isRecord(json.reasoning)) {
    const r = json.reasoning;
    if (out.effort === undefined && given(r.effort)) out.effort = decodeEffort(r.effort, 'reasoning.effort');
    const budget = optionalNumber(r.max_tokens, 'reasoning.max_tokens', { integer: true, min: 0 });
    if (budget !== undefined) out.budgetTokens = budget;
    if (optionalBoolean(r.exclude, 'reasoning.exclude') === true) out.includeThoughts = false;
  }
  // Asking for reasoning means seeing it as reasoning_content (OpenRouter's rule), unless excluded:
  // Gemini shows thoughts only when told to.
  const thinks = (out.effort !== undefined && out.effort !== 'none') || (out.budgetTokens ?? 0) > 0;
  if (thinks && out.includeThoughts === undefined) out.includeThoughts = true;
  return out.effort === undefined && out.budgetTokens === undefined && out.includeThoughts === undefined ? undefined : out;
}

function decodeEffort(raw: unknown, param: string): ReasoningEffort {
  const effort = stringAt(raw, param);
  if (!(efforts as readonly string[]).includes(effort)) throw invalidValue(param, effort, efforts);
  // The hub's scale tops out at high.
  return effort === 'xhigh' ? 'high' : (effort as ReasoningEffort);
}

export function decodeModalities(raw: unknown): Modality[] | undefined {
  if (!given(raw)) return undefined;
  return arrayAt(raw, 'modalities', 'an array of strings').map((m, i) => {
    if (!(modalityNames as readonly string[]).includes(m as string)) throw invalidValue(`modalities[${i}]`, m, modalityNames);
    return m as Modality;
  });
}

/**
 * Image options as `image_config` (OpenRouter), or nested the way tools pass
 * Google's: `extra_body.google.image_config` or `google.image_config`.
 */
export function decodeImageOptions(json: Json): ImageOptions | undefined {
  const extra = isRecord(json.extra_body) ? json.extra_body : undefined;
  const candidates: Array<[unknown, string]> = [
    [json.image_config, 'image_config'],
    [isRecord(extra?.google) ? extra.google.image_config : undefined, 'extra_body.google.image_config'],
    [extra?.image_config, 'extra_body.image_config'],
    [isRecord(json.google) ? json.google.image_config : undefined, 'google.image_config'],
  ];
  const found = candidates.find(([v]) => given(v));
  if (!found) return undefined;
  const [raw, param] = found;
  const config = objectAt(raw, param);
  const out: ImageOptions = {};
  const aspect = optionalString(config.aspect_ratio ?? config.aspectRatio, `${param}.aspect_ratio`);
  if (aspect !== undefined) out.aspectRatio = aspect;
  const size = optionalString(config.image_size ?? config.imageSize, `${param}.image_size`);
  if (size !== undefined) out.imageSize = size;
  return out.aspectRatio === undefined && out.imageSize === undefined ? undefined : out;
}
