// Worst-case estimates: what a request reserves before the upstream call.
import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES } from '../../src/billing/builtin-prices.js';
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  REASONING_MAX_OUTPUT_TOKENS,
  computeCost,
  defaultMaxOutputTokens,
  estimateWorstCase,
} from '../../src/billing/cost.js';
import type { ModelPrice } from '../../src/store/entities.js';

const price = (model: string): ModelPrice => BUILTIN_PRICES[model]!;

describe('estimateWorstCase: text', () => {
  it('prompt × input rate + the client output cap × output rate', () => {
    // gpt-4o-mini: 1000 × 0.15 + 500 × 0.60
    expect(estimateWorstCase(price('gpt-4o-mini'), { promptTokens: 1000, maxOutputTokens: 500 }, 1)).toBe(450);
  });

  it('without a cap: 8192 tokens for most models, 32768 for thinking ones; rounded up', () => {
    // 1000 × 0.15 + 8192 × 0.60 = 5065.2 → 5066
    expect(estimateWorstCase(price('gpt-4o-mini'), { promptTokens: 1000 }, 1, 1, 'gpt-4o-mini')).toBe(5066);
    expect(estimateWorstCase(price('gpt-5'), { promptTokens: 0 }, 1, 1, 'gpt-5-2025-08-07')).toBe(REASONING_MAX_OUTPUT_TOKENS * 10);
    expect(defaultMaxOutputTokens('o3-mini')).toBe(REASONING_MAX_OUTPUT_TOKENS);
    expect(defaultMaxOutputTokens('models/gemini-2.5-flash')).toBe(REASONING_MAX_OUTPUT_TOKENS);
    expect(defaultMaxOutputTokens('gpt-4.1')).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    expect(defaultMaxOutputTokens(undefined)).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
  });

  it('uses the dearer of the output and reasoning rates', () => {
    expect(estimateWorstCase({ output_per_mtok: 2, reasoning_per_mtok: 5 }, { promptTokens: 0, maxOutputTokens: 100 }, 1)).toBe(500);
  });

  it('applies the group ratio and the number of calls', () => {
    expect(estimateWorstCase(price('gpt-4o-mini'), { promptTokens: 1000, maxOutputTokens: 500 }, 2)).toBe(900);
    expect(estimateWorstCase(price('gpt-4o-mini'), { promptTokens: 1000, maxOutputTokens: 500 }, 2, 3)).toBe(2700);
  });

  it('uses long-context rates when the prompt is long (Claude Sonnet 4.5 above 200k)', () => {
    // 300 000 × 6 + 1000 × 22.5
    expect(estimateWorstCase(price('claude-sonnet-4-5'), { promptTokens: 300_000, maxOutputTokens: 1000 }, 1)).toBe(1_822_500);
  });

  it('counts attached images at 560 prompt tokens each', () => {
    // (100 + 2 × 560) × 2.5 + 10 × 10
    expect(estimateWorstCase(price('gpt-4o'), { promptTokens: 100, maxOutputTokens: 10, referenceImages: 2 }, 1)).toBe(3150);
  });

  it('is never below the real cost of a request that stays within its cap', () => {
    const p = price('claude-sonnet-4-5');
    const worst = estimateWorstCase(p, { promptTokens: 2000, maxOutputTokens: 1000 }, 1.2);
    const real = computeCost(p, { inputTokens: 1500, cachedInputTokens: 0, cacheWriteTokens: 0, outputTextTokens: 1000, outputImageTokens: 0, reasoningTokens: 0 }, undefined, 1.2);
    expect(real.micros).toBeLessThanOrEqual(worst);
  });
});

describe('estimateWorstCase: images', () => {
  it('Gemini: prompt + per-image price × count for the size asked + 1024 tokens of text/thinking', () => {
    // $0.039 + 1024 × 2.5
    expect(estimateWorstCase(price('gemini-2.5-flash-image'), { promptTokens: 0, images: { count: 1 } }, 1)).toBe(39_000 + 2560);
    // 100 × 2 + 2 × $0.24 + 1024 × 12
    expect(estimateWorstCase(price('gemini-3-pro-image-preview'), { promptTokens: 100, images: { count: 2, size: '4K' } }, 1)).toBe(
      200 + 480_000 + 12_288,
    );
    // $0.045 + 1024 × 3, then × 0.8
    expect(estimateWorstCase(price('gemini-3.1-flash-image-preview'), { promptTokens: 0, images: { count: 1, size: '512' } }, 1)).toBe(48_072);
    expect(estimateWorstCase(price('gemini-3.1-flash-image-preview'), { promptTokens: 0, images: { count: 1, size: '512' } }, 0.8)).toBe(38_458);
  });

  it("the client's output cap replaces the text allowance", () => {
    const p = price('gemini-3-pro-image-preview');
    expect(estimateWorstCase(p, { promptTokens: 0, maxOutputTokens: 100, images: { count: 1, size: '1K' } }, 1)).toBe(134_000 + 1200);
  });

  it('covers what the simulator bills for a thinking image model', () => {
    const p = price('gemini-3-pro-image-preview');
    const worst = estimateWorstCase(p, { promptTokens: 20, images: { count: 1, size: '4K' } }, 1);
    const real = computeCost(p, { inputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0, outputTextTokens: 15, outputImageTokens: 2000, reasoningTokens: 299 }, { count: 1, size: '4K' }, 1);
    expect(real.micros).toBeLessThanOrEqual(worst);
  });

  it('OpenAI: an unknown quality reserves the dearest price for the size; a known one its own', () => {
    // 40 × 5 + $0.25 (gpt-image-1 has no text output rate: no allowance)
    expect(estimateWorstCase(price('gpt-image-1'), { promptTokens: 40, images: { count: 1, size: '1024x1536' } }, 1)).toBe(250_200);
    expect(estimateWorstCase(price('gpt-image-1'), { promptTokens: 0, images: { count: 1, size: '1024x1024', quality: 'low' } }, 1)).toBe(11_000);
    expect(estimateWorstCase(price('gpt-image-1'), { promptTokens: 0, images: { count: 1 } }, 1)).toBe(250_000);
    expect(estimateWorstCase(price('dall-e-3'), { promptTokens: 0, images: { count: 1, size: '1024x1024' } }, 1)).toBe(80_000);
  });

  it('without a per-image price: tokens per image × the image rate', () => {
    // 1290 tokens at 1K × $30
    expect(estimateWorstCase({ image_output_per_mtok: 30 }, { promptTokens: 0, images: { count: 1, size: '1K' } }, 1)).toBe(38_700);
    // unknown size: the largest table entry (6240) × the output rate, + 1024 text tokens
    expect(estimateWorstCase({ output_per_mtok: 10 }, { promptTokens: 0, images: { count: 2 } }, 1)).toBe(124_800 + 10_240);
  });

  it('per call is part of the worst case', () => {
    expect(estimateWorstCase({ per_call: 0.02 }, { promptTokens: 10, images: { count: 1 } }, 1)).toBe(20_000);
  });
});
