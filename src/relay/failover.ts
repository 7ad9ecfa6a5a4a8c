// Failover before the first byte: candidates in order until one answers with
// something other than a retryable failure. Each attempt asks the breakers
// for the channel and a key, applies the channel's overrides, and reports the
// outcome back: a refused or spent key is set aside, a failing channel's
// breaker opens. Every attempt is recorded on the usage row.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../dialects/errors.js';
import { applyHeaderOverride, headerOverride, mappedStatus } from '../providers/overrides.js';
import type { UpstreamCall } from '../providers/types.js';
import { admit } from '../routing/admission.js';
import { pickChannelKey } from '../routing/keys.js';
import { classifyUpstreamFailure, ERROR_TEXT_LIMIT, failureFlavor, isRetryable, setsKeyAside } from '../routing/upstream-failure.js';
import type { ChannelKey } from '../store/entities.js';
import type { Planned, RelayDeps, RelayRequest } from './relay-types.js';
import { UpstreamTotalTimeout } from './total-timeout.js';
import { UpstreamAbort, type ChannelRoute, type UpstreamSignal } from './upstream-client.js';
import { describeCause, ProxyTunnelError } from './upstream-dispatchers.js';
import { dispatchUpstream } from './upstream-dispatch.js';

/** Error answers are small; anything past this is cut (and no longer JSON a client could use). */
const MAX_ERROR_BODY = 1024 * 1024;

/** An upstream error answer, read whole so it can be classified and then re-said or passed on. */
export interface UpstreamErrorAnswer {
  /** After the channel's status_code_mapping. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The attempt that was kept: a success (`error` undefined, body unread), or the last candidate's error answer. */
export interface Sent {
  up: Dispatcher.ResponseData;
  plan: Planned;
  call: UpstreamCall;
  error?: UpstreamErrorAnswer;
}

/** Builds one attempt's upstream call and body for a candidate. */
export type AttemptBuilder = (plan: Planned, key: string) => Promise<{ call: UpstreamCall; body: Buffer | undefined }>;

async function readErrorBody(up: Dispatcher.ResponseData): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of up.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > MAX_ERROR_BODY) {
        up.body.destroy();
        break;
      }
    }
  } catch {
    // a broken error body still has its status
  }
  return Buffer.concat(chunks);
}

/**
 * Tries candidates in order until one answers with something other than a
 * retryable failure (connection error, timeout, 408, 429, 5xx, a refused or
 * spent key). Never the same channel twice. Returns undefined when the client
 * went away.
 */
export async function sendWithFailover(
  deps: RelayDeps,
  r: RelayRequest,
  planned: Planned[],
  build: AttemptBuilder,
  signal: UpstreamSignal,
): Promise<Sent | undefined> {
  const { ctx } = r;
  const state: LoopState = { lastError: undefined };
  const tries = Math.min(planned.length, Math.max(1, deps.maxAttempts));
  let attempted = 0;
  let pausedByBreaker: Planned | undefined;
  for (let i = 0; i < tries; i++) {
    const plan = planned[i]!;
    const admitted = admit(deps.breakers, plan.candidate.channel);
    if (admitted.skipped) {
      ctx.attempts.push({ channel_id: plan.candidate.channel.id, status: null, error: SKIP_REASON[admitted.skipped], ms: 0 });
      if (admitted.skipped !== 'no_key') pausedByBreaker ??= plan;
      continue;
    }
    attempted++;
    const tried = new Set<number>();
    let key: ChannelKey | undefined = admitted.key;
    while (key) {
      tried.add(key.id);
      state.keyFault = false;
      const outcome = await attempt(deps, r, plan, key, build, signal, i === tries - 1, state);
      if (outcome !== NEXT) return outcome;
      // A refused, spent or throttled key is the key's problem, not the channel's: the channel's other keys get their turn.
      key = state.keyFault ? admit(deps.breakers, plan.candidate.channel).key : undefined;
      if (key && tried.has(key.id)) key = undefined;
    }
  }
  // Breakers route around a failing channel; with nothing else left, the paused one is still tried rather than refusing outright.
  if (attempted === 0 && pausedByBreaker) {
    const key = pickChannelKey(pausedByBreaker.candidate.channel);
    if (key) {
      const outcome = await attempt(deps, r, pausedByBreaker, key, build, signal, true, state);
      if (outcome !== NEXT) return outcome;
    }
  }
  if (state.kept) return state.kept;
  throw state.lastError ?? new GatewayError('unavailable', `No upstream could serve model "${ctx.modelRequested}".`, { code: 'no_available_channel' });
}

