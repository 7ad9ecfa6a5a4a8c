// The Gemini inspector on its own: facts, and every refusal class worded so a
// client can fix its request.
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { DEFAULT_INLINE_DATA_LIMIT, inspectGeminiRequest, setInlineDataLimit } from '../../src/dialects/gemini/inspect-request.js';
import { makePng } from '../simulator/helpers.js';

const inspect = (model: string, json: Record<string, unknown>, operation = 'generateContent') =>
  inspectGeminiRequest({ operation, model, json, rawBytes: JSON.stringify(json).length });

function refusal(model: string, json: Record<string, unknown>): GatewayError {
  try {
    inspect(model, json);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).kind).toBe('invalid_request');
    return err as GatewayError;
  }
  throw new Error('expected a refusal');
}

const PNG = makePng(8, 8);
const image = (data = PNG, mime = 'image/png') => ({ inlineData: { mimeType: mime, data } });
const withConfig = (imageConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  contents: [{ parts: [{ text: 'a cat' }] }],
  generationConfig: { responseModalities: ['IMAGE'], imageConfig, ...extra },
});

afterEach(() => setInlineDataLimit(DEFAULT_INLINE_DATA_LIMIT));

describe('facts', () => {
  it('a text request: a prompt estimate and the output cap, no images', () => {
    const facts = inspect('gemini-2.5-flash', { contents: [{ parts: [{ text: 'x'.repeat(400) }] }], generationConfig: { maxOutputTokens: 77 } });
    expect(facts).toEqual({ promptTokens: 100, maxOutputTokens: 77, referenceImages: 0 });
  });

  it('an image model with no modalities makes one image at the default size, 1:1', () => {
    expect(inspect('gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'a cat' }] }] }).images).toEqual({ count: 1, size: '1K', aspectRatio: '1:1' });
    expect(inspect('gemini-2.5-flash-image', { contents: [{ parts: [{ text: 'a cat' }] }] }).images).toEqual({ count: 1, size: '1K', aspectRatio: '1:1' });
  });

  it('TEXT-only modalities on an image model ask for no image', () => {
    const facts = inspect('gemini-2.5-flash-image', withConfig({}, { responseModalities: ['TEXT'] }));
    expect(facts.images).toBeUndefined();
  });

  it('reads snake_case: generation_config.image_config.aspect_ratio / image_size, inline_data / mime_type', () => {
    const facts = inspect('gemini-3.1-flash-image-preview', {
      contents: [{ role: 'user', parts: [{ text: 'edit' }, { inline_data: { mime_type: 'image/png', data: PNG } }] }],
      generation_config: { response_modalities: ['TEXT', 'IMAGE'], image_config: { aspect_ratio: '8:1', image_size: '512' }, max_output_tokens: 9 },
    });
    expect(facts).toMatchObject({ images: { count: 1, size: '512', aspectRatio: '8:1' }, referenceImages: 1, maxOutputTokens: 9 });
  });

  it('with no aspectRatio the first input image sets the shape', () => {
    const facts = inspect('gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'wider' }, image(makePng(160, 90))] }] });
    expect(facts.images?.aspectRatio).toBe('16:9');
  });

  it('base64 is not counted as text: images count by the model input figure', () => {
    const big = makePng(400, 400);
    const facts = inspect('gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'abcd'.repeat(10) }, image(big), image(big)] }] });
    expect(facts.promptTokens).toBe(10 + 2 * 560);
    expect(facts.referenceImages).toBe(2);
  });

  it('images in model turns are input but not reference images', () => {
    const facts = inspect('gemini-3-pro-image-preview', {
      contents: [
        { role: 'user', parts: [{ text: 'draw' }] },
        { role: 'model', parts: [{ ...image(), thoughtSignature: 'sig' }] },
        { role: 'user', parts: [{ text: 'bluer' }, image()] },
      ],
    });
    expect(facts.referenceImages).toBe(1);
    expect(facts.promptTokens).toBe(Math.ceil(9 / 4) + 2 * 560);
  });

  it('a model outside the table passes unvalidated, and IMAGE output is still noted', () => {
    const facts = inspect('gemini-2.0-flash-exp', withConfig({ aspectRatio: '7:3', imageSize: '1k' }));
    expect(facts.images).toEqual({ count: 1, size: '1k', aspectRatio: '7:3' });
    expect(inspect('gemini-2.5-flash', { contents: [{ parts: [image('%%%', 'text/csv')] }] }).promptTokens).toBeGreaterThan(0);
  });

  it('countTokens is counted, never refused', () => {
    const body = { generateContentRequest: { contents: [{ parts: [{ text: 'abcd' }, image('not base64!')] }], generationConfig: { imageConfig: { imageSize: '9K' } } } };
    expect(inspect('gemini-3-pro-image-preview', body, 'countTokens')).toEqual({ promptTokens: 1 + 560, referenceImages: 1 });
  });

  it('bad shapes (contents not an array, parts not objects) do not crash', () => {
    expect(() => inspect('gemini-3-pro-image-preview', { contents: 'hi' })).not.toThrow();
    expect(() => inspect('gemini-3-pro-image-preview', { contents: [null, { parts: [1, 'x', null] }], generationConfig: 5 })).not.toThrow();
  });
});

describe('refusals for image models', () => {
  it('an aspect ratio the model does not offer', () => {
    expect(refusal('gemini-2.5-flash-image', withConfig({ aspectRatio: '16x9' })).message).toMatch(/aspect_ratio must be one of '1:1'/);
    expect(refusal('gemini-3-pro-image-preview', withConfig({ aspectRatio: '1:8' })).message).toMatch(/aspect_ratio/);
    expect(() => inspect('gemini-3.1-flash-image-preview', withConfig({ aspectRatio: '1:8' }))).not.toThrow();
  });

  it('imageSize in lowercase says so', () => {
    expect(refusal('gemini-3-pro-image-preview', withConfig({ imageSize: '1k' })).message).toMatch(/imageSize must be uppercase: 1K/);
    expect(refusal('gemini-3.1-flash-image-preview', withConfig({ image_size: '4k' })).message).toMatch(/must be uppercase: 4K/);
    expect(refusal('gemini-2.5-flash-image', withConfig({ imageSize: '1k' })).message).toMatch(/must be uppercase: 1K/);
  });

  it('"512" only on 3.1 Flash Image; sizes 2.5 Flash Image cannot render', () => {
    expect(refusal('gemini-3-pro-image-preview', withConfig({ imageSize: '512' })).message).toMatch(/image_size must be one of '1K', '2K', or '4K'/);
    expect(() => inspect('gemini-3.1-flash-image-preview', withConfig({ imageSize: '512' }))).not.toThrow();
    expect(refusal('gemini-2.5-flash-image', withConfig({ imageSize: '2K' })).message).toMatch(/not supported by gemini-2.5-flash-image/);
    expect(refusal('gemini-3-pro-image-preview', withConfig({ imageSize: 4 })).message).toMatch(/image_size/);
  });

  it('more than 14 reference images', () => {
    const parts = (n: number) => [{ text: 'merge' }, ...Array.from({ length: n }, () => image())];
    expect(() => inspect('gemini-3-pro-image-preview', { contents: [{ parts: parts(14) }] })).not.toThrow();
    expect(refusal('gemini-3-pro-image-preview', { contents: [{ parts: parts(15) }] }).message).toMatch(/Too many reference images: 15.*at most 14/);
    // inline_data and inlineData both count
    const mixed = [...parts(8), ...Array.from({ length: 7 }, () => ({ inline_data: { mime_type: 'image/png', data: PNG } }))];
    expect(refusal('gemini-2.5-flash-image', { contents: [{ parts: mixed }] }).message).toMatch(/15/);
  });

  it('invalid base64, a missing or non-image MIME type, bytes that are not an image', () => {
    const one = (part: unknown) => ({ contents: [{ parts: [{ text: 'x' }, part] }] });
    expect(refusal('gemini-3-pro-image-preview', one(image('not base64!'))).message).toMatch(/contents\[0\]\.parts\[1\]\.inline_data\.data.*base64/);
    expect(refusal('gemini-3-pro-image-preview', one(image(''))).message).toMatch(/base64/);
    expect(refusal('gemini-3-pro-image-preview', one({ inlineData: { data: PNG } })).message).toMatch(/mime_type is required/);
    expect(refusal('gemini-3-pro-image-preview', one(image(PNG, 'application/octet-stream'))).message).toMatch(/Unsupported MIME type.*octet-stream/);
    expect(refusal('gemini-3-pro-image-preview', one(image(PNG, 'image/gif'))).message).toMatch(/Unsupported MIME type.*image\/gif/);
    expect(refusal('gemini-3-pro-image-preview', one(image(Buffer.from('hello world, not an image').toString('base64')))).message).toMatch(
      /not a PNG, JPEG, WebP, HEIC or HEIF/,
    );
  });

  it('total inline data over the cap (configurable)', () => {
    setInlineDataLimit(PNG.length * 2 + 10);
    const body = { contents: [{ parts: [image(), image(), image()] }] };
    expect(refusal('gemini-3-pro-image-preview', body).message).toMatch(/exceeds/);
    expect(() => setInlineDataLimit(0)).toThrow(RangeError);
  });
});
