// response_format url: the image is stored and served from a signed, expiring
// link on the gateway; output_format jpeg / webp: the upstream's PNG is
// transcoded.
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isJpeg, isPng, isWebp, pngSize, resignImageUrl, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

async function download(url: string): Promise<{ status: number; type: string | null; bytes: Buffer; json?: any }> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type');
  return { status: res.status, type, bytes, ...(type?.includes('json') && { json: JSON.parse(bytes.toString('utf8')) }) };
}

describe('response_format url', () => {
  it('answers absolute signed links on the gateway; each serves its PNG without a token', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'a lighthouse', n: 2, size: '1536x1024', response_format: 'url' });
    expect(res.data).toHaveLength(2);
    expect(res.size).toBe('1264x848');
    const urls = res.data!.map((d) => d.url!);
    expect(new Set(urls).size).toBe(2);
    for (const url of urls) {
      expect(res.data!.find((d) => d.url === url)!.b64_json).toBeUndefined();
      expect(url.startsWith(`${rig.gw.url}/v1/files/images/`)).toBe(true);
      const u = new URL(url);
      expect(Number(u.searchParams.get('expires')) * 1000).toBeGreaterThan(Date.now());
      expect(u.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
      const got = await download(url);
      expect(got.status).toBe(200);
      expect(got.type).toBe('image/png');
      expect(isPng(got.bytes)).toBe(true);
      expect(pngSize(got.bytes)).toEqual({ width: 1264, height: 848 });
    }
  });

  it('the link follows the address the client used behind a proxy (x-forwarded-host / proto)', async () => {
    const res = await rig.client.images.generate(
      { model: 'gemini-2.5-flash-image', prompt: 'a dune', response_format: 'url' },
      { headers: { 'x-forwarded-host': 'images.example.test', 'x-forwarded-proto': 'https' } },
    );
    expect(res.data![0]!.url!.startsWith('https://images.example.test/v1/files/images/')).toBe(true);
  });

  it('a tampered signature, expiry or id is refused (403, OpenAI-shaped); a past expiry is 410', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'a cactus', response_format: 'url' });
    const url = res.data![0]!.url!;
    expect((await download(url)).status).toBe(200);

    const flipped = new URL(url);
    const sig = flipped.searchParams.get('signature')!;
    flipped.searchParams.set('signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    const bad = await download(flipped.toString());
    expect(bad.status).toBe(403);
    expect(bad.json.error).toMatchObject({ code: 'invalid_signature' });
    expect(bad.json.error.message).toBeTruthy();

    const later = new URL(url);
    later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
    expect((await download(later.toString())).status).toBe(403);

    const other = new URL(url);
    other.pathname = other.pathname.replace(/[0-9a-f]{4}(?=\.png$)/, '0000');
    expect((await download(other.toString())).status).toBe(403);

    const unsigned = new URL(url);
    unsigned.search = '';
    expect((await download(unsigned.toString())).status).toBe(403);

    // Correctly signed, but for a moment already past: expired.
    const past = await download(resignImageUrl(url, Math.floor(Date.now() / 1000) - 5));
    expect(past.status).toBe(410);
    expect(past.json.error.code).toBe('link_expired');
  });

  it('url with output_format webp: the stored file is a WebP served as image/webp', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-3.1-flash-image-preview', prompt: 'a mango', size: '512x512', response_format: 'url', output_format: 'webp' });
    expect(res.output_format).toBe('webp');
    const got = await download(res.data![0]!.url!);
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/webp');
    expect(isWebp(got.bytes)).toBe(true);
    const meta = await sharp(got.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);
  });
});

describe('links with a short retention', () => {
  let short: Rig;
  beforeAll(async () => {
    short = await startRig({ imageUrlTtlMs: 1 });
  });
  afterAll(() => short.close());

  it('a link past the retention period is refused with 410', async () => {
    const res = await short.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'an hourglass', response_format: 'url' });
    const url = res.data![0]!.url!;
    expect(url.startsWith(`${short.gw.url}/v1/files/images/`)).toBe(true);
    const got = await download(url);
    expect(got.status).toBe(410);
    expect(got.json.error).toMatchObject({ code: 'link_expired' });
  });
});

describe('output_format', () => {
  it('jpeg: transcoded, JPEG magic bytes, the model’s pixel size, output_compression honoured', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'a pear', size: '1024x1536', output_format: 'jpeg', output_compression: 40 });
    expect(res.output_format).toBe('jpeg');
    const bytes = Buffer.from(res.data![0]!.b64_json!, 'base64');
    expect(isJpeg(bytes)).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 848, 1264]);

    const best = await rig.client.images.generate({ model: 'gemini-3-pro-image-preview', prompt: 'a pear', size: '1024x1536', output_format: 'jpeg', output_compression: 100 });
    expect(Buffer.from(best.data![0]!.b64_json!, 'base64').length).toBeGreaterThan(bytes.length);
    // Gemini still got a plain request: the format is the gateway's business.
    for (const call of await rig.geminiCalls()) expect(JSON.stringify(call.body)).not.toMatch(/output_format|jpeg/);
  });

  it('webp: transcoded, RIFF/WEBP magic bytes', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'a plum', size: '1792x1024', output_format: 'webp' });
    const bytes = Buffer.from(res.data![0]!.b64_json!, 'base64');
    expect(isWebp(bytes)).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1344, 768]);
  });

  it('png (the default) is passed on as the upstream made it', async () => {
    const res = await rig.client.images.generate({ model: 'gemini-2.5-flash-image', prompt: 'a fig', output_format: 'png' });
    const bytes = Buffer.from(res.data![0]!.b64_json!, 'base64');
    expect(isPng(bytes)).toBe(true);
    expect(pngSize(bytes)).toEqual({ width: 1024, height: 1024 });
  });
});