const NEXT = Symbol('next candidate');
const KEY_FAULTS = new Set(['key_invalid', 'key_no_credit', 'rate_limited']);
interface LoopState {
  /** The last connection failure, for when no candidate answered at all. */
  lastError: GatewayError | undefined;
  /** The last retryable error answer, given to the client when no later candidate does better. */
  kept?: Sent;
  /** The last attempt failed because of its key (refused, out of credit, rate-limited). */
  keyFault?: boolean;
}

/** One attempt on one candidate: its answer to keep, NEXT to go on, or undefined when the client left. */
async function attempt(
  deps: RelayDeps,
  r: RelayRequest,
  plan: Planned,
  key: ChannelKey,
  build: AttemptBuilder,
  signal: UpstreamSignal,
  last: boolean,
  state: LoopState,
): Promise<Sent | undefined | typeof NEXT> {
  const { ctx, spec } = r;
  const { channel } = plan.candidate;
  const provider = deps.providers.get(channel.type)!;
  const sentAt = performance.now();
  let call: UpstreamCall | undefined;
  let up: Dispatcher.ResponseData;
  // The channel's dispatcher (proxy, connect_ms) and waits: resolved once per channel version.
  const route = deps.upstream.route(channel.settings);
  try {
    const built = await build(plan, key.key);
    call = built.call;
    const target = provider.target(call);
    // Async credentials (Vertex OAuth tokens); a refusal fails this channel like a refused connection.
    if (provider.authorize) Object.assign(target.headers, await provider.authorize(call));
    const override = headerOverride(channel.settings);
    if (override) applyHeaderOverride(target.headers, override, key.key);
    if (route.refusal !== undefined) throw new GatewayError('upstream', route.refusal);
    // Answers come from undici's parser without a Readable per answer (upstream-dispatch.ts); a total_ms timer needs request()'s.
    up =
      route.timeouts.totalMs === undefined
        ? await dispatchUpstream(route.dispatcher, target, built.body, 'POST', signal, route.timeouts)
        : await deps.upstream.request(target, built.body, 'POST', signal, route.timeouts, route.dispatcher);
  } catch (err) {
    ctx.upstreamWaitMs += performance.now() - sentAt;
    if (signal.aborted) {
      deps.breakers.release(channel.id, key.id);
      return undefined;
    }
    // A request this candidate's format cannot carry (an encoder refusal) is the client's error, not the channel's.
    if (err instanceof GatewayError && err.kind === 'invalid_request' && call === undefined) {
      deps.breakers.release(channel.id, key.id);
      throw err;
    }
    const error = err instanceof GatewayError ? err : connectionError(err, route);
    state.lastError = error;
    deps.breakers.onFailure(channel.id, key.id, { kind: 'network', reason: error.message });
    ctx.attempts.push({ channel_id: channel.id, status: null, error: error.message, ms: Math.round(performance.now() - sentAt) });
    deps.metrics.upstreamError(spec.name, channel.id, error.kind);
    return NEXT;
  }
  ctx.upstreamWaitMs += performance.now() - sentAt;
  const status = mappedStatus(channel.settings, up.statusCode);
  const ms = Math.round(performance.now() - sentAt);
  if (status < 400) {
    deps.breakers.onSuccess(channel.id, key.id);
    ctx.attempts.push({ channel_id: channel.id, status, ms });
    return { up, plan, call };
  }

  deps.metrics.upstreamError(spec.name, channel.id, String(status));
  const headers = up.headers as Record<string, string | string[] | undefined>;
  const body = await readErrorBody(up);
  const failure = classifyUpstreamFailure(failureFlavor(channel.type, call.dialect), {
    status,
    headers,
    body: body.subarray(0, ERROR_TEXT_LIMIT).toString('utf8'),
  });
  ctx.attempts.push({ channel_id: channel.id, status, ...(failure && { error: failure.reason }), ms });
  if (failure) {
    // A 401 to a fetched access token (Vertex) means that token expired or was revoked: the provider fetches a new one, the key stays.
    const tokenRefused = up.statusCode === 401 && provider.credentialsRejected !== undefined;
    deps.breakers.onFailure(channel.id, key.id, tokenRefused ? { ...failure, kind: 'server' } : failure);
    if (setsKeyAside(failure.kind) && !tokenRefused) void deps.keySetAside.setAside(channel, key, failure.reason);
  }
  if (up.statusCode === 401 || up.statusCode === 403) provider.credentialsRejected?.(call);
  const retryable = failure ? isRetryable(failure.kind) : status >= 500;
  const answer = { up, plan, call, error: { status, headers, body } };
  state.keyFault = failure !== undefined && KEY_FAULTS.has(failure.kind);
  if (retryable && (!last || state.keyFault)) {
    state.kept = answer;
    return NEXT;
  }
  return answer;
}

