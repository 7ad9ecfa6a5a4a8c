// Assertions shared by the matrix files: the usage row agrees with what the
// client saw, and the upstream got the request in its own dialect.
import { expect } from 'vitest';
import type { ClientApi, Outcome } from './clients.js';
import type { Hub, Provider } from './rig.js';

/** The finish reason a complete answer has in each client dialect. */
export const DONE: Record<ClientApi, string> = { chat: 'stop', responses: 'completed', messages: 'end_turn', gemini: 'STOP' };
/** The finish reason of an answer cut by the token cap. */
export const CAPPED: Record<ClientApi, string> = { chat: 'length', responses: 'incomplete:max_output_tokens', messages: 'max_tokens', gemini: 'MAX_TOKENS' };
/** The finish reason of an answer that is a tool call. */
export const CALLED: Record<ClientApi, string> = { chat: 'tool_calls', responses: 'completed', messages: 'tool_use', gemini: 'STOP' };

/** The upstream path each provider family is called on. */
export function upstreamPathFor(provider: Provider, model: string, stream: boolean): string | RegExp {
  if (provider === 'anthropic') return '/v1/messages';
  if (provider === 'gemini') return `/v1beta/models/${model}:${stream ? 'streamGenerateContent' : 'generateContent'}`;
  return /^\/v1\/(chat\/completions|responses)$/;
}

/** The usage row of the last SDK call: model, channel, status, and token counts matching the client's. */
export async function expectUsageRow(hub: Hub, seen: Outcome, want: { model: string; provider: Provider; stream: boolean; client: ClientApi }) {
  const row = await hub.lastRow();
  expect(row.model_requested).toBe(want.model);
  expect(row.channel_id).toBe(hub.channelId(want.provider));
  expect(row.status).toBe(200);
  expect(row.is_stream).toBe(want.stream);
  expect(row.input_tokens).toBeGreaterThan(0);
  expect(row.output_text_tokens + row.reasoning_tokens).toBeGreaterThan(0);
  expect(seen.usage.input).toBeGreaterThan(0);
  expect(seen.usage.output).toBeGreaterThan(0);
  expect(row.input_tokens + row.cached_input_tokens + ((row as any).cache_write_tokens ?? 0)).toBe(seen.usage.input);
  expect(row.output_text_tokens + row.reasoning_tokens + row.output_image_tokens).toBe(seen.usage.output);
  // Anthropic's usage has no reasoning field to compare with.
  if (want.client !== 'messages') expect(row.reasoning_tokens).toBe(seen.usage.reasoning);
  return row;
}

/** The one generation request the upstream received since the last clear(). */
export async function upstreamCall(hub: Hub, provider: Provider, model: string, stream: boolean) {
  const calls = (await hub.upstream()).filter((r) => r.method === 'POST');
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  const path = upstreamPathFor(provider, model, stream);
  if (typeof path === 'string') expect(call.path).toBe(path);
  else expect(call.path).toMatch(path);
  return call;
}
