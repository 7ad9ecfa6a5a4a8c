import { describe, expect, it } from 'vitest';
import { imageModelSpec, pixelSize } from '../../src/dialects/gemini/image-models.js';
import { SIZE_CLASSES, imageOptionsForOpenAISize } from '../../src/dialects/openai/images/size-mapping.js';
import { refusal } from './helpers.js';

const FLASH_25 = 'gemini-2.5-flash-image';
const PRO_3 = 'gemini-3-pro-image-preview';
const FLASH_31 = 'gemini-3.1-flash-image-preview';

// [size, 2.5 Flash, 3 Pro, 3.1 Flash] as "ratio size" (size omitted for 2.5).
const TABLE: Array<[string, string, string, string]> = [
  ['1024x1024', '1:1', '1:1 1K', '1:1 1K'],
  ['1536x1024', '3:2', '3:2 1K', '3:2 1K'],
  ['1024x1536', '2:3', '2:3 1K', '2:3 1K'],
  ['1792x1024', '16:9', '16:9 2K', '16:9 2K'],
  ['1024x1792', '9:16', '9:16 2K', '9:16 2K'],
  ['256x256', '1:1', '1:1 1K', '1:1 512'],
  ['512x512', '1:1', '1:1 1K', '1:1 512'],
  ['768x768', '1:1', '1:1 1K', '1:1 512'],
  ['769x769', '1:1', '1:1 1K', '1:1 1K'],
  ['1536x1536', '1:1', '1:1 1K', '1:1 1K'],
  ['1537x1537', '1:1', '1:1 2K', '1:1 2K'],
  ['2048x2048', '1:1', '1:1 2K', '1:1 2K'],
  ['3072x3072', '1:1', '1:1 2K', '1:1 2K'],
  ['3073x3073', '1:1', '1:1 4K', '1:1 4K'],
  ['4096x4096', '1:1', '1:1 4K', '1:1 4K'],
  ['1920x1080', '16:9', '16:9 2K', '16:9 2K'],
  ['1280x720', '16:9', '16:9 1K', '16:9 1K'],
  ['2560x1080', '21:9', '21:9 2K', '21:9 2K'],
  ['1200x900', '4:3', '4:3 1K', '4:3 1K'],
  ['900x1200', '3:4', '3:4 1K', '3:4 1K'],
  ['1000x800', '5:4', '5:4 1K', '5:4 1K'],
  ['800x1000', '4:5', '4:5 1K', '4:5 1K'],
  // Extreme shapes: only 3.1 Flash has 4:1, 1:4, 8:1 and 1:8.
  ['2048x512', '21:9', '21:9 2K', '4:1 2K'],
  ['512x2048', '9:16', '9:16 2K', '1:4 2K'],
  ['3072x384', '21:9', '21:9 2K', '8:1 2K'],
  ['384x3072', '9:16', '9:16 2K', '1:8 2K'],
  ['100x1', '21:9', '21:9 1K', '8:1 512'],
  ['1024X1024', '1:1', '1:1 1K', '1:1 1K'],
  [' 1024x1536 ', '2:3', '2:3 1K', '2:3 1K'],
  ['16384x16384', '1:1', '1:1 4K', '1:1 4K'],
];

function show(options: { aspectRatio?: string; imageSize?: string }): string {
  return [options.aspectRatio, options.imageSize].filter(Boolean).join(' ');
}

describe('imageOptionsForOpenAISize: the size table', () => {
  for (const [size, f25, pro, f31] of TABLE) {
    it(`${size} → 2.5 "${f25}", 3 Pro "${pro}", 3.1 "${f31}"`, () => {
      expect(show(imageOptionsForOpenAISize(FLASH_25, { size }))).toBe(f25);
      expect(show(imageOptionsForOpenAISize(PRO_3, { size }))).toBe(pro);
      expect(show(imageOptionsForOpenAISize(FLASH_31, { size }))).toBe(f31);
    });
  }

  it('never sends an imageSize to 2.5 Flash Image, whatever the size', () => {
    for (const size of ['64x64', '1024x1024', '4096x4096', '16:9', 'auto']) {
      expect(imageOptionsForOpenAISize(FLASH_25, { size }).imageSize).toBeUndefined();
    }
  });

  it('maps to sizes the model really renders close to the pixels asked for', () => {
    const spec = imageModelSpec(PRO_3)!;
    const options = imageOptionsForOpenAISize(spec, { size: '1920x1080' });
    const { width, height } = pixelSize(spec, options.aspectRatio, options.imageSize);
    expect(width / height).toBeCloseTo(1920 / 1080, 1);
    expect(width).toBeGreaterThanOrEqual(1920);
  });

  it('leaves the choice to the model for auto, absent, null or empty', () => {
    for (const size of ['auto', undefined, null, '']) expect(imageOptionsForOpenAISize(FLASH_31, { size })).toEqual({});
  });

  it('accepts a literal aspect ratio as size', () => {
    expect(imageOptionsForOpenAISize(PRO_3, { size: '16:9' })).toEqual({ aspectRatio: '16:9' });
    expect(imageOptionsForOpenAISize(FLASH_31, { size: '1:8' })).toEqual({ aspectRatio: '1:8' });
  });

  it('lets aspect_ratio and image_size win over size', () => {
    expect(imageOptionsForOpenAISize(FLASH_31, { size: '1024x1024', aspect_ratio: '16:9' })).toEqual({ aspectRatio: '16:9', imageSize: '1K' });
    expect(imageOptionsForOpenAISize(FLASH_31, { size: '1024x1024', image_size: '4K' })).toEqual({ aspectRatio: '1:1', imageSize: '4K' });
    expect(imageOptionsForOpenAISize(PRO_3, { aspect_ratio: '21:9', image_size: '2K' })).toEqual({ aspectRatio: '21:9', imageSize: '2K' });
    expect(imageOptionsForOpenAISize(PRO_3, { size: '1024x1536', aspect_ratio: 'auto' })).toEqual({ imageSize: '1K' });
    expect(imageOptionsForOpenAISize(FLASH_31, { image_size: '512' })).toEqual({ imageSize: '512' });
  });

  it('tolerates image_size 1K on 2.5 Flash Image (the class it renders) and sends nothing', () => {
    expect(imageOptionsForOpenAISize(FLASH_25, { size: '1024x1024', image_size: '1K' })).toEqual({ aspectRatio: '1:1' });
  });

  it('resolves aliases and version suffixes through the model table', () => {
    expect(imageOptionsForOpenAISize('models/gemini-3.1-flash-image', { size: '256x256' })).toEqual({ aspectRatio: '1:1', imageSize: '512' });
    expect(imageOptionsForOpenAISize('gemini-2.5-flash-image-preview-09-2025', { size: '2048x2048' })).toEqual({ aspectRatio: '1:1' });
  });

  it('gives an unknown model the 3 Pro rules', () => {
    expect(imageOptionsForOpenAISize('my-image-model', { size: '512x512' })).toEqual({ aspectRatio: '1:1', imageSize: '1K' });
    const err = refusal(() => imageOptionsForOpenAISize('my-image-model', { size: '4:1' }), 'size');
    expect(err.message).toContain('my-image-model');
  });

  it('exports the class table as data, ordered by long side', () => {
    expect(SIZE_CLASSES.map((c) => c.imageSize)).toEqual(['512', '1K', '2K', '4K']);
    expect(SIZE_CLASSES.map((c) => c.maxLongSide)).toEqual([768, 1536, 3072, null]);
    expect(SIZE_CLASSES[0]!.fallback).toBe('1K');
  });
});

