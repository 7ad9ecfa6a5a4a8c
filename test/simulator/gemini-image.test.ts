import { GoogleGenAI, type Part } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageModelSpec, outputTokensPerImage, pixelSize } from '../../src/dialects/gemini/image-models.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { decodePng, makePng, post } from './helpers.js';

let sim: RunningSimulator;
let ai: GoogleGenAI;
const key = { 'x-goog-api-key': 'AIza-test' };

beforeAll(async () => {
  sim = await startSimulator();
  ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());

function finalImage(parts: Part[] | undefined): Part {
  const images = (parts ?? []).filter((p) => p.inlineData && !p.thought);
  expect(images).toHaveLength(1);
  return images[0] as Part;
}

// [model, aspectRatio, imageSize, expected width, expected height] — the
// expectations are written out from wire-facts.md, not computed from the table.
const CASES: [string, string, string | undefined, number, number][] = [
  ['gemini-2.5-flash-image', '1:1', undefined, 1024, 1024],
  ['gemini-2.5-flash-image', '16:9', undefined, 1344, 768],
  ['gemini-2.5-flash-image', '2:3', undefined, 832, 1248],
  ['gemini-2.5-flash-image', '21:9', undefined, 1536, 672],
  ['gemini-2.5-flash-image', '4:5', '1K', 896, 1152],
  ['gemini-3-pro-image-preview', '1:1', undefined, 1024, 1024],
  ['gemini-3-pro-image-preview', '9:16', '1K', 768, 1376],
  ['gemini-3-pro-image-preview', '21:9', '2K', 3168, 1344],
  ['gemini-3-pro-image-preview', '4:3', '4K', 4800, 3584],
  ['gemini-3.1-flash-image-preview', '3:2', '512', 632, 424],
  ['gemini-3.1-flash-image-preview', '1:8', '512', 192, 1536],
  ['gemini-3.1-flash-image-preview', '4:1', '1K', 2048, 512],
  ['gemini-3.1-flash-image-preview', '5:4', '2K', 2304, 1856],
];

describe('Gemini image generation', () => {
  it.each(CASES)('%s %s %s → %ix%i, a decodable PNG with per-table usage', async (model, aspectRatio, imageSize, width, height) => {
    const r = await ai.models.generateContent({
      model,
      contents: 'A lighthouse at dusk',
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio, ...(imageSize && { imageSize }) } },
    });
    const part = finalImage(r.candidates?.[0]?.content?.parts);
    expect(part.inlineData?.mimeType).toBe('image/png');
    expect(part.thoughtSignature).toBeTruthy();
    expect(decodePng(part.inlineData?.data ?? '')).toEqual({ width, height });
    const spec = imageModelSpec(model);
    if (!spec) throw new Error(`no spec for ${model}`);
    expect(pixelSize(spec, aspectRatio, imageSize)).toEqual({ width, height });
    const imageTokens = outputTokensPerImage(spec, imageSize);
    const u = r.usageMetadata;
    expect(u?.candidatesTokensDetails).toEqual([{ modality: 'IMAGE', tokenCount: imageTokens }]);
    expect(u?.candidatesTokenCount).toBe(imageTokens);
    expect(u?.totalTokenCount).toBe((u?.promptTokenCount ?? 0) + (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0));
    expect(r.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('bills image tokens per the wire-facts table', async () => {
    const tokens = async (model: string, imageSize?: string) => {
      const r = await post(`${sim.url}/v1beta/models/${model}:generateContent`, {
        contents: [{ parts: [{ text: 'x' }] }],
        generationConfig: { imageConfig: imageSize ? { imageSize } : {} },
      }, key);
      return r.json.usageMetadata.candidatesTokensDetails[0].tokenCount;
    };
    expect(await tokens('gemini-2.5-flash-image')).toBe(1290);
    expect(await tokens('gemini-3-pro-image-preview')).toBe(1120);
    expect(await tokens('gemini-3-pro-image-preview', '2K')).toBe(1120);
    expect(await tokens('gemini-3.1-flash-image-preview', '512')).toBe(747);
    expect(await tokens('gemini-3.1-flash-image-preview', '1K')).toBe(1120);
    expect(await tokens('gemini-3.1-flash-image-preview', '2K')).toBe(1680);
  });

  it('3 Pro sends thought images before the final one, and reports thinking tokens', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'A robot painting', config: { imageConfig: { aspectRatio: '3:4' } } });
    const parts = r.candidates?.[0]?.content?.parts ?? [];
    const thoughts = parts.filter((p) => p.thought && p.inlineData);
    expect(thoughts.length).toBeGreaterThanOrEqual(1);
    expect(thoughts.length).toBeLessThanOrEqual(2);
    expect(parts[parts.length - 1]?.thought).toBeUndefined();
    expect(parts[parts.length - 1]?.thoughtSignature).toBeTruthy();
    for (const t of thoughts) expect(decodePng(t.inlineData?.data ?? '')).toEqual({ width: 896, height: 1200 });
    expect(r.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);
  });

  it('3.1 Flash thinks (one thought image) only at thinkingLevel high; 2.5 never', async () => {
    const high = await post(`${sim.url}/v1beta/models/gemini-3.1-flash-image-preview:generateContent`, {
      contents: [{ parts: [{ text: 'x' }] }],
      generationConfig: { thinkingConfig: { thinkingLevel: 'HIGH' } },
    }, key);
    expect(high.json.candidates[0].content.parts.filter((p: any) => p.thought)).toHaveLength(1);
    const minimal = await post(`${sim.url}/v1beta/models/gemini-3.1-flash-image-preview:generateContent`, { contents: [{ parts: [{ text: 'x' }] }] }, key);
    expect(minimal.json.candidates[0].content.parts).toHaveLength(1);
    const flash = await post(`${sim.url}/v1beta/models/gemini-2.5-flash-image:generateContent`, { contents: [{ parts: [{ text: 'x' }] }] }, key);
    expect(flash.json.usageMetadata.thoughtsTokenCount).toBeUndefined();
  });

  it('adds a short text part when TEXT is also requested', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash-image', contents: 'A cat', config: { responseModalities: ['TEXT', 'IMAGE'] } });
    const parts = r.candidates?.[0]?.content?.parts ?? [];
    expect(parts.some((p) => typeof p.text === 'string' && p.text.length > 0)).toBe(true);
    const details = r.usageMetadata?.candidatesTokensDetails ?? [];
    expect(details[0]).toEqual({ modality: 'IMAGE', tokenCount: 1290 });
    expect(details[1]?.modality).toBe('TEXT');
  });

  it('follows the input image shape when no aspect ratio is given (snake_case request)', async () => {
    const edit = async (w: number, h: number) => {
      const r = await post(`${sim.url}/v1beta/models/gemini-2.5-flash-image:generateContent`, {
        contents: [{ parts: [{ text: 'make it blue' }, { inline_data: { mime_type: 'image/png', data: makePng(w, h) } }] }],
        generation_config: { response_modalities: ['IMAGE'] },
      }, key);
      expect(r.status).toBe(200);
      return { size: decodePng(r.json.candidates[0].content.parts[0].inlineData.data), usage: r.json.usageMetadata };
    };
    const wide = await edit(160, 90);
    expect(wide.size).toEqual({ width: 1344, height: 768 });
    expect(wide.usage.promptTokensDetails).toContainEqual({ modality: 'IMAGE', tokenCount: 258 });
    expect((await edit(60, 80)).size).toEqual({ width: 864, height: 1184 });
    expect((await edit(33, 33)).size).toEqual({ width: 1024, height: 1024 });
  });

  it('accepts snake_case image_config', async () => {
    const r = await post(`${sim.url}/v1beta/models/gemini-3.1-flash-image-preview:generateContent`, {
      contents: [{ parts: [{ text: 'x' }] }],
      generation_config: { image_config: { aspect_ratio: '9:16', image_size: '512' } },
    }, key);
    expect(decodePng(r.json.candidates[0].content.parts[0].inlineData.data)).toEqual({ width: 384, height: 688 });
  });

  it('streams images: SSE through the SDK, thought images first, signature on the final one', async () => {
    const parts: Part[] = [];
    let finish;
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-3-pro-image-preview', contents: 'stream an image' })) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
      if (chunk.candidates?.[0]?.finishReason) expect(chunk.usageMetadata?.candidatesTokensDetails?.[0]?.tokenCount).toBe(1120);
    }
    expect(parts[0]?.thought).toBe(true);
    const final = finalImage(parts);
    expect(final.thoughtSignature).toBeTruthy();
    expect(decodePng(final.inlineData?.data ?? '')).toEqual({ width: 1024, height: 1024 });
    expect(finish).toBe('STOP');
  });

  it('accepts a multi-turn edit that echoes the signature, and refuses one that drops it (3 Pro)', async () => {
    const first = await ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: 'a hat' });
    const modelParts = first.candidates?.[0]?.content?.parts ?? [];
    const history = (parts: Part[]) => [
      { role: 'user', parts: [{ text: 'a hat' }] },
      { role: 'model', parts },
      { role: 'user', parts: [{ text: 'make it red' }] },
    ];
    const ok = await ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: history(modelParts) });
    expect(finalImage(ok.candidates?.[0]?.content?.parts).inlineData).toBeTruthy();
    const stripped = modelParts.map(({ thoughtSignature: _drop, ...rest }) => rest);
    await expect(ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: history(stripped) })).rejects.toMatchObject({ status: 400 });
    const skipped = stripped.map((p) => (p.thought ? p : { ...p, thoughtSignature: 'skip_thought_signature_validator' }));
    const accepted = await ai.models.generateContent({ model: 'gemini-3-pro-image-preview', contents: history(skipped) });
    expect(accepted.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('serves the same cached image bytes for the same size', async () => {
    const ask = () => post(`${sim.url}/v1beta/models/gemini-2.5-flash-image:generateContent`, { contents: [{ parts: [{ text: 'same' }] }] }, key);
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.json.candidates[0].content.parts[0].inlineData.data).toBe(b.json.candidates[0].content.parts[0].inlineData.data);
  });
});
