// Responses `usage` ↔ canonical totals. Both count alike: input_tokens includes
// cached ones, output_tokens includes reasoning, so nothing is subtracted here.
import type { CanonicalUsage } from '../../canonical/types.js';
import { num } from '../../usage.js';
import { isObject } from './json-read.js';

/** Undefined when the wire has no usage object (in-progress snapshots send `usage: null`). */
export function decodeResponsesUsage(usage: unknown): CanonicalUsage | undefined {
  if (!isObject(usage)) return undefined;
  const input = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    inputTokens: num(usage.input_tokens),
    cachedInputTokens: num(input.cached_tokens),
    cacheWriteTokens: num(input.cache_write_tokens),
    outputTokens: num(usage.output_tokens),
    reasoningTokens: num(output.reasoning_tokens),
    outputImageTokens: num(output.image_tokens),
  };
}

export function encodeResponsesUsage(u: CanonicalUsage): Record<string, unknown> {
  const outputDetails: Record<string, number> = { reasoning_tokens: u.reasoningTokens };
  if (u.outputImageTokens > 0) outputDetails.image_tokens = u.outputImageTokens;
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens, cache_write_tokens: u.cacheWriteTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: outputDetails,
    total_tokens: u.inputTokens + u.outputTokens,
  };
}
