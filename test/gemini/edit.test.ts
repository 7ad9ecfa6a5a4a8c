// Image editing: reference images (1, 3, 14) through @google/genai, and a
// multi-turn edit whose model turn carries the thoughtSignature back unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, makePng } from '../simulator/helpers.js';
import { imageParts, startRig, type GeminiRig } from './helpers.js';

let rig: GeminiRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ inlineData: { mimeType: 'image/png', data: makePng(32 + i, 24 + i) } }));

describe('editing with reference images', () => {
  for (const [model, n] of [
    ['gemini-2.5-flash-image', 1],
    ['gemini-3-pro-image-preview', 3],
    ['gemini-3.1-flash-image-preview', 14],
  ] as const) {
    it(`${model} with ${n} reference image(s): upstream sees them all; the row counts one output image`, async () => {
      await rig.sim.clear();
      const res = await rig.ai.models.generateContent({
        model,
        contents: [{ role: 'user', parts: [{ text: 'combine these into one scene' }, ...refs(n)] }],
        config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:4' } },
      });
      expect(imageParts(res).final).toHaveLength(1);
      const [seen] = await rig.sim.requests();
      const parts = (seen!.body as any).contents[0].parts;
      expect(parts.filter((p: any) => p.inlineData)).toHaveLength(n);
      expect(await rig.lastRow()).toMatchObject({ status: 200, image_count: 1, aspect_ratio: '3:4' });
    });
  }

  it('with no aspectRatio, the output follows the input image shape (and the row says which)', async () => {
    const res = await rig.ai.models.generateContent({
      model: 'gemini-3-pro-image-preview',
      contents: [{ role: 'user', parts: [{ text: 'make it night' }, { inlineData: { mimeType: 'image/png', data: makePng(210, 90) } }] }],
    });
    expect(decodePng(imageParts(res).final[0].inlineData.data)).toEqual({ width: 1584, height: 672 });
    expect(await rig.lastRow()).toMatchObject({ aspect_ratio: '21:9', image_size: '1K' });
  });
});

describe('multi-turn editing', () => {
  it('the model turn goes back with its thoughtSignature byte for byte, and Gemini 3 accepts it', async () => {
    const model = 'gemini-3-pro-image-preview';
    const first = await rig.ai.models.generateContent({ model, contents: 'a paper boat', config: { responseModalities: ['TEXT', 'IMAGE'] } });
    const modelTurn = first.candidates![0]!.content!;
    const signed = imageParts(first).final[0];
    expect(signed.thoughtSignature).toBeTruthy();

    await rig.sim.clear();
    const history: any[] = [
      { role: 'user', parts: [{ text: 'a paper boat' }] },
      { role: 'model', parts: modelTurn.parts!.filter((p) => !p.thought) },
      { role: 'user', parts: [{ text: 'now make it red' }] },
    ];
    const second = await rig.ai.models.generateContent({ model, contents: history, config: { responseModalities: ['TEXT', 'IMAGE'] } });
    expect(imageParts(second).final).toHaveLength(1);

    // The journal keeps bodies under 256 KB: resend the turn with a small image
    // (same signature) to read what the upstream received.
    await rig.sim.clear();
    const small = makePng(16, 16);
    const light = [history[0], { role: 'model', parts: [{ ...signed, inlineData: { mimeType: 'image/png', data: small } }] }, history[2]];
    await rig.ai.models.generateContent({ model, contents: light, config: { responseModalities: ['IMAGE'] } });
    const [seen] = await rig.sim.requests();
    const upstreamImage = (seen!.body as any).contents[1].parts.find((p: any) => p.inlineData);
    expect(upstreamImage.thoughtSignature).toBe(signed.thoughtSignature);
    expect(upstreamImage.inlineData.data).toBe(small);
  });

  it('a history whose model image lost its signature is refused by the upstream, in Gemini shape', async () => {
    const res = await rig.post('gemini-3-pro-image-preview', 'generateContent', {
      contents: [
        { role: 'user', parts: [{ text: 'a boat' }] },
        { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: makePng(16, 16) } }] },
        { role: 'user', parts: [{ text: 'red' }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/thought_signature/) });
  });
});
