// One endpoint, both families: gpt-image-1 / dall-e-3 on an `openai` channel
// pass through untouched; a Gemini body posted to /v1/images/generations is
// served as generateContent and answered in Gemini's shape.
import { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_KEY, makePng, pngSize, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

describe('OpenAI image models pass through', () => {
  it('gpt-image-1 generations: the upstream gets the same body, with the channel’s key', async () => {
    const sent = { model: 'gpt-image-1', prompt: 'a watercolour fox', n: 2, size: '1024x1536', quality: 'low', output_format: 'webp', background: 'opaque' } as const;
    const { data: res, response } = await rig.client.images.generate(sent).withResponse();
    expect(res.data).toHaveLength(2);
    expect(res.data![0]!.b64_json).toBeTruthy();

    const calls = await rig.journal();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/v1/images/generations');
    expect(calls[0]!.body).toEqual(sent);
    expect(calls[0]!.headers.authorization).toMatch(/ai-1$/); // sk-upstream-oai-1, redacted to its tail
    expect(calls[0]!.headers.authorization).not.toContain(TOKEN_KEY.slice(-4));
    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'gpt-image-1' });
    expect(row.cost_micros).toBeGreaterThan(0);
  });

  it('dall-e-3 with response_format url: the upstream’s own answer, untouched', async () => {
    const sent = { model: 'dall-e-3', prompt: 'a lighthouse', size: '1792x1024', response_format: 'url' } as const;
    const res = await rig.client.images.generate(sent);
    expect(res.data).toHaveLength(1);
    expect(res.data![0]!.url).toBeTruthy();
    expect(res.data![0]!.url!.startsWith(rig.gw.url)).toBe(false);
    const [call] = await rig.journal();
    expect(call!.body).toEqual(sent);
  });

  it('gpt-image-1 edits: the multipart form reaches the upstream as sent', async () => {
    const a = makePng(32, 32);
    const b = makePng(16, 16);
    const res = await rig.client.images.edit({
      model: 'gpt-image-1',
      image: [await toFile(a, 'a.png', { type: 'image/png' }), await toFile(b, 'b.png', { type: 'image/png' })],
      prompt: 'blend',
      size: '1024x1024',
    });
    expect(res.data).toHaveLength(1);
    const [call] = await rig.journal();
    expect(call!.path).toBe('/v1/images/edits');
    expect(call!.body).toMatchObject({ model: 'gpt-image-1', prompt: 'blend', size: '1024x1024' });
    expect(call!.body.files.map((f: any) => [f.field, f.filename, f.contentType, f.bytes])).toEqual([
      ['image[]', 'a.png', 'image/png', a.length],
      ['image[]', 'b.png', 'image/png', b.length],
    ]);
  });
});

describe('a Gemini body on /v1/images/generations', () => {
  it('is served as generateContent and answered in Gemini’s shape', async () => {
    const geminiBody = {
      contents: [{ role: 'user', parts: [{ text: 'a red panda' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9', imageSize: '2K' } },
    };
    const res = await fetch(`${rig.gw.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
      body: JSON.stringify({ model: 'gemini-3-pro-image-preview', ...geminiBody }),
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as any;
    expect(json.data).toBeUndefined();
    expect(json.usageMetadata.candidatesTokenCount).toBeGreaterThan(0);
    const parts: any[] = json.candidates[0].content.parts;
    const finals = parts.filter((p) => p.inlineData && !p.thought);
    expect(finals).toHaveLength(1);
    expect(pngSize(finals[0].inlineData.data)).toEqual({ width: 2752, height: 1536 });
    expect(finals[0].thoughtSignature).toBeTruthy();

    const calls = await rig.journal();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/v1beta/models/gemini-3-pro-image-preview:generateContent');
    expect(calls[0]!.body).toEqual(geminiBody);

    const row = await rig.row(res.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 1, image_size: '2K', aspect_ratio: '16:9' });
    expect(row.cost_detail.images).toBe(134_000);
  });

  it('a Gemini body the model refuses is answered with Gemini’s error shape, upstream never called', async () => {
    const res = await fetch(`${rig.gw.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
      body: JSON.stringify({
        model: 'gemini-3-pro-image-preview',
        contents: [{ parts: [{ text: 'x' }] }],
        generationConfig: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '512' } },
      }),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as any;
    expect(json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(await rig.journal()).toHaveLength(0);
  });
});
