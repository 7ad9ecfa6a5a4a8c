// The OpenAI Chat Completions dialect as a hub codec.
import type { DialectCodec } from '../../canonical/codec.js';
import { decodeChatRequest } from './request-decode.js';
import { encodeChatRequest } from './request-encode.js';
import { decodeChatResponse } from './response-decode.js';
import { encodeChatResponse } from './response-encode.js';
import { ChatStreamDecoder } from './stream-decode.js';
import { ChatStreamEncoder } from './stream-encode.js';

export const openaiChatCodec: DialectCodec = {
  decodeRequest: decodeChatRequest,
  encodeRequest: encodeChatRequest,
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  streamDecoder: () => new ChatStreamDecoder(),
  streamEncoder: (opts) => new ChatStreamEncoder(opts),
};

export { MAX_MARKDOWN_FRAME_BYTES } from './stream-encode.js';
