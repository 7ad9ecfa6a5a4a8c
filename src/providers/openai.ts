import type { Provider, UpstreamCall, UpstreamTarget } from './types.js';
import { joinVersioned, splitBaseUrl } from './url.js';

function openaiTarget(call: UpstreamCall): UpstreamTarget {
  const { origin, basePath } = splitBaseUrl(call.channel.baseUrl || 'https://api.openai.com');
  return {
    origin,
    path: joinVersioned(basePath, `/v1${call.operation}`),
    headers: { ...call.forwardHeaders, authorization: `Bearer ${call.key}` },
  };
}

/** OpenAI itself. */
export const openaiProvider: Provider = { type: 'openai', dialects: ['openai'], codecs: ['openai-chat', 'openai-responses'], target: openaiTarget };

/**
 * DeepSeek, DashScope compatible mode, OpenRouter, xAI, Groq, SiliconFlow,
 * Ollama…: chat completions only, so Responses API clients are converted.
 */
export const openaiCompatibleProvider: Provider = { type: 'openai-compatible', dialects: ['openai'], codecs: ['openai-chat'], target: openaiTarget };