describe('imageOptionsForOpenAISize: refusals', () => {
  const badSizes: unknown[] = ['1024', 'big', '1024x', 'x1024', '0x1024', '1024x0', '-1x5', '1024x1024x3', '1.5x2', '16384x16385', '99999999x1', 'AUTO'];
  for (const size of badSizes) {
    it(`refuses size ${JSON.stringify(size)}`, () => {
      const err = refusal(() => imageOptionsForOpenAISize(PRO_3, { size }), 'size');
      expect(err.code).toBe('invalid_value');
    });
  }

  it('refuses a size that is not a string, naming the type', () => {
    expect(refusal(() => imageOptionsForOpenAISize(PRO_3, { size: 1024 }), 'size').message).toContain('got an integer');
    expect(refusal(() => imageOptionsForOpenAISize(PRO_3, { size: ['1024x1024'] }), 'size').message).toContain('got an array');
    expect(refusal(() => imageOptionsForOpenAISize(PRO_3, { size: { w: 1 } }), 'size').code).toBe('invalid_type');
  });

  it('refuses a literal ratio the model lacks, listing what it supports', () => {
    const err = refusal(() => imageOptionsForOpenAISize(PRO_3, { size: '4:1' }), 'size');
    expect(err.message).toContain("'4:1'");
    expect(err.message).toContain("'21:9'");
    expect(err.message).toContain(PRO_3);
    refusal(() => imageOptionsForOpenAISize(FLASH_25, { size: '1:8' }), 'size');
    refusal(() => imageOptionsForOpenAISize(FLASH_31, { size: '7:3' }), 'size');
  });

  it('refuses an aspect_ratio the model lacks or of the wrong type', () => {
    refusal(() => imageOptionsForOpenAISize(PRO_3, { aspect_ratio: '8:1' }), 'aspect_ratio');
    refusal(() => imageOptionsForOpenAISize(FLASH_25, { aspect_ratio: '1:4' }), 'aspect_ratio');
    refusal(() => imageOptionsForOpenAISize(FLASH_31, { aspect_ratio: '16x9' }), 'aspect_ratio');
    refusal(() => imageOptionsForOpenAISize(FLASH_31, { aspect_ratio: 1.77 }), 'aspect_ratio');
  });

  it('refuses an aspect_ratio even when size alone would be fine (the extension wins)', () => {
    refusal(() => imageOptionsForOpenAISize(PRO_3, { size: '1024x1024', aspect_ratio: '4:1' }), 'aspect_ratio');
  });

  it('refuses image_size 512 on 3 Pro and lowercase sizes, with a hint', () => {
    const err512 = refusal(() => imageOptionsForOpenAISize(PRO_3, { image_size: '512' }), 'image_size');
    expect(err512.message).toContain("'1K', '2K', and '4K'");
    const lower = refusal(() => imageOptionsForOpenAISize(FLASH_31, { image_size: '1k' }), 'image_size');
    expect(lower.message).toContain("use '1K'");
    refusal(() => imageOptionsForOpenAISize(FLASH_31, { image_size: '8K' }), 'image_size');
    refusal(() => imageOptionsForOpenAISize(FLASH_31, { image_size: 1024 }), 'image_size');
  });

  it('refuses any image_size but 1K on 2.5 Flash Image', () => {
    for (const image_size of ['2K', '4K', '512', '1k']) {
      expect(refusal(() => imageOptionsForOpenAISize(FLASH_25, { image_size }), 'image_size').message).toContain('fixed 1024 px');
    }
  });
});
