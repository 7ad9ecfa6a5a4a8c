// Embeddings between OpenAI's `/v1/embeddings` and Gemini's `embedContent` /
// `batchEmbedContents`, both ways. Text only: token arrays and media have no
// counterpart on the other side and are refused with a clear message.
//
// OpenAI client → Gemini upstream:
//   parseOpenAIEmbeddingsRequest → openAIEmbeddingsToGeminiRequest → (upstream)
//   → geminiEmbeddingsToOpenAIResponse
// Gemini client → OpenAI upstream:
//   parseGeminiEmbeddingsRequest → geminiEmbeddingsToOpenAIRequest → (upstream)
//   → openAIEmbeddingsToGeminiResponse
import type { EncodedRequest } from '../../canonical/codec.js';
import { num } from '../../usage.js';
import { badUpstream, FieldReader, invalid, isRec, upstreamErrorOf, type Rec } from './wire.js';

/** What an OpenAI embeddings request asks for. */
export interface OpenAIEmbeddingsInput {
  model: string;
  inputs: string[];
  dimensions?: number;
  encodingFormat: 'float' | 'base64';
}

/** What a Gemini embedContent / batchEmbedContents request asks for. */
export interface GeminiEmbeddingsInput {
  model: string;
  inputs: string[];
  /** batchEmbedContents (answer `{embeddings}`) rather than embedContent (answer `{embedding}`). */
  batch: boolean;
  dimensions?: number;
}

function positiveInteger(v: unknown, param: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw invalid(`${param} must be a positive integer.`, param);
  return v;
}

function isTokenArray(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0 && (typeof v[0] === 'number' || Array.isArray(v[0]));
}

