/** The wire formats a client (or an upstream) can speak. */
export type DialectName = 'openai' | 'anthropic' | 'gemini';

/**
 * The request/response formats the hub converts between. A dialect can hold
 * several (OpenAI: chat completions and responses); a route has at most one.
 */
export type CodecName = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

/** The dialect each codec's wire format belongs to (for errors and provider addressing). */
export const CODEC_DIALECT: Record<CodecName, DialectName> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai',
  'anthropic-messages': 'anthropic',
  gemini: 'gemini',
};
