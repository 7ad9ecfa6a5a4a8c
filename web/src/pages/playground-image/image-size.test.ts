import { describe, expect, it } from 'vitest';
import { pixelSizeOf } from './image-size';
import { solidPng, toBase64 } from './test-png';

const b64 = (bytes: number[]) => toBase64(new Uint8Array(bytes));
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('pixelSizeOf', () => {
  it('reads PNG', () => {
    expect(pixelSizeOf(toBase64(solidPng(37, 5)))).toEqual({ width: 37, height: 5 });
  });

  it('reads JPEG past the APP segments', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
    const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x03, 0x00, 0x05, 0x40, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    expect(pixelSizeOf(b64([0xff, 0xd8, ...app0, ...sof0]))).toEqual({ width: 1344, height: 768 });
  });

  it('reads WebP (extended format)', () => {
    const vp8x = [...ascii('VP8X'), 10, 0, 0, 0, 0, 0, 0, 0, 0x3f, 0x05, 0x00, 0xff, 0x02, 0x00];
    expect(pixelSizeOf(b64([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP'), ...vp8x]))).toEqual({ width: 1344, height: 768 });
  });

  it('says nothing about what it does not understand', () => {
    expect(pixelSizeOf(b64(ascii('GIF89a......')))).toBeUndefined();
    expect(pixelSizeOf('not base64 at all!')).toBeUndefined();
  });
});
