// What a file really is, from its first bytes (64 are enough). Uploads and
// fetched URLs carry a declared type nobody checks; the magic number is the truth.
import { imageHeaderOfBytes } from '../../gemini/image-header.js';

export type SniffedImageMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | 'image/heic' | 'image/heif';

// ISO-BMFF brands: HEVC-coded HEIC, and the generic HEIF image brands.
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
// AVIF is HEIF with AV1 inside (it lists mif1 too); Gemini does not read it.
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The image type of these bytes, or undefined when they are not an image Gemini reads. */
export function sniffImageMime(head: Uint8Array): SniffedImageMime | undefined {
  const bytes = Buffer.isBuffer(head) ? head : Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const header = imageHeaderOfBytes(bytes.subarray(0, 32));
  if (!header) return undefined;
  if (header.format !== 'heif') return `image/${header.format}`;
  return heifKind(bytes);
}

// `ftyp` also opens MP4, MOV and AVIF files: look at the brands to be sure.
function heifKind(bytes: Buffer): SniffedImageMime | undefined {
  const boxSize = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  const end = Math.min(bytes.length, boxSize >= 16 ? boxSize : 16, 64);
  const brands: string[] = [bytes.toString('latin1', 8, 12)];
  for (let i = 16; i + 4 <= end; i += 4) brands.push(bytes.toString('latin1', i, i + 4));
  if (AVIF_BRANDS.has(brands[0] ?? '')) return undefined;
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'image/heic';
  if (brands.some((b) => HEIF_BRANDS.has(b))) return 'image/heif';
  return undefined;
}

/** File extension for a sniffed or declared image type ('bin' for anything else). */
export function extensionForMime(mimeType: string): string {
  switch (mimeType) {
    case 'image/png':
      return 'png';
    case 'image/jpeg':
      return 'jpg';
    case 'image/webp':
      return 'webp';
    case 'image/gif':
      return 'gif';
    case 'image/heic':
      return 'heic';
    case 'image/heif':
      return 'heif';
    default:
      return 'bin';
  }
}
