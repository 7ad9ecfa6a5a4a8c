// `POST /api/channels/{id}/test`: one tiny real request through the channel's
// provider (its own URL, auth header and version handling), to the test model:
// `settings.test_model`, else the channel's first model. Reports what happened;
// never throws for an upstream failure.
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import type { DialectName } from '../dialects/types.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Channel } from '../store/entities.js';
import { describeError } from '../store/errors.js';

export interface ChannelTestResult {
  ok: boolean;
  /** Upstream HTTP status; 0 when no answer came (refused, timed out, misconfigured). */
  status: number;
  latency_ms: number;
  message: string;
  model: string | null;
}

export const DEFAULT_TEST_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 64 * 1024;

/** The dialect to test in: the provider's only one, or (simulator) the model's family. */
function dialectFor(dialects: readonly DialectName[], model: string): DialectName {
  if (dialects.length === 1) return dialects[0]!;
  if (/claude/i.test(model) && dialects.includes('anthropic')) return 'anthropic';
  if (/gemini|imagen|gemma/i.test(model) && dialects.includes('gemini')) return 'gemini';
  return dialects.includes('openai') ? 'openai' : dialects[0]!;
}

function probe(dialect: DialectName, model: string, channelType: string): { operation: string; body: unknown } {
  const embedding = /embed/i.test(model);
  if (dialect === 'gemini') {
    return embedding
      ? { operation: 'embedContent', body: { content: { parts: [{ text: 'ping' }] } } }
      : { operation: 'generateContent', body: { contents: [{ role: 'user', parts: [{ text: 'ping' }] }], generationConfig: { maxOutputTokens: 16 } } };
  }
  if (dialect === 'anthropic') {
    return { operation: '/messages', body: { model, max_tokens: 16, messages: [{ role: 'user', content: 'ping' }] } };
  }
  if (embedding) return { operation: '/embeddings', body: { model, input: 'ping' } };
  // OpenAI's own reasoning models refuse max_tokens; compatible servers often only know max_tokens.
  const limit = channelType === 'openai' ? { max_completion_tokens: 16 } : { max_tokens: 16 };
  return { operation: '/chat/completions', body: { model, messages: [{ role: 'user', content: 'ping' }], ...limit } };
}

/** The upstream's own error text, if its body carries one. */
function upstreamMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, any>;
    const err = Array.isArray(body) ? body[0]?.error : body.error;
    const msg = typeof err === 'string' ? err : err?.message;
    if (typeof msg === 'string' && msg) return msg;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 300) || 'no body';
}

export function testModelOf(channel: Channel, asked?: string): string | undefined {
  const setting = channel.settings.test_model;
  return asked || (typeof setting === 'string' && setting ? setting : undefined) || channel.models[0] || Object.keys(channel.modelMapping)[0];
}

export async function testChannel(
  channel: Channel,
  providers: ProviderRegistry,
  /** `dispatcher`: the channel's own (its proxy, its connect timeout), as the relay would use it. */
  opts: { model?: string; timeoutMs?: number; dispatcher?: Dispatcher } = {},
): Promise<ChannelTestResult> {
  const model = testModelOf(channel, opts.model);
  const fail = (message: string, status = 0, latency = 0): ChannelTestResult => ({ ok: false, status, latency_ms: latency, message, model: model ?? null });
  if (!model) return fail('the channel has no models to test; add one or set settings.test_model');
  const provider = providers.get(channel.type);
  if (!provider) return fail(`no provider for channel type ${JSON.stringify(channel.type)}`);
  const key = (channel.keys.find((k) => k.status === 'enabled') ?? channel.keys[0])?.key;
  if (!key && channel.type !== 'simulator') return fail('the channel has no keys');

  const upstreamModel = channel.modelMapping[model] ?? model;
  const dialect = dialectFor(provider.dialects, upstreamModel);
  const { operation, body } = probe(dialect, upstreamModel, channel.type);
  let target;
  try {
    const call = {
      channel,
      key: key ?? 'simulator',
      dialect,
      operation,
      model: upstreamModel,
      stream: false,
      query: '',
      forwardHeaders: { 'content-type': 'application/json' },
    };
    target = provider.target(call);
    // Providers with async credentials (Vertex's OAuth token) add them here.
    if (provider.authorize) Object.assign(target.headers, await provider.authorize(call));
  } catch (err) {
    return fail(`cannot address the upstream: ${describeError(err)}`);
  }

  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
  try {
    const res = await request(`${target.origin}${target.path}`, {
      method: 'POST',
      headers: target.headers,
      body: JSON.stringify(body),
      signal: deadline,
      ...(opts.dispatcher && { dispatcher: opts.dispatcher }),
    });
    let text = '';
    for await (const chunk of res.body) {
      if (text.length < MAX_BODY_BYTES) text += (chunk as Buffer).toString('utf8');
    }
    const latency = elapsed();
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { ok: true, status: res.statusCode, latency_ms: latency, message: `${upstreamModel} answered in ${latency} ms`, model };
    }
    return fail(`upstream answered ${res.statusCode}: ${upstreamMessage(text)}`, res.statusCode, latency);
  } catch (err) {
    // undici names a proxy's refusal an AbortError too: only our own deadline is a timeout.
    const timedOut = deadline.aborted || (err instanceof Error && err.name === 'TimeoutError');
    return fail(timedOut ? `no answer within ${opts.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS} ms` : `request failed: ${describeError(err)}`, 0, elapsed());
  }
}
