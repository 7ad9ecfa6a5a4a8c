// Official list prices (USD) of the major models, as the providers publish
// them: per million tokens by kind, per image by size, per call. Operator
// prices (config or API) override any of these; see ./price-book.ts for how a
// request's model name finds its entry. Gemini image prices follow
// ../../shared/reference/wire-facts.md (test/billing checks them against
// src/dialects/gemini/image-models.ts).
//
// Sources (checked 2025-2026): ai.google.dev/gemini-api/docs/pricing,
// platform.openai.com/docs/pricing, docs.anthropic.com/en/docs/about-claude/pricing,
// api-docs.deepseek.com/quick_start/pricing.
import type { ModelPrice } from '../store/entities.js';

/** Claude prompt caching: 5-minute writes 1.25×, 1-hour writes 2×, reads 0.1× the input rate. */
function claude(input: number, output: number, extra: Partial<ModelPrice> = {}): ModelPrice {
  return {
    input_per_mtok: input,
    cached_input_per_mtok: round(input * 0.1),
    cache_write_5m_per_mtok: round(input * 1.25),
    cache_write_1h_per_mtok: round(input * 2),
    output_per_mtok: output,
    ...extra,
  };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Tokens of text in, text out; `cached` = cached input. */
function text(input: number, output: number, cached?: number, extra: Partial<ModelPrice> = {}): ModelPrice {
  const p: ModelPrice = { input_per_mtok: input, output_per_mtok: output, ...extra };
  if (cached !== undefined) p.cached_input_per_mtok = cached;
  return p;
}

/** OpenAI image models: per image by "quality:size" (what the API bills when usage is absent). */
function openaiImageTable(low: [number, number], medium: [number, number], high: [number, number]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [quality, [square, tall]] of [['low', low], ['medium', medium], ['high', high]] as const) {
    out[`${quality}:1024x1024`] = square;
    out[`${quality}:1024x1536`] = tall;
    out[`${quality}:1536x1024`] = tall;
  }
  return out;
}

const SONNET_4_LONG = {
  // Sonnet 4 / 4.5 with the 1M-context beta: prompts above 200k cost 2× in, 1.5× out.
  above_input_tokens: 200_000,
  input_per_mtok: 6,
  cached_input_per_mtok: 0.6,
  cache_write_5m_per_mtok: 7.5,
  cache_write_1h_per_mtok: 12,
  output_per_mtok: 22.5,
};

