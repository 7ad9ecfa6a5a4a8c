// Golden costs: every price kind, built-in prices, a group ratio, and the
// rounding rule (micro-dollars, half-up, once).
import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES } from '../../src/billing/builtin-prices.js';
import { abortedUsage, computeCost } from '../../src/billing/cost.js';
import type { TokenUsage } from '../../src/billing/cost.js';
import type { ModelPrice } from '../../src/store/entities.js';

const price = (model: string): ModelPrice => {
  const p = BUILTIN_PRICES[model];
  if (!p) throw new Error(`no built-in price for ${model}`);
  return p;
};

function usage(u: Partial<TokenUsage> = {}): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTextTokens: 0, outputImageTokens: 0, reasoningTokens: 0, ...u };
}

describe('computeCost: Gemini images, per image by size', () => {
  it('3 Pro Image at 4K is $0.24', () => {
    const cost = computeCost(price('gemini-3-pro-image-preview'), usage({ outputImageTokens: 2000 }), { count: 1, size: '4K' }, 1);
    expect(cost.micros).toBe(240_000);
    expect(cost.detail).toEqual({ images: 240_000, ratio: 1 });
  });

  it('3 Pro Image at 1K and 2K is $0.134; thinking bills at the text output rate; image tokens are not billed twice', () => {
    const p = price('gemini-3-pro-image-preview');
    expect(computeCost(p, usage({ outputImageTokens: 1120 }), { count: 1, size: '1K' }, 1).micros).toBe(134_000);
    expect(computeCost(p, usage({ outputImageTokens: 1120 }), { count: 1, size: '2K' }, 1).micros).toBe(134_000);
    // 20 input × $2 + 150 thinking × $12 + 2 images × $0.24
    const cost = computeCost(p, usage({ inputTokens: 20, reasoningTokens: 150, outputImageTokens: 4000 }), { count: 2, size: '4K' }, 1);
    expect(cost.micros).toBe(40 + 1800 + 480_000);
    expect(cost.detail).toEqual({ input: 40, reasoning: 1800, images: 480_000, ratio: 1 });
  });

  it('2.5 Flash Image is $0.039 (no size asked: its one size class)', () => {
    const p = price('gemini-2.5-flash-image');
    expect(computeCost(p, usage({ outputImageTokens: 1290 }), { count: 1 }, 1).micros).toBe(39_000);
    expect(computeCost(p, usage({ outputImageTokens: 1290 }), { count: 1, size: '1K' }, 1).micros).toBe(39_000);
  });

  it('3.1 Flash Image at 512 is $0.045, and $0.067 / $0.101 / $0.151 at 1K / 2K / 4K', () => {
    const p = price('gemini-3.1-flash-image-preview');
    expect(computeCost(p, usage({ outputImageTokens: 747 }), { count: 1, size: '512' }, 1).micros).toBe(45_000);
    expect(computeCost(p, usage(), { count: 1, size: '1K' }, 1).micros).toBe(67_000);
    expect(computeCost(p, usage(), { count: 1, size: '2K' }, 1).micros).toBe(101_000);
    expect(computeCost(p, usage(), { count: 1, size: '4K' }, 1).micros).toBe(151_000);
    expect(computeCost(p, usage(), { count: 1 }, 1).micros).toBe(67_000); // default size 1K
  });

  it('applies the group ratio to images', () => {
    expect(computeCost(price('gemini-3-pro-image-preview'), usage(), { count: 1, size: '4K' }, 0.8).micros).toBe(192_000);
    expect(computeCost(price('gemini-3.1-flash-image-preview'), usage(), { count: 3, size: '2K' }, 1.5).micros).toBe(454_500);
    expect(computeCost(price('gemini-2.5-flash-image'), usage(), { count: 1 }, 0.5).detail).toEqual({ images: 39_000, ratio: 0.5 });
  });

  it('without images counted, image tokens bill at the image rate', () => {
    // 1290 tokens × $30 / M = $0.0387
    expect(computeCost(price('gemini-2.5-flash-image'), usage({ outputImageTokens: 1290 }), undefined, 1)).toEqual({
      micros: 38_700,
      detail: { image_output: 38_700, ratio: 1 },
    });
  });
});

