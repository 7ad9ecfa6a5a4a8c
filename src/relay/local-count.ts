// Token counting for a model whose channels cannot count in the client's
// dialect (Claude Code asks /v1/messages/count_tokens of a Gemini model): an
// estimate from the request itself, about four characters a token, each
// inline image or document at a flat rate.
import type { DialectName } from '../dialects/types.js';

/** Roughly what providers charge for one image in a prompt. */
const MEDIA_TOKENS = 1000;
const BASE64_RUN = /^[A-Za-z0-9+/=\r\n]{512,}$/;
const MAX_DEPTH = 64;

export function estimatePromptTokens(json: unknown): number {
  let chars = 0;
  let media = 0;
  const walk = (v: unknown, depth: number) => {
    if (typeof v === 'string') {
      if (v.length >= 512 && (BASE64_RUN.test(v.slice(0, 4096)) || v.startsWith('data:'))) media++;
      else chars += v.length;
    } else if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
      for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(json, 0);
  return Math.ceil(chars / 4) + media * MEDIA_TOKENS;
}

/** The count answer in the dialect's own shape. */
export function localCountBody(dialect: DialectName, tokens: number): Record<string, unknown> | undefined {
  if (dialect === 'anthropic') return { input_tokens: tokens };
  if (dialect === 'gemini') return { totalTokens: tokens };
  return undefined;
}

export const COUNT_OPERATIONS = new Set(['/messages/count_tokens', 'countTokens']);
