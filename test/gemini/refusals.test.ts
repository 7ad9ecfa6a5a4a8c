// Every refusal class for image models, end to end: 400 INVALID_ARGUMENT in
// Gemini's shape, a message that says what to fix, and an upstream that saw
// nothing. Also the usage row of a refused request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../simulator/helpers.js';
import { startRig, type GeminiRig } from './helpers.js';

let rig: GeminiRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const PNG = makePng(8, 8);
// A real PNG header followed by 7 MB of filler: valid base64, reads as a PNG.
const HEAD = PNG.replace(/=+$/, '');
const BIG = HEAD.slice(0, HEAD.length - (HEAD.length % 4)) + 'A'.repeat(7 * 1024 * 1024);
const img = (data = PNG, mime = 'image/png') => ({ inline_data: { mime_type: mime, data } });
const config = (image_config: object) => ({ response_modalities: ['IMAGE'], image_config });

const CASES: Array<[label: string, model: string, body: object, message: RegExp]> = [
  ['aspect ratio not offered', 'gemini-2.5-flash-image', { contents: [{ parts: [{ text: 'x' }] }], generation_config: config({ aspect_ratio: '4:1' }) }, /aspect_ratio must be one of/],
  ['aspect ratio spelled 16x9 (camelCase)', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { imageConfig: { aspectRatio: '16x9' } } }, /aspect_ratio/],
  ['imageSize in lowercase', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { imageConfig: { imageSize: '1k' } } }, /imageSize must be uppercase: 1K/],
  ['512 off 3.1 Flash', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }] }], generation_config: config({ image_size: '512' }) }, /'1K', '2K', or '4K'/],
  ['a size 2.5 Flash Image cannot render', 'gemini-2.5-flash-image', { contents: [{ parts: [{ text: 'x' }] }], generation_config: config({ image_size: '4K' }) }, /not supported/],
  ['15 reference images', 'gemini-3.1-flash-image-preview', { contents: [{ parts: [{ text: 'x' }, ...Array.from({ length: 15 }, () => img())] }] }, /Too many reference images: 15/],
  ['invalid base64', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }, img('@@not-base64@@')] }] }, /base64/],
  ['a MIME type that is not an image', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }, img(PNG, 'video/mp4')] }] }, /Unsupported MIME type/],
  ['no MIME type', 'gemini-2.5-flash-image', { contents: [{ parts: [{ text: 'x' }, { inlineData: { data: PNG } }] }] }, /mime_type is required/],
  ['image bytes that are not an image', 'gemini-2.5-flash-image', { contents: [{ parts: [{ text: 'x' }, img(Buffer.from('plain text').toString('base64'))] }] }, /not a PNG/],
  ['inline data over 20 MB', 'gemini-3-pro-image-preview', { contents: [{ parts: [{ text: 'x' }, img(BIG), img(BIG), img(BIG)] }] }, /exceeds 20 MB/],
];

describe('refused before any upstream call', () => {
  for (const [label, model, body, message] of CASES) {
    it(`${label} → 400 INVALID_ARGUMENT`, async () => {
      await rig.sim.clear();
      for (const method of ['generateContent', 'streamGenerateContent']) {
        const res = await rig.post(model, method, body, {}, method === 'streamGenerateContent' ? '?alt=sse' : '');
        expect(res.status).toBe(400);
        const json = (await res.json()) as any;
        expect(json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
        expect(json.error.message).toMatch(message);
      }
      expect(await rig.sim.requests()).toHaveLength(0);
    });
  }

  it('the SDK raises an ApiError 400, and the row records the refusal with no channel', async () => {
    await rig.sim.clear();
    const call = rig.ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'x', config: { imageConfig: { imageSize: '2k' } } });
    await expect(call).rejects.toMatchObject({ name: 'ApiError', status: 400 });
    expect(await rig.sim.requests()).toHaveLength(0);
    const row = await rig.lastRow();
    expect(row).toMatchObject({ status: 400, channel_id: null, image_count: 0 });
    expect(row.error).toMatch(/uppercase/);
  });

  it('a model outside the table is not validated: its refusal comes from the upstream', async () => {
    await rig.sim.clear();
    const res = await rig.post('gemini-2.5-flash', 'generateContent', { contents: [{ parts: [{ text: 'x' }, img('@@not-base64@@')] }] });
    expect(res.status).toBe(400);
    expect(await rig.sim.requests()).toHaveLength(1);
  });

  it('14 reference images and a valid config pass', async () => {
    const res = await rig.post('gemini-3-pro-image-preview', 'generateContent', {
      contents: [{ parts: [{ text: 'x' }, ...Array.from({ length: 14 }, () => img())] }],
      generation_config: config({ aspect_ratio: '21:9', image_size: '1K' }),
    });
    expect(res.status).toBe(200);
  });
});
