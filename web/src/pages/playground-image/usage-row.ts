// The usage-log row of one relay call, found by the `x-request-id` the gateway
// answered with. Rows are written in batches a moment after the answer (the
// first one after a start can take seconds), so this asks again, less and
// less often, until `timeoutMs`. Shared by both playgrounds.
import type { ApiClient, Page } from '../../api/client';

/** The fields of a log row (src/admin/routes/logs.ts logView) the playgrounds show. */
export interface UsageRow {
  id: number;
  request_id: string;
  model: string | null;
  status: number;
  cost_usd: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_text_tokens: number;
  output_image_tokens: number;
  reasoning_tokens: number;
  image_count: number;
  image_size: string | null;
  aspect_ratio: string | null;
  latency_ms: number;
}

export interface FindUsageOptions {
  requestId: string;
  model: string;
  /** The token the call used, when known (narrows the search on a busy gateway). */
  tokenId?: number;
  signal?: AbortSignal;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function findUsageRow(api: ApiClient, o: FindUsageOptions): Promise<UsageRow | undefined> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  for (let i = 0; !o.signal?.aborted; i++) {
    if (i > 0) {
      if (Date.now() >= deadline) break;
      await pause(Math.min(250 * i, 2_000), o.signal);
    }
    // Newest first; no time filter, so a skewed browser clock cannot hide the row.
    const page = await api.get<Page<UsageRow>>('/api/logs', { model: o.model, token_id: o.tokenId, page_size: 50 }, o.signal);
    const row = page.items.find((r) => r.request_id === o.requestId);
    if (row) return row;
  }
  return undefined;
}
