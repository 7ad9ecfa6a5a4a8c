// The facts of a Gemini request before any money moves (prompt size, output
// cap, images asked for, reference images), and the refusals Google would
// send for an image model, so a bad request costs nothing and never reaches a
// channel. One walk over the parsed body; base64 is measured and checked with
// a native regex, never counted as text and never copied.
import { GatewayError } from '../errors.js';
import { imageHeader, isBase64 } from './image-header.js';
import { imageModelSpec, nearestAspectRatio, resolveImageSize, validateImageConfig, type ImageModelSpec } from './image-models.js';

/** Same shape as the relay's RequestFacts (dialects import nothing from the relay). */
export interface GeminiRequestFacts {
  promptTokens: number;
  maxOutputTokens?: number;
  images?: { count: number; size?: string; aspectRatio?: string };
  referenceImages: number;
}

export interface GeminiInspectInput {
  operation: string;
  /** The model the upstream will run (after the channel's mapping). */
  model: string;
  json: Record<string, unknown>;
  rawBytes: number;
}

/** Google's safe limit for inline data in one request. */
export const DEFAULT_INLINE_DATA_LIMIT = 20 * 1024 * 1024;
let inlineDataLimit = DEFAULT_INLINE_DATA_LIMIT;

/** Sets the cap on the base64 bytes of all inline data in one request (from settings). */
export function setInlineDataLimit(bytes: number): void {
  if (!Number.isFinite(bytes) || bytes <= 0) throw new RangeError(`inline data limit must be a positive number of bytes, got ${bytes}`);
  inlineDataLimit = Math.floor(bytes);
}

export function getInlineDataLimit(): number {
  return inlineDataLimit;
}

const IMAGE_MIME = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);
/** Documents the image models also read (Google's model pages). */
const DOCUMENT_MIME = new Set(['application/pdf', 'text/plain']);
/** Prompt tokens for a media part of a model outside the table (Google's flat rate). */
const MEDIA_TOKENS = 258;
const GENERATE = new Set(['generateContent', 'streamGenerateContent']);
const MAX_DEPTH = 64;

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** A field proto3 JSON may spell in camelCase or snake_case. */
function field(obj: Rec | undefined, camel: string, snake: string): unknown {
  if (!obj) return undefined;
  const v = obj[camel];
  return v !== undefined ? v : obj[snake];
}

function invalid(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** Characters of text in any JSON value (function calls, tool declarations…), bounded in depth. */
function approxChars(v: unknown, depth = 0): number {
  if (typeof v === 'string') return v.length;
  if (typeof v === 'number' || typeof v === 'boolean') return 4;
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += approxChars(x, depth + 1) + 1;
    return n;
  }
  for (const k in v as Rec) n += k.length + 3 + approxChars((v as Rec)[k], depth + 1);
  return n;
}

/** One pass over contents and system instruction. */
class ContentWalk {
  textChars = 0;
  mediaTokens = 0;
  referenceImages = 0;
  inlineBytes = 0;
  firstImage: { width?: number; height?: number } | undefined;

  constructor(
    private readonly spec: ImageModelSpec | undefined,
    private readonly validate: boolean,
  ) {}

  contents(contents: unknown): void {
    if (!Array.isArray(contents)) return;
    for (let i = 0; i < contents.length; i++) {
      const content = rec(contents[i]);
      const role = content?.role ?? 'user';
      this.parts(content?.parts, `contents[${i}]`, role === 'user');
    }
  }

  parts(parts: unknown, where: string, userTurn: boolean): void {
    if (!Array.isArray(parts)) return;
    for (let j = 0; j < parts.length; j++) {
      const part = rec(parts[j]);
      if (!part) continue;
      for (const key in part) {
        const value = part[key];
        if (key === 'text') this.textChars += typeof value === 'string' ? value.length : 0;
        else if (key === 'inlineData' || key === 'inline_data') this.inline(rec(value), `${where}.parts[${j}].inline_data`, userTurn);
        else if (key === 'fileData' || key === 'file_data') this.fileData(rec(value));
        else if (key !== 'thought' && key !== 'thoughtSignature' && key !== 'thought_signature') this.textChars += approxChars(value);
      }
    }
  }

  private imageTokens(): number {
    return this.spec?.inputImageTokens ?? MEDIA_TOKENS;
  }

  private fileData(file: Rec | undefined): void {
    const mime = field(file, 'mimeType', 'mime_type');
    this.mediaTokens += typeof mime === 'string' && mime.toLowerCase().startsWith('image/') ? this.imageTokens() : MEDIA_TOKENS;
  }

