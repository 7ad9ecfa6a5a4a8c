// The usage sniffer's object reader: strings with braces and escapes, objects
// split at every byte, several objects in one chunk, and give-up on objects
// too large to be a usage block.
import { describe, expect, it } from 'vitest';
import { JsonObjectSniffer } from '../../src/relay/json-object-sniffer.js';

function sniff(chunks: Buffer[], key = 'usage'): unknown[] {
  const seen: unknown[] = [];
  const s = new JsonObjectSniffer(key, (v) => seen.push(v));
  for (const c of chunks) s.push(c);
  return seen;
}

describe('JsonObjectSniffer', () => {
  const usage = { prompt_tokens: 3, note: 'a "quoted" {brace} and \\ backslash }}', nested: { deep: [1, { x: '}' }] } };
  const text = Buffer.from(`data: {"id":"x","usage":${JSON.stringify(usage)}}\n\n`);

  it('reads an object whose strings hold braces, quotes and escapes, split at every byte', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      expect(sniff([text.subarray(0, cut), text.subarray(cut)]), `cut at ${cut}`).toEqual([usage]);
    }
  });

  it('reads it byte by byte too', () => {
    const bytes = Array.from({ length: text.length }, (_, i) => text.subarray(i, i + 1));
    expect(sniff(bytes)).toEqual([usage]);
  });

  it('reports every object in one chunk, in order (an SSE stream reporting usage twice)', () => {
    const two = Buffer.from('data: {"usage":{"input_tokens":5}}\n\ndata: {"usage":{"output_tokens":7}}\n\n');
    expect(sniff([two])).toEqual([{ input_tokens: 5 }, { output_tokens: 7 }]);
  });

  it('ignores the key when it does not hold an object', () => {
    expect(sniff([Buffer.from('{"usage":null,"x":{"usage":{"a":1}}}')])).toEqual([{ a: 1 }]);
  });

  it('gives up on an object larger than a usage block, then finds the next one', () => {
    const big = `{"usage":{"blob":"${'x'.repeat(200 * 1024)}"}}`;
    const body = Buffer.from(`${big}\n{"usage":{"a":2}}`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 16 * 1024) chunks.push(body.subarray(i, i + 16 * 1024));
    expect(sniff(chunks)).toEqual([{ a: 2 }]);
  });

  it('keeps what it captured when the caller reuses the chunk memory', () => {
    const buf = Buffer.from('{"usage":{"prompt_tokens":12,');
    const seen: unknown[] = [];
    const s = new JsonObjectSniffer('usage', (v) => seen.push(v));
    s.push(buf);
    buf.fill(0x20); // the caller's buffer is overwritten after push
    s.push(Buffer.from('"completion_tokens":4}}'));
    expect(seen).toEqual([{ prompt_tokens: 12, completion_tokens: 4 }]);
  });
});
