import type { Provider, UpstreamCall } from './types.js';
import { joinVersioned, splitBaseUrl } from './url.js';

/** Path of a Gemini model method, with the client's framing choice (`alt=sse`). */
export function geminiMethodPath(basePath: string, call: UpstreamCall): string {
  const path = joinVersioned(basePath, `/v1beta/models/${encodeURIComponent(call.model)}:${call.operation}`);
  return call.query ? `${path}?${call.query}` : path;
}

/** Google AI Studio, and any relay that speaks Gemini natively. */
export const geminiProvider: Provider = {
  type: 'gemini',
  dialects: ['gemini'],
  codecs: ['gemini'],
  target(call) {
    const { origin, basePath } = splitBaseUrl(call.channel.baseUrl || 'https://generativelanguage.googleapis.com');
    return { origin, path: geminiMethodPath(basePath, call), headers: { ...call.forwardHeaders, 'x-goog-api-key': call.key } };
  },
};
