// Which provider route a request is, and in which dialect it must be answered.
// `/v1/models` is shared: `anthropic-version` or `x-api-key` means Anthropic,
// `x-goog-api-key` or `?key=` means Gemini, anything else OpenAI. Vertex paths
// and the OAuth token endpoint bring their own credential rules (`authorize`).

import type { IncomingHttpHeaders } from 'node:http';
import { handleAnthropicModels, handleCountTokens, handleMessages } from './anthropic.js';
import type { SimContext } from './context.js';
import type { Dialect, SimError } from './errors.js';
import { handleGetModel, handleListModels } from './gemini-catalog.js';
import { handleGeminiMethod } from './gemini.js';
import { handleChatCompletions } from './openai-chat.js';
import { handleCompletions } from './openai-completions.js';
import { handleImageEdits } from './openai-image-edits.js';
import { handleImageGenerations } from './openai-images.js';
import { handleEmbeddings, handleOpenAIModels } from './openai-misc.js';
import { handleModerations } from './openai-moderations.js';
import { handleResponses } from './openai-responses.js';
import { handleSpeech } from './openai-speech.js';
import { handleTranscriptions } from './openai-transcriptions.js';
import { handleRerank } from './rerank.js';
import { handleTokenExchange, TOKEN_PATHS } from './oauth-token.js';
import { isVertexPath, parseVertexPath, vertexAuthError } from './vertex.js';

export interface Route {
  dialect: Dialect;
  /** The model named in the path (Gemini), suffix and all. */
  pathModel?: string;
  run(ctx: SimContext): void | Promise<void>;
  /** Replaces the dialect's API-key rules (Vertex wants an OAuth Bearer; the token endpoint, nothing). */
  authorize?(ctx: SimContext): SimError | undefined;
  /** The body is a url-encoded form, not JSON. */
  form?: boolean;
  /** The body is multipart/form-data, parsed before the route runs (`ctx.form`). */
  multipart?: boolean;
}

const GEMINI_METHOD = /^\/(v1beta|v1|v1alpha)\/models\/([^/]+):([A-Za-z]+)$/;
const GEMINI_MODEL = /^\/(v1beta|v1|v1alpha)\/models(?:\/([^/]+))?$/;

function modelsDialect(headers: IncomingHttpHeaders, query: URLSearchParams): Dialect {
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  if (headers['x-goog-api-key'] !== undefined || query.has('key')) return 'gemini';
  return 'openai';
}

/** The dialect to answer in when no route matched. */
export function fallbackDialect(path: string, headers: IncomingHttpHeaders, query: URLSearchParams): Dialect {
  if (path.startsWith('/v1beta/') || isVertexPath(path)) return 'gemini';
  return modelsDialect(headers, query);
}

export function matchRoute(method: string, path: string, headers: IncomingHttpHeaders, query: URLSearchParams): Route | undefined {
  if (method === 'POST') {
    switch (path) {
      case '/v1/chat/completions':
        return { dialect: 'openai', run: handleChatCompletions };
      case '/v1/responses':
        return { dialect: 'openai', run: handleResponses };
      case '/v1/completions':
        return { dialect: 'openai', run: handleCompletions };
      case '/v1/images/generations':
        return { dialect: 'openai', run: handleImageGenerations };
      case '/v1/images/edits':
        return { dialect: 'openai', multipart: true, run: handleImageEdits };
      case '/v1/audio/speech':
        return { dialect: 'openai', run: handleSpeech };
      case '/v1/audio/transcriptions':
        return { dialect: 'openai', multipart: true, run: handleTranscriptions };
      case '/v1/embeddings':
        return { dialect: 'openai', run: handleEmbeddings };
      case '/v1/moderations':
        return { dialect: 'openai', run: handleModerations };
      case '/v1/rerank':
        return { dialect: 'openai', run: handleRerank };
      case '/v1/messages':
        return { dialect: 'anthropic', run: handleMessages };
      case '/v1/messages/count_tokens':
        return { dialect: 'anthropic', run: handleCountTokens };
    }
    if (TOKEN_PATHS.has(path)) return { dialect: 'gemini', form: true, authorize: () => undefined, run: handleTokenExchange };
    const vertex = parseVertexPath(path);
    if (vertex) {
      const { version, model, method: verb } = vertex;
      return { dialect: 'gemini', pathModel: model, authorize: vertexAuthError, run: (ctx) => handleGeminiMethod(ctx, version, verb) };
    }
    const m = GEMINI_METHOD.exec(path);
    if (m) {
      const [, version = 'v1beta', model, verb = ''] = m;
      return { dialect: 'gemini', pathModel: model, run: (ctx) => handleGeminiMethod(ctx, version, verb) };
    }
    return undefined;
  }
  if (method !== 'GET') return undefined;
  const m = GEMINI_MODEL.exec(path);
  if (!m) return undefined;
  const [, version = 'v1beta', model] = m;
  const dialect = version === 'v1' ? modelsDialect(headers, query) : 'gemini';
  if (dialect === 'gemini') {
    if (model === undefined) return { dialect, run: handleListModels };
    return { dialect, pathModel: model, run: (ctx) => handleGetModel(ctx, ctx.model ?? model, version) };
  }
  if (dialect === 'anthropic') return { dialect, run: (ctx) => handleAnthropicModels(ctx, model) };
  return { dialect, run: (ctx) => handleOpenAIModels(ctx, model) };
}
