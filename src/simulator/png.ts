// Real, decodable PNGs at any pixel size, generated once per size and cached.
//
// Encoded with node:zlib directly rather than pngjs: we write the filtered
// scanlines ourselves, so the compressed size is predictable and generation is
// fast (a 4K image takes about half a second, mostly deflate on the thread pool).
//
// The picture is a colour gradient with grain: each row uses the PNG "Sub"
// filter, and the filtered bytes are small pseudo-random steps that pull each
// channel towards the gradient. The width of the step alphabet sets the
// entropy, tuned so sizes land near real Nano Banana output (about 1.5 MB at
// 1024×1024, about 20 MB at 4096×4096). Huffman-only deflate keeps it quick.

import { crc32, deflate, constants as zlibConstants } from 'node:zlib';

export interface SimImage {
  width: number;
  height: number;
  /** The PNG file. */
  png: Buffer;
  /** Its base64 text as ASCII bytes, written to sockets without re-encoding. */
  base64: Buffer;
}

const MAX_SIDE = 16_384;
const MAX_PIXELS = 48 * 1024 * 1024;
const IDAT_CHUNK = 1 << 20;

let cacheBudgetBytes = 768 * 1024 * 1024;
let cacheBytes = 0;
// Insertion order doubles as LRU order: a hit is deleted and re-inserted.
const cache = new Map<string, SimImage>();
const inflight = new Map<string, Promise<SimImage>>();

/** Caps the memory the image cache may hold (PNG plus base64 bytes). */
export function setImageCacheBudget(bytes: number): void {
  cacheBudgetBytes = Math.max(0, bytes);
  evict();
}

/** True when width × height can be generated. */
export function isValidImageSize(width: number, height: number): boolean {
  return (
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 &&
    width <= MAX_SIDE && height <= MAX_SIDE && width * height <= MAX_PIXELS
  );
}

/** The cached image if it is already generated, without waiting. */
export function peekImage(width: number, height: number): SimImage | undefined {
  const key = `${width}x${height}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/** The PNG for this size: from the cache, or generated once (concurrent callers share the work). */
export function getImage(width: number, height: number): Promise<SimImage> {
  const hit = peekImage(width, height);
  if (hit) return Promise.resolve(hit);
  if (!isValidImageSize(width, height)) {
    return Promise.reject(new RangeError(`image size ${width}x${height} is out of range`));
  }
  const key = `${width}x${height}`;
  let pending = inflight.get(key);
  if (!pending) {
    pending = encodePng(width, height).then(
      (image) => {
        inflight.delete(key);
        remember(key, image);
        return image;
      },
      (err: unknown) => {
        inflight.delete(key);
        throw err;
      },
    );
    inflight.set(key, pending);
  }
  return pending;
}

function remember(key: string, image: SimImage): void {
  cache.set(key, image);
  cacheBytes += image.png.length + image.base64.length;
  evict();
}

function evict(): void {
  for (const [key, image] of cache) {
    if (cacheBytes <= cacheBudgetBytes || cache.size <= 1) break;
    cache.delete(key);
    cacheBytes -= image.png.length + image.base64.length;
  }
}

/** Step alphabet width: 10 at ~1 Mpx, 7 at ~16 Mpx (see the header comment). */
function stepAlphabet(pixels: number): number {
  const m = Math.round(10 - 0.75 * (Math.log2(pixels) - 20));
  return Math.min(12, Math.max(6, m));
}

function filteredScanlines(width: number, height: number): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.allocUnsafe(stride * height);
  const m = stepAlphabet(width * height);
  const half = m >> 1;
  let s = (0x9e3779b9 ^ Math.imul(width, 73856093) ^ Math.imul(height, 19349663)) | 1;
  for (let y = 0; y < height; y++) {
    let o = y * stride;
    raw[o++] = 1; // filter type Sub
    // Targets stay inside 32..223 so the grain never wraps around 0/255.
    const targetG = (32 + (y * 191) / height) | 0;
    let r = 32;
    let g = targetG;
    let b = (223 - (y * 191) / (width + height)) | 0;
    // The first pixel's left neighbour is zero, so its bytes are absolute.
    raw[o++] = r;
    raw[o++] = g;
    raw[o++] = b;
    for (let x = 1; x < width; x++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const targetR = (32 + (x * 191) / width) | 0;
      const targetB = (223 - ((x + y) * 191) / (width + height)) | 0;
      const dr = (((s & 1023) * m) >>> 10) - half + ((targetR - r) >> 3);
      const dg = ((((s >>> 10) & 1023) * m) >>> 10) - half + ((targetG - g) >> 3);
      const db = ((((s >>> 20) & 1023) * m) >>> 10) - half + ((targetB - b) >> 3);
      r = (r + dr) & 255;
      g = (g + dg) & 255;
      b = (b + db) & 255;
      raw[o++] = dr & 255;
      raw[o++] = dg & 255;
      raw[o++] = db & 255;
    }
  }
  return raw;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function encodePng(width: number, height: number): Promise<SimImage> {
  const raw = filteredScanlines(width, height);
  const compressed = await new Promise<Buffer>((resolve, reject) => {
    deflate(raw, { level: 1, strategy: zlibConstants.Z_HUFFMAN_ONLY }, (err, out) => (err ? reject(err) : resolve(out)));
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour RGB
  const parts = [SIGNATURE, chunk('IHDR', ihdr)];
  for (let i = 0; i < compressed.length; i += IDAT_CHUNK) {
    parts.push(chunk('IDAT', compressed.subarray(i, i + IDAT_CHUNK)));
  }
  parts.push(chunk('IEND', Buffer.alloc(0)));
  const png = Buffer.concat(parts);
  return { width, height, png, base64: Buffer.from(png.toString('base64'), 'latin1') };
}
