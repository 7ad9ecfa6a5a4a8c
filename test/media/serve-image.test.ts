import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileImageStore, type ImageStore } from '../../src/media/image-store.js';
import { handleImageDownload } from '../../src/media/serve-image.js';
import { IMAGE_PATH_PREFIX, signImagePath } from '../../src/media/signed-url.js';

const SECRET = 'serve-secret';
let dataDir: string;
let store: ImageStore;
let server: Server;
let base: string;
let broken = false;
// The handler's clock, fixed so cache lifetimes are exact.
const NOW = Math.floor(Date.now() / 1000) * 1000;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'waystation-serve-'));
  const files = new FileImageStore(dataDir);
  store = {
    put: (b, m) => files.put(b, m),
    get: (id) => (broken ? Promise.reject(new Error('disk on fire')) : files.get(id)),
    prune: (ms) => files.prune(ms),
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gw');
    const id = decodeURIComponent(url.pathname.slice(IMAGE_PATH_PREFIX.length));
    void handleImageDownload(req, res, { store, secret: SECRET, id, query: url.searchParams, nowMs: NOW });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

async function errorOf(res: Response): Promise<{ message: string; type: string }> {
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as { error: { message: string; type: string; param: unknown; code: unknown } };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  return body.error;
}

describe('handleImageDownload', () => {
  it('serves a stored image with its type, length and a private cache lifetime', async () => {
    const bytes = Buffer.from('\x89PNG\r\n\x1a\nimage-bytes', 'latin1');
    const id = await store.put(bytes, 'image/png');
    const res = await fetch(base + signImagePath(id, NOW + 600_000, SECRET));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('cache-control')).toBe('private, max-age=600');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('answers HEAD with headers only', async () => {
    const id = await store.put(Buffer.from('abc'), 'image/webp');
    const res = await fetch(base + signImagePath(id, NOW + 60_000, SECRET), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('3');
    expect(res.headers.get('content-type')).toBe('image/webp');
  });

  it('403 on a bad signature, 410 when expired, 404 when gone, in OpenAI error shape', async () => {
    const id = await store.put(Buffer.from('abc'), 'image/png');
    const good = signImagePath(id, NOW + 60_000, SECRET);

    const forged = await fetch(base + good.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`));
    expect(forged.status).toBe(403);
    expect((await errorOf(forged)).type).toBe('permission_error');

    const expired = await fetch(base + signImagePath(id, NOW - 1000, SECRET));
    expect(expired.status).toBe(410);
    expect((await errorOf(expired)).message).toContain('expired');

    const missing = `${'0'.repeat(32)}.png`;
    const gone = await fetch(base + signImagePath(missing, NOW + 60_000, SECRET));
    expect(gone.status).toBe(404);
    expect((await errorOf(gone)).message).toContain('no longer stored');

    const traversal = await fetch(base + signImagePath('../../etc/passwd', NOW + 60_000, SECRET));
    expect(traversal.status).toBe(404);
  });

  it('refuses other methods and reports store failures as 500 JSON', async () => {
    const id = await store.put(Buffer.from('abc'), 'image/png');
    const path = signImagePath(id, NOW + 60_000, SECRET);
    const post = await fetch(base + path, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    broken = true;
    try {
      const res = await fetch(base + path);
      expect(res.status).toBe(500);
      expect((await errorOf(res)).message).not.toContain('disk on fire');
    } finally {
      broken = false;
    }
  });
});
