// Gemini usageMetadata ↔ canonical usage. Google counts thoughts apart from
// candidates; the hub's outputTokens includes them.
import { emptyCanonicalUsage, type CanonicalUsage } from '../../canonical/types.js';
import { num } from '../../usage.js';
import { isRec, type Rec } from './wire.js';

function imageTokens(details: unknown): number {
  if (!Array.isArray(details)) return 0;
  let total = 0;
  for (const d of details) if (isRec(d) && d.modality === 'IMAGE') total += num(d.tokenCount);
  return total;
}

/** `usageMetadata` → canonical usage; undefined when absent or not an object. */
export function decodeUsageMetadata(meta: unknown): CanonicalUsage | undefined {
  if (!isRec(meta)) return undefined;
  const usage = emptyCanonicalUsage();
  const thoughts = num(meta.thoughtsTokenCount);
  usage.inputTokens = num(meta.promptTokenCount);
  usage.cachedInputTokens = num(meta.cachedContentTokenCount);
  usage.outputTokens = num(meta.candidatesTokenCount) + thoughts;
  usage.reasoningTokens = thoughts;
  usage.outputImageTokens = imageTokens(meta.candidatesTokensDetails);
  return usage;
}

export function encodeUsageMetadata(usage: CanonicalUsage): Rec {
  const thoughts = Math.max(0, usage.reasoningTokens);
  const candidates = Math.max(0, usage.outputTokens - thoughts);
  const meta: Rec = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: usage.inputTokens + candidates + thoughts,
  };
  if (usage.cachedInputTokens > 0) meta.cachedContentTokenCount = usage.cachedInputTokens;
  if (thoughts > 0) meta.thoughtsTokenCount = thoughts;
  if (usage.outputImageTokens > 0) {
    const image = Math.min(usage.outputImageTokens, candidates);
    const details: Rec[] = [];
    if (candidates - image > 0) details.push({ modality: 'TEXT', tokenCount: candidates - image });
    details.push({ modality: 'IMAGE', tokenCount: image });
    meta.candidatesTokensDetails = details;
  }
  return meta;
}
