import { performance } from 'node:perf_hooks';
import type { DialectName } from '../dialects/types.js';
import type { Usage } from '../dialects/usage.js';
import type { NewUsageLog } from '../store/schema.js';
import type { Caller } from './auth.js';
import type { ImageFacts, RequestFacts } from './request-facts.js';

export interface Attempt {
  channel_id: number;
  status: number | null;
  error?: string;
  ms: number;
}

/** Everything one relay request learns on its way, for the usage row and metrics. */
export class RelayContext {
  caller: Caller | undefined;
  modelRequested: string | undefined;
  modelServed: string | undefined;
  channelId: number | undefined;
  readonly attempts: Attempt[] = [];
  stream = false;
  status = 0;
  error: string | undefined;
  usage: Usage | undefined;
  facts: RequestFacts | undefined;
  /** Images the answer held (billed ones: thought images excluded). */
  images: ImageFacts | undefined;
  costMicros = 0;
  groupRatio = 1;
  costDetail: Record<string, number> | undefined;
  /** Text that reached the client, for billing a stream the client abandoned. */
  deliveredText: { tokens: number } | undefined;
  /** The upstream's stream broke after bytes had reached the client. */
  brokeMidStream = false;
  /** Time spent waiting for upstream response headers, summed over attempts. */
  upstreamWaitMs = 0;
  firstByteMs: number | undefined;

  constructor(
    readonly requestId: string,
    readonly route: string,
    /** The route's dialect; a Gemini body posted to /v1/images/generations switches it to gemini. */
    public dialect: DialectName,
    readonly startedAt: number,
    readonly clientIp: string,
  ) {}

  elapsedMs(now = performance.now()): number {
    return now - this.startedAt;
  }

  /** `Server-Timing`: the gateway's own time, upstream waiting excluded. */
  serverTiming(now = performance.now()): string {
    const gateway = Math.max(0, this.elapsedMs(now) - this.upstreamWaitMs);
    return `gateway;dur=${gateway.toFixed(3)}, upstream;dur=${this.upstreamWaitMs.toFixed(3)}`;
  }

  toUsageRow(now = performance.now()): NewUsageLog {
    const u = this.usage;
    return {
      request_id: this.requestId,
      created_at: Date.now(),
      token_id: this.caller?.token.id ?? null,
      user_id: this.caller?.user.id ?? null,
      token_name: this.caller?.token.name ?? null,
      route: this.route,
      model_requested: this.modelRequested ?? null,
      model_served: this.modelServed ?? null,
      channel_id: this.channelId ?? null,
      attempts: this.attempts.length ? JSON.stringify(this.attempts) : null,
      status: this.status,
      error: this.error ?? null,
      is_stream: this.stream ? 1 : 0,
      input_tokens: u?.inputTokens ?? 0,
      cached_input_tokens: u?.cachedInputTokens ?? 0,
      cache_write_tokens: u?.cacheWriteTokens ?? 0,
      output_text_tokens: u?.outputTextTokens ?? 0,
      output_image_tokens: u?.outputImageTokens ?? 0,
      reasoning_tokens: u?.reasoningTokens ?? 0,
      image_count: this.images?.count ?? 0,
      image_size: this.images?.size ?? null,
      aspect_ratio: this.images?.aspectRatio ?? null,
      cost_micros: this.costMicros,
      group_ratio: this.groupRatio,
      cost_detail: this.costDetail ? JSON.stringify(this.costDetail) : null,
      latency_ms: Math.round(this.elapsedMs(now)),
      first_byte_ms: this.firstByteMs === undefined ? null : Math.round(this.firstByteMs),
      client_ip: this.clientIp,
    };
  }
}
