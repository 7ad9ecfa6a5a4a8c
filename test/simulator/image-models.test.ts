import { describe, expect, it } from 'vitest';
import {
  IMAGE_MODELS,
  imageModelSpec,
  nearestAspectRatio,
  outputTokensPerImage,
  pixelSize,
  pricePerImage,
  validateImageConfig,
} from '../../src/dialects/gemini/image-models.js';

const spec = (name: string) => {
  const s = imageModelSpec(name);
  if (!s) throw new Error(`no spec for ${name}`);
  return s;
};

describe('Gemini image model table', () => {
  it('finds models by id, models/ prefix, alias and suffix variants; not text models', () => {
    expect(imageModelSpec('gemini-2.5-flash-image')?.id).toBe('gemini-2.5-flash-image');
    expect(imageModelSpec('models/gemini-3-pro-image-preview')?.id).toBe('gemini-3-pro-image-preview');
    expect(imageModelSpec('gemini-2.5-flash-image-preview')?.id).toBe('gemini-2.5-flash-image');
    expect(imageModelSpec('gemini-3.1-flash-image')?.id).toBe('gemini-3.1-flash-image-preview');
    expect(imageModelSpec('gemini-2.5-flash-image-preview-09-2025')?.id).toBe('gemini-2.5-flash-image');
    expect(imageModelSpec('Gemini-3-Pro-Image-Preview')?.id).toBe('gemini-3-pro-image-preview');
    expect(imageModelSpec('gemini-2.5-flash')).toBeUndefined();
    expect(imageModelSpec('dall-e-3')).toBeUndefined();
  });

  it('computes pixel sizes: 2.5 table, 3.x table at 1K, doubled at 2K, quadrupled at 4K, halved at 512', () => {
    expect(pixelSize(spec('gemini-2.5-flash-image'), '9:16')).toEqual({ width: 768, height: 1344 });
    expect(pixelSize(spec('gemini-2.5-flash-image'), '3:4')).toEqual({ width: 864, height: 1184 });
    const pro = spec('gemini-3-pro-image-preview');
    expect(pixelSize(pro, '16:9')).toEqual({ width: 1376, height: 768 });
    expect(pixelSize(pro, '16:9', '2K')).toEqual({ width: 2752, height: 1536 });
    expect(pixelSize(pro, '16:9', '4K')).toEqual({ width: 5504, height: 3072 });
    const flash = spec('gemini-3.1-flash-image-preview');
    expect(pixelSize(flash, '8:1', '512')).toEqual({ width: 1536, height: 192 });
    expect(pixelSize(flash, '1:4', '4K')).toEqual({ width: 2048, height: 8192 });
    expect(pixelSize(flash)).toEqual({ width: 1024, height: 1024 });
  });

  it('knows output tokens and list prices per size, consistent with the per-token image rate', () => {
    expect(outputTokensPerImage(spec('gemini-2.5-flash-image'))).toBe(1290);
    expect(outputTokensPerImage(spec('gemini-3-pro-image-preview'), '4K')).toBe(2000);
    expect(outputTokensPerImage(spec('gemini-3.1-flash-image-preview'), '4K')).toBe(2520);
    expect(pricePerImage(spec('gemini-3-pro-image-preview'), '2K')).toBe(0.134);
    expect(pricePerImage(spec('gemini-3.1-flash-image-preview'), '512')).toBe(0.045);
    for (const model of IMAGE_MODELS) {
      for (const [size, tokens] of Object.entries(model.outputTokensPerImage)) {
        const fromRate = (tokens * model.pricing.outputImagePerMTok) / 1e6;
        expect(Math.abs(fromRate - (model.pricing.perImage[size as '1K'] ?? 0))).toBeLessThan(0.001);
      }
    }
  });

  it('validates ratio and size like Google, case-sensitively', () => {
    const pro = spec('gemini-3-pro-image-preview');
    expect(validateImageConfig(pro, { aspectRatio: '16:9', imageSize: '4K' })).toBeUndefined();
    expect(validateImageConfig(pro, {})).toBeUndefined();
    expect(validateImageConfig(pro, { imageSize: '1k' })).toContain("image_size must be one of '1K', '2K', or '4K'");
    expect(validateImageConfig(pro, { imageSize: '512' })).toContain('image_size');
    expect(validateImageConfig(pro, { aspectRatio: '1:8' })).toContain('aspect_ratio must be one of');
    expect(validateImageConfig(pro, { aspectRatio: 169 })).toContain('aspect_ratio');
    const flash = spec('gemini-3.1-flash-image-preview');
    expect(validateImageConfig(flash, { aspectRatio: '1:8', imageSize: '512' })).toBeUndefined();
    const nano = spec('gemini-2.5-flash-image');
    expect(validateImageConfig(nano, { imageSize: '1K' })).toBeUndefined();
    expect(validateImageConfig(nano, { imageSize: '2K' })).toContain('not supported');
  });

  it('picks the nearest supported ratio for an input image shape', () => {
    const nano = spec('gemini-2.5-flash-image');
    expect(nearestAspectRatio(nano, 1920, 1080)).toBe('16:9');
    expect(nearestAspectRatio(nano, 1000, 1010)).toBe('1:1');
    expect(nearestAspectRatio(nano, 100, 800)).toBe('9:16');
    expect(nearestAspectRatio(spec('gemini-3.1-flash-image-preview'), 100, 800)).toBe('1:8');
    expect(nearestAspectRatio(nano, 0, 0)).toBe('1:1');
  });
});
