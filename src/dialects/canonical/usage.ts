import type { Usage } from '../usage.js';
import type { CanonicalUsage } from './types.js';

/** Canonical totals → the billing split (uncached input, text output without reasoning or image tokens). */
export function toBillingUsage(u: CanonicalUsage): Usage {
  return {
    inputTokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens),
    cachedInputTokens: u.cachedInputTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    outputTextTokens: Math.max(0, u.outputTokens - u.reasoningTokens - u.outputImageTokens),
    outputImageTokens: u.outputImageTokens,
    reasoningTokens: u.reasoningTokens,
  };
}
