// Every refusal of the OpenAI image routes for Gemini image models comes back in
// OpenAI's error shape (the SDK raises it as an APIError with param and code),
// before any upstream call and without billing.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_KEY, apiError, makePng, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

type Refused = InstanceType<typeof OpenAI.APIError>;

/** The OpenAI error shape, no upstream call, and a zero-cost row with the status. */
async function expectRefusal(err: Refused, status: number, param: string | null, code?: RegExp): Promise<void> {
  expect(err.status).toBe(status);
  const body = err.error as { message: string; type: string; param: string | null; code: string | null };
  expect(Object.keys(body).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.message.length).toBeGreaterThan(10);
  expect(body.type).toBe('invalid_request_error');
  expect(body.param).toBe(param);
  if (code) expect(body.code ?? '').toMatch(code);
  expect(await rig.journal()).toHaveLength(0);
  const row = await rig.row(err.headers?.get('x-request-id'));
  expect(row).toMatchObject({ status, cost_micros: 0, image_count: 0 });
}

const gen = (body: Record<string, unknown>) => rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'a cat', ...body } as any);

describe('generations', () => {
  it('n below 1 or above 10', async () => {
    await expectRefusal(await apiError(gen({ n: 0 })), 400, 'n', /integer_below_min_value/);
    await expectRefusal(await apiError(gen({ n: 11 })), 400, 'n', /integer_above_max_value/);
    await expectRefusal(await apiError(gen({ n: 2.5 })), 400, 'n');
  });

  it('missing or empty prompt', async () => {
    await expectRefusal(await apiError(rig.client.images.generate({ model: 'gemini-3-pro-image-preview' } as any)), 400, 'prompt', /missing_required_parameter/);
    await expectRefusal(await apiError(gen({ prompt: '   ' })), 400, 'prompt', /empty_string/);
    await expectRefusal(await apiError(gen({ prompt: 42 })), 400, 'prompt');
  });

  it('a size the model cannot render', async () => {
    // 3 Pro renders 1K/2K/4K only; 512 is 3.1 Flash's.
    const small = await apiError(gen({ image_size: '512' }));
    await expectRefusal(small, 400, 'image_size', /invalid_value/);
    expect(small.message).toMatch(/1K/);
    // Lower-case sizes are refused with a hint.
    const lower = await apiError(gen({ image_size: '2k' }));
    await expectRefusal(lower, 400, 'image_size');
    expect(lower.message).toMatch(/case-sensitive/);
    // 4:1 is a 3.1 Flash ratio, not 3 Pro's.
    await expectRefusal(await apiError(gen({ aspect_ratio: '4:1' })), 400, 'aspect_ratio');
    await expectRefusal(await apiError(gen({ size: '4:1' })), 400, 'size');
    // 2.5 Flash Image has one fixed size class.
    await expectRefusal(await apiError(rig.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'x', image_size: '2K' } as any)), 400, 'image_size');
    await expectRefusal(await apiError(gen({ size: '99999x99999' })), 400, 'size');
    await expectRefusal(await apiError(gen({ size: 'huge' })), 400, 'size');
  });

  it('bad output options and streaming', async () => {
    await expectRefusal(await apiError(gen({ response_format: 'gif' })), 400, 'response_format');
    await expectRefusal(await apiError(gen({ output_format: 'bmp' })), 400, 'output_format');
    await expectRefusal(await apiError(gen({ output_format: 'png', output_compression: 50 })), 400, 'output_compression');
    await expectRefusal(await apiError(gen({ output_format: 'jpeg', background: 'transparent' })), 400, 'background');
    await expectRefusal(await apiError(gen({ stream: true })), 400, 'stream');
  });

  it('an unknown model is a 404 model_not_found', async () => {
    const err = await apiError(rig.client.images.generate({ model: 'gemini-9-imaginary', prompt: 'x' }));
    expect(err.status).toBe(404);
    expect(err.code).toBe('model_not_found');
    expect(await rig.journal()).toHaveLength(0);
  });

  it('odd JSON never crashes the gateway: each is a 4xx, never a 500, and the upstream is not called', async () => {
    const bodies = [
      '[]',
      'null',
      '"a string"',
      '{"model": 5, "prompt": "x"}',
      '{"model": "gemini-3-pro-image-preview", "prompt": "x", "size": 1024}',
      '{"model": "gemini-3-pro-image-preview", "prompt": "x", "n": "3"}',
      '{"model": "gemini-3-pro-image-preview", "prompt": "x", "aspect_ratio": ["16:9"]}',
      '{"model": "gemini-3-pro-image-preview", "prompt": "x", "image_config": {"image_size": 2}}',
      '{"model": "gemini-3-pro-image-preview", "prompt": ["x"]}',
    ];
    for (const body of bodies) {
      const res = await fetch(`${rig.gw.url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
        body,
      });
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      const json = (await res.json()) as any;
      expect(json.error, body).toBeTruthy();
    }
    expect(await rig.journal()).toHaveLength(0);
  });

  it('an odd Gemini body is relayed as Gemini’s own (Google judges it) and refused in Gemini’s shape', async () => {
    for (const body of ['{"model": "gemini-3-pro-image-preview", "contents": "not a list"}', '{"model": "gemini-3-pro-image-preview", "contents": [{"parts": null}]}']) {
      const res = await fetch(`${rig.gw.url}/v1/images/generations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
        body,
      });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as any).error, body).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    }
  });

  it('a multipart edit with a broken form is a 400, not a crash', async () => {
    const res = await fetch(`${rig.gw.url}/v1/images/edits`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', authorization: `Bearer ${TOKEN_KEY}` },
      body: '--xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\ngemini-3-pro-image-preview\r\n--xyz\r\nContent-Disposition: form-da',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.type).toBe('invalid_request_error');
    const json = await fetch(`${rig.gw.url}/v1/images/edits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
      body: '{"model": "gemini-3-pro-image-preview", "prompt": "x"}',
    });
    expect([400, 415]).toContain(json.status);
    expect(await rig.journal()).toHaveLength(0);
  });

  it('a body that is not JSON', async () => {
    const res = await fetch(`${rig.gw.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
      body: '{"model": "gemini-3-pro-image-preview", "prompt": ',
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as any;
    expect(json.error.type).toBe('invalid_request_error');
    expect(await rig.journal()).toHaveLength(0);
  });
});

