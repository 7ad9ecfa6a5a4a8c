import { num, type Usage } from '../usage.js';

/** Chat/completions/embeddings `usage` → canonical usage. Undefined when absent. */
export function openaiUsage(usage: unknown): Usage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, any>;
  // Chat uses prompt/completion; the Responses and Images APIs use input/output.
  const prompt = num(u.prompt_tokens ?? u.input_tokens);
  const completion = num(u.completion_tokens ?? u.output_tokens);
  const cached = num(u.prompt_tokens_details?.cached_tokens ?? u.input_tokens_details?.cached_tokens);
  const reasoning = num(u.completion_tokens_details?.reasoning_tokens ?? u.output_tokens_details?.reasoning_tokens);
  const imageOut = num(u.output_tokens_details?.image_tokens);
  return {
    inputTokens: Math.max(0, prompt - cached),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTextTokens: Math.max(0, completion - reasoning - imageOut),
    outputImageTokens: imageOut,
    reasoningTokens: reasoning,
  };
}
