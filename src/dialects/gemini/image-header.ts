// What an inline image is, from the first bytes of its base64 text: the format
// by its magic number and, when the header holds it, the pixel size. Decodes a
// bounded prefix only, so a 20 MB image costs the same as a 2 KB one.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'heif';

export interface ImageHeader {
  format: ImageFormat;
  width?: number;
  height?: number;
}

// Standard and URL-safe alphabets (proto3 JSON accepts both), optional padding,
// no whitespace. V8 runs this at about 1 ns a character, with no copy.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** True for text Google would decode as bytes. */
export function isBase64(text: string): boolean {
  return text.length % 4 !== 1 && BASE64.test(text);
}

/** Bytes decoded from the first `bytes` of base64 text (rounded to whole quads). */
function decodePrefix(text: string, bytes: number): Buffer {
  const chars = Math.ceil(bytes / 3) * 4;
  return Buffer.from(text.length > chars ? text.slice(0, chars) : text, 'base64');
}

/**
 * The image format and, where the header carries it, the size. JPEG keeps its
 * size in a frame header that can sit after large metadata: only the first
 * 64 KB are searched, so a JPEG may come back without a size.
 */
export function imageHeader(base64: string): ImageHeader | undefined {
  const head = decodePrefix(base64, 32);
  const isJpeg = head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  return imageHeaderOfBytes(isJpeg ? decodePrefix(base64, 64 * 1024) : head);
}

/** The same, from the image's first bytes (32 are enough but for JPEG). */
export function imageHeaderOfBytes(head: Buffer): ImageHeader | undefined {
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47) {
    if (head.length >= 24 && head.toString('latin1', 12, 16) === 'IHDR') {
      return { format: 'png', width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
    }
    return { format: 'png' };
  }
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { format: 'jpeg', ...jpegSize(head) };
  }
  if (head.length >= 10 && head.toString('latin1', 0, 4) === 'GIF8') {
    return { format: 'gif', width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  }
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
    return { format: 'webp', ...webpSize(head) };
  }
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') return { format: 'heif' };
  return undefined;
}

function jpegSize(buf: Buffer): { width?: number; height?: number } {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return {};
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return {};
}

function webpSize(buf: Buffer): { width?: number; height?: number } {
  if (buf.length < 30) return {};
  const kind = buf.toString('latin1', 12, 16);
  if (kind === 'VP8 ') return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
  if (kind === 'VP8L') {
    const bits = buf.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1 };
  return {};
}
