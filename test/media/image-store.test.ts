import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileImageStore, isImageId } from '../../src/media/image-store.js';

let dataDir: string;
let store: FileImageStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'waystation-images-'));
  store = new FileImageStore(dataDir);
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function age(id: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  await utimes(join(dataDir, 'images', id), when, when);
}

describe('FileImageStore', () => {
  it('round-trips bytes and type under <dataDir>/images', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const id = await store.put(bytes, 'image/png');
    expect(id).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(await readdir(join(dataDir, 'images'))).toEqual([id]);
    expect(await store.get(id)).toEqual({ bytes, mimeType: 'image/png' });
    const jpegId = await store.put(Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(jpegId.endsWith('.jpg')).toBe(true);
    expect((await store.get(jpegId))?.mimeType).toBe('image/jpeg');
    expect((await store.get((await store.put(Buffer.from('?'), 'text/html')) ))?.mimeType).toBe('application/octet-stream');
  });

  it('gives every image a fresh random id and leaves no temp file behind', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => store.put(Buffer.from('x'), 'image/webp')));
    expect(new Set(ids).size).toBe(20);
    expect((await readdir(join(dataDir, 'images'))).sort()).toEqual([...ids].sort());
  });

  it('answers undefined for unknown ids and refuses ids that could walk the disk', async () => {
    await writeFile(join(dataDir, 'secret.txt'), 'top secret');
    expect(await store.get(`${'0'.repeat(32)}.png`)).toBeUndefined();
    for (const id of ['../secret.txt', '..%2fsecret.txt', '/etc/passwd', `../${'a'.repeat(32)}.png`, `${'A'.repeat(32)}.png`, 'a'.repeat(32), `${'a'.repeat(32)}.png/..`, '', `${'a'.repeat(31)}.png`, `${'a'.repeat(32)}.exe`]) {
      expect(isImageId(id)).toBe(false);
      expect(await store.get(id)).toBeUndefined();
    }
  });

  it('prunes images older than the retention and keeps the rest', async () => {
    const old = await store.put(Buffer.from('old'), 'image/png');
    const fresh = await store.put(Buffer.from('fresh'), 'image/png');
    await age(old, 2 * 3600_000);
    await writeFile(join(dataDir, 'images', '.tmp-deadbeef'), 'half written');
    await age('.tmp-deadbeef', 2 * 3600_000);
    await writeFile(join(dataDir, 'images', 'notes.txt'), 'not ours');
    await age('notes.txt', 2 * 3600_000);

    expect(await store.prune(3600_000)).toBe(1);
    expect(await store.get(old)).toBeUndefined();
    expect((await store.get(fresh))?.bytes.toString()).toBe('fresh');
    expect((await readdir(join(dataDir, 'images'))).sort()).toEqual([fresh, 'notes.txt'].sort());
  });

  it('prunes nothing, without failing, before the first image', async () => {
    expect(await store.prune(0)).toBe(0);
  });
});
