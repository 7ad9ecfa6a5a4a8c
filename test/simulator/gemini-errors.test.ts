import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { makePng, post } from './helpers.js';

let sim: RunningSimulator;
const key = { 'x-goog-api-key': 'AIza-test' };

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const generate = (model: string, body: unknown, headers: Record<string, string> = key) =>
  post(`${sim.url}/v1beta/models/${model}:generateContent`, body, headers);

function expectGoogleError(r: { status: number; json: any }, code: number, status: string): void {
  expect(r.status).toBe(code);
  expect(r.json.error.code).toBe(code);
  expect(r.json.error.status).toBe(status);
  expect(typeof r.json.error.message).toBe('string');
}

const text = { contents: [{ parts: [{ text: 'x' }] }] };
const withConfig = (imageConfig: Record<string, unknown>) => ({ ...text, generationConfig: { imageConfig } });
const withImages = (parts: unknown[]) => ({ contents: [{ parts: [{ text: 'edit' }, ...parts] }] });

describe('Gemini refusals', () => {
  it('400 for an aspect ratio the model does not support', async () => {
    const r = await generate('gemini-2.5-flash-image', withConfig({ aspectRatio: '1:4' }));
    expectGoogleError(r, 400, 'INVALID_ARGUMENT');
    expect(r.json.error.message).toContain('aspect_ratio must be one of');
    expectGoogleError(await generate('gemini-3-pro-image-preview', withConfig({ aspectRatio: '7:3' })), 400, 'INVALID_ARGUMENT');
    const ok = await generate('gemini-3.1-flash-image-preview', withConfig({ aspectRatio: '1:4' }));
    expect(ok.status).toBe(200);
  });

  it('400 for an imageSize the model does not support, lowercase 1k included', async () => {
    for (const [model, imageSize] of [
      ['gemini-3-pro-image-preview', '1k'],
      ['gemini-3-pro-image-preview', '512'],
      ['gemini-3.1-flash-image-preview', '8K'],
      ['gemini-2.5-flash-image', '2K'],
    ] as const) {
      const r = await generate(model, withConfig({ imageSize }));
      expectGoogleError(r, 400, 'INVALID_ARGUMENT');
      expect(r.json.error.message).toContain('image_size');
    }
    expect((await generate('gemini-2.5-flash-image', withConfig({ imageSize: '1K' }))).status).toBe(200);
  });

  it('400 for more than 14 reference images', async () => {
    const image = { inlineData: { mimeType: 'image/png', data: makePng(4, 4) } };
    expect((await generate('gemini-3-pro-image-preview', withImages(Array(14).fill(image)))).status).toBe(200);
    const r = await generate('gemini-3-pro-image-preview', withImages(Array(15).fill(image)));
    expectGoogleError(r, 400, 'INVALID_ARGUMENT');
    expect(r.json.error.message).toContain('at most 14');
  });

  it('400 for invalid base64, a non-image MIME type, and bytes that are not an image', async () => {
    const badB64 = await generate('gemini-2.5-flash-image', withImages([{ inlineData: { mimeType: 'image/png', data: 'not base64!!' } }]));
    expectGoogleError(badB64, 400, 'INVALID_ARGUMENT');
    expect(badB64.json.error.message).toContain('Base64 decoding failed');
    const pdf = await generate('gemini-2.5-flash-image', withImages([{ inline_data: { mime_type: 'application/pdf', data: 'aGVsbG8=' } }]));
    expectGoogleError(pdf, 400, 'INVALID_ARGUMENT');
    expect(pdf.json.error.message).toBe('Unsupported MIME type: application/pdf');
    const gif = await generate('gemini-2.5-flash', withImages([{ inlineData: { mimeType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' } }]));
    expect(gif.json.error.message).toBe('Unsupported MIME type: image/gif');
    const fake = await generate('gemini-2.5-flash-image', withImages([{ inlineData: { mimeType: 'image/png', data: 'aGVsbG8gd29ybGQ=' } }]));
    expectGoogleError(fake, 400, 'INVALID_ARGUMENT');
    expect(fake.json.error.message).toBe('Provided image is not valid.');
    const textModelPdf = await generate('gemini-2.5-flash', withImages([{ inlineData: { mimeType: 'application/pdf', data: 'aGVsbG8=' } }]));
    expect(textModelPdf.status).toBe(200);
  });

  it('400 for malformed JSON, missing contents, and IMAGE output from a text model', async () => {
    const broken = await generate('gemini-2.5-flash', '{"contents": [');
    expectGoogleError(broken, 400, 'INVALID_ARGUMENT');
    expect(broken.json.error.message).toContain('Invalid JSON payload received.');
    expectGoogleError(await generate('gemini-2.5-flash', {}), 400, 'INVALID_ARGUMENT');
    const modality = await generate('gemini-2.5-flash', { ...text, generationConfig: { responseModalities: ['IMAGE'] } });
    expectGoogleError(modality, 400, 'INVALID_ARGUMENT');
  });

  it('404 NOT_FOUND for an unknown model or a method the model lacks', async () => {
    const r = await generate('gemini-9-ultra', text);
    expectGoogleError(r, 404, 'NOT_FOUND');
    expect(r.json.error.message).toContain('models/gemini-9-ultra is not found');
    expectGoogleError(await generate('gemini-embedding-001', text), 404, 'NOT_FOUND');
  });

  it('403 without a key, 400 API_KEY_INVALID for a bad key, 429 for a nocredit key', async () => {
    expectGoogleError(await generate('gemini-2.5-flash', text, {}), 403, 'PERMISSION_DENIED');
    const bad = await generate('gemini-2.5-flash', text, { 'x-goog-api-key': 'AIza-invalid' });
    expectGoogleError(bad, 400, 'INVALID_ARGUMENT');
    expect(bad.json.error.details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' });
    const badQuery = await post(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent?key=invalid-1`, text);
    expect(badQuery.json.error.details[0].reason).toBe('API_KEY_INVALID');
    expectGoogleError(await generate('gemini-2.5-flash', text, { 'x-goog-api-key': 'AIza-nocredit' }), 429, 'RESOURCE_EXHAUSTED');
  });

  it('the SDK surfaces the refusal as an ApiError with its status', async () => {
    const ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
    const call = ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'x', config: { imageConfig: { imageSize: '1k' } } });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ status: 400 });
  });
});
