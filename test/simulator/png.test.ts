import { describe, expect, it } from 'vitest';
import { getImage, imageDimensions, peekImage } from '../../src/simulator/index.js';
import { isBase64 } from '../../src/simulator/image-header.js';
import { decodePng } from './helpers.js';

describe('simulated PNGs', () => {
  it('are real PNGs at the exact size, cached, with realistic byte sizes', async () => {
    const image = await getImage(1024, 1024);
    expect(decodePng(image.png)).toEqual({ width: 1024, height: 1024 });
    expect(imageDimensions(image.png)).toEqual({ width: 1024, height: 1024, format: 'png' });
    expect(image.base64.toString('latin1')).toBe(image.png.toString('base64'));
    // Real Nano Banana 1K PNGs are about 1.5 MB.
    expect(image.png.length).toBeGreaterThan(1_000_000);
    expect(image.png.length).toBeLessThan(2_000_000);
    expect(peekImage(1024, 1024)).toBe(image);
    expect(await getImage(1024, 1024)).toBe(image);
  });

  it('land near 20 MB at 4K', async () => {
    const image = await getImage(4096, 4096);
    expect(imageDimensions(image.png)).toMatchObject({ width: 4096, height: 4096 });
    expect(image.png.length).toBeGreaterThan(15_000_000);
    expect(image.png.length).toBeLessThan(25_000_000);
  });

  it('share one generation between concurrent callers and refuse absurd sizes', async () => {
    const [a, b] = await Promise.all([getImage(300, 200), getImage(300, 200)]);
    expect(a).toBe(b);
    await expect(getImage(0, 10)).rejects.toThrow(RangeError);
    await expect(getImage(100_000, 10)).rejects.toThrow(RangeError);
  });
});

describe('image headers', () => {
  it('read JPEG, GIF and WebP sizes and reject other bytes', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03, 0, 0, 0, 0, 0, 0]);
    expect(imageDimensions(jpeg)).toEqual({ width: 600, height: 300, format: 'jpeg' });
    const gif = Buffer.from('GIF89a\x40\x01\xf0\x00', 'latin1');
    expect(imageDimensions(gif)).toEqual({ width: 320, height: 240, format: 'gif' });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(799, 24, 3);
    webp.writeUIntLE(599, 27, 3);
    expect(imageDimensions(webp)).toEqual({ width: 800, height: 600, format: 'webp' });
    expect(imageDimensions(Buffer.from('hello world'))).toBeUndefined();
    expect(isBase64('aGVsbG8=')).toBe(true);
    expect(isBase64('aGVsbG8')).toBe(true);
    expect(isBase64('not base64!!')).toBe(false);
  });
});
