// Which price a model name finds: operator prices over built-in ones, tolerant
// name matching, and the unpriced-model rule. Also keeps the built-in Gemini
// image prices in step with the image-model table the simulator answers from.
import { describe, expect, it } from 'vitest';
import { BUILTIN_ALIASES, BUILTIN_PRICES } from '../../src/billing/builtin-prices.js';
import { PriceBook, UnpricedModelError, modelNameCandidates } from '../../src/billing/price-book.js';
import { IMAGE_MODELS } from '../../src/dialects/gemini/image-models.js';
import type { Price } from '../../src/store/entities.js';

function operator(list: Price[]) {
  let current: readonly Price[] = Object.freeze([...list]);
  return {
    prices: () => current,
    set(next: Price[]) {
      current = Object.freeze([...next]);
    },
  };
}

describe('PriceBook', () => {
  it('finds built-in prices under the names clients actually send', () => {
    const book = new PriceBook();
    const cases: Array<[string, string]> = [
      ['gpt-4o', 'gpt-4o'],
      ['gpt-4o-2024-08-06', 'gpt-4o'],
      ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'], // a snapshot with its own price wins over stripping
      ['gpt-5-2025-08-07', 'gpt-5'],
      ['gpt-5-chat-latest', 'gpt-5-chat'],
      ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
      ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
      ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
      ['gemini-2.5-flash-image-preview', 'gemini-2.5-flash-image'],
      ['gemini-3-pro-image', 'gemini-3-pro-image-preview'],
      ['gemini-3.1-flash-image', 'gemini-3.1-flash-image-preview'],
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
      ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
      ['claude-sonnet-4-0', 'claude-sonnet-4'],
      ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
      ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
      ['deepseek-chat', 'deepseek-chat'],
      ['GPT-4o-Mini', 'gpt-4o-mini'],
      ['gpt-4o-mini@fault=500', 'gpt-4o-mini'],
      ['gemini-2.5-flash-image@fault=stall:100', 'gemini-2.5-flash-image'],
    ];
    for (const [asked, entry] of cases) {
      expect(book.resolve(asked), asked).toMatchObject({ model: entry, source: 'builtin', price: BUILTIN_PRICES[entry] });
    }
  });

  it('does not guess across different models', () => {
    const book = new PriceBook();
    expect(book.resolve('gpt-4o-audio-preview')).toBeUndefined();
    expect(book.resolve('gpt-4o-mini-tts')).toBeUndefined();
    expect(book.resolve('my-local-llama')).toBeUndefined();
    expect(book.resolve('')).toBeUndefined();
  });

  it('operator prices win over built-in ones, on every matching name', () => {
    const ops = operator([
      { model: 'gpt-4o', price: { input_per_mtok: 1, output_per_mtok: 2 }, source: 'config' },
      { model: 'Nano-Banana', price: { per_image: { default: 0.02 } }, source: 'api' },
    ]);
    const book = new PriceBook({ operator: ops });
    expect(book.resolve('gpt-4o')).toEqual({ model: 'gpt-4o', price: { input_per_mtok: 1, output_per_mtok: 2 }, source: 'config' });
    // Even over a built-in entry that matches the snapshot name exactly.
    expect(book.resolve('gpt-4o-2024-05-13')).toMatchObject({ model: 'gpt-4o', source: 'config' });
    expect(book.resolve('nano-banana')).toMatchObject({ model: 'Nano-Banana', source: 'api' });
    expect(book.resolve('gpt-4o-mini')).toMatchObject({ source: 'builtin' });
  });

  it('tries alternative names in order (the model asked for, then the upstream one)', () => {
    const book = new PriceBook();
    expect(book.resolve('nano-banana', 'gemini-2.5-flash-image')).toMatchObject({ model: 'gemini-2.5-flash-image' });
    expect(book.resolve('gpt-4.1', 'gemini-2.5-flash')).toMatchObject({ model: 'gpt-4.1' });
  });

  it('sees operator price changes as soon as the cache list changes', () => {
    const ops = operator([]);
    const book = new PriceBook({ operator: ops });
    expect(book.resolve('house-model')).toBeUndefined();
    ops.set([{ model: 'house-model', price: { per_call: 0.001 }, source: 'api' }]);
    expect(book.resolve('house-model')).toMatchObject({ price: { per_call: 0.001 } });
    ops.set([]);
    expect(book.resolve('house-model')).toBeUndefined();
  });

  it('refuses an unpriced model with a clear error unless unpriced models are allowed', () => {
    const book = new PriceBook();
    expect(() => book.require('my-local-llama')).toThrow(UnpricedModelError);
    expect(() => book.require('my-local-llama')).toThrow('Model "my-local-llama" has no price on this gateway');
    book.allowUnpriced = true;
    expect(book.require('my-local-llama')).toEqual({ model: 'my-local-llama', price: {}, source: 'unpriced' });
    expect(new PriceBook({ allowUnpriced: true }).require('gpt-4o').source).toBe('builtin');
  });

  it('lists candidate names most specific first', () => {
    expect(modelNameCandidates('models/Gemini-2.5-Flash-Preview-09-2025@fault=500')).toEqual([
      'models/Gemini-2.5-Flash-Preview-09-2025@fault=500',
      'models/Gemini-2.5-Flash-Preview-09-2025',
      'Gemini-2.5-Flash-Preview-09-2025',
      'gemini-2.5-flash-preview-09-2025',
      'gemini-2.5-flash-preview',
      'gemini-2.5-flash',
      'gemini-2-5-flash',
    ]);
  });
});

