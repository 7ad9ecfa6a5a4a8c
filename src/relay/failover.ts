// Failover before the first byte: candidates in order until one answers with
// something other than a retryable failure; every attempt is recorded.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../dialects/errors.js';
import type { UpstreamCall } from '../providers/types.js';
import { pickKey } from '../routing/keys.js';
import type { Planned, RelayDeps, RelayRequest } from './relay-types.js';
import { channelTimeouts } from './upstream-client.js';

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

/** The upstream answer of the attempt that was kept: a success, or the last candidate's error status. */
export interface Sent {
  up: Dispatcher.ResponseData;
  plan: Planned;
  call: UpstreamCall;
}

/** Builds one attempt's upstream call and body for a candidate. */
export type AttemptBuilder = (plan: Planned, key: string) => Promise<{ call: UpstreamCall; body: Buffer | undefined }>;

/**
 * Tries candidates in order until one answers with something other than a
 * retryable failure (connection error, timeout, 408, 429, 5xx), recording
 * every attempt. Returns undefined when the client went away.
 */
export async function sendWithFailover(
  deps: RelayDeps,
  r: RelayRequest,
  planned: Planned[],
  build: AttemptBuilder,
  signal: AbortSignal,
): Promise<Sent | undefined> {
  const { ctx, spec } = r;
  let lastError: GatewayError | undefined;
  const tries = Math.min(planned.length, Math.max(1, deps.maxAttempts));
  for (let i = 0; i < tries; i++) {
    const plan = planned[i]!;
    const { channel } = plan.candidate;
    const provider = deps.providers.get(channel.type)!;
    const key = pickKey(channel);
    if (key === undefined) {
      ctx.attempts.push({ channel_id: channel.id, status: null, error: 'no enabled key', ms: 0 });
      lastError = new GatewayError('unavailable', `No enabled upstream key for model "${ctx.modelRequested}".`);
      continue;
    }
    const sentAt = performance.now();
    let call: UpstreamCall | undefined;
    let up: Dispatcher.ResponseData;
    try {
      const attempt = await build(plan, key);
      call = attempt.call;
      const target = provider.target(call);
      // Async credentials (Vertex OAuth tokens); a refusal fails this channel like a refused connection.
      if (provider.authorize) Object.assign(target.headers, await provider.authorize(call));
      up = await deps.upstream.request(target, attempt.body, 'POST', signal, channelTimeouts(channel.settings));
    } catch (err) {
      ctx.upstreamWaitMs += performance.now() - sentAt;
      if (signal.aborted) return undefined;
      // A request this candidate's format cannot carry (an encoder refusal) is the client's error, not the channel's.
      if (err instanceof GatewayError && err.kind === 'invalid_request' && call === undefined) throw err;
      lastError = err instanceof GatewayError ? err : connectionError(err);
      ctx.attempts.push({ channel_id: channel.id, status: null, error: lastError.message, ms: Math.round(performance.now() - sentAt) });
      deps.metrics.upstreamError(spec.name, channel.id, lastError.kind);
      continue;
    }
    ctx.upstreamWaitMs += performance.now() - sentAt;
    ctx.attempts.push({ channel_id: channel.id, status: up.statusCode, ms: Math.round(performance.now() - sentAt) });
    if (up.statusCode >= 400) deps.metrics.upstreamError(spec.name, channel.id, String(up.statusCode));
    if (RETRYABLE(up.statusCode) && i < tries - 1) {
      up.body.dump().catch(() => {});
      continue;
    }
    if (up.statusCode === 401) provider.credentialsRejected?.(call);
    return { up, plan, call };
  }
  throw lastError ?? new GatewayError('unavailable', `No upstream could serve model "${ctx.modelRequested}".`);
}

/** An AbortSignal that fires when the client leaves before its answer is complete. */
export function clientAbortSignal(r: RelayRequest): AbortSignal {
  const abort = new AbortController();
  r.res.on('close', () => {
    if (!r.res.writableFinished) abort.abort();
  });
  return abort.signal;
}

function connectionError(err: unknown): GatewayError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError('timeout', 'The upstream did not answer in time.');
  }
  return new GatewayError('upstream', `The upstream connection failed (${code || (err as Error).message}).`);
}
