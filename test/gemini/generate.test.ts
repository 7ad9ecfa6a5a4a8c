// Text and image generation through the gateway with @google/genai, against
// the simulator: real PNGs at the official sizes, thought images told apart,
// and the usage row recording what was produced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageModelSpec, pixelSize } from '../../src/dialects/gemini/image-models.js';
import { decodePng } from '../simulator/helpers.js';
import { imageParts, startRig, type GeminiRig } from './helpers.js';

let rig: GeminiRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('text', () => {
  it('generateContent: the answer and its usage', async () => {
    const res = await rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'name three rivers' });
    expect(res.text).toBeTruthy();
    const row = await rig.lastRow();
    expect(row).toMatchObject({ route: 'gemini.generateContent', status: 200, image_count: 0, image_size: null, aspect_ratio: null });
    expect(row.input_tokens).toBe(res.usageMetadata!.promptTokenCount);
  });

  it('streaming (SSE): chunks assemble into text, the row is a stream', async () => {
    let text = '';
    let chunks = 0;
    for await (const chunk of await rig.ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'a long answer please' })) {
      text += chunk.text ?? '';
      chunks++;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
    expect(await rig.lastRow()).toMatchObject({ route: 'gemini.streamGenerateContent', is_stream: 1, status: 200 });
  });
});

// Model × aspect ratio × size, a spread rather than the full cross product.
const CASES: Array<[model: string, ratio: string | undefined, size: string | undefined]> = [
  ['gemini-2.5-flash-image', undefined, undefined],
  ['gemini-2.5-flash-image', '16:9', undefined],
  ['gemini-2.5-flash-image', '21:9', '1K'],
  ['gemini-2.5-flash-image', '2:3', undefined],
  ['gemini-3-pro-image-preview', '1:1', '1K'],
  ['gemini-3-pro-image-preview', '3:2', '2K'],
  ['gemini-3-pro-image-preview', '9:16', '4K'],
  ['gemini-3.1-flash-image-preview', '8:1', '512'],
  ['gemini-3.1-flash-image-preview', '1:4', '1K'],
  ['gemini-3.1-flash-image-preview', '4:5', '2K'],
];

describe('image generation', () => {
  for (const [model, ratio, size] of CASES) {
    it(`${model} ${ratio ?? '(no ratio)'} ${size ?? '(default size)'}: a real PNG of the table's size; the row records it`, async () => {
      const res = await rig.ai.models.generateContent({
        model,
        contents: `a lighthouse, ${ratio} ${size}`,
        config: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { ...(ratio && { aspectRatio: ratio }), ...(size && { imageSize: size }) } },
      });
      const { final, thought } = imageParts(res);
      expect(final).toHaveLength(1);
      const spec = imageModelSpec(model)!;
      expect(decodePng(final[0].inlineData.data)).toEqual(pixelSize(spec, ratio, size));
      if (spec.thinking === 'always') expect(thought.length).toBeGreaterThan(0);
      expect(final[0].thoughtSignature).toBeTruthy();

      const row = await rig.lastRow();
      expect(row).toMatchObject({ model_requested: model, status: 200, image_count: 1, image_size: size ?? '1K', aspect_ratio: ratio ?? '1:1' });
      expect(row.output_image_tokens).toBe(res.usageMetadata!.candidatesTokensDetails!.find((d) => d.modality === 'IMAGE')!.tokenCount);
    });
  }

  it('3 Pro sends thought images first: only the final one is counted', async () => {
    const res = await rig.ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'a fox in snow', config: { responseModalities: ['IMAGE'] } });
    const { final, thought } = imageParts(res);
    expect(thought.length).toBeGreaterThanOrEqual(1);
    expect(final).toHaveLength(1);
    const row = await rig.lastRow();
    expect(row.image_count).toBe(1);
    // Billed for one image at the 1K list price ($0.134), the thought images free.
    expect(JSON.parse(row.cost_detail)).toMatchObject({ images: 134_000 });
  });

  it('3.1 Flash at thinkingLevel high: a thought image, one billed image', async () => {
    const res = await rig.ai.models.generateContent({
      model: 'gemini-3.1-flash-image-preview',
      contents: 'a teapot',
      config: { responseModalities: ['IMAGE'], thinkingConfig: { thinkingLevel: 'high' as any }, imageConfig: { aspectRatio: '4:1', imageSize: '2K' } },
    });
    expect(imageParts(res).thought).toHaveLength(1);
    expect(await rig.lastRow()).toMatchObject({ image_count: 1, image_size: '2K', aspect_ratio: '4:1' });
  });

  it('streamed (SSE) image: the image arrives whole in one chunk and decodes', async () => {
    const finals: any[] = [];
    for await (const chunk of await rig.ai.models.generateContentStream({
      model: 'gemini-3-pro-image-preview',
      contents: 'a harbour at night',
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '4:3', imageSize: '2K' } },
    })) {
      finals.push(...imageParts(chunk).final);
    }
    expect(finals).toHaveLength(1);
    expect(decodePng(finals[0].inlineData.data)).toEqual({ width: 2400, height: 1792 });
    expect(await rig.lastRow()).toMatchObject({ is_stream: 1, image_count: 1, image_size: '2K', aspect_ratio: '4:3' });
  });

  it('streamed without alt=sse: a JSON array whose image decodes', async () => {
    const res = await rig.post('gemini-2.5-flash-image', 'streamGenerateContent', {
      contents: [{ parts: [{ text: 'a red bicycle' }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '5:4' } },
    });
    expect(res.status).toBe(200);
    const elements = (await res.json()) as any[];
    const finals = elements.flatMap((e) => imageParts(e).final);
    expect(finals).toHaveLength(1);
    expect(decodePng(finals[0].inlineData.data)).toEqual({ width: 1152, height: 896 });
    expect(await rig.lastRow()).toMatchObject({ is_stream: 1, image_count: 1, aspect_ratio: '5:4' });
  });

  it('TEXT-only modalities on an image model: no image asked, none recorded', async () => {
    const res = await rig.ai.models.generateContent({ model: 'gemini-2.5-flash-image', contents: 'describe a cat', config: { responseModalities: ['TEXT'] } });
    expect(res.text).toBeTruthy();
    expect(await rig.lastRow()).toMatchObject({ image_count: 0, image_size: null });
  });
});
