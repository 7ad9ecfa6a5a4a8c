import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { decodeChunks, fixtureBytes } from './helpers.js';

describe('anthropic streamDecoder', () => {
  it('stream-text.txt: start, text deltas (UTF-8 intact), finish, merged usage', () => {
    expect(decodeChunks([fixtureBytes('stream-text.txt')])).toEqual([
      { type: 'start', id: 'msg_01StreamText', model: 'claude-sonnet-4-5-20250929', created: 0 },
      { type: 'text', text: 'Bonjour, ' },
      { type: 'text', text: '世界 👋 — ça va ?' },
      { type: 'finish', reason: 'stop' },
      {
        type: 'usage',
        usage: { inputTokens: 1025, cachedInputTokens: 1000, cacheWriteTokens: 0, outputTokens: 15, reasoningTokens: 0, outputImageTokens: 0 },
      },
    ]);
  });

  it('stream-tools-thinking.txt: thinking + signature, text, two tool calls by callIndex', () => {
    const expected: StreamEvent[] = [
      { type: 'start', id: 'msg_01StreamTools', model: 'claude-sonnet-4-5-20250929', created: 0 },
      { type: 'thinking', text: 'Need the weather ' },
      { type: 'thinking', text: 'for Paris.' },
      { type: 'thinking_signature', signature: 'EqQBCgIYAhIMsig' },
      { type: 'text', text: 'Checking…' },
      { type: 'tool_call_start', callIndex: 0, id: 'toolu_01A', name: 'get_weather' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"city": "Pa' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: 'ris"}' },
      { type: 'tool_call_start', callIndex: 1, id: 'toolu_01B', name: 'get_time' },
      // A call that streamed no arguments gets `{}` so other dialects see valid JSON.
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
      {
        type: 'usage',
        usage: { inputTokens: 522, cachedInputTokens: 0, cacheWriteTokens: 50, outputTokens: 120, reasoningTokens: 30, outputImageTokens: 0 },
      },
    ];
    expect(decodeChunks([fixtureBytes('stream-tools-thinking.txt')])).toEqual(expected);
  });

  it('stream-error.txt: an error event carries the status of its type', () => {
    const events = decodeChunks([fixtureBytes('stream-error.txt')]);
    expect(events.slice(1)).toEqual([
      { type: 'text', text: 'Partial' },
      { type: 'error', status: 529, message: 'Overloaded' },
    ]);
  });

  for (const name of ['stream-text.txt', 'stream-tools-thinking.txt', 'stream-error.txt']) {
    it(`${name}: split at every byte gives identical events`, () => {
      const bytes = fixtureBytes(name);
      const whole = decodeChunks([bytes]);
      expect(whole.length).toBeGreaterThan(2);
      for (let i = 1; i < bytes.length; i++) {
        expect(decodeChunks([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(whole);
      }
      // And one byte at a time, which splits every multi-byte character too.
      const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(decodeChunks(single)).toEqual(whole);
    });
  }

  it('a last frame without its blank line still counts at end()', () => {
    const text = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":3}}';
    expect(decodeChunks([Buffer.from(text)])).toEqual([
      { type: 'finish', reason: 'length' },
      { type: 'usage', usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0, outputImageTokens: 0 } },
    ]);
  });

  it('a frame that is not JSON ends the stream with one 502 error event', () => {
    const events = decodeChunks([Buffer.from('event: content_block_delta\ndata: {nope\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n')]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', status: 502 });
  });
});
