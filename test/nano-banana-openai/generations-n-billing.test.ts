// n > 1 runs n upstream calls in parallel; partial failures return what
// succeeded and bill only that; every image is billed at the model's list
// price for its size class (as for Gemini's own API).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAULTY_MODEL, apiError, imageConfigOf, pngSize, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

const MICROS = 1_000_000;

describe('n parallel calls', () => {
  it('n=3 on 3 Pro: three upstream calls, three images, billed 3 × $0.134', async () => {
    const { data: res, response } = await rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'three pears', n: 3, size: '1536x1024' }).withResponse();
    expect(res.data).toHaveLength(3);
    for (const d of res.data!) expect(pngSize(d.b64_json!)).toEqual({ width: 1264, height: 848 });

    const calls = await rig.geminiCalls();
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(imageConfigOf(call.body)).toEqual({ aspectRatio: '3:2', imageSize: '1K' });

    // Usage sums the three calls: 1120 image tokens each at 1K.
    expect(res.usage?.output_tokens_details?.image_tokens).toBe(3 * 1120);
    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 3, image_size: '1K', aspect_ratio: '3:2', model_requested: 'gemini-3-pro-image-preview' });
    expect(row.cost_detail.images).toBe(3 * 0.134 * MICROS);
    expect(row.cost_micros).toBeGreaterThanOrEqual(3 * 0.134 * MICROS);
    expect(row.output_image_tokens).toBe(3 * 1120);
  });

  it('n=3 with one injected upstream failure: two images, billed 2 × $0.067, the failure noted', async () => {
    const { data: res, response } = await rig.client.images
      .generate({ model: FAULTY_MODEL, prompt: 'three plums', n: 3, size: '1024x1024' }, { headers: { 'x-sim-fault': 'fail-nth:2:500:n3-one-failure' } })
      .withResponse();
    expect(res.data).toHaveLength(2);
    for (const d of res.data!) expect(pngSize(d.b64_json!)).toEqual({ width: 1024, height: 1024 });
    expect(res.usage?.output_tokens_details?.image_tokens).toBe(2 * 1120);

    const calls = await rig.geminiCalls();
    expect(calls).toHaveLength(3); // three tries, one refused: no retry made a fourth
    expect(calls.every((c) => c.path === '/v1beta/models/gemini-3.1-flash-image-preview:generateContent')).toBe(true);

    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 2, image_size: '1K' });
    expect(row.cost_detail.images).toBe(2 * 0.067 * MICROS);
    expect(row.error).toMatch(/1 of 3/);
  });

  it('n=3 with every call failing: an OpenAI-shaped error, nothing billed', async () => {
    const err = await apiError(rig.client.images.generate({ model: FAULTY_MODEL, prompt: 'three figs', n: 3 }, { headers: { 'x-sim-fault': '503' } }));
    expect(err.status).toBeGreaterThanOrEqual(500);
    expect((err.error as any)?.message).toBeTruthy();
    expect(await rig.geminiCalls()).toHaveLength(3);
    const row = await rig.row(err.headers?.get('x-request-id'));
    expect(row.image_count).toBe(0);
    expect(row.cost_micros).toBe(0);
  });
});

describe('billing per image by size class', () => {
  const CASES: Array<{ model: string; params: Record<string, unknown>; size: string; usd: number; pixels: [number, number] }> = [
    { model: 'gemini-3-pro-image-preview', params: { size: '4096x4096' }, size: '4K', usd: 0.24, pixels: [4096, 4096] },
    { model: 'gemini-3-pro-image-preview', params: { image_size: '2K' }, size: '2K', usd: 0.134, pixels: [2048, 2048] },
    { model: 'gemini-3.1-flash-image-preview', params: { size: '512x512' }, size: '512', usd: 0.045, pixels: [512, 512] },
    { model: 'gemini-3.1-flash-image-preview', params: { size: '2048x2048' }, size: '2K', usd: 0.101, pixels: [2048, 2048] },
    { model: 'gemini-2.5-flash-image', params: { size: '1024x1024' }, size: '1K', usd: 0.039, pixels: [1024, 1024] },
  ];
  for (const c of CASES) {
    it(`${c.model} at ${c.size}: $${c.usd} an image`, async () => {
      const { data: res, response } = await rig.client.images.generate({ model: c.model, prompt: 'a pineapple', ...c.params } as any).withResponse();
      expect(pngSize(res.data![0]!.b64_json!)).toEqual({ width: c.pixels[0], height: c.pixels[1] });
      const row = await rig.row(response.headers.get('x-request-id'));
      expect(row).toMatchObject({ status: 200, image_count: 1, image_size: c.size });
      expect(row.cost_detail.images).toBeCloseTo(c.usd * MICROS, 3);
      // The image tokens are not charged a second time on top of the per-image price.
      expect(row.cost_detail.image_output).toBeUndefined();
      expect(row.cost_usd).toBeGreaterThanOrEqual(c.usd);
      expect(row.cost_usd).toBeLessThan(c.usd + 0.01);
    });
  }
});

describe('each of the n calls has its own failover', () => {
  let two: Rig;
  beforeAll(async () => {
    two = await startRig({}, (simUrl) => `
  - name: gem-broke
    type: gemini
    base_url: ${simUrl}
    keys: [nocredit-aaaa]
    priority: 10
    models: [nb-failover]
    model_mapping: { nb-failover: gemini-3.1-flash-image-preview }
  - name: gem-ok
    type: gemini
    base_url: ${simUrl}
    keys: [good-key-bbbb]
    priority: 0
    models: [nb-failover]
    model_mapping: { nb-failover: gemini-3.1-flash-image-preview }`);
  });
  afterAll(() => two.close());

  it('n=2: each call tries the out-of-credit channel (429), then the next one; two images, billed 2', async () => {
    const { data: res, response } = await two.client.images.generate({ model: 'nb-failover', prompt: 'two cherries', n: 2, size: '512x512' }).withResponse();
    expect(res.data).toHaveLength(2);
    for (const d of res.data!) expect(pngSize(d.b64_json!)).toEqual({ width: 512, height: 512 });
    const calls = await two.geminiCalls();
    const keys = calls.map((c) => c.headers['x-goog-api-key']!.slice(-4)).sort();
    expect(keys).toEqual(['aaaa', 'aaaa', 'bbbb', 'bbbb']);
    // The alias is sized by the model it maps to: 512 exists on 3.1 Flash.
    for (const c of calls) expect(imageConfigOf(c.body)).toEqual({ aspectRatio: '1:1', imageSize: '512' });
    const row = await two.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 2, image_size: '512', model_requested: 'nb-failover', model_served: 'gemini-3.1-flash-image-preview' });
    expect(row.cost_detail.images).toBeCloseTo(2 * 0.045 * MICROS, 3);
    expect(row.attempts.map((a: any) => a.status).sort()).toEqual([200, 200, 429, 429]);
  });
});
