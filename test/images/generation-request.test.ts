import { describe, expect, it } from 'vitest';
import { decodeImageGeneration, isGeminiBody } from '../../src/dialects/openai/images/generation-request.js';
import { refusal } from './helpers.js';

const MODEL = 'gemini-3.1-flash-image-preview';

describe('decodeImageGeneration', () => {
  it('decodes a minimal body with OpenAI defaults', () => {
    const decoded = decodeImageGeneration({ model: MODEL, prompt: 'a banana on the moon' });
    expect(decoded.request).toEqual({
      model: MODEL,
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'a banana on the moon' }] }],
      modalities: ['text', 'image'],
      stream: false,
    });
    expect(decoded.n).toBe(1);
    expect(decoded.responseFormat).toBe('b64_json');
    expect(decoded.outputFormat).toBe('png');
    expect(decoded.outputCompression).toBeUndefined();
    expect(decoded.quality).toBeUndefined();
    expect(decoded.background).toBeUndefined();
  });

  it('carries every option the client set', () => {
    const decoded = decodeImageGeneration({
      model: MODEL,
      prompt: 'p',
      n: 4,
      size: '1536x1024',
      response_format: 'url',
      output_format: 'webp',
      output_compression: 70,
      quality: 'high',
      background: 'opaque',
      user: 'user-42',
      style: 'vivid',
      moderation: 'low',
    });
    expect(decoded.request.image).toEqual({ aspectRatio: '3:2', imageSize: '1K' });
    expect(decoded.request.user).toBe('user-42');
    expect(decoded.request.n).toBeUndefined(); // n is the relay's loop, not the upstream's candidateCount
    expect(decoded).toMatchObject({ n: 4, responseFormat: 'url', outputFormat: 'webp', outputCompression: 70, quality: 'high', background: 'opaque' });
    expect(decoded).not.toHaveProperty('user');
  });

  it('treats null options as absent (the SDK types allow null)', () => {
    const decoded = decodeImageGeneration({ model: MODEL, prompt: 'p', n: null, size: null, response_format: null, quality: null });
    expect(decoded.n).toBe(1);
    expect(decoded.request.image).toBeUndefined();
  });

  it('reads the extension fields, top level and in image_config', () => {
    expect(decodeImageGeneration({ model: MODEL, prompt: 'p', aspect_ratio: '1:4', image_size: '2K' }).request.image).toEqual({ aspectRatio: '1:4', imageSize: '2K' });
    expect(decodeImageGeneration({ model: MODEL, prompt: 'p', image_config: { aspect_ratio: '4:1', image_size: '512' } }).request.image).toEqual({
      aspectRatio: '4:1',
      imageSize: '512',
    });
  });

  it('looks the size up under the upstream model when the client used an alias', () => {
    // "nano-banana" is unknown to the table; the channel maps it to 2.5 Flash Image, which takes no imageSize.
    const decoded = decodeImageGeneration({ model: 'nano-banana', prompt: 'p', size: '2048x2048' }, 'gemini-2.5-flash-image');
    expect(decoded.request.model).toBe('nano-banana');
    expect(decoded.request.image).toEqual({ aspectRatio: '1:1' });
  });

  it('keeps the prompt string by reference (no copies of large text)', () => {
    const prompt = 'x'.repeat(100_000);
    const part = decodeImageGeneration({ model: MODEL, prompt }).request.messages[0]!.parts[0]!;
    expect(part.type === 'text' && part.text).toBe(prompt);
  });
});

describe('decodeImageGeneration: refusals in OpenAI words', () => {
  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'prompt', 42]) {
      let caught: unknown;
      try {
        decodeImageGeneration(body);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ kind: 'invalid_request' });
    }
  });

  it('refuses a missing, empty or non-string prompt', () => {
    expect(refusal(() => decodeImageGeneration({ model: MODEL }), 'prompt').message).toBe("Missing required parameter: 'prompt'.");
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: '' }), 'prompt').code).toBe('empty_string');
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: '   ' }), 'prompt').code).toBe('empty_string');
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 42 }), 'prompt').message).toBe(
      "Invalid type for 'prompt': expected a string, but got an integer instead.",
    );
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: ['a'] }), 'prompt');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: { text: 'a' } }), 'prompt');
  });

  it('refuses a missing model', () => {
    refusal(() => decodeImageGeneration({ prompt: 'p' }), 'model');
    refusal(() => decodeImageGeneration({ prompt: 'p', model: 7 }), 'model');
  });

  it('refuses n outside 1..10 or not an integer', () => {
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', n: 11 }), 'n').message).toBe(
      "Invalid 'n': integer above maximum value. Expected a value <= 10, but got 11 instead.",
    );
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', n: 0 }), 'n').code).toBe('integer_below_min_value');
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', n: 1.5 }), 'n').message).toContain('got a decimal');
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', n: '2' }), 'n').code).toBe('invalid_type');
  });

  it('refuses unknown enum values, listing the supported ones', () => {
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', response_format: 'png' }), 'response_format').message).toBe(
      "Invalid value: 'png'. Supported values are: 'url' and 'b64_json'.",
    );
    expect(refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', output_format: 'gif' }), 'output_format').message).toContain("'webp'");
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', background: 'clear' }), 'background');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', quality: 'ultra' }), 'quality');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', quality: 3 }), 'quality');
  });

  it('refuses output_compression out of range or on png', () => {
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', output_format: 'jpeg', output_compression: 101 }), 'output_compression');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', output_format: 'jpeg', output_compression: -1 }), 'output_compression');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', output_compression: 50 }), 'output_compression');
    expect(decodeImageGeneration({ model: MODEL, prompt: 'p', output_compression: 100 }).outputCompression).toBe(100);
    expect(decodeImageGeneration({ model: MODEL, prompt: 'p', output_format: 'jpeg', output_compression: 0 }).outputCompression).toBe(0);
  });

  it('refuses a transparent background for jpeg, and streaming', () => {
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', output_format: 'jpeg', background: 'transparent' }), 'background');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', stream: true }), 'stream');
    expect(decodeImageGeneration({ model: MODEL, prompt: 'p', stream: false }).request.stream).toBe(false);
  });

  it('refuses a size the model cannot render, with param size', () => {
    refusal(() => decodeImageGeneration({ model: 'gemini-3-pro-image-preview', prompt: 'p', size: '8:1' }), 'size');
    refusal(() => decodeImageGeneration({ model: 'gemini-3-pro-image-preview', prompt: 'p', image_size: '512' }), 'image_size');
    refusal(() => decodeImageGeneration({ model: MODEL, prompt: 'p', user: 5 }), 'user');
  });
});

describe('isGeminiBody', () => {
  it('tells Gemini bodies from OpenAI ones', () => {
    expect(isGeminiBody({ model: MODEL, contents: [{ parts: [{ text: 'p' }] }] })).toBe(true);
    expect(isGeminiBody({ contents: 'p', generationConfig: {} })).toBe(true);
    expect(isGeminiBody({ model: MODEL, prompt: 'p' })).toBe(false);
    for (const odd of [null, [], 'contents', 3]) expect(isGeminiBody(odd)).toBe(false);
  });
});
