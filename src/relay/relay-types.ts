// The relay's shared shapes: what the pipeline depends on, one request, and
// how one candidate channel will be served.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ImageOutputMode } from '../dialects/canonical/codec.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BreakerBoard } from '../routing/circuit-breaker.js';
import type { KeySetAside } from '../routing/key-health.js';
import type { Candidate, CandidateIndex } from '../routing/candidates.js';
import type { NewUsageLog } from '../store/schema.js';
import type { Accounting } from './accounting.js';
import type { AuthCache } from './auth.js';
import type { RemoteImageFetcher, ServeMode } from './conversion.js';
import type { ImagePublisher } from './deliver-converted.js';
import type { InFlight } from './in-flight.js';
import type { RelayContext } from './relay-context.js';
import type { RelayRouteSpec } from './routes.js';
import type { UpstreamClient } from './upstream-client.js';

export interface RelayMetricsSink {
  observe(ctx: RelayContext): void;
  upstreamError(route: string, channelId: number, reason: string): void;
}

export interface RelayDeps {
  cache: AuthCache;
  accounting: Accounting;
  candidates: CandidateIndex;
  providers: ProviderRegistry;
  upstream: UpstreamClient;
  usage: { push(row: NewUsageLog): void };
  metrics: RelayMetricsSink;
  /** Most channels tried for one request. */
  maxAttempts: number;
  inFlight: InFlight;
  log: { error(obj: unknown, msg: string): void };
  media: RelayMedia;
  /** Circuit breakers per channel and key (shared across nodes by transitions). */
  breakers: BreakerBoard;
  /** Takes a refused or spent upstream key out of rotation, with the reason. */
  keySetAside: Pick<KeySetAside, 'setAside'>;
  /** How OpenAI chat answers carry images unless the channel says otherwise. */
  imageOutput: ImageOutputMode;
}

/** Images in and out: fetching image URLs for upstreams that need inline data, storing answers for `url` output. */
export interface RelayMedia {
  /** Fetches an http(s) image (SSRF-guarded). */
  fetchImage: RemoteImageFetcher;
  /** Stores generated images and returns signed URLs on this gateway, as the client reached it. */
  publisher(req: IncomingMessage): ImagePublisher;
}

export interface RelayRequest {
  spec: RelayRouteSpec;
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer | undefined;
  query: URLSearchParams;
  /** Gemini carries the model in the path. */
  pathModel?: string;
  ctx: RelayContext;
}

export interface Planned {
  candidate: Candidate;
  mode: ServeMode;
}
