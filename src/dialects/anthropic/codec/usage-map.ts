// Anthropic usage ↔ canonical usage. Anthropic's input_tokens EXCLUDES cache
// reads and writes; the canonical inputTokens includes them.
import { num } from '../../usage.js';
import type { CanonicalUsage } from '../../canonical/types.js';
import { isRecord } from './json-read.js';

/** The four counters as Anthropic reports them (input uncached). */
export interface AnthropicUsageCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** output_tokens_details.thinking_tokens, when reported. */
  thinking_tokens: number;
}

export function emptyAnthropicCounts(): AnthropicUsageCounts {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, thinking_tokens: 0 };
}

export function readAnthropicCounts(usage: unknown): AnthropicUsageCounts {
  if (!isRecord(usage)) return emptyAnthropicCounts();
  const details = usage.output_tokens_details;
  return {
    input_tokens: num(usage.input_tokens),
    output_tokens: num(usage.output_tokens),
    cache_creation_input_tokens: num(usage.cache_creation_input_tokens),
    cache_read_input_tokens: num(usage.cache_read_input_tokens),
    thinking_tokens: isRecord(details) ? num(details.thinking_tokens) : 0,
  };
}

/**
 * Stream events report cumulative totals, message_start first and message_delta
 * last. A later positive count wins; a zero or missing one never erases an
 * earlier count (some relays send input_tokens: 0 in message_delta).
 */
export function mergeAnthropicCounts(prev: AnthropicUsageCounts, next: AnthropicUsageCounts): AnthropicUsageCounts {
  return {
    input_tokens: next.input_tokens || prev.input_tokens,
    output_tokens: next.output_tokens || prev.output_tokens,
    cache_creation_input_tokens: next.cache_creation_input_tokens || prev.cache_creation_input_tokens,
    cache_read_input_tokens: next.cache_read_input_tokens || prev.cache_read_input_tokens,
    thinking_tokens: next.thinking_tokens || prev.thinking_tokens,
  };
}

/**
 * Anthropic bills thinking as output but does not say how much of the output
 * it was; other dialects show reasoning tokens apart. When the upstream gave
 * no count, the visible thinking text gives an estimate (about four characters
 * a token), never more than the output itself.
 */
export function withThinkingEstimate(c: AnthropicUsageCounts, thinkingChars: number): AnthropicUsageCounts {
  if (c.thinking_tokens > 0 || thinkingChars === 0) return c;
  return { ...c, thinking_tokens: Math.min(Math.ceil(thinkingChars / 4), c.output_tokens) };
}

export function toCanonicalUsage(c: AnthropicUsageCounts): CanonicalUsage {
  return {
    inputTokens: c.input_tokens + c.cache_read_input_tokens + c.cache_creation_input_tokens,
    cachedInputTokens: c.cache_read_input_tokens,
    cacheWriteTokens: c.cache_creation_input_tokens,
    outputTokens: c.output_tokens,
    reasoningTokens: Math.min(c.thinking_tokens, c.output_tokens),
    outputImageTokens: 0,
  };
}

/** The `usage` object of an Anthropic answer (message or final message_delta). */
export function toAnthropicUsage(u: CanonicalUsage | undefined): Record<string, number> {
  if (!u) return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  return {
    input_tokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens),
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedInputTokens,
  };
}
