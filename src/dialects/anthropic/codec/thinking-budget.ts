// The hub's reasoning options → Anthropic's thinking budget, and the max_tokens
// that leaves room for it (Anthropic requires max_tokens > budget_tokens).
import type { ReasoningEffort, ReasoningOptions } from '../../canonical/types.js';

export const DEFAULT_MAX_TOKENS = 8192;
const MIN_BUDGET = 1024;

const budgetByEffort: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: MIN_BUDGET,
  low: MIN_BUDGET,
  medium: 8192,
  high: 24576,
};

/** The budget_tokens to ask for, or undefined for no thinking. */
export function thinkingBudget(r: ReasoningOptions | undefined): number | undefined {
  if (!r || r.effort === 'none' || r.budgetTokens === 0) return undefined;
  if (r.budgetTokens !== undefined && r.budgetTokens > 0) return Math.max(MIN_BUDGET, Math.floor(r.budgetTokens));
  if (r.effort !== undefined) return budgetByEffort[r.effort];
  // Dynamic budget (-1) or "show me thoughts" without a size: a middling budget.
  if (r.budgetTokens === -1 || r.includeThoughts) return budgetByEffort.medium;
  return undefined;
}

/**
 * max_tokens for the upstream. When the asked-for cap would not fit the thinking
 * budget, the cap is treated as room for the visible answer on top of it.
 */
export function maxTokensFor(maxOutputTokens: number | undefined, budget: number | undefined): number {
  const base = maxOutputTokens !== undefined && maxOutputTokens > 0 ? Math.floor(maxOutputTokens) : DEFAULT_MAX_TOKENS;
  return budget !== undefined && base <= budget ? budget + base : base;
}
