import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { sseEvents } from './helpers.js';

function encodeAll(events: StreamEvent[]): string {
  const encoder = anthropicCodec.streamEncoder({ model: 'claude-asked' });
  expect(encoder.contentType).toBe('text/event-stream');
  return events.map((e) => encoder.push(e)).join('') + encoder.end();
}

const usage = { inputTokens: 100, cachedInputTokens: 30, cacheWriteTokens: 20, outputTokens: 40, reasoningTokens: 5, outputImageTokens: 0 };

describe('anthropic streamEncoder', () => {
  it('frames every event with an event: line, in Anthropic order', () => {
    const text = encodeAll([
      { type: 'start', id: 'resp_1', model: 'gpt-x', created: 1 },
      { type: 'thinking', text: 'think' },
      { type: 'thinking_signature', signature: 'sig' },
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'tool_call_start', callIndex: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"a":' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '1}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage },
    ]);
    for (const f of text.split('\n\n').filter((f) => f !== '')) expect(f.startsWith('event: ')).toBe(true);
    expect(sseEvents(text)).toEqual([
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: {
            id: 'msg_resp_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-asked',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
          },
        },
      },
      { event: 'ping', data: { type: 'ping' } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hel' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'lo' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"a":' } } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '1}' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 2 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { input_tokens: 50, output_tokens: 40, cache_creation_input_tokens: 20, cache_read_input_tokens: 30 },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });

  it('images become whole blocks; thought images and other choices are dropped', () => {
    const frames = sseEvents(
      encodeAll([
        { type: 'text', text: 'look' },
        { type: 'image', mimeType: 'image/png', data: 'THOUGHT', thought: true },
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        { type: 'text', text: 'other choice', choice: 1 },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'finish', reason: 'length' },
      ]),
    );
    // Content before `start` still opens the message first.
    expect(frames[0]!.event).toBe('message_start');
    expect(frames.filter((f) => f.event === 'content_block_start').map((f) => f.data.content_block)).toEqual([
      { type: 'text', text: '' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'redacted_thinking', data: 'opaque' },
    ]);
    expect(frames.filter((f) => f.event === 'content_block_stop').map((f) => f.data.index)).toEqual([0, 1, 2]);
    expect(frames.some((f) => JSON.stringify(f.data).includes('other choice'))).toBe(false);
    expect(frames.at(-2)!.data.delta.stop_reason).toBe('max_tokens');
  });

  it('an empty stream still yields a complete message', () => {
    expect(sseEvents(encodeAll([])).map((f) => f.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
  });

  it('fail() and upstream error events write an Anthropic error frame and nothing after', () => {
    const encoder = anthropicCodec.streamEncoder({ model: 'm' });
    encoder.push({ type: 'text', text: 'partial' });
    const failed = encoder.fail(new GatewayError('unavailable', 'No channel left', { status: 529 }));
    expect(sseEvents(failed)).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'No channel left' } } }]);
    expect(encoder.end()).toBe('');
    expect(encoder.push({ type: 'text', text: 'late' })).toBe('');

    const other = anthropicCodec.streamEncoder({ model: 'm' });
    const frames = sseEvents(other.push({ type: 'error', status: 429, message: 'slow down' }));
    expect(frames).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } }]);
  });
});
