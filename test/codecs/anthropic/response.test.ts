import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import type { CanonicalResponse } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { fixtureJson } from './helpers.js';

describe('anthropic decodeResponse', () => {
  it('response-text.json: text, stop, usage with cache counts folded into input', () => {
    const res = anthropicCodec.decodeResponse(fixtureJson('response-text.json'));
    expect({ ...res, created: 0 }).toEqual({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-5-20250929',
      created: 0,
      choices: [{ index: 0, parts: [{ type: 'text', text: 'Bleu — ou « rouge » ✓' }], finishReason: 'stop' }],
      usage: { inputTokens: 12 + 100 + 2000, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 9, reasoningTokens: 0, outputImageTokens: 0 },
    });
    expect(res.created).toBeGreaterThan(1_700_000_000);
  });

  it('response-tools-thinking.json: thinking, redacted, text, tool call; server tools left out', () => {
    const res = anthropicCodec.decodeResponse(fixtureJson('response-tools-thinking.json'));
    expect(res.choices[0]).toEqual({
      index: 0,
      finishReason: 'tool_calls',
      parts: [
        { type: 'thinking', text: 'The user wants the weather.', signature: 'EqQBCgIYAhIMsig' },
        { type: 'thinking', text: '', redacted: 'EmwKAhgBEgyRED' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      ],
    });
    expect(res.usage).toMatchObject({ inputTokens: 472, outputTokens: 89, reasoningTokens: 40 });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
    ['something_new', 'other'],
  ])('stop_reason %s → %s', (stop_reason, finish) => {
    const res = anthropicCodec.decodeResponse({ id: 'm', model: 'x', content: [], stop_reason });
    expect(res.choices[0]!.finishReason).toBe(finish);
  });

  it('an error body becomes the matching GatewayError', () => {
    try {
      anthropicCodec.decodeResponse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(529);
      expect((err as GatewayError).kind).toBe('unavailable');
      expect((err as GatewayError).message).toBe('Overloaded');
    }
  });
});

describe('anthropic encodeResponse', () => {
  const canonical: CanonicalResponse = {
    id: 'chatcmpl-123',
    model: 'gemini-2.5-flash',
    created: 1,
    choices: [
      {
        index: 0,
        finishReason: 'stop',
        parts: [
          { type: 'thinking', text: 'hmm', signature: 'sig' },
          { type: 'thinking', text: 'unsigned thought' },
          { type: 'thinking', text: '', redacted: 'opaque' },
          { type: 'text', text: 'Here:' },
          { type: 'image', mimeType: 'image/png', data: 'THOUGHT', thought: true },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":[1,2]}' },
          { type: 'tool_call', id: 'call_2', name: 'g', arguments: '{broken' },
        ],
      },
      { index: 1, finishReason: 'stop', parts: [{ type: 'text', text: 'second choice: not shown' }] },
    ],
    usage: { inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 100, outputTokens: 50, reasoningTokens: 10, outputImageTokens: 0 },
  };

  it('builds a Messages answer: blocks, stop_reason, uncached input usage', () => {
    expect(anthropicCodec.encodeResponse(canonical, { model: 'claude-asked' })).toEqual({
      id: 'msg_chatcmpl-123',
      type: 'message',
      role: 'assistant',
      model: 'claude-asked',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'thinking', thinking: 'unsigned thought', signature: '' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Here:' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { a: [1, 2] } },
        { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
      ],
      // Gemini says STOP after function calls; Anthropic clients need tool_use.
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 300, output_tokens: 50, cache_creation_input_tokens: 100, cache_read_input_tokens: 600 },
    });
  });

  it('round-trips response-text.json through decode and encode', () => {
    const fixture = fixtureJson('response-text.json');
    const out = anthropicCodec.encodeResponse(anthropicCodec.decodeResponse(fixture), { model: 'claude-sonnet-4-5-20250929' });
    expect(out).toEqual({
      id: fixture.id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Bleu — ou « rouge » ✓' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 9, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000 },
    });
  });

  it.each([
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    ['tool_calls', 'tool_use'],
    ['other', 'end_turn'],
  ] as const)('finish %s → stop_reason %s', (finishReason, stop) => {
    const out = anthropicCodec.encodeResponse({ id: '', model: 'm', created: 0, choices: [{ index: 0, parts: [], finishReason }] }, { model: 'x' });
    expect(out.stop_reason).toBe(stop);
    expect(String(out.id)).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(out.usage).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });
});
