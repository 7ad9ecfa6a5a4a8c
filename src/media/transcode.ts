// Gemini answers in PNG (sometimes JPEG); OpenAI clients may ask for jpeg or
// webp. Converts with sharp, and leaves bytes alone when they already are
// what was asked.
import sharp from 'sharp';
import { GatewayError } from '../dialects/errors.js';
import { sniffImageMime } from '../dialects/openai/images/sniff-image.js';

export type TranscodeTarget = 'png' | 'jpeg' | 'webp';

export interface TranscodeOptions {
  /** 1..100 for jpeg and webp; sharp's default (80) when absent. */
  quality?: number;
  /** The colour alpha is flattened onto for jpeg; white by default. */
  background?: string;
}

export interface TranscodedImage {
  bytes: Buffer;
  mimeType: string;
}

const MIME: Record<TranscodeTarget, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

function clampQuality(quality: number | undefined): number | undefined {
  if (quality === undefined || !Number.isFinite(quality)) return undefined;
  return Math.min(100, Math.max(1, Math.round(quality)));
}

export async function transcodeImage(bytes: Buffer, to: TranscodeTarget, opts: TranscodeOptions = {}): Promise<TranscodedImage> {
  const mimeType = MIME[to];
  if (sniffImageMime(bytes) === mimeType) return { bytes, mimeType };
  const quality = clampQuality(opts.quality);
  let image = sharp(bytes, { failOn: 'error' });
  if (to === 'jpeg') {
    image = image.flatten({ background: opts.background ?? '#ffffff' }).jpeg(quality === undefined ? {} : { quality });
  } else if (to === 'webp') {
    image = image.webp(quality === undefined ? {} : { quality });
  } else {
    image = image.png();
  }
  try {
    return { bytes: await image.toBuffer(), mimeType };
  } catch (err) {
    // The bytes came from the upstream: an image sharp cannot read is the upstream's fault.
    throw new GatewayError('upstream', `Could not convert the generated image to ${to}: ${(err as Error).message}`);
  }
}