export const BUILTIN_PRICES: Readonly<Record<string, ModelPrice>> = {
  // ---- Google Gemini: text ----
  // 2.5 Pro and 3 Pro charge more once the prompt passes 200k tokens.
  'gemini-2.5-pro': text(1.25, 10, 0.125, {
    long_context: { above_input_tokens: 200_000, input_per_mtok: 2.5, cached_input_per_mtok: 0.25, output_per_mtok: 15 },
  }),
  'gemini-2.5-flash': text(0.3, 2.5, 0.03),
  'gemini-2.5-flash-lite': text(0.1, 0.4, 0.01),
  'gemini-2.0-flash': text(0.1, 0.4, 0.025),
  'gemini-2.0-flash-lite': text(0.075, 0.3),
  'gemini-3-pro-preview': text(2, 12, 0.2, {
    long_context: { above_input_tokens: 200_000, input_per_mtok: 4, cached_input_per_mtok: 0.4, output_per_mtok: 18 },
  }),
  'gemini-3-flash-preview': text(0.5, 3, 0.05),

  // ---- Google Gemini: images ("Nano Banana"); thinking is billed at the text output rate ----
  'gemini-2.5-flash-image': {
    input_per_mtok: 0.3,
    output_per_mtok: 2.5,
    image_output_per_mtok: 30,
    per_image: { '1K': 0.039, default: 0.039 },
  },
  'gemini-3-pro-image-preview': {
    input_per_mtok: 2,
    output_per_mtok: 12,
    image_output_per_mtok: 120,
    per_image: { '1K': 0.134, '2K': 0.134, '4K': 0.24, default: 0.134 },
  },
  'gemini-3.1-flash-image-preview': {
    input_per_mtok: 0.5,
    output_per_mtok: 3,
    image_output_per_mtok: 60,
    per_image: { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151, default: 0.067 },
  },

  // ---- Google Gemini: embeddings ----
  'gemini-embedding-001': { input_per_mtok: 0.15 },

  // ---- OpenAI: GPT-4o / 4.1 ----
  'gpt-4o': text(2.5, 10, 1.25),
  'gpt-4o-2024-05-13': text(5, 15),
  'chatgpt-4o-latest': text(5, 15),
  'gpt-4o-mini': text(0.15, 0.6, 0.075),
  'gpt-4.1': text(2, 8, 0.5),
  'gpt-4.1-mini': text(0.4, 1.6, 0.1),
  'gpt-4.1-nano': text(0.1, 0.4, 0.025),

  // ---- OpenAI: GPT-5 family (reasoning tokens bill as output) ----
  'gpt-5': text(1.25, 10, 0.125),
  'gpt-5-mini': text(0.25, 2, 0.025),
  'gpt-5-nano': text(0.05, 0.4, 0.005),
  'gpt-5-chat': text(1.25, 10, 0.125),
  'gpt-5-codex': text(1.25, 10, 0.125),
  'gpt-5-pro': text(15, 120),
  'gpt-5.1': text(1.25, 10, 0.125),
  'gpt-5.2': text(1.75, 14, 0.175),

  // ---- OpenAI: o-series ----
  o1: text(15, 60, 7.5),
  'o1-mini': text(1.1, 4.4, 0.55),
  'o1-pro': text(150, 600),
  o3: text(2, 8, 0.5),
  'o3-mini': text(1.1, 4.4, 0.55),
  'o3-pro': text(20, 80),
  'o4-mini': text(1.1, 4.4, 0.275),

  // ---- OpenAI: images ----
  // gpt-image-1 bills tokens (the response carries usage); the per-image table
  // is OpenAI's published equivalent, used for reservations and when usage is absent.
  'gpt-image-1': {
    input_per_mtok: 5,
    cached_input_per_mtok: 1.25,
    image_output_per_mtok: 40,
    per_image: openaiImageTable([0.011, 0.016], [0.042, 0.063], [0.167, 0.25]),
  },
  'gpt-image-1-mini': {
    input_per_mtok: 2,
    cached_input_per_mtok: 0.2,
    image_output_per_mtok: 8,
    per_image: openaiImageTable([0.005, 0.006], [0.011, 0.015], [0.036, 0.052]),
  },
  // DALL·E bills per image only; a size without a quality is the default "standard".
  'dall-e-3': {
    per_image: {
      'standard:1024x1024': 0.04,
      'standard:1024x1792': 0.08,
      'standard:1792x1024': 0.08,
      'hd:1024x1024': 0.08,
      'hd:1024x1792': 0.12,
      'hd:1792x1024': 0.12,
      '1024x1024': 0.04,
      '1024x1792': 0.08,
      '1792x1024': 0.08,
      default: 0.04,
    },
  },
  'dall-e-2': { per_image: { '256x256': 0.016, '512x512': 0.018, '1024x1024': 0.02, default: 0.02 } },

  // ---- OpenAI: embeddings ----
  'text-embedding-3-small': { input_per_mtok: 0.02 },
  'text-embedding-3-large': { input_per_mtok: 0.13 },
  'text-embedding-ada-002': { input_per_mtok: 0.1 },

  // ---- Anthropic Claude ----
  'claude-opus-4': claude(15, 75),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4-5': claude(5, 25),
  'claude-sonnet-4': claude(3, 15, { long_context: SONNET_4_LONG }),
  'claude-sonnet-4-5': claude(3, 15, { long_context: SONNET_4_LONG }),
  'claude-haiku-4-5': claude(1, 5),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-3-5-haiku': claude(0.8, 4),

  // ---- DeepSeek (V3.2 behind both names; a cache hit is the cached rate) ----
  'deepseek-chat': text(0.28, 0.42, 0.028),
  'deepseek-reasoner': text(0.28, 0.42, 0.028),
};

/** Other names for a built-in entry (older preview ids, GA ids, "-0" aliases). */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = {
  'gemini-2.5-flash-image-preview': 'gemini-2.5-flash-image',
  'gemini-3-pro-image': 'gemini-3-pro-image-preview',
  'gemini-3.1-flash-image': 'gemini-3.1-flash-image-preview',
  'gemini-3-pro': 'gemini-3-pro-preview',
  'gemini-3-flash': 'gemini-3-flash-preview',
  'gpt-5-chat-latest': 'gpt-5-chat',
  'claude-opus-4-0': 'claude-opus-4',
  'claude-sonnet-4-0': 'claude-sonnet-4',
};
