// POST /v1/images/generations with the openai SDK and a Gemini image model:
// `size` (and the aspect_ratio / image_size extensions, a literal ratio,
// `auto`) becomes the imageConfig the upstream receives, and the PNG that comes
// back has the model's real pixel size for that ratio and size class.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { imageConfigOf, pngSize, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

interface Case {
  model: string;
  /** What the client sends besides model and prompt. */
  params: Record<string, unknown>;
  /** The imageConfig the upstream must receive (undefined: none at all). */
  upstream: Record<string, unknown> | undefined;
  pixels: [number, number];
}

// Expected values come from the README table (ratio nearest on a log scale, size
// class by the long side) and Google's pixel tables, written out by hand.
const CASES: Case[] = [
  // gemini-2.5-flash-image: one fixed 1024 px class, so no imageSize is sent.
  { model: 'gemini-2.5-flash-image', params: { size: '1024x1024' }, upstream: { aspectRatio: '1:1' }, pixels: [1024, 1024] },
  { model: 'gemini-2.5-flash-image', params: { size: '1536x1024' }, upstream: { aspectRatio: '3:2' }, pixels: [1248, 832] },
  { model: 'gemini-2.5-flash-image', params: { size: '1024x1536' }, upstream: { aspectRatio: '2:3' }, pixels: [832, 1248] },
  { model: 'gemini-2.5-flash-image', params: { size: '1792x1024' }, upstream: { aspectRatio: '16:9' }, pixels: [1344, 768] },
  // gemini-3-pro-image-preview: 1K/2K/4K, no 512 (a small size falls back to 1K).
  { model: 'gemini-3-pro-image-preview', params: { size: '1024x1024' }, upstream: { aspectRatio: '1:1', imageSize: '1K' }, pixels: [1024, 1024] },
  { model: 'gemini-3-pro-image-preview', params: { size: '1536x1024' }, upstream: { aspectRatio: '3:2', imageSize: '1K' }, pixels: [1264, 848] },
  { model: 'gemini-3-pro-image-preview', params: { size: '1792x1024' }, upstream: { aspectRatio: '16:9', imageSize: '2K' }, pixels: [2752, 1536] },
  { model: 'gemini-3-pro-image-preview', params: { size: '512x512' }, upstream: { aspectRatio: '1:1', imageSize: '1K' }, pixels: [1024, 1024] },
  { model: 'gemini-3-pro-image-preview', params: { size: '2048x1536' }, upstream: { aspectRatio: '4:3', imageSize: '2K' }, pixels: [2400, 1792] },
  // gemini-3.1-flash-image-preview: 512 too, and the extreme ratios.
  { model: 'gemini-3.1-flash-image-preview', params: { size: '512x512' }, upstream: { aspectRatio: '1:1', imageSize: '512' }, pixels: [512, 512] },
  { model: 'gemini-3.1-flash-image-preview', params: { size: '1024x256' }, upstream: { aspectRatio: '4:1', imageSize: '1K' }, pixels: [2048, 512] },
  { model: 'gemini-3.1-flash-image-preview', params: { size: '1024x1792' }, upstream: { aspectRatio: '9:16', imageSize: '2K' }, pixels: [1536, 2752] },
  { model: 'gemini-3.1-flash-image-preview', params: { size: '3000x1000' }, upstream: { aspectRatio: '21:9', imageSize: '2K' }, pixels: [3168, 1344] },
  // Extension fields, a literal ratio, auto.
  { model: 'gemini-3-pro-image-preview', params: { aspect_ratio: '21:9', image_size: '2K' }, upstream: { aspectRatio: '21:9', imageSize: '2K' }, pixels: [3168, 1344] },
  { model: 'gemini-3-pro-image-preview', params: { size: '1024x1024', aspect_ratio: '9:16' }, upstream: { aspectRatio: '9:16', imageSize: '1K' }, pixels: [768, 1376] },
  { model: 'gemini-3.1-flash-image-preview', params: { image_config: { aspect_ratio: '4:5', image_size: '512' } }, upstream: { aspectRatio: '4:5', imageSize: '512' }, pixels: [464, 576] },
  { model: 'gemini-3.1-flash-image-preview', params: { size: '16:9' }, upstream: { aspectRatio: '16:9' }, pixels: [1376, 768] },
  { model: 'gemini-2.5-flash-image', params: { size: '21:9' }, upstream: { aspectRatio: '21:9' }, pixels: [1536, 672] },
  { model: 'gemini-2.5-flash-image', params: { size: '1024x1024', image_size: '1K' }, upstream: { aspectRatio: '1:1' }, pixels: [1024, 1024] },
  { model: 'gemini-3-pro-image-preview', params: { size: 'auto' }, upstream: undefined, pixels: [1024, 1024] },
  { model: 'gemini-3.1-flash-image-preview', params: {}, upstream: undefined, pixels: [1024, 1024] },
];

