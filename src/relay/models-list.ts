// `GET /v1/models` (OpenAI or Anthropic shape) and `GET /v1beta/models`
// (Gemini shape): the models this token may use, from the in-memory index.
import { GatewayError } from '../dialects/errors.js';
import { geminiModelInfo } from '../dialects/gemini/model-info.js';
import type { DialectName } from '../dialects/types.js';
import type { Caller } from './auth.js';

const CREATED = 1_700_000_000; // a stable `created` for models we did not create

export function visibleModels(caller: Caller, groupModels: string[]): string[] {
  const allowed = caller.token.models;
  return allowed && allowed.length > 0 ? groupModels.filter((m) => allowed.includes(m)) : groupModels;
}

function isEmbedding(model: string): boolean {
  return /embed/i.test(model);
}

function geminiModel(id: string) {
  return {
    name: `models/${id}`,
    version: '001',
    displayName: id,
    description: `${id} served by Waystation`,
    inputTokenLimit: isEmbedding(id) ? 2048 : 1_048_576,
    outputTokenLimit: isEmbedding(id) ? 1 : 65_536,
    // Known models (the image table) carry Google's name and limits.
    ...geminiModelInfo(id),
    supportedGenerationMethods: isEmbedding(id)
      ? ['embedContent', 'batchEmbedContents']
      : ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

function openaiModel(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'waystation' };
}

function anthropicModel(id: string) {
  return { type: 'model', id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() };
}

function decodePageToken(token: string | null): number {
  if (!token) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const n = Number(text);
  // A token that decodes to nothing (e.g. "%%%") is garbage, not page one.
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new GatewayError('invalid_request', 'Invalid pageToken.', { param: 'pageToken' });
  return n;
}

function pageSize(raw: string | null, fallback: number, max: number, param: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new GatewayError('invalid_request', `${param} must be a positive integer.`, { param });
  return Math.min(n, max);
}

/** The body of a models list in the given dialect. */
export function modelsListBody(dialect: DialectName, models: string[], query: URLSearchParams): unknown {
  if (dialect === 'gemini') {
    const offset = decodePageToken(query.get('pageToken'));
    const size = pageSize(query.get('pageSize'), 50, 1000, 'pageSize');
    const page = models.slice(offset, offset + size);
    const next = offset + size < models.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    return next ? { models: page.map(geminiModel), nextPageToken: next } : { models: page.map(geminiModel) };
  }
  if (dialect === 'anthropic') {
    const afterId = query.get('after_id');
    const start = afterId ? models.indexOf(afterId) + 1 : 0;
    const limit = pageSize(query.get('limit'), 20, 1000, 'limit');
    const page = models.slice(start, start + limit);
    return {
      data: page.map(anthropicModel),
      has_more: start + limit < models.length,
      first_id: page[0] ?? null,
      last_id: page[page.length - 1] ?? null,
    };
  }
  return { object: 'list', data: models.map(openaiModel) };
}

/** One model, or a not-found error in the dialect's terms. */
export function modelBody(dialect: DialectName, models: string[], id: string): unknown {
  const bare = id.replace(/^models\//, '');
  if (!models.includes(bare)) {
    throw new GatewayError('not_found', `Model "${bare}" is not available to this key.`, { code: 'model_not_found', param: 'model' });
  }
  if (dialect === 'gemini') return geminiModel(bare);
  if (dialect === 'anthropic') return anthropicModel(bare);
  return openaiModel(bare);
}
