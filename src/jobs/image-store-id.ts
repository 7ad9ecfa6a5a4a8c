// Which image store a node writes to, as a lease name: nodes that share one
// images folder (a shared volume) prune it once between them, while nodes
// with folders of their own each prune their own. The folder keeps a random
// id in `.store-id` (which the store's pruner leaves alone: not an image name).
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ID_FILE = '.store-id';
const VALID = /^[0-9a-f-]{36}$/;

/** The folder's id, created on first use; atomic when several nodes start at once. */
export function imageStoreId(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ID_FILE);
  const existing = readId(path);
  if (existing) return existing;
  // Written whole under a temporary name, then linked into place: link fails
  // if another node got there first, and nobody ever reads a half-written id.
  const temp = join(dir, `${ID_FILE}.${process.pid}.${randomUUID()}`);
  writeFileSync(temp, randomUUID());
  try {
    linkSync(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
  const id = readId(path);
  if (!id) throw new Error(`${path} does not hold a store id; delete it and restart`);
  return id;
}

function readId(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return VALID.test(text) ? text : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
