import { num, type Usage } from '../usage.js';

/**
 * Anthropic `usage` → canonical usage. input_tokens already excludes cache
 * reads and writes. In streams, message_start carries input and message_delta
 * the final output count, so callers merge with `mergeAnthropicUsage`.
 */
export function anthropicUsage(usage: unknown): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, any>;
  return {
    inputTokens: num(u.input_tokens),
    cachedInputTokens: num(u.cache_read_input_tokens),
    cacheWriteTokens: num(u.cache_creation_input_tokens),
    outputTextTokens: num(u.output_tokens),
    outputImageTokens: 0,
    reasoningTokens: 0,
  };
}

/** Later events win per field, but a zero never erases an earlier count. */
export function mergeAnthropicUsage(prev: Usage | undefined, next: Usage): Usage {
  if (!prev) return next;
  return {
    inputTokens: next.inputTokens || prev.inputTokens,
    cachedInputTokens: next.cachedInputTokens || prev.cachedInputTokens,
    cacheWriteTokens: next.cacheWriteTokens || prev.cacheWriteTokens,
    outputTextTokens: next.outputTextTokens || prev.outputTextTokens,
    outputImageTokens: 0,
    reasoningTokens: 0,
  };
}
