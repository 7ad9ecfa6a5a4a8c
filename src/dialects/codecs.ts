import { anthropicCodec } from './anthropic/codec/index.js';
import type { DialectCodec } from './canonical/codec.js';
import { geminiCodec } from './gemini/codec/index.js';
import { openaiChatCodec } from './openai/chat-codec/index.js';
import { openaiResponsesCodec } from './openai/responses-codec/index.js';
import type { CodecName } from './types.js';

/** Every hub codec by name. */
export const CODECS: Record<CodecName, DialectCodec> = {
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  'anthropic-messages': anthropicCodec,
  gemini: geminiCodec,
};
