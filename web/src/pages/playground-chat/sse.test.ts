import { describe, expect, it } from 'vitest';
import { SseDecoder } from './sse';

function decodeAll(chunks: string[]): Array<{ event?: string; data: string }> {
  const d = new SseDecoder();
  return [...chunks.flatMap((c) => d.push(c)), ...d.end()];
}

describe('SseDecoder', () => {
  const stream = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\n: keep-alive\n\nevent: done\ndata: line one\ndata:line two\n\ndata: [DONE]\n\n';
  const expected = [{ data: '{"a":1}' }, { data: '{"b":2}' }, { event: 'done', data: 'line one\nline two' }, { data: '[DONE]' }];

  it('decodes whole events, comments skipped, data lines joined', () => {
    expect(decodeAll([stream])).toEqual(expected);
  });

  it('gives the same events however the bytes are split (every split point, CR LF halves included)', () => {
    for (let i = 1; i < stream.length; i++) {
      expect(decodeAll([stream.slice(0, i), stream.slice(i)])).toEqual(expected);
    }
    expect(decodeAll([...stream])).toEqual(expected);
  });

  it('returns an event only once its blank line arrives, and a trailing one at the end', () => {
    const d = new SseDecoder();
    expect(d.push('data: par')).toEqual([]);
    expect(d.push('tial\n')).toEqual([]);
    expect(d.push('\n')).toEqual([{ data: 'partial' }]);
    expect(d.push('data: last')).toEqual([]);
    expect(d.end()).toEqual([{ data: 'last' }]);
  });

  it('handles bare CR line ends and fields without a colon', () => {
    expect(decodeAll(['data: x\r\rdata\r\r'])).toEqual([{ data: 'x' }, { data: '' }]);
  });
});