describe('computeCost: tokens by kind', () => {
  it('uncached input, cached input and output (gpt-4o), times a group ratio', () => {
    const u = usage({ inputTokens: 1000, cachedInputTokens: 3000, outputTextTokens: 500 });
    // 1000 × 2.5 + 3000 × 1.25 + 500 × 10
    expect(computeCost(price('gpt-4o'), u, undefined, 1)).toEqual({
      micros: 11_250,
      detail: { input: 2500, cached_input: 3750, output: 5000, ratio: 1 },
    });
    expect(computeCost(price('gpt-4o'), u, undefined, 1.5).micros).toBe(16_875);
    expect(computeCost(price('gpt-4o'), u, undefined, 0).micros).toBe(0);
  });

  it('cached input defaults to the input rate when a price has no cached rate', () => {
    expect(computeCost({ input_per_mtok: 4, output_per_mtok: 8 }, usage({ cachedInputTokens: 1000 }), undefined, 1).micros).toBe(4000);
  });

  it('Anthropic cache writes: 5-minute at 1.25×, 1-hour at 2×, reads at 0.1× (Sonnet 4.5)', () => {
    const p = price('claude-sonnet-4-5');
    // 100 × 3 + 10 000 × 3.75 + 20 000 × 0.30 + 800 × 15
    const u = usage({ inputTokens: 100, cacheWriteTokens: 10_000, cachedInputTokens: 20_000, outputTextTokens: 800 });
    expect(computeCost(p, u, undefined, 1)).toEqual({
      micros: 55_800,
      detail: { input: 300, cached_input: 6000, cache_write_5m: 37_500, output: 12_000, ratio: 1 },
    });
    // 4 000 of the writes with a 1-hour TTL: 6 000 × 3.75 + 4 000 × 6
    const oneHour = computeCost(p, { ...u, cacheWrite1hTokens: 4000 }, undefined, 1);
    expect(oneHour.micros).toBe(300 + 6000 + 22_500 + 24_000 + 12_000);
    expect(computeCost(p, u, undefined, 0.8).micros).toBe(44_640);
  });

  it('Claude Opus 4.1 and Haiku 4.5 cache prices', () => {
    expect(computeCost(price('claude-opus-4-1'), usage({ cacheWriteTokens: 1000 }), undefined, 1).micros).toBe(18_750);
    expect(computeCost(price('claude-opus-4-1'), usage({ cacheWriteTokens: 1000, cacheWrite1hTokens: 1000 }), undefined, 1).micros).toBe(30_000);
    expect(computeCost(price('claude-haiku-4-5'), usage({ cachedInputTokens: 10_000, outputTextTokens: 100 }), undefined, 1).micros).toBe(1000 + 500);
  });

  it('cache writes default to 1.25× input (5 min) and 2× (1 h) when a price leaves them out', () => {
    const p = { input_per_mtok: 2 };
    expect(computeCost(p, usage({ cacheWriteTokens: 1000 }), undefined, 1).micros).toBe(2500);
    expect(computeCost(p, usage({ cacheWriteTokens: 1000, cacheWrite1hTokens: 1000 }), undefined, 1).micros).toBe(4000);
  });

  it('reasoning bills at the output rate unless the price names its own', () => {
    // o3: 1000 × 2 + 200 × 8 + 800 × 8
    expect(computeCost(price('o3'), usage({ inputTokens: 1000, outputTextTokens: 200, reasoningTokens: 800 }), undefined, 1).micros).toBe(10_000);
    expect(computeCost({ output_per_mtok: 8, reasoning_per_mtok: 3 }, usage({ reasoningTokens: 1000 }), undefined, 1).micros).toBe(3000);
  });

  it('DeepSeek: cache hits at the cached rate', () => {
    // 10 000 × 0.28 + 90 000 × 0.028 + 1 000 × 0.42
    expect(computeCost(price('deepseek-chat'), usage({ inputTokens: 10_000, cachedInputTokens: 90_000, outputTextTokens: 1000 }), undefined, 1).micros).toBe(
      2800 + 2520 + 420,
    );
  });

  it('per call is added once, times the ratio', () => {
    expect(computeCost({ per_call: 0.01 }, usage(), undefined, 1)).toEqual({ micros: 10_000, detail: { per_call: 10_000, ratio: 1 } });
    expect(computeCost({ per_call: 0.01, input_per_mtok: 1 }, usage({ inputTokens: 1000 }), undefined, 2).micros).toBe(22_000);
  });

  it('long prompts switch to the long-context rates (Gemini 2.5 Pro above 200k)', () => {
    const p = price('gemini-2.5-pro');
    // ≤ 200k: 200 000 × 1.25 + 1000 × 10
    expect(computeCost(p, usage({ inputTokens: 200_000, outputTextTokens: 1000 }), undefined, 1).micros).toBe(260_000);
    // > 200k: 250 000 × 2.5 + 1000 × 15
    const long = computeCost(p, usage({ inputTokens: 250_000, outputTextTokens: 1000 }), undefined, 1);
    expect(long.micros).toBe(640_000);
    expect(long.detail.long_context).toBe(1);
    // Cached tokens count toward the threshold and bill at the long cached rate.
    expect(computeCost(p, usage({ inputTokens: 100_000, cachedInputTokens: 150_000 }), undefined, 1).micros).toBe(250_000 + 37_500);
  });

  it('embeddings bill input only', () => {
    expect(computeCost(price('text-embedding-3-small'), usage({ inputTokens: 1_000_000 }), undefined, 1).micros).toBe(20_000);
    expect(computeCost(price('gemini-embedding-001'), usage({ inputTokens: 1000 }), undefined, 1).micros).toBe(150);
  });
});

