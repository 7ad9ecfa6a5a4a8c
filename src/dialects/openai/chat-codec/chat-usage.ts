// Chat `usage` ↔ canonical totals. OpenAI totals include their parts:
// prompt_tokens includes cached tokens, completion_tokens includes reasoning.
import type { CanonicalUsage } from '../../canonical/types.js';
import { num } from '../../usage.js';
import { isRecord } from './wire-guards.js';

/** Undefined when the wire has no usage object (stream chunks send `usage: null`). */
export function decodeChatUsage(usage: unknown): CanonicalUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    inputTokens: num(usage.prompt_tokens),
    // DeepSeek reports cache hits at the top level instead.
    cachedInputTokens: num(prompt.cached_tokens ?? usage.prompt_cache_hit_tokens),
    cacheWriteTokens: num(prompt.cache_write_tokens),
    outputTokens: num(usage.completion_tokens),
    reasoningTokens: num(completion.reasoning_tokens),
    outputImageTokens: num(completion.image_tokens),
  };
}

export function encodeChatUsage(u: CanonicalUsage): Record<string, unknown> {
  const completionDetails: Record<string, number> = {
    reasoning_tokens: u.reasoningTokens,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  };
  if (u.outputImageTokens > 0) completionDetails.image_tokens = u.outputImageTokens;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: completionDetails,
  };
}
