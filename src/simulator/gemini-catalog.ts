// The Gemini models the simulator serves, and GET /v1beta/models (paged) and
// GET /v1beta/models/{model} in Google's shape. Image models come from the
// shared table in dialects/gemini/image-models.ts.

import { IMAGE_MODELS, imageModelSpec, type ImageModelSpec } from '../dialects/gemini/image-models.js';
import type { SimContext } from './context.js';
import { geminiError } from './errors.js';

export interface GeminiModel {
  id: string;
  displayName: string;
  kind: 'text' | 'image' | 'embedding';
  inputTokenLimit: number;
  outputTokenLimit: number;
  methods: readonly string[];
  /** Text models: whether they think. `default-on` can be turned off with thinkingBudget 0. */
  thinking: 'none' | 'default-on' | 'default-off' | 'always';
  image?: ImageModelSpec;
  embeddingDimensions?: number;
}

const TEXT_METHODS = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const IMAGE_METHODS = ['generateContent', 'countTokens', 'batchGenerateContent'];
const EMBED_METHODS = ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'];

function text(id: string, displayName: string, outputTokenLimit: number, thinking: GeminiModel['thinking']): GeminiModel {
  return { id, displayName, kind: 'text', inputTokenLimit: 1_048_576, outputTokenLimit, methods: TEXT_METHODS, thinking };
}

export const GEMINI_MODELS: readonly GeminiModel[] = [
  text('gemini-2.5-flash', 'Gemini 2.5 Flash', 65_536, 'default-on'),
  text('gemini-2.5-pro', 'Gemini 2.5 Pro', 65_536, 'always'),
  text('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 65_536, 'default-off'),
  text('gemini-2.0-flash', 'Gemini 2.0 Flash', 8_192, 'none'),
  text('gemini-3-pro-preview', 'Gemini 3 Pro Preview', 65_536, 'always'),
  text('gemini-3-flash-preview', 'Gemini 3 Flash Preview', 65_536, 'always'),
  ...IMAGE_MODELS.map(
    (spec): GeminiModel => ({
      id: spec.id,
      displayName: spec.displayName,
      kind: 'image',
      inputTokenLimit: 65_536,
      outputTokenLimit: 32_768,
      methods: IMAGE_METHODS,
      thinking: spec.thinking === 'always' ? 'always' : 'none',
      image: spec,
    }),
  ),
  { id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', kind: 'embedding', inputTokenLimit: 2048, outputTokenLimit: 1, methods: EMBED_METHODS, thinking: 'none', embeddingDimensions: 3072 },
  { id: 'text-embedding-004', displayName: 'Text Embedding 004', kind: 'embedding', inputTokenLimit: 2048, outputTokenLimit: 1, methods: EMBED_METHODS, thinking: 'none', embeddingDimensions: 768 },
];

const ALIASES: Record<string, string> = {
  'gemini-flash-latest': 'gemini-2.5-flash',
  'gemini-flash-lite-latest': 'gemini-2.5-flash-lite',
  'gemini-pro-latest': 'gemini-2.5-pro',
};

const byId = new Map(GEMINI_MODELS.map((m) => [m.id, m]));

/** The model for a name (with or without `models/`, dated and numbered variants too). */
export function findGeminiModel(name: string): GeminiModel | undefined {
  const id = name.startsWith('models/') ? name.slice(7) : name;
  const direct = byId.get(id) ?? byId.get(ALIASES[id] ?? '');
  if (direct) return direct;
  const image = imageModelSpec(id);
  if (image) return byId.get(image.id);
  const base = id.replace(/-preview-\d{2}-\d{4}$/, '').replace(/-\d{2}-\d{4}$/, '').replace(/-\d{3}$/, '');
  return byId.get(base) ?? byId.get(`${base}-preview`);
}

/** Google's 404 for a model it does not have (or that lacks the method). */
export function modelNotFound(name: string, version: string, method: string) {
  const id = name.startsWith('models/') ? name : `models/${name}`;
  return geminiError(
    404,
    `${id} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );
}

function present(m: GeminiModel) {
  return {
    name: `models/${m.id}`,
    version: '001',
    displayName: m.displayName,
    description: `${m.displayName} (simulated)`,
    inputTokenLimit: m.inputTokenLimit,
    outputTokenLimit: m.outputTokenLimit,
    supportedGenerationMethods: m.methods,
    ...(m.kind !== 'embedding' && { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2 }),
    ...(m.thinking !== 'none' && { thinking: true }),
  };
}

export function handleListModels(ctx: SimContext): void {
  const sizeParam = ctx.query.get('pageSize') ?? ctx.query.get('page_size');
  const pageSize = sizeParam ? Math.min(1000, Math.max(1, Math.floor(Number(sizeParam)) || 50)) : 50;
  const token = ctx.query.get('pageToken') ?? ctx.query.get('page_token');
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(start) || start < 0 || start > GEMINI_MODELS.length) {
      return ctx.reply.error(geminiError(400, 'Invalid page token.'));
    }
  }
  const page = GEMINI_MODELS.slice(start, start + pageSize).map(present);
  const next = start + pageSize;
  const body: Record<string, unknown> = { models: page };
  if (next < GEMINI_MODELS.length) body.nextPageToken = Buffer.from(`offset:${next}`).toString('base64url');
  ctx.reply.json(200, body);
}

export function handleGetModel(ctx: SimContext, name: string, version: string): void {
  const model = findGeminiModel(name);
  if (!model) return ctx.reply.error(modelNotFound(name, version, 'get'));
  ctx.reply.json(200, present(model));
}