export function parseOpenAIEmbeddingsRequest(body: Record<string, unknown>): OpenAIEmbeddingsInput {
  if (!isRec(body)) throw invalid('The request body must be a JSON object.');
  const model = body.model;
  if (typeof model !== 'string' || model === '') throw invalid('you must provide a model parameter', 'model');
  const input = body.input;
  let inputs: string[];
  if (typeof input === 'string') inputs = [input];
  else if (isTokenArray(input)) {
    throw invalid('Token arrays cannot be embedded by this model (a Gemini model takes text): send `input` as a string or a list of strings.', 'input');
  } else if (Array.isArray(input) && input.length > 0 && input.every((s) => typeof s === 'string')) inputs = input as string[];
  else throw invalid("'input' must be a non-empty string or a non-empty list of strings.", 'input');
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw invalid("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  const parsed: OpenAIEmbeddingsInput = { model, inputs, encodingFormat: format };
  const dimensions = positiveInteger(body.dimensions, 'dimensions');
  if (dimensions !== undefined) parsed.dimensions = dimensions;
  return parsed;
}

/** The batchEmbedContents request for an OpenAI embeddings request; `model` is the upstream's name. */
export function openAIEmbeddingsToGeminiRequest(input: OpenAIEmbeddingsInput, model: string): EncodedRequest {
  const name = model.startsWith('models/') ? model : `models/${model}`;
  const requests = input.inputs.map((text) => {
    const request: Rec = { model: name, content: { parts: [{ text }] } };
    if (input.dimensions !== undefined) request.outputDimensionality = input.dimensions;
    return request;
  });
  return { operation: 'batchEmbedContents', query: '', body: { requests } };
}

/** float32 little-endian, base64: OpenAI's `encoding_format: "base64"`. */
export function floatsToBase64(values: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

export function base64ToFloats(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const out = new Array<number>(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

function vectorOf(embedding: unknown, at: string): number[] {
  const values = isRec(embedding) ? embedding.values : undefined;
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) throw badUpstream(`Gemini answered with ${at} that has no list of numbers.`);
  return values as number[];
}

/** Google's usage when it sends some, else about four characters a token. */
function promptTokens(json: Rec, inputs: string[]): number {
  const meta = json.usageMetadata;
  const reported = isRec(meta) ? num(meta.promptTokenCount) || num(meta.totalTokenCount) : 0;
  if (reported > 0) return reported;
  let chars = 0;
  for (const s of inputs) chars += s.length;
  return Math.ceil(chars / 4);
}

/** A Gemini embedContent or batchEmbedContents answer → OpenAI's embeddings list. */
export function geminiEmbeddingsToOpenAIResponse(json: Record<string, unknown>, input: OpenAIEmbeddingsInput, model: string = input.model): Rec {
  if (!isRec(json)) throw badUpstream('Gemini answered with something that is not a JSON object.');
  if (isRec(json.error)) throw upstreamErrorOf(json.error);
  const list = Array.isArray(json.embeddings) ? json.embeddings : json.embedding !== undefined ? [json.embedding] : undefined;
  if (!list) throw badUpstream('Gemini answered without `embeddings`.');
  if (list.length !== input.inputs.length) throw badUpstream(`Gemini answered with ${list.length} embeddings for ${input.inputs.length} inputs.`);
  const data = list.map((embedding, index) => {
    const values = vectorOf(embedding, `embeddings[${index}]`);
    return { object: 'embedding', index, embedding: input.encodingFormat === 'base64' ? floatsToBase64(values) : values };
  });
  const tokens = promptTokens(json, input.inputs);
  return { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

function contentText(raw: unknown, where: string): string {
  if (!isRec(raw)) throw invalid(`${where} is required: {parts:[{text}]}.`, where);
  const parts = raw.parts;
  if (!Array.isArray(parts) || parts.length === 0) throw invalid(`${where}.parts must be a non-empty list of parts.`, `${where}.parts`);
  const texts: string[] = [];
  parts.forEach((part, j) => {
    if (!isRec(part) || typeof part.text !== 'string') {
      throw invalid(`${where}.parts[${j}]: only text parts can be embedded by this model.`, `${where}.parts[${j}]`);
    }
    texts.push(part.text);
  });
  return texts.join('\n');
}

function readRequest(raw: unknown, where: string): { text: string; dimensions?: number } {
  if (!isRec(raw)) throw invalid(`${where} must be an object.`, where);
  const r = new FieldReader(raw, where);
  const dimensions = positiveInteger(r.raw('outputDimensionality', 'output_dimensionality'), `${where ? `${where}.` : ''}outputDimensionality`);
  const text = contentText(raw.content, where ? `${where}.content` : 'content');
  return dimensions === undefined ? { text } : { text, dimensions };
}

/** A Gemini client's embedContent / batchEmbedContents body; the model comes from the path. */
export function parseGeminiEmbeddingsRequest(body: Record<string, unknown>, opts: { operation: string; pathModel?: string }): GeminiEmbeddingsInput {
  if (!isRec(body)) throw invalid('The request body must be a JSON object.');
  const rawModel = opts.pathModel ?? body.model;
  if (typeof rawModel !== 'string' || rawModel === '') throw invalid('The model is missing: call /v1beta/models/{model}:embedContent.', 'model');
  const model = rawModel.startsWith('models/') ? rawModel.slice(7) : rawModel;
  if (opts.operation !== 'batchEmbedContents') {
    const one = readRequest(body, '');
    return { model, inputs: [one.text], batch: false, ...(one.dimensions !== undefined && { dimensions: one.dimensions }) };
  }
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid('requests must be a non-empty list of EmbedContentRequest.', 'requests');
  const inputs: string[] = [];
  let dimensions: number | undefined;
  requests.forEach((raw, i) => {
    const one = readRequest(raw, `requests[${i}]`);
    inputs.push(one.text);
    if (i > 0 && one.dimensions !== dimensions) {
      throw invalid('All requests of a batch must ask for the same outputDimensionality on this model.', `requests[${i}].outputDimensionality`);
    }
    dimensions = one.dimensions;
  });
  return { model, inputs, batch: true, ...(dimensions !== undefined && { dimensions }) };
}

/** The OpenAI `/v1/embeddings` body for a Gemini embeddings request; `model` is the upstream's name. */
export function geminiEmbeddingsToOpenAIRequest(input: GeminiEmbeddingsInput, model: string): Rec {
  const body: Rec = { model, input: input.batch ? input.inputs : input.inputs[0], encoding_format: 'float' };
  if (input.dimensions !== undefined) body.dimensions = input.dimensions;
  return body;
}

/** An OpenAI embeddings answer → Gemini's `{embedding}` (embedContent) or `{embeddings}` (batch). */
export function openAIEmbeddingsToGeminiResponse(json: Record<string, unknown>, input: GeminiEmbeddingsInput): Rec {
  if (!isRec(json) || !Array.isArray(json.data)) throw badUpstream('The upstream answered embeddings without a `data` list.');
  const vectors: number[][] = [];
  json.data.forEach((item, position) => {
    if (!isRec(item)) throw badUpstream(`The upstream's embeddings data[${position}] is not an object.`);
    const index = typeof item.index === 'number' && Number.isInteger(item.index) ? item.index : position;
    const e = item.embedding;
    if (typeof e === 'string') vectors[index] = base64ToFloats(e);
    else if (Array.isArray(e) && e.every((v) => typeof v === 'number')) vectors[index] = e as number[];
    else throw badUpstream(`The upstream's embeddings data[${position}] has no embedding.`);
  });
  let complete = vectors.length === input.inputs.length;
  for (let i = 0; complete && i < vectors.length; i++) complete = vectors[i] !== undefined;
  if (!complete) {
    throw badUpstream(`The upstream answered ${json.data.length} embeddings for ${input.inputs.length} inputs.`);
  }
  return input.batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] } };
}