describe('computeCost: OpenAI images', () => {
  it('gpt-image-1 with a known quality bills the per-image table, with usage tokens for the prompt', () => {
    const p = price('gpt-image-1');
    const u = usage({ inputTokens: 50, outputImageTokens: 4160 });
    expect(computeCost(p, u, { count: 1, size: '1024x1024', quality: 'high' }, 1).micros).toBe(167_000 + 250);
    expect(computeCost(p, u, { count: 2, size: '1536x1024', quality: 'low' }, 1).micros).toBe(32_000 + 250);
  });

  it('gpt-image-1 with an unknown quality bills the image tokens the usage reports', () => {
    const cost = computeCost(price('gpt-image-1'), usage({ inputTokens: 50, outputImageTokens: 4160 }), { count: 1, size: '1024x1024' }, 1);
    expect(cost.micros).toBe(250 + 166_400);
    expect(cost.detail).toEqual({ input: 250, image_output: 166_400, ratio: 1 });
  });

  it('images reported without tokens or a matching entry bill at the dearest entry for their size', () => {
    expect(computeCost(price('gpt-image-1'), usage(), { count: 1, size: '1024x1536' }, 1).micros).toBe(250_000);
    expect(computeCost(price('gpt-image-1-mini'), usage(), { count: 1 }, 1).micros).toBe(52_000);
  });

  it('dall-e-3: per image by quality and size; a size alone is "standard"', () => {
    const p = price('dall-e-3');
    expect(computeCost(p, undefined, { count: 1, size: '1024x1024' }, 1).micros).toBe(40_000);
    expect(computeCost(p, undefined, { count: 1, size: '1792x1024', quality: 'hd' }, 1).micros).toBe(120_000);
    expect(computeCost(p, undefined, { count: 2, size: '1024x1792', quality: 'standard' }, 1).micros).toBe(160_000);
  });
});

describe('computeCost: rounding and bad input', () => {
  it('rounds once, half-up, after summing', () => {
    const lite = price('gemini-2.5-flash-lite'); // $0.10 / M input
    expect(computeCost(lite, usage({ inputTokens: 5 }), undefined, 1).micros).toBe(1); // 0.5 → 1
    expect(computeCost(lite, usage({ inputTokens: 4 }), undefined, 1).micros).toBe(0); // 0.4 → 0
    const mini = price('gpt-4o-mini'); // $0.15 in, $0.60 out
    expect(computeCost(mini, usage({ inputTokens: 10 }), undefined, 1).micros).toBe(2); // 1.5 → 2
    expect(computeCost(mini, usage({ inputTokens: 15 }), undefined, 1).micros).toBe(2); // 2.25 → 2
    // 3 × 0.15 + 1 × 0.6 = 1.05: parts summed before rounding, not 0 + 1
    expect(computeCost(mini, usage({ inputTokens: 3, outputTextTokens: 1 }), undefined, 1).micros).toBe(1);
    expect(computeCost(mini, usage({ inputTokens: 7, outputTextTokens: 1 }), undefined, 1).micros).toBe(2); // 1.65
  });

  it('ignores junk counts and refuses a bad ratio', () => {
    const junk = { inputTokens: -5, cachedInputTokens: Number.NaN, cacheWriteTokens: 0, outputTextTokens: 2.9, outputImageTokens: 0, reasoningTokens: 0 };
    expect(computeCost({ input_per_mtok: 1, output_per_mtok: 1 }, junk, undefined, 1).micros).toBe(2);
    expect(() => computeCost({}, usage(), undefined, -1)).toThrow(/group ratio/);
    expect(() => computeCost({}, usage(), undefined, Number.NaN)).toThrow(/group ratio/);
  });

  it('an unpriced model (empty price) costs nothing', () => {
    expect(computeCost({}, usage({ inputTokens: 1000, outputTextTokens: 1000 }), { count: 1 }, 1)).toEqual({ micros: 0, detail: { ratio: 1 } });
  });
});

describe('abortedUsage', () => {
  it('bills the prompt estimate plus the delivered characters at about 4 a token', () => {
    expect(abortedUsage(120, 1001)).toEqual({
      inputTokens: 120,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTextTokens: 251,
      outputImageTokens: 0,
      reasoningTokens: 0,
    });
    expect(abortedUsage(0, 0).outputTextTokens).toBe(0);
    // gpt-4o: 120 × 2.5 + 251 × 10
    expect(computeCost(price('gpt-4o'), abortedUsage(120, 1001), undefined, 1).micros).toBe(300 + 2510);
  });
});
