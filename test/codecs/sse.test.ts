import { describe, expect, test } from 'vitest';
import { SseParser } from '../../src/dialects/canonical/sse.js';

function parseInCuts(bytes: Buffer, cuts: number[]) {
  const p = new SseParser();
  const out: unknown[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(...p.push(bytes.subarray(prev, c)));
    prev = c;
  }
  out.push(...p.end());
  return out;
}

describe('SseParser', () => {
  const stream = Buffer.from('event: a\ndata: {"x":"é😀"}\n\n: comment\r\ndata: one\r\ndata: two\r\n\r\ndata: last');
  const expected = [{ event: 'a', data: '{"x":"é😀"}' }, { data: 'one\ntwo' }, { data: 'last' }];

  test('LF, CRLF, multi-line data, comments and a last frame without its blank line', () => {
    expect(parseInCuts(stream, [])).toEqual(expected);
  });

  test('the same frames wherever the bytes are cut, inside a CRLF or a UTF-8 character included', () => {
    for (let i = 0; i <= stream.length; i++) expect(parseInCuts(stream, [i])).toEqual(expected);
  });

  test('a 20 MB line arriving in 64 KB pieces is parsed whole', () => {
    const big = Buffer.from(`data: ${'x'.repeat(20_000_000)}\n\n`);
    const p = new SseParser();
    const frames = [];
    for (let at = 0; at < big.length; at += 65_536) frames.push(...p.push(big.subarray(at, at + 65_536)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.data.length).toBe(20_000_000);
  });
});
