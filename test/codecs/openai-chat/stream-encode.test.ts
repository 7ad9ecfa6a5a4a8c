import { describe, expect, it } from 'vitest';
import type { EncodeResponseOptions } from '../../../src/dialects/canonical/codec.js';
import { SseParser } from '../../../src/dialects/canonical/sse.js';
import type { CanonicalUsage, StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { MAX_MARKDOWN_FRAME_BYTES, openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { jsonString } from '../../../src/dialects/openai/chat-codec/json-string.js';
import { fixtureBytes, fixtureJson, fixtureNames, PNG_BASE64 } from './fixtures.js';

const usage: CanonicalUsage = { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 2, outputImageTokens: 0 };

function encodeAll(events: StreamEvent[], opts: Partial<EncodeResponseOptions> = {}): string {
  const encoder = openaiChatCodec.streamEncoder({ model: 'client-model', ...opts });
  let out = '';
  for (const e of events) out += encoder.push(e);
  return out + encoder.end();
}

/** The data of every frame; [DONE] kept as the string. */
function frameData(text: string): Array<Record<string, any> | string> {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((f) => (f.data === '[DONE]' ? f.data : (JSON.parse(f.data) as Record<string, any>)));
}

const chunks = (text: string) => frameData(text).filter((f): f is Record<string, any> => typeof f !== 'string');
const deltas = (text: string, index = 0) => chunks(text).flatMap((c) => (c.choices as any[]).filter((ch) => ch.index === index).map((ch) => ch.delta));
const start: StreamEvent = { type: 'start', id: 'up-1', model: 'upstream', created: 1700000000 };

describe('jsonString (fast JSON literal for big payloads)', () => {
  it('always equals JSON.stringify, short or long, safe or not', () => {
    const long = 'A'.repeat(5000);
    for (const s of ['', 'plain', 'q"uote', long, `${long}"`, `${long}\\`, `${long}\n`, `${long}\u0001`, `${long}\ud800`, `${long}é😀`]) {
      expect(jsonString(s)).toBe(JSON.stringify(s));
    }
  });
});

describe('openai chat streamEncoder', () => {
  it('text/event-stream; a role chunk first; every chunk with the same id, object, created, model; [DONE] last', () => {
    const encoder = openaiChatCodec.streamEncoder({ model: 'client-model' });
    expect(encoder.contentType).toBe('text/event-stream');
    const out = encodeAll([start, { type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' }, { type: 'finish', reason: 'stop' }]);
    const all = frameData(out);
    expect(all.at(-1)).toBe('[DONE]');
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
    const list = chunks(out);
    expect(list[0]?.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    for (const c of list) expect(c).toMatchObject({ id: 'chatcmpl-up-1', object: 'chat.completion.chunk', created: 1700000000, model: 'client-model' });
    expect(deltas(out)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hel' }, { content: 'lo' }, {}]);
    expect(list.at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  it('without a start event the first content still comes after a role chunk, under one invented id', () => {
    const list = chunks(encodeAll([{ type: 'thinking', text: 'hmm' }, { type: 'text', text: 'x' }]));
    expect(list.map((c) => c.choices[0].delta)).toEqual([{ role: 'assistant', content: '' }, { reasoning_content: 'hmm' }, { content: 'x' }]);
    expect(new Set(list.map((c) => c.id)).size).toBe(1);
    expect(list[0]?.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
  });

  it('tool calls: stable wire index from 0, the first delta with id/type/name and empty arguments, then pieces', () => {
    const out = encodeAll([
      start,
      { type: 'tool_call_start', callIndex: 3, id: 'c3', name: 'f' },
      { type: 'tool_call_delta', callIndex: 3, argumentsDelta: '{"a":' },
      { type: 'tool_call_start', callIndex: 7, id: 'c7', name: 'g' },
      { type: 'tool_call_delta', callIndex: 3, argumentsDelta: '1}' },
      { type: 'tool_call_delta', callIndex: 7, argumentsDelta: '{}' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(deltas(out).slice(1)).toEqual([
      { tool_calls: [{ index: 0, id: 'c3', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
      { tool_calls: [{ index: 1, id: 'c7', type: 'function', function: { name: 'g', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
    ]);
    // A choice that called tools finishes with tool_calls, whatever the upstream said.
    expect(chunks(out).at(-1)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('choices are honoured; each choice gets its own role chunk and a single finish', () => {
    const out = encodeAll([
      start,
      { type: 'text', text: 'a', choice: 0 },
      { type: 'text', text: 'b', choice: 1 },
      { type: 'finish', reason: 'length', choice: 1 },
      { type: 'finish', reason: 'length', choice: 1 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(deltas(out, 1)).toEqual([{ role: 'assistant', content: '' }, { content: 'b' }, {}]);
    const finishes = chunks(out).flatMap((c) => c.choices.filter((ch: any) => ch.finish_reason).map((ch: any) => [ch.index, ch.finish_reason]));
    expect(finishes).toEqual([[1, 'length'], [0, 'stop']]);
  });

  it('the usage chunk (choices: []) comes last, only when includeUsage', () => {
    const events: StreamEvent[] = [start, { type: 'text', text: 'x' }, { type: 'usage', usage }, { type: 'finish', reason: 'stop' }];
    const withUsage = chunks(encodeAll(events, { includeUsage: true }));
    expect(withUsage.at(-1)).toMatchObject({
      id: 'chatcmpl-up-1',
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    });
    expect(withUsage.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks(encodeAll(events)).some((c) => 'usage' in c)).toBe(false);
  });

  it("images: 'images' → delta.images with an index; 'markdown' → content; thought images dropped", () => {
    const image: StreamEvent = { type: 'image', mimeType: 'image/png', data: PNG_BASE64 };
    const thought: StreamEvent = { type: 'image', mimeType: 'image/png', data: 'DRAFT', thought: true };
    const url = `data:image/png;base64,${PNG_BASE64}`;
    const listed = encodeAll([start, thought, image, image], { imageOutput: 'images' });
    expect(deltas(listed).slice(1)).toEqual([
      { images: [{ index: 0, type: 'image_url', image_url: { url } }] },
      { images: [{ index: 1, type: 'image_url', image_url: { url } }] },
    ]);
    expect(listed).not.toContain('DRAFT');
    const markdown = encodeAll([start, { type: 'text', text: 'Look:' }, image, { type: 'text', text: 'Nice?' }], { imageOutput: 'markdown' });
    expect(deltas(markdown).map((d) => d.content).join('')).toBe(`Look:\n\n![image](${url})\n\nNice?`);
    expect(markdown).not.toContain('"images"');
    const stored = encodeAll([start, { type: 'image', mimeType: 'image/png', data: PNG_BASE64, url: 'https://gw.test/1.png' }], { imageOutput: 'url' });
    expect(deltas(stored).slice(1)).toEqual([{ images: [{ index: 0, type: 'image_url', image_url: { url: 'https://gw.test/1.png' } }] }, { content: '![image](https://gw.test/1.png)' }]);
  });

  it('a large markdown data-URL image is split over frames of at most 16 KiB that join back exactly', () => {
    const data = Buffer.alloc(600_000, 7).toString('base64');
    const out = encodeAll([start, { type: 'text', text: 'Here:' }, { type: 'image', mimeType: 'image/png', data }, { type: 'finish', reason: 'stop' }], {
      imageOutput: 'both',
    });
    const rawFrames = out.split('\n\n').filter(Boolean);
    const contentFrames = rawFrames.filter((f) => f.includes('"content"'));
    expect(contentFrames.length).toBeGreaterThan(40);
    for (const frame of contentFrames) expect(Buffer.byteLength(`${frame}\n\n`)).toBeLessThanOrEqual(MAX_MARKDOWN_FRAME_BYTES);
    expect(deltas(out).flatMap((d) => (typeof d.content === 'string' ? [d.content] : [])).join('')).toBe(`Here:\n\n![image](data:image/png;base64,${data})`);
    // 'both' also lists the image whole, once.
    expect(deltas(out).filter((d) => d.images).length).toBe(1);
  });

  it('a huge text delta is split too, never between the halves of a surrogate pair', () => {
    // Both parities of the ASCII head, so some cut falls inside a pair whatever the frame room is.
    for (const head of [16_000, 16_001]) {
      const text = `${'a'.repeat(head)}${'😀'.repeat(20_000)}`;
      const out = encodeAll([start, { type: 'text', text }]);
      const pieces = deltas(out).flatMap((d) => (typeof d.content === 'string' && d.content ? [d.content as string] : []));
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.join('')).toBe(text);
      // No piece starts with a low surrogate or ends with a high one.
      for (const piece of pieces) expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(piece)).toBe(false);
    }
  });

  it('fail() sends the OpenAI error object and no [DONE]; nothing follows', () => {
    const encoder = openaiChatCodec.streamEncoder({ model: 'client-model' });
    encoder.push(start);
    const failed = encoder.fail(new GatewayError('upstream', 'connection reset', { status: 502 }));
    expect(frameData(failed)).toEqual([{ error: { message: 'connection reset', type: 'upstream_error', param: null, code: null } }]);
    expect(failed).not.toContain('[DONE]');
    expect(encoder.push({ type: 'text', text: 'late' })).toBe('');
    expect(encoder.end()).toBe('');
  });

  it('an error event ends the stream with the error frame', () => {
    const encoder = openaiChatCodec.streamEncoder({ model: 'client-model' });
    const out = encoder.push({ type: 'error', status: 429, message: 'slow down' });
    expect(frameData(out)).toEqual([{ error: { message: 'slow down', type: 'rate_limit_error', param: null, code: null } }]);
    expect(encoder.end()).toBe('');
  });

  it('signatures and redacted thinking produce nothing', () => {
    const encoder = openaiChatCodec.streamEncoder({ model: 'client-model' });
    encoder.push(start);
    expect(encoder.push({ type: 'thinking_signature', signature: 's' })).toBe('');
    expect(encoder.push({ type: 'redacted_thinking', data: 'r' })).toBe('');
    expect(encoder.push({ type: 'text', text: '' })).toBe('');
  });

  for (const name of fixtureNames('stream-').filter((n) => n !== 'stream-error.txt')) {
    it(`${name}: decode → encode → decode gives the same events`, () => {
      const decoder = openaiChatCodec.streamDecoder();
      const events = [...decoder.push(fixtureBytes(name)), ...decoder.end()];
      expect(events).toEqual(fixtureJson(`expected/${name.replace('.txt', '.events.json')}`));
      const out = encodeAll(events, { includeUsage: true, imageOutput: 'images' });
      const again = openaiChatCodec.streamDecoder();
      const back = [...again.push(Buffer.from(out)), ...again.end()];
      const first = events[0] as Extract<StreamEvent, { type: 'start' }>;
      expect(back[0]).toEqual({ ...first, id: first.id.startsWith('chatcmpl-') ? first.id : `chatcmpl-${first.id}`, model: 'client-model' });
      expect(back.slice(1)).toEqual(events.slice(1));
    });
  }
});
