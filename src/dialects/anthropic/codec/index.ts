// The Anthropic Messages codec: the hub's rim for clients and upstreams that
// speak `POST /v1/messages`.
import type { DialectCodec } from '../../canonical/codec.js';
import { decodeAnthropicRequest } from './request-decode.js';
import { encodeAnthropicRequest } from './request-encode.js';
import { decodeAnthropicResponse } from './response-decode.js';
import { encodeAnthropicResponse } from './response-encode.js';
import { AnthropicStreamDecoder } from './stream-decode.js';
import { AnthropicStreamEncoder } from './stream-encode.js';

export const anthropicCodec: DialectCodec = {
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  streamDecoder: () => new AnthropicStreamDecoder(),
  streamEncoder: (opts) => new AnthropicStreamEncoder(opts),
};