describe('size → imageConfig → real pixels', () => {
  for (const c of CASES) {
    it(`${c.model} ${JSON.stringify(c.params)} → ${JSON.stringify(c.upstream ?? 'no imageConfig')} → ${c.pixels.join('x')}`, async () => {
      const res = await rig.client.images.generate({ model: c.model, prompt: 'a banana on a table', ...c.params } as any);
      expect(res.data).toHaveLength(1);
      const b64 = res.data![0]!.b64_json!;
      expect(pngSize(b64)).toEqual({ width: c.pixels[0], height: c.pixels[1] });
      expect(res.size).toBe(c.pixels.join('x'));
      expect(res.output_format).toBe('png');

      const calls = await rig.geminiCalls();
      expect(calls).toHaveLength(1);
      expect(calls[0]!.path).toBe(`/v1beta/models/${c.model}:generateContent`);
      const body = calls[0]!.body;
      expect(imageConfigOf(body)).toEqual(c.upstream);
      // The OpenAI-only fields never reach Gemini; the IMAGE modality does.
      expect(JSON.stringify(body)).not.toMatch(/"(size|aspect_ratio|image_size|response_format|n)"\s*:/);
      expect((body.generationConfig ?? body.generation_config).responseModalities).toContain('IMAGE');
      expect(body.contents[0].parts[0].text).toBe('a banana on a table');
    });
  }

  it('the row records the size class and ratio the upstream was asked for', async () => {
    const { response } = await rig.client.images.generate({ model: 'gemini-3.1-flash-image-preview', prompt: 'a kite', size: '1024x1792' }).withResponse();
    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ route: expect.stringContaining('images'), status: 200, image_count: 1, image_size: '2K', aspect_ratio: '9:16' });
  });

  it('the Gemini body carries only fields Google knows (no OpenAI leftovers like user or quality)', async () => {
    await rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'a lime', size: '1024x1024', quality: 'hd', user: 'user-42', background: 'opaque' });
    const [call] = await rig.geminiCalls();
    const known = ['contents', 'systemInstruction', 'generationConfig', 'safetySettings', 'tools', 'toolConfig', 'cachedContent', 'labels'];
    for (const key of Object.keys(call!.body)) expect(known, key).toContain(key);
    expect(JSON.stringify(call!.body)).not.toContain('user-42');
  });

  it('revised_prompt is the model’s text part; quality is echoed as gpt-image names it; usage reports image output tokens', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-3.1-flash-image-preview', prompt: 'a lemon', size: '1024x1024', quality: 'hd' });
    expect(res.quality).toBe('high');
    expect(res.background).toBe('opaque');
    expect(res.created).toBeGreaterThan(1_700_000_000);
    expect(res.data![0]!.revised_prompt).toBeTruthy();
    // 3.1 Flash bills 1120 image tokens for a 1K image.
    expect(res.usage?.output_tokens_details?.image_tokens).toBe(1120);
    expect(res.usage!.input_tokens).toBeGreaterThan(0);
  });
});
