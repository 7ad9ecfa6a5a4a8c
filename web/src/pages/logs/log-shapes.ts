// A usage log row as GET /api/logs answers it (src/admin/routes/logs.ts
// logView). Plain users get no `channel_id` and no `attempts`.

/** One try at an upstream (src/relay/relay-context.ts Attempt). */
export interface Attempt {
  channel_id: number;
  /** null: never answered (network error, timeout) or skipped before sending. */
  status: number | null;
  error?: string;
  ms: number;
}

export interface LogRow {
  id: number;
  request_id: string;
  /** Epoch ms. */
  created_at: number;
  token_id: number | null;
  user_id: number | null;
  token_name: string | null;
  route: string;
  model_requested: string | null;
  model_served: string | null;
  channel_id?: number | null;
  attempts?: Attempt[] | null;
  /** The HTTP status the client got; 0 = the request never got an answer. */
  status: number;
  error: string | null;
  is_stream: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_text_tokens: number;
  output_image_tokens: number;
  reasoning_tokens: number;
  image_count: number;
  image_size: string | null;
  aspect_ratio: string | null;
  cost_micros: number;
  cost_usd: number;
  group_ratio?: number;
  /** Micro-dollars by price kind before the group ratio, plus `ratio` (and `long_context: 1`); null = none recorded. */
  cost_detail?: Record<string, number> | null;
  latency_ms: number;
  first_byte_ms: number | null;
  client_ip: string | null;
}

/** What the row counts as input (uncached + cached + cache writes) and output (text + image + reasoning), as the stats do. */
export const inputTokens = (r: LogRow) => r.input_tokens + r.cached_input_tokens + r.cache_write_tokens;
export const outputTokens = (r: LogRow) => r.output_text_tokens + r.output_image_tokens + r.reasoning_tokens;

/** A price as GET /api/prices/{model} answers it (store ModelPrice). */
export interface ModelPrice {
  input_per_mtok?: number;
  cached_input_per_mtok?: number;
  cache_write_5m_per_mtok?: number;
  cache_write_1h_per_mtok?: number;
  output_per_mtok?: number;
  image_output_per_mtok?: number;
  reasoning_per_mtok?: number;
  per_image?: Record<string, number>;
  per_call?: number;
  long_context?: { above_input_tokens: number } & Record<string, number>;
}
