// Reads an image's pixel size from its header (PNG, JPEG, GIF, WebP) without
// decoding it, and checks base64 text cheaply. Used to follow the shape of an
// input image and to refuse data that is not an image.

export interface ImageDimensions {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'gif' | 'webp';
}

export function imageDimensions(buf: Buffer): ImageDimensions | undefined {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('latin1', 12, 16) === 'IHDR') {
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), format: 'png' };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) return jpegDimensions(buf);
  if (buf.length >= 10 && buf.toString('latin1', 0, 4) === 'GIF8') {
    return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8), format: 'gif' };
  }
  if (buf.length >= 30 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') {
    return webpDimensions(buf);
  }
  return undefined;
}

function jpegDimensions(buf: Buffer): ImageDimensions | undefined {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return undefined;
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
    if (isFrame) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7), format: 'jpeg' };
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return undefined;
}

function webpDimensions(buf: Buffer): ImageDimensions | undefined {
  const kind = buf.toString('latin1', 12, 16);
  if (kind === 'VP8 ') {
    return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff, format: 'webp' };
  }
  if (kind === 'VP8L') {
    const bits = buf.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, format: 'webp' };
  }
  if (kind === 'VP8X') {
    return { width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1, format: 'webp' };
  }
  return undefined;
}

// Standard and URL-safe alphabets (proto3 JSON accepts both), optional padding,
// no whitespace.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** True for text Google would decode as bytes. */
export function isBase64(text: string): boolean {
  return text.length % 4 !== 1 && BASE64.test(text);
}

/**
 * Dimensions of a base64-encoded image, decoding only as much as needed:
 * a prefix first, the whole text only when a JPEG keeps its frame header late.
 */
export function dimensionsFromBase64(text: string): ImageDimensions | undefined {
  const prefix = 64 * 1024;
  const head = imageDimensions(Buffer.from(text.length > prefix ? text.slice(0, prefix) : text, 'base64'));
  if (head || text.length <= prefix) return head;
  return imageDimensions(Buffer.from(text, 'base64'));
}