describe('edits', () => {
  const png = (bytes: Buffer, name: string) => toFile(bytes, name, { type: 'image/png' });

  it('too many reference images for the model', async () => {
    const files = await Promise.all(Array.from({ length: 15 }, (_, i) => png(makePng(8, 8), `r${i}.png`)));
    const err = await apiError(rig.client.images.edit({ model: 'gemini-3-pro-image-preview', image: files, prompt: 'collage' }));
    await expectRefusal(err, 400, 'image', /array_above_max_length/);
    // 14 images and a mask are one too many as well: the mask travels as an image.
    const withMask = await apiError(
      rig.client.images.edit({ model: 'gemini-3-pro-image-preview', image: files.slice(0, 14), mask: await png(makePng(8, 8, true), 'm.png'), prompt: 'collage' }),
    );
    await expectRefusal(withMask, 400, 'mask');
  });

  it('a file that is not an image, whatever its declared type', async () => {
    const text = await toFile(Buffer.from('just some text, not a picture'), 'notes.png', { type: 'image/png' });
    const err = await apiError(rig.client.images.edit({ model: 'gemini-3.1-flash-image-preview', image: text, prompt: 'edit' }));
    await expectRefusal(err, 400, 'image', /invalid_image_format/);
    expect(err.message).toContain('notes.png');
  });

  it('a mask that is not a PNG', async () => {
    const jpeg = await toFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]), 'mask.jpg', { type: 'image/jpeg' });
    const err = await apiError(rig.client.images.edit({ model: 'gemini-3.1-flash-image-preview', image: await png(makePng(8, 8), 'a.png'), mask: jpeg, prompt: 'edit' }));
    await expectRefusal(err, 400, 'mask', /invalid_image_format/);
  });

  it('no image, or no prompt', async () => {
    const form = new FormData();
    form.set('model', 'gemini-3.1-flash-image-preview');
    form.set('prompt', 'edit');
    const res = await fetch(`${rig.gw.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN_KEY}` }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ param: 'image', type: 'invalid_request_error' });

    const noPrompt = await apiError(rig.client.images.edit({ model: 'gemini-3.1-flash-image-preview', image: await png(makePng(8, 8), 'a.png') } as any));
    await expectRefusal(noPrompt, 400, 'prompt', /missing_required_parameter/);
  });

  it('a size the model cannot render', async () => {
    const err = await apiError(rig.client.images.edit({ model: 'gemini-3-pro-image-preview', image: await png(makePng(8, 8), 'a.png'), prompt: 'x', image_size: '512' } as any));
    await expectRefusal(err, 400, 'image_size');
  });
});

describe('too large a body', () => {
  let small: Rig;
  beforeAll(async () => {
    small = await startRig({ bodyLimitBytes: 256 * 1024 });
  });
  afterAll(() => small.close());

  it('generations over the body limit: 413 in OpenAI’s shape, no upstream call', async () => {
    const err = await apiError(small.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'x'.repeat(300 * 1024) }));
    expect(err.status).toBe(413);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    expect(await small.journal()).toHaveLength(0);
  });

  it('chat over the body limit: 413 in OpenAI’s shape, no upstream call', async () => {
    const err = await apiError(small.client.chat.completions.create({ model: 'gemini-2.5-flash-image', messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }] }));
    expect(err.status).toBe(413);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    expect(await small.journal()).toHaveLength(0);
  });

  it('edits over the body limit: 413 in OpenAI’s shape, no upstream call', async () => {
    const big = await toFile(Buffer.concat([makePng(8, 8), Buffer.alloc(400 * 1024)]), 'big.png', { type: 'image/png' });
    const err = await apiError(small.client.images.edit({ model: 'gemini-2.5-flash-image', image: big, prompt: 'x' }));
    expect(err.status).toBe(413);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    expect(await small.journal()).toHaveLength(0);
  });
});

describe('images larger than Gemini takes inline', () => {
  let tight: Rig;
  beforeAll(async () => {
    tight = await startRig({ inlineDataLimitBytes: 64 * 1024 });
  });
  afterAll(() => tight.close());

  it('references over the inline data limit are refused before the upstream', async () => {
    const big = Buffer.concat([makePng(8, 8), Buffer.alloc(100 * 1024, 7)]);
    const err = await apiError(tight.client.images.edit({ model: 'gemini-2.5-flash-image', image: await toFile(big, 'big.png', { type: 'image/png' }), prompt: 'x' }));
    expect([400, 413]).toContain(err.status);
    expect(err.error).toMatchObject({ type: 'invalid_request_error' });
    expect(await tight.journal()).toHaveLength(0);
  });
});
