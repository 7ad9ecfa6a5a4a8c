// generationConfig.thinkingConfig ↔ the hub's ReasoningOptions. Gemini 3
// models take a thinkingLevel, Gemini 2.5 a token budget; some models cannot
// turn thinking off and some never think, so the encoding depends on the model.
import type { ReasoningEffort, ReasoningOptions } from '../../canonical/types.js';
import { imageModelSpec } from '../image-models.js';
import { invalid, type FieldReader, type Rec } from './wire.js';

const LEVELS: Record<string, ReasoningEffort> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high' };

export function decodeThinkingConfig(config: FieldReader): ReasoningOptions | undefined {
  const reasoning: ReasoningOptions = {};
  const budget = config.integer('thinkingBudget', 'thinking_budget');
  if (budget === 0) reasoning.effort = 'none';
  else if (budget !== undefined) reasoning.budgetTokens = budget;
  const level = config.string('thinkingLevel', 'thinking_level');
  if (level !== undefined) {
    const lower = level.toLowerCase();
    const effort = LEVELS[lower];
    if (effort) reasoning.effort ??= effort;
    else if (lower !== 'thinking_level_unspecified') {
      throw invalid(
        `Invalid value at 'generationConfig.thinkingConfig.thinkingLevel': "${level}" is not one of MINIMAL, LOW, MEDIUM, HIGH.`,
        'generationConfig.thinkingConfig.thinkingLevel',
      );
    }
  }
  if (config.boolean('includeThoughts', 'include_thoughts') === true) reasoning.includeThoughts = true;
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

/**
 * How a model takes its thinking settings:
 * - `none`: never thinks; only a budget the client gave itself is passed on;
 * - `level`: Gemini 3 (thinkingLevel low/high);
 * - `level-minimal`: Nano Banana 2, whose levels are minimal and high;
 * - `budget`: Gemini 2.5 (thinkingBudget).
 */
type ThinkingStyle = 'none' | 'level' | 'level-minimal' | 'budget';

function thinkingStyle(model: string): ThinkingStyle {
  const spec = imageModelSpec(model);
  if (spec) return spec.thinking === 'none' ? 'none' : spec.thinking === 'optional' ? 'level-minimal' : 'level';
  const name = model.toLowerCase().replace(/^models\//, '');
  if (name.startsWith('gemini-3')) return 'level';
  if (/^(gemini-(1\.|2\.0)|gemma-)/.test(name)) return 'none';
  return 'budget';
}

// Token budgets for an effort on Gemini 2.5. Pro models cannot turn thinking
// off: 128 is their smallest budget.
const BUDGETS: Record<ReasoningEffort, number> = { none: 0, minimal: 0, low: 1024, medium: 8192, high: 24576 };

function budgetFor(effort: ReasoningEffort, model: string): number {
  const mustThink = /(^|[-/])pro\b/.test(model.toLowerCase());
  if (!mustThink) return BUDGETS[effort];
  if (effort === 'none') return 128;
  if (effort === 'minimal') return 512;
  return BUDGETS[effort];
}

function levelFor(effort: ReasoningEffort, style: 'level' | 'level-minimal'): string {
  const high = effort === 'medium' || effort === 'high';
  if (style === 'level-minimal') return high ? 'high' : 'minimal';
  return high ? 'high' : 'low';
}

/** The thinkingConfig to send for the model, or undefined when there is nothing to say. */
export function encodeThinkingConfig(reasoning: ReasoningOptions | undefined, model: string): Rec | undefined {
  if (!reasoning) return undefined;
  const style = thinkingStyle(model);
  const config: Rec = {};
  if (reasoning.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined && style !== 'none') {
    if (style === 'budget') config.thinkingBudget = budgetFor(reasoning.effort, model);
    else config.thinkingLevel = levelFor(reasoning.effort, style);
  }
  if (reasoning.includeThoughts && style !== 'none') config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}
