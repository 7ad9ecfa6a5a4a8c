// POST /v1/embeddings (deterministic vectors, float or base64 as the OpenAI
// SDK asks) and GET /v1/models, /v1/models/{id} in OpenAI's shape.

import { asRecord, type SimContext } from './context.js';
import { openaiError } from './errors.js';
import { countTokens, fakeEmbedding } from './text.js';

const EMBEDDING_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export const OPENAI_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5',
  'gpt-5-mini',
  'o3',
  'o4-mini',
  'gpt-image-1',
  'dall-e-3',
  'dall-e-2',
  'text-embedding-3-small',
  'text-embedding-3-large',
  'text-embedding-ada-002',
];

const CREATED = 1_700_000_000;

function modelObject(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: id.startsWith('gpt-') || id.startsWith('o') ? 'system' : 'openai' };
}

export function handleOpenAIModels(ctx: SimContext, id?: string): void {
  if (id === undefined) {
    return ctx.reply.json(200, { object: 'list', data: OPENAI_MODELS.map(modelObject) });
  }
  if (!OPENAI_MODELS.includes(id)) {
    return ctx.reply.error(openaiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found'));
  }
  ctx.reply.json(200, modelObject(id));
}

function inputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'string')) return input as string[];
  // Token arrays (number[] or number[][]) are embedded by their text form.
  if (input.every((x) => typeof x === 'number')) return [input.join(' ')];
  if (input.every((x) => Array.isArray(x))) return input.map((x) => (x as unknown[]).join(' '));
  return undefined;
}

export function handleEmbeddings(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const model = ctx.model;
  if (!model) return ctx.reply.error(openaiError(400, 'you must provide a model parameter'));
  if (model.includes('nonexistent')) {
    return ctx.reply.error(openaiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found'));
  }
  const texts = inputs(body.input);
  if (!texts) {
    return ctx.reply.error(openaiError(400, "'input' is a required property", 'invalid_request_error', 'input', 'invalid_value'));
  }
  const full = EMBEDDING_DIMENSIONS[model] ?? 1536;
  const dims = body.dimensions === undefined ? full : body.dimensions;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > full) {
    return ctx.reply.error(openaiError(400, `Invalid 'dimensions': expected an integer between 1 and ${full}.`, 'invalid_request_error', 'dimensions', 'invalid_value'));
  }
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = texts.map((text, index) => {
    tokens += countTokens(text);
    const vector = fakeEmbedding(text, dims);
    const embedding = base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  ctx.reply.json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
