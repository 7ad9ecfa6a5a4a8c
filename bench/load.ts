// A small closed-loop load generator: C connections, each sending its next
// request as soon as the last one finished, for a fixed time. Latencies are
// kept in microseconds so sub-millisecond differences are visible.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadCase {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Read the response as a stream and note the first body chunk's time. */
  firstChunk?: boolean;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number; // ms
  p99: number; // ms
  /** Time to the first body chunk (ms), when asked for. */
  ttfbP50?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(origin: string, c: LoadCase, connections: number, durationMs: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  const ttfb: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: c.path, method: c.method ?? 'POST', headers: c.headers, body: c.body });
        if (c.firstChunk) {
          let first = true;
          for await (const _chunk of res.body) {
            if (first) ttfb.push(performance.now() - t0);
            first = false;
          }
        } else {
          // Read every byte: undici's dump() treats a non-finite limit as 128 KB
          // and then drops the connection, which hid the cost of large answers.
          for await (const _chunk of res.body) {
            /* drain */
          }
        }
        if (res.statusCode >= 400) errors++;
        else latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  const ttfbSorted = Float64Array.from(ttfb).sort();
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ttfbP50: c.firstChunk ? percentile(ttfbSorted, 50) : undefined,
  };
}
