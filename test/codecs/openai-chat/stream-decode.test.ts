import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { fixtureBytes, fixtureJson, fixtureNames } from './fixtures.js';

function decodeAll(chunks: Buffer[]): StreamEvent[] {
  const decoder = openaiChatCodec.streamDecoder();
  const events: StreamEvent[] = [];
  for (const chunk of chunks) events.push(...decoder.push(chunk));
  events.push(...decoder.end());
  return events;
}

const frames = (...data: string[]): Buffer => Buffer.from(data.map((d) => `data: ${d}\n\n`).join(''));

describe('openai chat streamDecoder: golden fixtures', () => {
  for (const name of fixtureNames('stream-')) {
    it(`${name} decodes to its golden events`, () => {
      expect(decodeAll([fixtureBytes(name)])).toEqual(fixtureJson(`expected/${name.replace('.txt', '.events.json')}`));
    });

    it(`${name} gives the same events fed one byte at a time`, () => {
      const bytes = fixtureBytes(name);
      const oneByOne = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(decodeAll(oneByOne)).toEqual(decodeAll([bytes]));
    });
  }

  it('stream-text.txt split at every byte boundary gives the same events', () => {
    const bytes = fixtureBytes('stream-text.txt');
    const whole = decodeAll([bytes]);
    for (let i = 1; i < bytes.length; i++) expect(decodeAll([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(whole);
  });

  it('a chunk boundary inside a UTF-8 character (👋, ç) does not garble the text', () => {
    const bytes = fixtureBytes('stream-text.txt');
    const wave = bytes.indexOf(Buffer.from('👋'));
    const cedilla = bytes.indexOf(Buffer.from('ç'));
    expect(wave).toBeGreaterThan(0);
    // Three pieces: the 4-byte emoji is cut after its first and third bytes.
    const events = decodeAll([bytes.subarray(0, wave + 1), bytes.subarray(wave + 1, wave + 3), bytes.subarray(wave + 3)]);
    const text = events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
    expect(text).toBe('Bonjour, ça va ? 👋');
    const split = decodeAll([bytes.subarray(0, cedilla + 1), bytes.subarray(cedilla + 1)]);
    expect(split.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('')).toBe('Bonjour, ça va ? 👋');
  });
});

describe('openai chat streamDecoder: mappings', () => {
  it('start comes once, from the first chunk', () => {
    const events = decodeAll([frames('{"id":"a","model":"m","created":5,"choices":[]}', '{"id":"b","model":"n","created":6,"choices":[]}')]);
    expect(events).toEqual([{ type: 'start', id: 'a', model: 'm', created: 5 }]);
  });

  it('reasoning (OpenRouter) → thinking; reasoning_content wins when both are sent', () => {
    const events = decodeAll([
      frames('{"choices":[{"index":0,"delta":{"reasoning":"r1"}}]}', '{"choices":[{"index":0,"delta":{"reasoning":"dup","reasoning_content":"r2"}}]}'),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'thinking', text: 'r1' },
      { type: 'thinking', text: 'r2' },
    ]);
  });

  it('tool calls keep the wire index as callIndex, even when it does not start at 0', () => {
    const events = decodeAll([
      frames(
        '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"id":"c2","function":{"name":"f","arguments":"{\\"a\\""}}]}}]}',
        '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"function":{"arguments":":1}"}}]}}]}',
      ),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', callIndex: 2, id: 'c2', name: 'f' },
      { type: 'tool_call_delta', callIndex: 2, argumentsDelta: '{"a"' },
      { type: 'tool_call_delta', callIndex: 2, argumentsDelta: ':1}' },
    ]);
  });

  it('tool calls without an index (some compatible servers) are told apart by id', () => {
    const events = decodeAll([
      frames(
        '{"choices":[{"delta":{"tool_calls":[{"id":"x","function":{"name":"f","arguments":"{}"}},{"id":"y","function":{"name":"g","arguments":"{"}}]}}]}',
        '{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"}"}}]}}]}',
      ),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', callIndex: 0, id: 'x', name: 'f' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{}' },
      { type: 'tool_call_start', callIndex: 1, id: 'y', name: 'g' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '}' },
    ]);
  });

  it('http image URLs stay URLs; broken data URLs are skipped', () => {
    const events = decodeAll([frames('{"choices":[{"index":1,"delta":{"images":[{"image_url":{"url":"https://i.test/a.png"}},{"image_url":{"url":"data:nope"}}]}}]}')]);
    expect(events.slice(1)).toEqual([{ type: 'image', url: 'https://i.test/a.png', mimeType: 'image/png', choice: 1 }]);
  });

  it('a 1 MB image frame cut into 64 KiB chunks arrives whole, its base64 untouched', () => {
    const data = Buffer.alloc(750_000, 9).toString('base64');
    const bytes = frames(`{"choices":[{"index":0,"delta":{"images":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,${data}"}}]}}]}`);
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 65536) pieces.push(bytes.subarray(at, at + 65536));
    const images = decodeAll(pieces).filter((e) => e.type === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ mimeType: 'image/jpeg' });
    expect(images[0]?.type === 'image' && images[0].data === data).toBe(true);
  });

  it('usage: null on ordinary chunks gives no usage event; usage beside finish_reason gives both', () => {
    const events = decodeAll([
      frames('{"choices":[{"index":0,"delta":{"content":"x"}}],"usage":null}', '{"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}'),
    ]);
    expect(events.slice(1).map((e) => e.type)).toEqual(['text', 'finish', 'usage']);
  });

  it('an error frame ends the stream: status from a numeric code, else 502', () => {
    expect(decodeAll([fixtureBytes('stream-error.txt')]).at(-1)).toEqual({ type: 'error', status: 429, message: 'Rate limit exceeded upstream' });
    expect(decodeAll([frames('{"error":{"code":"server_error","message":"boom"}}')])).toEqual([{ type: 'error', status: 502, message: 'boom' }]);
    expect(decodeAll([frames('{"error":{}}')])).toEqual([{ type: 'error', status: 502, message: 'The upstream reported an error.' }]);
  });

  it('[DONE] ends the stream; later frames are ignored', () => {
    const events = decodeAll([frames('{"choices":[{"delta":{"content":"a"}}]}', '[DONE]', '{"choices":[{"delta":{"content":"b"}}]}')]);
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'a' }]);
  });

  it('a last frame without its blank line is flushed by end()', () => {
    const decoder = openaiChatCodec.streamDecoder();
    expect(decoder.push(Buffer.from('data: {"choices":[{"delta":{"content":"tail"}}]}'))).toEqual([]);
    expect(decoder.end().filter((e) => e.type === 'text')).toEqual([{ type: 'text', text: 'tail' }]);
  });

  it('garbage: a non-JSON frame is an error event, odd JSON shapes are skipped, nothing throws', () => {
    expect(decodeAll([frames('not json')])).toEqual([{ type: 'error', status: 502, message: 'The upstream sent a stream frame that is not JSON.' }]);
    const odd = ['5', '"s"', 'null', '[]', '{"choices":5}', '{"choices":[null,5,{"delta":5},{"delta":{"tool_calls":[null,5,{"function":5}],"images":[5,null],"content":7}}]}'];
    const events = decodeAll([frames(...odd), Buffer.from('data:\n\n: comment\n\nevent: x\n\n')]);
    expect(events.every((e) => e.type === 'start' || e.type === 'tool_call_start')).toBe(true);
  });
});
