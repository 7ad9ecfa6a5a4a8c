import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { decodePng, get, makePng } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.journal?.clear());

const png = (w: number, h: number) => Buffer.from(makePng(w, h), 'base64');
const pngFile = (w: number, h: number, name = 'in.png') => toFile(png(w, h), name, { type: 'image/png' });

/** Posts a hand-built form (for what the SDK would not send). */
async function postForm(form: FormData, headers: Record<string, string> = { authorization: 'Bearer k' }) {
  const res = await fetch(`${sim.url}/v1/images/edits`, { method: 'POST', body: form, headers });
  return { status: res.status, json: (await res.json()) as any };
}

describe('image edits', () => {
  it('edits one image with gpt-image-1 through the SDK: a real PNG and usage with image tokens', async () => {
    const r = await client.images.edit({ model: 'gpt-image-1', image: await pngFile(64, 64), prompt: 'add a hat', size: '1024x1536', quality: 'low' });
    expect(decodePng(r.data?.[0]?.b64_json ?? '')).toEqual({ width: 1024, height: 1536 });
    expect(r.usage?.output_tokens).toBe(408);
    expect(r.usage?.input_tokens_details.image_tokens).toBeGreaterThan(0);
    expect(r.usage?.input_tokens).toBe((r.usage?.input_tokens_details.text_tokens ?? 0) + (r.usage?.input_tokens_details.image_tokens ?? 0));
  });

  it('takes several images as image[] (gpt-image-1.5), auto size following the first image’s shape', async () => {
    const images = [await pngFile(300, 200, 'a.png'), await pngFile(50, 50, 'b.png'), await pngFile(20, 40, 'c.png')];
    const r = await client.images.edit({ model: 'gpt-image-1.5', image: images, prompt: 'combine', n: 2 });
    expect(r.data).toHaveLength(2);
    expect(decodePng(r.data?.[1]?.b64_json ?? '')).toEqual({ width: 1536, height: 1024 });
    const entry = (await get(`${sim.url}/__sim/requests`)).json.requests.at(-1);
    expect(entry.path).toBe('/v1/images/edits');
    expect(entry.body.model).toBe('gpt-image-1.5');
    expect(entry.body.prompt).toBe('combine');
    expect(entry.body.files.map((f: any) => f.field)).toEqual(['image[]', 'image[]', 'image[]']);
    expect(entry.body.files[0]).toMatchObject({ filename: 'a.png', contentType: 'image/png' });
    expect(entry.body.files[0].bytes).toBeGreaterThan(0);
  });

  it('answers dall-e-2 edits by URL, with a matching mask', async () => {
    const r = await client.images.edit({ model: 'dall-e-2', image: await pngFile(32, 32), mask: await pngFile(32, 32, 'mask.png'), prompt: 'fill', size: '256x256' });
    const url = r.data?.[0]?.url ?? '';
    expect(url).toContain('/__sim/images/256x256.png');
    expect(decodePng(Buffer.from(await (await fetch(url)).arrayBuffer()))).toEqual({ width: 256, height: 256 });
  });

  it('refuses a file sent without an image content type, as OpenAI does', async () => {
    const err = await client.images.edit({ model: 'gpt-image-1', image: await toFile(png(8, 8), 'in.png'), prompt: 'x' }).catch((e) => e);
    expect(err).toMatchObject({ status: 400, code: 'unsupported_file_mimetype', param: 'image' });
    expect(err.message).toContain("unsupported mimetype ('application/octet-stream')");
    const many = await client.images.edit({ model: 'gpt-image-1', image: [await pngFile(8, 8), await toFile(Buffer.from('hello'), 'notes.txt', { type: 'text/plain' })], prompt: 'x' }).catch((e) => e);
    expect(many).toMatchObject({ status: 400, param: 'image[1]', code: 'unsupported_file_mimetype' });
  });

  it('refuses a non-image body, a missing prompt, too many images and a wrong mask', async () => {
    const fake = new FormData();
    fake.append('model', 'gpt-image-1');
    fake.append('prompt', 'x');
    fake.append('image', new Blob(['not a png'], { type: 'image/png' }), 'fake.png');
    expect((await postForm(fake)).json.error).toMatchObject({ param: 'image', code: 'invalid_image_file' });

    const noPrompt = new FormData();
    noPrompt.append('model', 'gpt-image-1');
    noPrompt.append('image', new Blob([png(8, 8)], { type: 'image/png' }), 'a.png');
    const missing = await postForm(noPrompt);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ message: "Missing required parameter: 'prompt'.", param: 'prompt', code: 'missing_required_parameter' });

    const images = await Promise.all(Array.from({ length: 17 }, () => pngFile(4, 4)));
    await expect(client.images.edit({ model: 'gpt-image-1', image: images, prompt: 'x' })).rejects.toMatchObject({ status: 400, code: 'array_above_max_length' });
    await expect(client.images.edit({ model: 'dall-e-2', image: await pngFile(32, 16), prompt: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(client.images.edit({ model: 'dall-e-2', image: await pngFile(32, 32), mask: await pngFile(16, 16), prompt: 'x' })).rejects.toMatchObject({ status: 400, param: 'mask' });
    await expect(client.images.edit({ model: 'dall-e-3', image: await pngFile(32, 32), prompt: 'x' })).rejects.toMatchObject({ status: 400, param: 'model' });
  });

  it('refuses a JSON body and a missing key in OpenAI’s shape', async () => {
    const json = await fetch(`${sim.url}/v1/images/edits`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as any).error.message).toContain('multipart/form-data');
    const form = new FormData();
    form.append('prompt', 'x');
    expect((await postForm(form, {})).status).toBe(401);
  });
});
