import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminHarness, TEST_ADMIN_KEY, type AdminHarness } from './harness.js';

let h: AdminHarness;
const root = (method: string, path: string, body?: unknown) => h.call(TEST_ADMIN_KEY, method, path, body);

beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /api/user/image-models', () => {
  it('lists the image models of the caller’s group with the ratios and sizes the relay accepts', async () => {
    await root('POST', '/api/groups', { name: 'img-gold', ratio: 1 });
    await root('POST', '/api/channels', {
      name: 'img-std',
      type: 'simulator',
      models: ['gpt-4o-mini', 'gemini-2.5-flash-image', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview', 'gemini-9-flash-image-exp'],
      model_mapping: { 'nano-banana': 'gemini-2.5-flash-image' },
    });
    await root('POST', '/api/channels', { name: 'img-gold-only', type: 'simulator', models: ['gemini-3-pro-image'], groups: ['img-gold'] });
    const plain = await h.createUser('image-models-user');
    await h.cache.settled();

    const res = await h.call(plain.key, 'GET', '/api/user/image-models');
    expect(res.status).toBe(200);
    const items = res.body.data as any[];
    const byModel = Object.fromEntries(items.map((m) => [m.model, m]));
    expect(Object.keys(byModel)).toEqual(
      ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview', 'gemini-9-flash-image-exp', 'nano-banana'],
    );

    const flash25 = byModel['gemini-2.5-flash-image'];
    expect(flash25).toMatchObject({ family: 'gemini-2.5-flash-image', image_sizes: [], default_image_size: '1K', max_reference_images: 14 });
    expect(flash25.aspect_ratios).toHaveLength(10);
    expect(flash25.pixels['1K']['16:9']).toEqual([1344, 768]);
    // A mapped name is offered with its target's spec.
    expect(byModel['nano-banana']).toMatchObject({ family: 'gemini-2.5-flash-image', image_sizes: [] });

    const pro = byModel['gemini-3-pro-image-preview'];
    expect(pro.image_sizes).toEqual(['1K', '2K', '4K']);
    expect(pro.aspect_ratios).not.toContain('1:8');
    expect(pro.pixels['2K']['16:9']).toEqual([2752, 1536]);

    const flash31 = byModel['gemini-3.1-flash-image-preview'];
    expect(flash31.image_sizes).toEqual(['512', '1K', '2K', '4K']);
    expect(flash31.aspect_ratios).toEqual(expect.arrayContaining(['1:8', '8:1', '1:4', '4:1']));
    expect(flash31.pixels['512']['1:1']).toEqual([512, 512]);

    // Unknown to the table: offered with every ratio and size, marked as such.
    expect(byModel['gemini-9-flash-image-exp']).toMatchObject({ family: null, pixels: {} });
    expect(byModel['gemini-9-flash-image-exp'].image_sizes).toContain('512');
  });

  it('needs an access key', async () => {
    const res = await h.call(undefined, 'GET', '/api/user/image-models');
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
  });
});
