import { num, type Usage } from '../usage.js';

function modalityCount(details: unknown, modality: string): number | undefined {
  if (!Array.isArray(details)) return undefined;
  let total: number | undefined;
  for (const d of details) {
    if (d && typeof d === 'object' && (d as any).modality === modality) total = (total ?? 0) + num((d as any).tokenCount);
  }
  return total;
}

/**
 * `usageMetadata` → canonical usage. Image output comes from the per-modality
 * details (candidatesTokenCount can exceed their sum); whatever the details do
 * not attribute to IMAGE is billed as text. Thoughts are counted separately.
 */
export function geminiUsage(meta: unknown): Usage | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  const m = meta as Record<string, any>;
  const prompt = num(m.promptTokenCount);
  const cached = num(m.cachedContentTokenCount);
  const candidates = num(m.candidatesTokenCount);
  const image = modalityCount(m.candidatesTokensDetails, 'IMAGE') ?? 0;
  return {
    inputTokens: Math.max(0, prompt - cached),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTextTokens: Math.max(0, candidates - image),
    outputImageTokens: image,
    reasoningTokens: num(m.thoughtsTokenCount),
  };
}
