// JSON with large base64 blobs spliced in by reference: the object is
// stringified with a placeholder where each blob goes, then cut around the
// placeholders, so a 20 MB image is written from its cached buffer instead of
// being copied into (and escaped within) a JSON string.

import { randomBytes } from 'node:crypto';
import type { Piece } from './reply.js';

// Unguessable per process, so no client text can forge a placeholder.
const TOKEN = `__simblob_${randomBytes(8).toString('hex')}_`;
const PATTERN = new RegExp(`"${TOKEN}(\\d+)"`, 'g');

/** A stand-in string for the blob at `index`, to put where the base64 text belongs. */
export function blobPlaceholder(index: number): string {
  return `${TOKEN}${index}`;
}

/** Stringifies `value` and returns the pieces to write, with `blobs` in place of their placeholders (quoted). */
export function jsonWithBlobs(value: unknown, blobs: readonly Buffer[]): Piece[] {
  const text = JSON.stringify(value);
  if (blobs.length === 0) return [text];
  const out: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    const blob = blobs[Number(match[1])];
    if (!blob) continue;
    out.push(`${text.slice(last, match.index)}"`, blob);
    last = match.index + match[0].length;
    out.push('"');
  }
  out.push(text.slice(last));
  return mergeStrings(out);
}

function mergeStrings(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const prev = out[out.length - 1];
    if (typeof piece === 'string' && typeof prev === 'string') out[out.length - 1] = prev + piece;
    else if (piece !== '') out.push(piece);
  }
  return out;
}
