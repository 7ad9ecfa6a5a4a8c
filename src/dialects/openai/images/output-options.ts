// The options /images/generations and /images/edits share: n, response and
// output formats, compression, quality, background, user. Generations send
// JSON values; edits send multipart, where every value is text, so the reader
// says which one it is.
import { invalidParam, invalidType, invalidValue, missingParam } from './param-errors.js';

export type ImagesResponseFormat = 'b64_json' | 'url';
export type ImageOutputFormat = 'png' | 'jpeg' | 'webp';
export type ImageQuality = 'standard' | 'hd' | 'low' | 'medium' | 'high' | 'auto';
export type ImageBackground = 'transparent' | 'opaque' | 'auto';

export const RESPONSE_FORMATS: readonly ImagesResponseFormat[] = ['url', 'b64_json'];
export const OUTPUT_FORMATS: readonly ImageOutputFormat[] = ['png', 'jpeg', 'webp'];
export const QUALITIES: readonly ImageQuality[] = ['standard', 'hd', 'low', 'medium', 'high', 'auto'];
export const BACKGROUNDS: readonly ImageBackground[] = ['transparent', 'opaque', 'auto'];

/** OpenAI's limit on images per request. */
export const MAX_N = 10;

export interface ImageOutputOptions {
  /** Images to generate: the relay makes this many upstream calls. */
  n: number;
  responseFormat: ImagesResponseFormat;
  outputFormat: ImageOutputFormat;
  /** 0..100; only for jpeg and webp. */
  outputCompression?: number;
  quality?: ImageQuality;
  background?: ImageBackground;
  user?: string;
}

/** Reads one request's parameters; `form` = multipart, where numbers arrive as text. */
export interface ParamReader {
  get(name: string): unknown;
  form: boolean;
}

export function jsonParams(json: Record<string, unknown>): ParamReader {
  return { get: (name) => json[name], form: false };
}

export function formParams(fields: Record<string, string>): ParamReader {
  return { get: (name) => (Object.hasOwn(fields, name) ? fields[name] : undefined), form: true };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

export function readString(params: ParamReader, name: string): string | undefined {
  const value = params.get(name);
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw invalidType(name, 'a string', value);
  return value;
}

/** A required, non-empty string (the prompt). */
export function readRequiredText(params: ParamReader, name: string): string {
  const value = readString(params, name);
  if (value === undefined) throw missingParam(name);
  if (value.trim() === '') {
    throw invalidParam(name, `Invalid '${name}': empty string. Expected a string with minimum length 1, but got an empty string instead.`, 'empty_string');
  }
  return value;
}

export function readInteger(params: ParamReader, name: string, min: number, max: number): number | undefined {
  let value = params.get(name);
  if (isAbsent(value) || (params.form && value === '')) return undefined;
  if (params.form && typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(name, 'an integer', value);
  if (value < min) {
    throw invalidParam(name, `Invalid '${name}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`, 'integer_below_min_value');
  }
  if (value > max) {
    throw invalidParam(name, `Invalid '${name}': integer above maximum value. Expected a value <= ${max}, but got ${value} instead.`, 'integer_above_max_value');
  }
  return value;
}

export function readEnum<T extends string>(params: ParamReader, name: string, values: readonly T[]): T | undefined {
  const value = params.get(name);
  if (isAbsent(value) || (params.form && value === '')) return undefined;
  if (typeof value !== 'string') throw invalidType(name, 'a string', value);
  if (!values.includes(value as T)) throw invalidValue(name, value, values);
  return value as T;
}

function readStream(params: ParamReader): void {
  const value = params.get('stream');
  const on = value === true || (params.form && typeof value === 'string' && value.trim().toLowerCase() === 'true');
  if (on) {
    throw invalidParam('stream', "Invalid 'stream': streaming image generation is not supported for Gemini image models; send stream: false.", 'unsupported_value');
  }
}

/** Everything but the prompt, the images and the size, validated as OpenAI does. */
export function readOutputOptions(params: ParamReader): ImageOutputOptions {
  readStream(params);
  const options: ImageOutputOptions = {
    n: readInteger(params, 'n', 1, MAX_N) ?? 1,
    responseFormat: readEnum(params, 'response_format', RESPONSE_FORMATS) ?? 'b64_json',
    outputFormat: readEnum(params, 'output_format', OUTPUT_FORMATS) ?? 'png',
  };
  const compression = readInteger(params, 'output_compression', 0, 100);
  if (compression !== undefined) {
    if (options.outputFormat === 'png' && compression < 100) {
      throw invalidParam('output_compression', "Invalid 'output_compression': compression below 100 is only supported for the 'jpeg' and 'webp' output formats.");
    }
    options.outputCompression = compression;
  }
  const quality = readEnum(params, 'quality', QUALITIES);
  if (quality) options.quality = quality;
  const background = readEnum(params, 'background', BACKGROUNDS);
  if (background) {
    if (background === 'transparent' && options.outputFormat === 'jpeg') {
      throw invalidParam('background', "Invalid 'background': a transparent background is not supported for the 'jpeg' output format; use 'png' or 'webp'.");
    }
    options.background = background;
  }
  const user = readString(params, 'user');
  if (user !== undefined) options.user = user;
  return options;
}
