// What every dialect codec provides. The relay picks the client's codec and the
// upstream's codec and runs: client JSON → decodeRequest → CanonicalRequest →
// encodeRequest → upstream; upstream → decodeResponse / StreamDecoder →
// canonical → encodeResponse / StreamEncoder → client. Codecs are pure: no I/O,
// no clock except where an id or timestamp must be invented.
import type { GatewayError } from '../errors.js';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from './types.js';

export interface DecodeRequestOptions {
  /** The operation of the client's route (`/chat/completions`, `/messages`, `generateContent`, …). */
  operation: string;
  /** The model from the path (Gemini); body dialects read it from the body. */
  pathModel?: string;
}

export interface EncodeRequestOptions {
  /** The model name the upstream knows (after channel mapping). */
  model: string;
  /** The channel type (`openai`, `openai-compatible`, `anthropic`, `gemini`, `vertex`, …), for provider quirks. */
  provider: string;
}

export interface EncodedRequest {
  /** The upstream operation in this dialect's terms (see UpstreamCall.operation). */
  operation: string;
  /** Query string to send (`alt=sse` for a Gemini stream), without `?`. */
  query: string;
  body: Record<string, unknown>;
  /** Extra upstream headers the encoding needs (an `anthropic-beta` flag, say). */
  headers?: Record<string, string>;
}

/** How an OpenAI chat answer carries generated images (per token or channel). */
export type ImageOutputMode = 'images' | 'markdown' | 'both' | 'url';

export interface EncodeResponseOptions {
  /** The model name to show the client (what it asked for). */
  model: string;
  /** Gemini: stream as SSE (`alt=sse`) or as a JSON array. */
  sse?: boolean;
  imageOutput?: ImageOutputMode;
  /** OpenAI chat: the client asked for `stream_options.include_usage`, so the usage chunk is sent. */
  includeUsage?: boolean;
}

/** Upstream stream bytes → canonical events. Chunks may split anywhere, even inside a UTF-8 character. */
export interface StreamDecoder {
  push(chunk: Buffer): StreamEvent[];
  /** The upstream ended: events still buffered (a last frame without its blank line). */
  end(): StreamEvent[];
}

/** Canonical events → the client's stream bytes. */
export interface StreamEncoder {
  /** Response content type, e.g. `text/event-stream`. */
  readonly contentType: string;
  /** Bytes for one event ('' when it produces nothing yet). */
  push(event: StreamEvent): string;
  /** Bytes that close a stream that finished normally (`data: [DONE]`, `message_stop`, `]`). */
  end(): string;
  /** Bytes that end a stream broken mid-way so the client's SDK raises an error. */
  fail(err: GatewayError): string;
}

export interface DialectCodec {
  /** The client's request → canonical. Throws GatewayError('invalid_request') on input the dialect refuses. */
  decodeRequest(json: Record<string, unknown>, opts: DecodeRequestOptions): CanonicalRequest;
  /** Canonical → the request this dialect's upstream expects. */
  encodeRequest(req: CanonicalRequest, opts: EncodeRequestOptions): EncodedRequest;
  /** An upstream's whole (non-stream) answer → canonical. */
  decodeResponse(json: Record<string, unknown>): CanonicalResponse;
  /** Canonical → the client's whole answer. */
  encodeResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown>;
  streamDecoder(): StreamDecoder;
  streamEncoder(opts: EncodeResponseOptions): StreamEncoder;
}
