// The Gemini generateContent codec: Gemini's wire ↔ the hub's canonical types.
import type { DialectCodec } from '../../canonical/codec.js';
import { decodeGeminiRequest } from './request-decode.js';
import { encodeGeminiRequest } from './request-encode.js';
import { decodeGeminiResponse } from './response-decode.js';
import { encodeGeminiResponse } from './response-encode.js';
import { GeminiStreamDecoder } from './stream-decode.js';
import { GeminiStreamEncoder } from './stream-encode.js';

export const geminiCodec: DialectCodec = {
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  streamDecoder: () => new GeminiStreamDecoder(),
  streamEncoder: (opts) => new GeminiStreamEncoder(opts),
};

export { SKIP_SIGNATURE } from './contents-encode.js';
export { GeminiStreamSplitter } from './stream-splitter.js';
