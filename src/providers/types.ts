import type { CodecName, DialectName } from '../dialects/types.js';
import type { Channel } from '../store/entities.js';

/** What the relay asks a provider to address. */
export interface UpstreamCall {
  channel: Channel;
  key: string;
  dialect: DialectName;
  /**
   * The operation in the dialect's own terms: for openai and anthropic the path
   * after the version (`/chat/completions`, `/messages`); for gemini the method
   * (`generateContent`, `streamGenerateContent`, `countTokens`, `embedContent`).
   */
  operation: string;
  /** The upstream model name (after mapping). */
  model: string;
  stream: boolean;
  /** Query string to pass on (already filtered: never the client's key), e.g. `alt=sse`. */
  query: string;
  /** Headers from the client worth forwarding (already filtered). */
  forwardHeaders: Record<string, string>;
}

export interface UpstreamTarget {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

export interface Provider {
  type: string;
  /** Dialects this upstream speaks natively: requests in these pass through. */
  dialects: readonly DialectName[];
  /**
   * Conversion formats this upstream takes, preferred first. A route whose
   * codec is listed passes through; any other convertible request is encoded
   * into the first one.
   */
  codecs: readonly CodecName[];
  target(call: UpstreamCall): UpstreamTarget;
  /**
   * Credentials that take a round trip to obtain (an OAuth access token): the
   * relay awaits these headers just before sending and lays them over
   * target()'s. A rejection (a GatewayError) fails this channel like a refused
   * connection would: the relay moves on to the next one.
   */
  authorize?(call: UpstreamCall): Promise<Record<string, string>>;
  /** The upstream answered 401 to these credentials: drop any cached ones (e.g. a revoked OAuth token). */
  credentialsRejected?(call: UpstreamCall): void;
}