describe('built-in prices', () => {
  it('Gemini image prices match the image-model table (wire facts)', () => {
    for (const spec of IMAGE_MODELS) {
      const p = BUILTIN_PRICES[spec.id];
      expect(p, spec.id).toBeDefined();
      expect(p).toMatchObject({
        input_per_mtok: spec.pricing.inputPerMTok,
        output_per_mtok: spec.pricing.outputTextPerMTok,
        image_output_per_mtok: spec.pricing.outputImagePerMTok,
      });
      for (const [size, usd] of Object.entries(spec.pricing.perImage)) expect(p?.per_image?.[size], `${spec.id} ${size}`).toBe(usd);
      expect(p?.per_image?.default).toBe(spec.pricing.perImage[spec.defaultImageSize]);
      for (const alias of spec.aliases) expect(new PriceBook().resolve(alias)?.model).toBe(spec.id);
    }
  });

  it('every entry is well formed: non-negative numbers only; aliases point at entries', () => {
    for (const [model, p] of Object.entries(BUILTIN_PRICES)) {
      const { per_image, long_context, ...rates } = p;
      for (const v of Object.values(rates)) expect(v, model).toBeGreaterThanOrEqual(0);
      for (const v of Object.values(per_image ?? {})) expect(v, model).toBeGreaterThan(0);
      if (long_context) expect(long_context.above_input_tokens, model).toBeGreaterThan(0);
      expect(Object.keys(p).length, model).toBeGreaterThan(0);
    }
    for (const [alias, target] of Object.entries(BUILTIN_ALIASES)) expect(BUILTIN_PRICES[target], alias).toBeDefined();
  });

  it('Claude cache prices are 1.25× / 2× / 0.1× input', () => {
    for (const model of ['claude-opus-4', 'claude-opus-4-1', 'claude-opus-4-5', 'claude-sonnet-4', 'claude-sonnet-4-5', 'claude-haiku-4-5']) {
      const p = BUILTIN_PRICES[model]!;
      expect(p.cache_write_5m_per_mtok).toBeCloseTo(p.input_per_mtok! * 1.25, 9);
      expect(p.cache_write_1h_per_mtok).toBeCloseTo(p.input_per_mtok! * 2, 9);
      expect(p.cached_input_per_mtok).toBeCloseTo(p.input_per_mtok! * 0.1, 9);
    }
  });
});