const SKIP_REASON = {
  channel_open: 'circuit breaker open',
  keys_open: 'every key paused by its circuit breaker',
  no_key: 'no enabled key',
} as const;

/**
 * A signal that fires when the client leaves before its answer is complete.
 * An UpstreamAbort, not an AbortController: undici takes either, and this one
 * costs well under a microsecond where the controller and undici's listener
 * on it cost ~13 µs per request.
 */
export function clientAbortSignal(r: RelayRequest): UpstreamAbort {
  const abort = new UpstreamAbort();
  r.res.on('close', () => {
    if (!r.res.writableFinished) abort.abort();
  });
  return abort;
}

/**
 * A request that got no answer, as the client and the usage row's attempt see
 * it: which wait ran out, or how connecting failed (through the proxy or not).
 * Never the proxy URL: it may carry a password.
 */
export function connectionError(err: unknown, route?: Pick<ChannelRoute, 'proxied' | 'connectMs' | 'timeouts'>): GatewayError {
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof UpstreamTotalTimeout) {
    return new GatewayError('timeout', `The upstream did not finish within the channel's total timeout (total_ms ${err.ms}).`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    // undici's message names the timeout that fired ("timeout: 200ms").
    const ms = /timeout: (\d+)ms/.exec((err as Error).message ?? '')?.[1] ?? route?.connectMs;
    const within = ms !== undefined ? ` within ${ms} ms` : '';
    return new GatewayError('timeout', `The upstream connection timed out: no connection${within}${route?.proxied ? " through the channel's proxy" : ''}.`);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new GatewayError('timeout', 'The upstream did not answer in time.');
  }
  if (route?.proxied) {
    const refused = /^Proxy response \((\d{3})\)/.exec((err as Error).message ?? '');
    if (refused) return new GatewayError('upstream', `The channel's proxy refused the tunnel (it answered ${refused[1]}).`);
    if (err instanceof ProxyTunnelError) {
      if (err.detail === 'UND_ERR_HEADERS_TIMEOUT') return new GatewayError('timeout', `The channel's proxy did not open a tunnel within ${route.connectMs} ms.`);
      return new GatewayError('upstream', `The channel's proxy could not be reached (${err.detail}).`);
    }
    if (code.startsWith('UND_ERR_SOCKS5')) return new GatewayError('upstream', `The channel's SOCKS5 proxy refused the tunnel (${code}).`);
    return new GatewayError('upstream', `The upstream connection failed through the channel's proxy (${describeCause(err, 'unknown error')}).`);
  }
  return new GatewayError('upstream', `The upstream connection failed (${code || (err as Error).message}).`);
}
