// Where generated images wait to be downloaded through a signed URL. The
// interface is three calls on opaque ids so an S3-compatible bucket can stand
// in for the local directory later.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extensionForMime } from '../dialects/openai/images/sniff-image.js';

export interface StoredImage {
  bytes: Buffer;
  mimeType: string;
}

export interface ImageStore {
  /** Stores the bytes; returns an unguessable id (with a file extension). */
  put(bytes: Buffer, mimeType: string): Promise<string>;
  /** The image, or undefined when the id is unknown, malformed or pruned. */
  get(id: string): Promise<StoredImage | undefined>;
  /** Deletes images stored more than `olderThanMs` ago; returns how many. */
  prune(olderThanMs: number): Promise<number>;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  bin: 'application/octet-stream',
};

/** 128 random bits in hex and a known extension: nothing else can name a file. */
const ID = /^[0-9a-f]{32}\.(png|jpg|webp|gif|heic|heif|bin)$/;
const TEMP_PREFIX = '.tmp-';
/**
 * A temp file younger than this may still be being written: pruning it would
 * fail that write's rename, so it is spared even under a very short retention.
 */
const TEMP_GRACE_MS = 10 * 60 * 1000;

export function isImageId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

/** Images as files in `<dataDir>/images/`, written atomically (temp file + rename). */
export class FileImageStore implements ImageStore {
  readonly dir: string;
  private ready: Promise<unknown> | undefined;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'images');
  }

  private ensureDir(): Promise<unknown> {
    this.ready ??= mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
      this.ready = undefined; // try again next time
      throw err;
    });
    return this.ready;
  }

  async put(bytes: Buffer, mimeType: string): Promise<string> {
    await this.ensureDir();
    const id = `${randomBytes(16).toString('hex')}.${extensionForMime(mimeType)}`;
    const temp = join(this.dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, join(this.dir, id));
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    return id;
  }

  async get(id: string): Promise<StoredImage | undefined> {
    if (!isImageId(id)) return undefined;
    try {
      const bytes = await readFile(join(this.dir, id));
      const extension = id.slice(id.lastIndexOf('.') + 1);
      return { bytes, mimeType: MIME_BY_EXTENSION[extension] ?? 'application/octet-stream' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async prune(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const now = Date.now();
    const cutoff = now - olderThanMs;
    const tempCutoff = now - Math.max(olderThanMs, TEMP_GRACE_MS);
    let removed = 0;
    for (const name of names) {
      const isImage = ID.test(name);
      // Temp files left by a crash mid-write go too; anything else is not ours.
      if (!isImage && !name.startsWith(TEMP_PREFIX)) continue;
      const path = join(this.dir, name);
      try {
        const info = await stat(path);
        if (info.mtimeMs >= (isImage ? cutoff : tempCutoff)) continue;
        await unlink(path);
        if (isImage) removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return removed;
  }
}
