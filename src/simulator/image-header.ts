// Pixel sizes of input images (to follow their shape) and a cheap base64
// check, from the gateway's own Gemini image-header reader: one parser for both.
import { imageHeader, imageHeaderOfBytes, isBase64, type ImageHeader } from '../dialects/gemini/image-header.js';

export { isBase64 };

export interface ImageDimensions {
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'gif' | 'webp';
}

function dimensions(h: ImageHeader | undefined): ImageDimensions | undefined {
  if (!h || h.format === 'heif' || h.width === undefined || h.height === undefined) return undefined;
  return { width: h.width, height: h.height, format: h.format };
}

export function imageDimensions(buf: Buffer): ImageDimensions | undefined {
  return dimensions(imageHeaderOfBytes(buf));
}

/** Dimensions of a base64-encoded image, decoding only a bounded prefix. */
export function dimensionsFromBase64(text: string): ImageDimensions | undefined {
  return dimensions(imageHeader(text));
}
