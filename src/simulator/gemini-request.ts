// Reads a GenerateContentRequest in proto3 JSON (camelCase or snake_case) into
// a small normalised shape, refusing what Google refuses: bad base64, MIME
// types the model cannot take, data that is not an image, too many images,
// model turns missing their thought signature.

import { asRecord, field } from './context.js';
import type { GeminiModel } from './gemini-catalog.js';
import { dimensionsFromBase64, isBase64, type ImageDimensions } from './image-header.js';

export interface GeminiFunction {
  name: string;
  parameters: unknown;
}

export interface GeminiRequest {
  /** All prompt text (contents, system instruction, tool declarations). */
  promptText: string;
  /** Text of everything but the last turn (all of it for a single turn): the cacheable prefix. */
  prefixText: string;
  /** The last user turn's text: the seed for the reply. */
  lastUserText: string;
  /** Inline images, audio, video, documents in the contents. */
  inputImages: number;
  otherMedia: number;
  firstImage: ImageDimensions | undefined;
  lastTurnIsFunctionResponse: boolean;
  functions: GeminiFunction[];
  toolMode: string;
  allowedFunctionNames: string[] | undefined;
  maxOutputTokens: number | undefined;
  candidateCount: number;
  responseModalities: string[] | undefined;
  aspectRatio: unknown;
  imageSize: unknown;
  includeThoughts: boolean;
  thinkingBudget: number | undefined;
  thinkingLevel: string | undefined;
  responseMimeType: string | undefined;
  responseSchema: unknown;
}

