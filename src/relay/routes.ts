import type { CodecName, DialectName } from '../dialects/types.js';

/** How a relay route reads its request. */
export interface RelayRouteSpec {
  /** For logs and metrics, e.g. `openai.chat`. */
  name: string;
  dialect: DialectName;
  /** Operation in the dialect's terms (see UpstreamCall.operation). */
  operation: string;
  body: 'json' | 'multipart';
  /** The hub format of this route: requests on it can be converted for upstreams that speak another. */
  codec?: CodecName;
}

const openai = (name: string, operation: string, body: 'json' | 'multipart' = 'json', codec?: CodecName): RelayRouteSpec => ({
  name: `openai.${name}`,
  dialect: 'openai',
  operation,
  body,
  ...(codec && { codec }),
});

/** OpenAI routes by path (CONTRACT §4). */
export const OPENAI_ROUTES: Record<string, RelayRouteSpec> = {
  '/v1/chat/completions': openai('chat', '/chat/completions', 'json', 'openai-chat'),
  '/v1/responses': openai('responses', '/responses', 'json', 'openai-responses'),
  '/v1/completions': openai('completions', '/completions'),
  '/v1/embeddings': openai('embeddings', '/embeddings'),
  '/v1/images/generations': openai('images.generations', '/images/generations'),
  '/v1/images/edits': openai('images.edits', '/images/edits', 'multipart'),
  '/v1/audio/speech': openai('audio.speech', '/audio/speech'),
  '/v1/audio/transcriptions': openai('audio.transcriptions', '/audio/transcriptions', 'multipart'),
  '/v1/moderations': openai('moderations', '/moderations'),
  '/v1/rerank': openai('rerank', '/rerank'),
};

export const ANTHROPIC_ROUTES: Record<string, RelayRouteSpec> = {
  '/v1/messages': { name: 'anthropic.messages', dialect: 'anthropic', operation: '/messages', body: 'json', codec: 'anthropic-messages' },
  '/v1/messages/count_tokens': { name: 'anthropic.count_tokens', dialect: 'anthropic', operation: '/messages/count_tokens', body: 'json' },
};

export const GEMINI_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens', 'embedContent', 'batchEmbedContents'] as const;

export function geminiRoute(method: string): RelayRouteSpec | undefined {
  if (!(GEMINI_METHODS as readonly string[]).includes(method)) return undefined;
  const codec = method === 'generateContent' || method === 'streamGenerateContent' ? { codec: 'gemini' as const } : {};
  return { name: `gemini.${method}`, dialect: 'gemini', operation: method, body: 'json', ...codec };
}

/** Splits the tail of `/v1beta/models/{model}:{method}`. */
export function parseGeminiModelPath(tail: string): { model: string; method: string | undefined } {
  const decoded = safeDecode(tail);
  const colon = decoded.lastIndexOf(':');
  if (colon <= 0) return { model: decoded, method: undefined };
  return { model: decoded.slice(0, colon), method: decoded.slice(colon + 1) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Which dialect a path belongs to, for shaping errors on any route (404s included). */
export function dialectForPath(path: string, headers: Record<string, unknown>): DialectName {
  if (path.startsWith('/v1beta/') || /^\/v1\/models\/[^/]+:/.test(path)) return 'gemini';
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path === '/v1/models' || path.startsWith('/v1/models/')) return modelsDialect(headers);
  return 'openai';
}

/**
 * `/v1/models` is shared: `anthropic-version` (or Anthropic's `x-api-key`)
 * means Anthropic's shape, `x-goog-api-key` Gemini's, anything else OpenAI's.
 */
export function modelsDialect(headers: Record<string, unknown>): DialectName {
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  if (headers['x-goog-api-key'] !== undefined) return 'gemini';
  if (headers['x-api-key'] !== undefined && headers.authorization === undefined) return 'anthropic';
  return 'openai';
}
