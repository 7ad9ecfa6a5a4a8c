// `generationConfig` → the canonical request's generation options.
import type { CanonicalRequest, ImageOptions, Modality } from '../../canonical/types.js';
import { geminiSchemaToJsonSchema } from './schema.js';
import { decodeThinkingConfig } from './thinking-config.js';
import { invalid, isRec, type FieldReader } from './wire.js';

const MODALITIES: Record<string, Modality | null> = { text: 'text', image: 'image', audio: 'audio', modality_unspecified: null };

function decodeModalities(list: string[]): Modality[] {
  const out: Modality[] = [];
  for (const m of list) {
    const modality = MODALITIES[m.toLowerCase()];
    if (modality === undefined) {
      throw invalid(
        `Invalid value at 'generationConfig.responseModalities': "${m}" is not one of TEXT, IMAGE, AUDIO.`,
        'generationConfig.responseModalities',
      );
    }
    if (modality && !out.includes(modality)) out.push(modality);
  }
  return out;
}

function decodeResponseFormat(g: FieldReader, req: CanonicalRequest): void {
  const mime = g.string('responseMimeType', 'response_mime_type');
  const jsonSchema = g.raw('responseJsonSchema', 'response_json_schema');
  const schema = g.object('responseSchema', 'response_schema');
  if (jsonSchema !== undefined && !isRec(jsonSchema)) {
    throw invalid("Invalid value at 'generationConfig.responseJsonSchema': expected an object (a JSON Schema).", 'generationConfig.responseJsonSchema');
  }
  const resolved = jsonSchema ?? (schema ? geminiSchemaToJsonSchema(schema, 'generationConfig.responseSchema') : undefined);
  if (resolved) req.responseFormat = { type: 'json_schema', name: 'response', schema: resolved };
  else if (mime?.toLowerCase() === 'application/json') req.responseFormat = { type: 'json_object' };
}

function decodeImageConfig(image: FieldReader): ImageOptions | undefined {
  const options: ImageOptions = {};
  const aspectRatio = image.string('aspectRatio', 'aspect_ratio');
  const imageSize = image.string('imageSize', 'image_size');
  if (aspectRatio) options.aspectRatio = aspectRatio;
  if (imageSize) options.imageSize = imageSize;
  return options.aspectRatio || options.imageSize ? options : undefined;
}

export function decodeGenerationConfig(g: FieldReader, req: CanonicalRequest): void {
  const maxOutputTokens = g.integer('maxOutputTokens', 'max_output_tokens');
  if (maxOutputTokens !== undefined) req.maxOutputTokens = maxOutputTokens;
  const temperature = g.number('temperature', 'temperature');
  if (temperature !== undefined) req.temperature = temperature;
  const topP = g.number('topP', 'top_p');
  if (topP !== undefined) req.topP = topP;
  const topK = g.number('topK', 'top_k');
  if (topK !== undefined) req.topK = topK;
  const stop = g.strings('stopSequences', 'stop_sequences');
  if (stop && stop.length > 0) req.stop = stop;
  const n = g.integer('candidateCount', 'candidate_count');
  if (n !== undefined) req.n = n;
  const seed = g.integer('seed', 'seed');
  if (seed !== undefined) req.seed = seed;
  const presencePenalty = g.number('presencePenalty', 'presence_penalty');
  if (presencePenalty !== undefined) req.presencePenalty = presencePenalty;
  const frequencyPenalty = g.number('frequencyPenalty', 'frequency_penalty');
  if (frequencyPenalty !== undefined) req.frequencyPenalty = frequencyPenalty;
  decodeResponseFormat(g, req);
  const modalities = g.strings('responseModalities', 'response_modalities');
  if (modalities && modalities.length > 0) req.modalities = decodeModalities(modalities);
  const image = g.reader('imageConfig', 'image_config');
  const imageOptions = image && decodeImageConfig(image);
  if (imageOptions) req.image = imageOptions;
  const thinking = g.reader('thinkingConfig', 'thinking_config');
  const reasoning = thinking && decodeThinkingConfig(thinking);
  if (reasoning) req.reasoning = reasoning;
}