const IMAGE_MIME = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);
const OTHER_MIME = /^(application\/pdf|text\/[\w.+-]+|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

// Any non-empty signature passes, "skip_thought_signature_validator" included.
function signatureMissing(part: Record<string, unknown>): boolean {
  const sig = field(part, 'thoughtSignature', 'thought_signature');
  return typeof sig !== 'string' || sig === '';
}

/** Text of the parts of a Content, for prompt counting. */
function partsText(parts: Record<string, unknown>[]): string {
  let text = '';
  for (const p of parts) {
    if (typeof p.text === 'string') text += p.text;
    const call = field(p, 'functionCall', 'function_call');
    const response = field(p, 'functionResponse', 'function_response');
    if (call) text += JSON.stringify(call);
    if (response) text += JSON.stringify(response);
  }
  return text;
}

export function parseGeminiRequest(body: Record<string, unknown>, model: GeminiModel): GeminiRequest | string {
  const contents = body.contents;
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) {
    return '* GenerateContentRequest.contents: contents is not specified';
  }
  if (!Array.isArray(contents)) return `Invalid value at 'contents' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(contents).slice(0, 40)}`;
  const req: GeminiRequest = {
    promptText: '',
    prefixText: '',
    lastUserText: '',
    inputImages: 0,
    otherMedia: 0,
    firstImage: undefined,
    lastTurnIsFunctionResponse: false,
    functions: [],
    toolMode: 'AUTO',
    allowedFunctionNames: undefined,
    maxOutputTokens: undefined,
    candidateCount: 1,
    responseModalities: undefined,
    aspectRatio: undefined,
    imageSize: undefined,
    includeThoughts: false,
    thinkingBudget: undefined,
    thinkingLevel: undefined,
    responseMimeType: undefined,
    responseSchema: undefined,
  };
  const gemini3 = model.id.startsWith('gemini-3');

  for (let i = 0; i < contents.length; i++) {
    const content = asRecord(contents[i]);
    const role = content.role ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      return `Please use a valid role: user, model.`;
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    }
    const parts = content.parts.map(asRecord);
    let sawCall = false;
    for (let j = 0; j < parts.length; j++) {
      const part = parts[j] as Record<string, unknown>;
      const inline = field(part, 'inlineData', 'inline_data');
      if (inline !== undefined) {
        const error = checkInline(asRecord(inline), i, j, model, req);
        if (error) return error;
        const isImage = String(field(asRecord(inline), 'mimeType', 'mime_type')).startsWith('image/');
        if (role === 'model' && isImage && model.kind === 'image' && gemini3 && part.thought !== true && signatureMissing(part)) {
          return `Image part is missing a thought_signature in content position ${i + 1}, part position ${j + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures#model-behavior for more details.`;
        }
      }
      const call = field(part, 'functionCall', 'function_call');
      if (call !== undefined && role === 'model' && gemini3 && !sawCall) {
        sawCall = true;
        if (signatureMissing(part)) {
          return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`${String(asRecord(call).name)}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
        }
      }
    }
    const text = partsText(parts);
    req.promptText += text;
    if (i < contents.length - 1 || contents.length === 1) req.prefixText += text;
    if (role === 'user') req.lastUserText = text || req.lastUserText;
    req.lastTurnIsFunctionResponse = parts.some((p) => field(p, 'functionResponse', 'function_response') !== undefined);
  }

  const image = model.image;
  if (image && req.inputImages > image.maxReferenceImages) {
    return `* GenerateContentRequest.contents: too many input images (${req.inputImages}); ${model.id} accepts at most ${image.maxReferenceImages}.`;
  }

  const system = asRecord(field(body, 'systemInstruction', 'system_instruction'));
  if (Array.isArray(system.parts)) {
    const text = partsText(system.parts.map(asRecord));
    req.promptText += text;
    req.prefixText += text;
  }

  for (const tool of Array.isArray(body.tools) ? body.tools.map(asRecord) : []) {
    const decls = field(tool, 'functionDeclarations', 'function_declarations');
    for (const decl of Array.isArray(decls) ? decls.map(asRecord) : []) {
      if (typeof decl.name !== 'string') continue;
      const parameters = decl.parameters ?? field(decl, 'parametersJsonSchema', 'parameters_json_schema');
      req.functions.push({ name: decl.name, parameters });
      const declText = JSON.stringify(decl);
      req.promptText += declText;
      req.prefixText += declText;
    }
  }
  const callConfig = asRecord(field(asRecord(field(body, 'toolConfig', 'tool_config')), 'functionCallingConfig', 'function_calling_config'));
  if (typeof callConfig.mode === 'string') req.toolMode = callConfig.mode.toUpperCase();
  const allowed = field(callConfig, 'allowedFunctionNames', 'allowed_function_names');
  if (Array.isArray(allowed)) req.allowedFunctionNames = allowed.filter((n): n is string => typeof n === 'string');

  return readGenerationConfig(asRecord(field(body, 'generationConfig', 'generation_config')), req);
}

function checkInline(inline: Record<string, unknown>, i: number, j: number, model: GeminiModel, req: GeminiRequest): string | undefined {
  const data = inline.data;
  const mime = field(inline, 'mimeType', 'mime_type');
  const where = `contents[${i}].parts[${j}].inline_data`;
  if (typeof data !== 'string' || !isBase64(data)) {
    const shown = typeof data === 'string' ? data.slice(0, 32) : JSON.stringify(data);
    return `Invalid value at '${where}.data' (TYPE_BYTES), Base64 decoding failed for "${shown}"`;
  }
  if (typeof mime !== 'string' || mime === '') return `* GenerateContentRequest.${where}.mime_type: mime_type is required.`;
  const lower = mime.toLowerCase();
  const accepted = IMAGE_MIME.has(lower) || (model.kind === 'text' && OTHER_MIME.test(lower));
  if (!accepted) return `Unsupported MIME type: ${mime}`;
  if (!IMAGE_MIME.has(lower)) {
    req.otherMedia++;
    return undefined;
  }
  req.inputImages++;
  if (lower === 'image/heic' || lower === 'image/heif') return undefined;
  const dims = dimensionsFromBase64(data);
  if (!dims) return 'Provided image is not valid.';
  req.firstImage ??= dims;
  return undefined;
}

function readGenerationConfig(config: Record<string, unknown>, req: GeminiRequest): GeminiRequest | string {
  const max = field(config, 'maxOutputTokens', 'max_output_tokens');
  if (max !== undefined) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      return `* GenerateContentRequest.generation_config.max_output_tokens: max_output_tokens must be positive.`;
    }
    req.maxOutputTokens = max;
  }
  const count = field(config, 'candidateCount', 'candidate_count');
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 8) {
      return `* GenerateContentRequest.generation_config.candidate_count: candidate_count must be between 1 and 8.`;
    }
    req.candidateCount = count;
  }
  const modalities = field(config, 'responseModalities', 'response_modalities');
  if (Array.isArray(modalities)) req.responseModalities = modalities.map((m) => String(m).toUpperCase());
  const imageConfig = asRecord(field(config, 'imageConfig', 'image_config'));
  req.aspectRatio = field(imageConfig, 'aspectRatio', 'aspect_ratio');
  req.imageSize = field(imageConfig, 'imageSize', 'image_size');
  const thinking = asRecord(field(config, 'thinkingConfig', 'thinking_config'));
  req.includeThoughts = field(thinking, 'includeThoughts', 'include_thoughts') === true;
  const budget = field(thinking, 'thinkingBudget', 'thinking_budget');
  if (typeof budget === 'number') req.thinkingBudget = budget;
  const level = field(thinking, 'thinkingLevel', 'thinking_level');
  if (typeof level === 'string') req.thinkingLevel = level.toLowerCase();
  const mime = field(config, 'responseMimeType', 'response_mime_type');
  if (typeof mime === 'string') req.responseMimeType = mime;
  req.responseSchema = field(config, 'responseSchema', 'response_schema') ?? field(config, 'responseJsonSchema', 'response_json_schema');
  return req;
}
