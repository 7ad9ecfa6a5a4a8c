// The images folder's id: stable for a folder, different between folders,
// one id however many nodes create it at once, and ignored by the pruner.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { imageStoreId } from '../../src/jobs/image-store-id.js';
import { FileImageStore } from '../../src/media/image-store.js';
import { startModuleWorker } from '../../src/store/module-worker.js';

const root = mkdtempSync(join(tmpdir(), 'ws-store-id-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('imageStoreId', () => {
  it('is created once and read back the same; another folder gets another id', () => {
    const dir = join(root, 'a', 'images');
    const id = imageStoreId(dir);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(imageStoreId(dir)).toBe(id);
    expect(imageStoreId(join(root, 'b', 'images'))).not.toBe(id);
    // No temporary files are left behind.
    expect(readdirSync(dir)).toEqual(['.store-id']);
  });

  it('nodes starting at once on one folder agree on one id', async () => {
    const dir = join(root, 'shared');
    const gate = new SharedArrayBuffer(4);
    const workers = Array.from({ length: 3 }, () => startModuleWorker(new URL('./fixtures/store-id-worker.ts', import.meta.url), { workerData: { dir, gate } }));
    try {
      await Promise.all(workers.map((w) => once(w, 'message')));
      const answers = workers.map((w) => once(w, 'message').then(([m]) => (m as { id: string }).id));
      // Every worker is loaded and waiting: release them together.
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const ids = await Promise.all(answers);
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toBe(imageStoreId(dir));
      expect(readdirSync(dir)).toEqual(['.store-id']);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }, 90_000);

  it('a damaged id file is a clear error, not a silent new schedule', () => {
    const dir = join(root, 'damaged');
    imageStoreId(dir);
    writeFileSync(join(dir, '.store-id'), 'garbage');
    expect(() => imageStoreId(dir)).toThrow(/does not hold a store id/);
  });

  it('the store keeps the id file when it prunes', async () => {
    const dataDir = join(root, 'data');
    const store = new FileImageStore(dataDir);
    imageStoreId(store.dir);
    await store.put(Buffer.from('png'), 'image/png');
    expect(await store.prune(-1)).toBe(1);
    expect(readdirSync(store.dir)).toEqual(['.store-id']);
  });
});
