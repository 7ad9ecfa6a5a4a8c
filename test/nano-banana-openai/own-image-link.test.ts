// readOwnImageLink: the gateway's own signed image links are read from the
// store; anything else is left to the (SSRF-guarded) fetcher. Also: a store
// pruned with a tiny retention never breaks a write in progress.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { FileImageStore } from '../../src/media/image-store.js';
import { readOwnImageLink } from '../../src/media/own-image-link.js';
import { signImagePath } from '../../src/media/signed-url.js';
import { makePng } from './helpers.js';

const KEY = 'k'.repeat(64);
let dir: string;
let store: FileImageStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-own-link-'));
  store = new FileImageStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('readOwnImageLink', () => {
  it('a link this gateway signed, on any host, reads the stored bytes', async () => {
    const png = makePng(8, 8);
    const id = await store.put(png, 'image/png');
    const path = signImagePath(id, Date.now() + 60_000, KEY);
    for (const host of ['http://127.0.0.1:9', 'https://gw.example.com']) {
      const got = await readOwnImageLink(host + path, store, KEY);
      expect(got).toEqual({ bytes: png, mimeType: 'image/png' });
    }
  });

  it('foreign URLs, other paths, forged or foreign-key signatures are not ours (undefined)', async () => {
    const id = await store.put(makePng(8, 8), 'image/png');
    const path = signImagePath(id, Date.now() + 60_000, KEY);
    expect(await readOwnImageLink('https://example.com/cat.png', store, KEY)).toBeUndefined();
    expect(await readOwnImageLink('not a url', store, KEY)).toBeUndefined();
    expect(await readOwnImageLink(`http://h${path.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`)}`, store, KEY)).toBeUndefined();
    expect(await readOwnImageLink(`http://h${signImagePath(id, Date.now() + 60_000, 'another-key')}`, store, KEY)).toBeUndefined();
    expect(await readOwnImageLink(`http://h/v1/files/images/%E0%A4%A?expires=1&signature=${'0'.repeat(64)}`, store, KEY)).toBeUndefined();
  });

  it('an expired or pruned link of ours is refused as an invalid request on image_url', async () => {
    const id = await store.put(makePng(8, 8), 'image/png');
    const expired = await refusal(readOwnImageLink(`http://h${signImagePath(id, Date.now() - 5_000, KEY)}`, store, KEY));
    expect(expired).toMatchObject({ kind: 'invalid_request', param: 'image_url', code: 'image_url_expired' });

    const gone = signImagePath('0123456789abcdef0123456789abcdef.png', Date.now() + 60_000, KEY);
    const missing = await refusal(readOwnImageLink(`http://h${gone}`, store, KEY));
    expect(missing).toMatchObject({ kind: 'invalid_request', param: 'image_url', code: 'image_not_found' });
  });
});

describe('pruning with a tiny retention', () => {
  it('spares a fresh temp file (a write in progress) but removes old images', async () => {
    const id = await store.put(makePng(4, 4), 'image/png');
    await writeFile(join(dir, 'images', '.tmp-0011223344556677'), 'being written');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.prune(1)).toBe(1);
    expect(await readdir(join(dir, 'images'))).toEqual(['.tmp-0011223344556677']);
    expect(await store.get(id)).toBeUndefined();
  });

  it('many puts racing a prune loop with a 1 ms retention all succeed', async () => {
    let pruning = true;
    const loop = (async () => {
      while (pruning) await store.prune(1);
    })();
    const ids = await Promise.all(Array.from({ length: 40 }, () => store.put(makePng(4, 4), 'image/png')));
    pruning = false;
    await loop;
    expect(ids.every((id) => /^[0-9a-f]{32}\.png$/.test(id))).toBe(true);
  });
});
