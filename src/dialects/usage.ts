/**
 * Token usage by kind, the same for every dialect. `inputTokens` counts only
 * uncached input (billed at the full input rate); cache reads and writes are
 * separate, as are reasoning tokens (never double-counted in outputTextTokens).
 */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTextTokens: number;
  outputImageTokens: number;
  reasoningTokens: number;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTextTokens: 0, outputImageTokens: 0, reasoningTokens: 0 };
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}
