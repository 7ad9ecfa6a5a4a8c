import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { sniffImageMime } from '../../src/dialects/openai/images/sniff-image.js';
import { transcodeImage } from '../../src/media/transcode.js';

function image(format: 'png' | 'jpeg' | 'webp', alpha = false): Promise<Buffer> {
  return sharp({
    create: { width: 40, height: 24, channels: alpha ? 4 : 3, background: alpha ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 10, g: 120, b: 200 } },
  })
    .toFormat(format)
    .toBuffer();
}

describe('transcodeImage', () => {
  it('converts png to jpeg and webp, keeping the dimensions', async () => {
    const png = await image('png');
    for (const [to, mime] of [
      ['jpeg', 'image/jpeg'],
      ['webp', 'image/webp'],
    ] as const) {
      const out = await transcodeImage(png, to);
      expect(out.mimeType).toBe(mime);
      expect(sniffImageMime(out.bytes)).toBe(mime);
      const meta = await sharp(out.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([to, 40, 24]);
    }
  });

  it('converts jpeg back to png', async () => {
    const out = await transcodeImage(await image('jpeg'), 'png');
    expect(sniffImageMime(out.bytes)).toBe('image/png');
    expect((await sharp(out.bytes).metadata()).width).toBe(40);
  });

  it('returns the very same buffer when it already is the format asked for', async () => {
    const png = await image('png');
    const out = await transcodeImage(png, 'png', { quality: 10 });
    expect(out.bytes).toBe(png);
    expect(out.mimeType).toBe('image/png');
  });

  it('flattens transparency onto white for jpeg (or the colour given)', async () => {
    const clear = await image('png', true);
    const white = await sharp((await transcodeImage(clear, 'jpeg')).bytes).raw().toBuffer();
    expect(Math.min(...white.subarray(0, 3))).toBeGreaterThan(245);
    const red = await sharp((await transcodeImage(clear, 'jpeg', { background: '#ff0000' })).bytes).raw().toBuffer();
    expect(red[0]).toBeGreaterThan(240);
    expect(red[1]).toBeLessThan(20);
    expect((await sharp((await transcodeImage(clear, 'jpeg')).bytes).metadata()).hasAlpha).toBe(false);
  });

  it('applies quality: lower quality, fewer bytes', async () => {
    const noisy = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251)), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toBuffer();
    const low = await transcodeImage(noisy, 'jpeg', { quality: 10 });
    const high = await transcodeImage(noisy, 'jpeg', { quality: 95 });
    expect(low.bytes.length).toBeLessThan(high.bytes.length);
  });

  it('refuses bytes that are not an image with a GatewayError, not a crash', async () => {
    const failure = await transcodeImage(Buffer.from('not an image'), 'jpeg').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).kind).toBe('upstream');
  });
});
