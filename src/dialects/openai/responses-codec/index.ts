// The OpenAI Responses API (`POST /v1/responses`) as a hub codec: what Codex
// and the newer OpenAI SDKs speak, on either side of the gateway.
import type { DialectCodec } from '../../canonical/codec.js';
import { decodeResponsesRequest } from './request-decode.js';
import { encodeResponsesRequest } from './request-encode.js';
import { decodeResponsesResponse } from './response-decode.js';
import { encodeResponsesResponse } from './response-encode.js';
import { ResponsesStreamDecoder } from './stream-decode.js';
import { ResponsesStreamEncoder } from './stream-encode.js';

export const openaiResponsesCodec: DialectCodec = {
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  streamDecoder: () => new ResponsesStreamDecoder(),
  streamEncoder: (opts) => new ResponsesStreamEncoder(opts),
};
