// POST /v1/images/edits (multipart, via the SDK's images.edit and toFile): the
// uploaded files become reference images — inline parts in the Gemini request.
import { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASK_INSTRUCTION } from '../../src/dialects/openai/images/edits-request.js';
import { imageConfigOf, inlineParts, makePng, pngSize, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

const png = (bytes: Buffer, name: string) => toFile(bytes, name, { type: 'image/png' });

describe('images.edit', () => {
  it('one file: the upstream sees the prompt and the image inline, byte for byte', async () => {
    const source = makePng(64, 64);
    const { data: res, response } = await rig.client.images
      .edit({ model: 'gemini-3-pro-image-preview', image: await png(source, 'cat.png'), prompt: 'give the cat a hat', size: '1024x1024' })
      .withResponse();
    expect(res.data).toHaveLength(1);
    expect(pngSize(res.data![0]!.b64_json!)).toEqual({ width: 1024, height: 1024 });

    const calls = await rig.geminiCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/v1beta/models/gemini-3-pro-image-preview:generateContent');
    const body = calls[0]!.body;
    expect(body.contents[0].parts[0].text).toBe('give the cat a hat');
    const images = inlineParts(body);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ mimeType: 'image/png', data: source.toString('base64') });
    expect(imageConfigOf(body)).toEqual({ aspectRatio: '1:1', imageSize: '1K' });

    // One reference image is billed at the input side; the output image at its list price.
    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 1, image_size: '1K' });
    expect(row.cost_detail.images).toBe(134_000);
    expect(res.usage!.input_tokens_details.image_tokens).toBe(560);
  });

  it('three files (image[]): three inline parts in order; size auto follows the first image’s shape', async () => {
    const files = [makePng(300, 200), makePng(40, 40), makePng(20, 60)];
    const res = await rig.client.images.edit({
      model: 'gemini-3.1-flash-image-preview',
      image: await Promise.all(files.map((f, i) => png(f, `ref-${i}.png`))),
      prompt: 'combine these',
      size: 'auto',
    });
    expect(res.data).toHaveLength(1);
    // 3:2 input → the 3:2 1K size of the Gemini 3 family.
    expect(pngSize(res.data![0]!.b64_json!)).toEqual({ width: 1264, height: 848 });

    const [call] = await rig.geminiCalls();
    const images = inlineParts(call!.body);
    expect(images.map((i) => i.data)).toEqual(files.map((f) => f.toString('base64')));
    expect(imageConfigOf(call!.body)).toBeUndefined();
    expect(res.usage!.input_tokens_details.image_tokens).toBe(3 * 560);
  });

  it('with a mask: the mask travels as the last image and the prompt says what it is', async () => {
    const image = makePng(64, 64);
    const mask = makePng(64, 64, true);
    const res = await rig.client.images.edit({
      model: 'gemini-2.5-flash-image',
      image: await png(image, 'room.png'),
      mask: await png(mask, 'mask.png'),
      prompt: 'put a plant in the corner',
      size: '1536x1024',
    });
    expect(pngSize(res.data![0]!.b64_json!)).toEqual({ width: 1248, height: 832 });
    const [call] = await rig.geminiCalls();
    const images = inlineParts(call!.body);
    expect(images.map((i) => i.data)).toEqual([image.toString('base64'), mask.toString('base64')]);
    expect(call!.body.contents[0].parts[0].text).toBe(`put a plant in the corner\n\n${MASK_INSTRUCTION}`);
    expect(imageConfigOf(call!.body)).toEqual({ aspectRatio: '3:2' });
  });

  it('n=2 with jpeg and webp references: two calls, each with both images; jpeg output', async () => {
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ff0000' } }).jpeg().toBuffer();
    const webp = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#00ff00' } }).webp().toBuffer();
    const res = await rig.client.images.edit({
      model: 'gemini-3.1-flash-image-preview',
      image: [await toFile(jpeg, 'a.jpg', { type: 'image/jpeg' }), await toFile(webp, 'b.webp', { type: 'image/webp' })],
      prompt: 'merge',
      n: 2,
      size: '512x512',
      output_format: 'jpeg',
    });
    expect(res.data).toHaveLength(2);
    for (const d of res.data!) expect((await sharp(Buffer.from(d.b64_json!, 'base64')).metadata()).format).toBe('jpeg');
    const calls = await rig.geminiCalls();
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(inlineParts(call.body).map((i) => i.mimeType)).toEqual(['image/jpeg', 'image/webp']);
  });

  it('a GIF reference reaches Gemini (which reads no GIF) as a PNG', async () => {
    const gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0000ff' } }).gif().toBuffer();
    const res = await rig.client.images.edit({ model: 'gemini-2.5-flash-image', image: await toFile(gif, 'anim.gif', { type: 'image/gif' }), prompt: 'make it red' });
    expect(res.data).toHaveLength(1);
    const [call] = await rig.geminiCalls();
    const [ref] = inlineParts(call!.body);
    expect(ref!.mimeType).toBe('image/png');
    expect(pngSize(ref!.data)).toEqual({ width: 16, height: 16 });
  });

  it('response_format url works for edits too', async () => {
    const res = await rig.client.images.edit({ model: 'gemini-2.5-flash-image', image: await png(makePng(32, 32), 'x.png'), prompt: 'sepia', response_format: 'url' });
    const url = res.data![0]!.url!;
    expect(url.startsWith(`${rig.gw.url}/v1/files/images/`)).toBe(true);
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(pngSize(Buffer.from(await got.arrayBuffer()))).toEqual({ width: 1024, height: 1024 });
  });
});