  private inline(inline: Rec | undefined, where: string, userTurn: boolean): void {
    const data = inline?.data;
    const mime = field(inline, 'mimeType', 'mime_type');
    const length = typeof data === 'string' ? data.length : 0;
    this.inlineBytes += length;
    const lower = typeof mime === 'string' ? mime.toLowerCase() : '';
    const isImage = lower.startsWith('image/');
    this.mediaTokens += isImage ? this.imageTokens() : MEDIA_TOKENS;
    if (isImage && userTurn) this.referenceImages++;
    if (!this.validate) {
      if (isImage && this.firstImage === undefined && typeof data === 'string') this.firstImage = imageHeader(data) ?? {};
      return;
    }
    // Refuse on size before the (linear) base64 check: a huge body fails fast.
    if (this.inlineBytes > inlineDataLimit) {
      throw invalid(
        `Inline data in this request exceeds ${megabytes(inlineDataLimit)} (at ${where}); send smaller or fewer images.`,
        'contents',
      );
    }
    if (typeof data !== 'string' || data === '' || !isBase64(data)) {
      const shown = typeof data === 'string' ? `"${data.slice(0, 32)}${data.length > 32 ? '…' : ''}"` : String(data);
      throw invalid(`Invalid value at '${where}.data' (TYPE_BYTES): base64 decoding failed for ${shown}.`, `${where}.data`);
    }
    if (typeof mime !== 'string' || mime === '') throw invalid(`* GenerateContentRequest.${where}.mime_type: mime_type is required.`, `${where}.mime_type`);
    if (!isImage) {
      if (DOCUMENT_MIME.has(lower)) return;
      throw invalid(`Unsupported MIME type at ${where}.mime_type: ${mime}. ${this.spec!.id} takes images (${[...IMAGE_MIME].join(', ')}).`, `${where}.mime_type`);
    }
    if (!IMAGE_MIME.has(lower)) {
      throw invalid(`Unsupported MIME type at ${where}.mime_type: ${mime}. Use one of ${[...IMAGE_MIME].join(', ')}.`, `${where}.mime_type`);
    }
    const header = imageHeader(data);
    if (!header) throw invalid(`Provided image is not valid: ${where}.data is not a PNG, JPEG, WebP, HEIC or HEIF image.`, `${where}.data`);
    this.firstImage ??= header;
  }
}

function modalitiesOf(config: Rec | undefined): string[] | undefined {
  const m = field(config, 'responseModalities', 'response_modalities');
  return Array.isArray(m) ? m.map((x) => String(x).toUpperCase()) : undefined;
}

/** Google's error for a wrong-case size is generic; say what is wrong. */
function checkImageConfig(spec: ImageModelSpec, imageConfig: Rec | undefined): void {
  const aspectRatio = field(imageConfig, 'aspectRatio', 'aspect_ratio');
  const imageSize = field(imageConfig, 'imageSize', 'image_size');
  if (typeof imageSize === 'string' && imageSize !== imageSize.toUpperCase()) {
    const upper = imageSize.toUpperCase();
    const allowed: readonly string[] = spec.imageSizes.length > 0 ? spec.imageSizes : [spec.defaultImageSize];
    if (allowed.includes(upper)) {
      throw invalid(`imageSize must be uppercase: ${upper} (got "${imageSize}").`, 'generationConfig.imageConfig.imageSize');
    }
  }
  const message = validateImageConfig(spec, { aspectRatio, imageSize });
  if (message) {
    const param = message.includes('aspect_ratio') ? 'generationConfig.imageConfig.aspectRatio' : 'generationConfig.imageConfig.imageSize';
    throw invalid(message, param);
  }
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined;
}

/**
 * Facts for generateContent / streamGenerateContent (validated when the model
 * is in the image table), countTokens (counted, never refused) and the rest
 * (sized from the body).
 */
export function inspectGeminiRequest(input: GeminiInspectInput): GeminiRequestFacts {
  const { operation, model } = input;
  let body: Rec = input.json;
  if (operation === 'countTokens') body = rec(field(body, 'generateContentRequest', 'generate_content_request')) ?? body;
  else if (!GENERATE.has(operation)) return { promptTokens: Math.ceil(input.rawBytes / 4), referenceImages: 0 };

  const spec = imageModelSpec(model);
  const validate = spec !== undefined && GENERATE.has(operation);
  const config = rec(field(body, 'generationConfig', 'generation_config'));
  const imageConfig = rec(field(config, 'imageConfig', 'image_config'));
  if (validate) checkImageConfig(spec, imageConfig);

  const walk = new ContentWalk(spec, validate);
  walk.contents(body.contents);
  walk.parts(rec(field(body, 'systemInstruction', 'system_instruction'))?.parts, 'system_instruction', false);
  walk.textChars += approxChars(body.tools);
  if (validate && walk.referenceImages > spec.maxReferenceImages) {
    throw invalid(
      `Too many reference images: ${walk.referenceImages}; ${spec.id} accepts at most ${spec.maxReferenceImages} per request.`,
      'contents',
    );
  }

  const facts: GeminiRequestFacts = {
    promptTokens: Math.ceil(walk.textChars / 4) + walk.mediaTokens,
    referenceImages: walk.referenceImages,
  };
  const maxOutputTokens = positiveInt(field(config, 'maxOutputTokens', 'max_output_tokens'));
  if (maxOutputTokens !== undefined) facts.maxOutputTokens = maxOutputTokens;
  if (operation === 'countTokens') return facts;

  const modalities = modalitiesOf(config);
  const wantsImage = modalities?.includes('IMAGE') || (spec !== undefined && (modalities === undefined || modalities.length === 0));
  if (wantsImage) {
    const ratio = field(imageConfig, 'aspectRatio', 'aspect_ratio');
    const size = field(imageConfig, 'imageSize', 'image_size');
    const count = positiveInt(field(config, 'candidateCount', 'candidate_count')) ?? 1;
    facts.images = spec
      ? { count, size: resolveImageSize(spec, typeof size === 'string' ? size : undefined), aspectRatio: resolvedRatio(spec, ratio, walk.firstImage) }
      : {
          count,
          ...(typeof size === 'string' && size !== '' && { size }),
          ...(typeof ratio === 'string' && ratio !== '' && { aspectRatio: ratio }),
        };
  }
  return facts;
}

/** The ratio Google renders: the one asked for, else the first input image's shape, else 1:1. */
function resolvedRatio(spec: ImageModelSpec, asked: unknown, first: { width?: number; height?: number } | undefined): string {
  if (typeof asked === 'string' && asked !== '') return asked;
  if (first?.width && first.height) return nearestAspectRatio(spec, first.width, first.height);
  return '1:1';
}
