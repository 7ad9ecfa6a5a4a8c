import type { Image, ImagesResponse } from 'openai/resources/images';
import { describe, expect, it } from 'vitest';
import { emptyCanonicalUsage } from '../../src/dialects/canonical/types.js';
import { encodeImagesResponse, revisedPromptFrom, sumImagesUsage } from '../../src/dialects/openai/images/response.js';
import { makeImage } from './images.js';

describe('encodeImagesResponse', () => {
  it('answers as gpt-image-1 does, size read from the image itself', async () => {
    const b64 = (await makeImage('png', 1376, 768)).toString('base64');
    const res = encodeImagesResponse({
      created: 1_700_000_000,
      images: [{ b64, revisedPrompt: 'A banana, on the moon.' }, { b64 }],
      usage: { inputTokens: 600, inputImageTokens: 560, outputTokens: 2300, outputImageTokens: 2240 },
      outputFormat: 'png',
      quality: 'high',
    });
    expect(res).toEqual({
      created: 1_700_000_000,
      data: [{ b64_json: b64, revised_prompt: 'A banana, on the moon.' }, { b64_json: b64 }],
      background: 'opaque',
      output_format: 'png',
      quality: 'high',
      size: '1376x768',
      usage: {
        input_tokens: 600,
        input_tokens_details: { text_tokens: 40, image_tokens: 560 },
        output_tokens: 2300,
        total_tokens: 2900,
        output_tokens_details: { text_tokens: 60, image_tokens: 2240 },
      },
    });
    // The b64 string is passed through, not copied.
    expect(res.data[0]!.b64_json).toBe(b64);
  });

  it('fits the openai SDK types (ImagesResponse, Image)', () => {
    const res = encodeImagesResponse({ created: 1, images: [{ url: 'https://gw/v1/files/images/x.png?expires=1&signature=00' }], outputFormat: 'webp', size: '1024x1024' });
    const typed: Omit<ImagesResponse, 'size'> & { size?: string } = res;
    const first: Image | undefined = typed.data?.[0];
    expect(first).toEqual({ url: 'https://gw/v1/files/images/x.png?expires=1&signature=00' });
    expect(typed.output_format).toBe('webp');
    expect(typed.size).toBe('1024x1024');
    expect(typed.usage).toBeUndefined();
  });

  it("maps dall-e quality names and leaves out 'auto'", () => {
    const base = { created: 1, images: [], outputFormat: 'png' as const };
    expect(encodeImagesResponse({ ...base, quality: 'hd' }).quality).toBe('high');
    expect(encodeImagesResponse({ ...base, quality: 'standard' }).quality).toBe('medium');
    expect(encodeImagesResponse({ ...base, quality: 'auto' })).not.toHaveProperty('quality');
    expect(encodeImagesResponse({ ...base, background: 'transparent' }).background).toBe('transparent');
  });

  it('keeps image token details within the totals', () => {
    const res = encodeImagesResponse({
      created: 1,
      images: [],
      outputFormat: 'png',
      usage: { inputTokens: 100, inputImageTokens: 560, outputTokens: 10 },
    });
    expect(res.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { text_tokens: 0, image_tokens: 100 },
      output_tokens: 10,
      total_tokens: 110,
    });
  });
});

describe('sumImagesUsage', () => {
  it('adds up the n upstream calls', () => {
    const one = { ...emptyCanonicalUsage(), inputTokens: 570, outputTokens: 1300, outputImageTokens: 1120, reasoningTokens: 100 };
    expect(sumImagesUsage([one, one], 560)).toEqual({ inputTokens: 1140, inputImageTokens: 1120, outputTokens: 2600, outputImageTokens: 2240 });
    expect(sumImagesUsage([])).toEqual({ inputTokens: 0, inputImageTokens: 0, outputTokens: 0, outputImageTokens: 0 });
  });
});

describe('revisedPromptFrom', () => {
  it('joins the text parts and leaves out thinking and images', () => {
    expect(
      revisedPromptFrom([
        { type: 'thinking', text: 'Planning the composition' },
        { type: 'text', text: 'Here is ' },
        { type: 'image', mimeType: 'image/png', data: 'AAAA', thought: true },
        { type: 'text', text: 'your banana.' },
        { type: 'image', mimeType: 'image/png', data: 'AAAA' },
      ]),
    ).toBe('Here is your banana.');
  });

  it('is undefined when the model said nothing', () => {
    expect(revisedPromptFrom([{ type: 'image', mimeType: 'image/png', data: 'AAAA' }])).toBeUndefined();
    expect(revisedPromptFrom([{ type: 'text', text: '  \n' }])).toBeUndefined();
  });
});
