// The delivered-text counter behind the client-abort rule: the same count
// however the stream is cut into chunks, whether chunks wait to be scanned
// together or are scanned as they come, and keys split across chunks.
import { describe, expect, it } from 'vitest';
import { DeliveredTextCounter } from '../../src/relay/delivered-text.js';

const frames = [
  { choices: [{ delta: { role: 'assistant', content: '' } }] },
  { choices: [{ delta: { content: 'Héllo "world" \\ ' } }] },
  { choices: [{ delta: { reasoning_content: 'think' } }] },
  { choices: [{ delta: { tool_calls: [{ function: { arguments: '{"a":1}' } }] } }] },
  { choices: [{ delta: { content: '日本' } }] },
];
const stream = Buffer.from(frames.map((f) => `data: ${JSON.stringify(f)}\n\n`).join(''));
// 'Héllo "world" \ ' is 16 characters, 'think' 5, '{"a":1}' 7, '日本' 2.
const CHARS = 16 + 5 + 7 + 2;

function count(chunks: Buffer[]): number {
  const c = new DeliveredTextCounter();
  for (const chunk of chunks) c.push(chunk);
  return c.chars;
}

describe('DeliveredTextCounter', () => {
  it('counts the characters of every text value, escapes as one', () => {
    expect(count([stream])).toBe(CHARS);
    expect(new DeliveredTextCounter().tokens).toBe(0);
  });

  it('gives the same count for the stream cut at every byte', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(count([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toBe(CHARS);
    }
  });

  it('byte by byte, and frame by frame with the count read between frames', () => {
    expect(count(Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1)))).toBe(CHARS);
    const c = new DeliveredTextCounter();
    let seen = 0;
    for (const f of frames) {
      c.push(Buffer.from(`data: ${JSON.stringify(f)}\n\n`));
      expect(c.chars).toBeGreaterThanOrEqual(seen);
      seen = c.chars;
    }
    expect(seen).toBe(CHARS);
  });

  it('counts large chunks and many small ones alike (past the batch size)', () => {
    const many = Buffer.concat(Array.from({ length: 400 }, () => stream));
    expect(count([many])).toBe(400 * CHARS);
    const pieces: Buffer[] = [];
    for (let i = 0; i < many.length; i += 97) pieces.push(many.subarray(i, i + 97));
    expect(count(pieces)).toBe(400 * CHARS);
    expect(count([stream, many, stream])).toBe(402 * CHARS);
    const c = new DeliveredTextCounter();
    for (const p of pieces) c.push(p);
    expect(c.tokens).toBe(Math.ceil((400 * CHARS) / 4));
  });
});
