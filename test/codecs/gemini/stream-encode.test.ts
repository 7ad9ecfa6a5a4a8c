import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { geminiCodec } from '../../../src/dialects/gemini/codec/index.js';
import { fixtureBytes, golden, stable } from './helpers.js';

const STREAMS = ['stream-text', 'stream-tools', 'stream-image', 'stream-error'];

function decode(bytes: Buffer | string): StreamEvent[] {
  const decoder = geminiCodec.streamDecoder();
  const events = decoder.push(Buffer.from(bytes));
  events.push(...decoder.end());
  return events;
}

function encode(events: StreamEvent[], sse = true): { contentType: string; body: string } {
  const encoder = geminiCodec.streamEncoder({ model: 'client-model', sse });
  let body = '';
  for (const e of events) body += encoder.push(e);
  body += encoder.end();
  return { contentType: encoder.contentType, body };
}

/** Events but usage (sent once at the end when encoded), with the model shown to the client set aside. */
const withoutUsage = (events: StreamEvent[]) =>
  (stable(events.filter((e) => e.type !== 'usage')) as StreamEvent[]).map((e) => (e.type === 'start' ? { ...e, model: 'x' } : e));
const lastUsage = (events: StreamEvent[]) => events.filter((e) => e.type === 'usage').at(-1);

describe('Gemini stream encode', () => {
  for (const name of STREAMS) {
    it(`golden: ${name} decoded and encoded as SSE`, () => golden(`encode-${name}`, encode(decode(fixtureBytes(`${name}.txt`)))));
  }

  for (const name of STREAMS) {
    it(`${name}: decoding the encoded stream gives the same events (SSE and JSON array)`, () => {
      const events = decode(fixtureBytes(`${name}.txt`));
      for (const sse of [true, false]) {
        const again = decode(encode(events, sse).body);
        expect(withoutUsage(again)).toEqual(withoutUsage(events));
        expect(lastUsage(again)).toEqual(lastUsage(events));
      }
    });
  }

  it('writes a JSON array element by element when not SSE', () => {
    const events = decode(fixtureBytes('stream-text.txt'));
    const { contentType, body } = encode(events, false);
    expect(contentType).toMatch(/^application\/json/);
    expect(body.startsWith('[{')).toBe(true);
    const parsed = JSON.parse(body) as any[];
    expect(parsed).toHaveLength(5);
    expect(parsed.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 12, thoughtsTokenCount: 40 } });
    expect(encode([], false).body).toBe('[]');
  });

  it('sends a tool call whole once complete, with its arguments assembled', () => {
    const { body } = encode([
      { type: 'start', id: 'r1', model: 'm', created: 0 },
      { type: 'tool_call_start', callIndex: 0, id: 'c1', name: 'f', signature: 'sig' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"a":' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '[1,2]}' },
      { type: 'tool_call_start', callIndex: 1, id: 'c2', name: 'g' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 0, outputImageTokens: 0 } },
    ]);
    const frames = body.split('\r\n\r\n').filter(Boolean).map((f) => JSON.parse(f.slice(6)));
    expect(frames).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'f', args: { a: [1, 2] } }, thoughtSignature: 'sig' }] }, index: 0 }],
        modelVersion: 'client-model',
        responseId: 'r1',
      },
      {
        candidates: [{ content: { role: 'model', parts: [{ functionCall: { id: 'c2', name: 'g', args: {} } }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
        modelVersion: 'client-model',
        responseId: 'r1',
      },
    ]);
  });

  it('splices large base64 as is, and escapes data that would break the JSON', () => {
    const data = Buffer.alloc(1024 * 1024, 1).toString('base64');
    const { body } = encode([{ type: 'image', mimeType: 'image/png', data, signature: 's' }]);
    expect(JSON.parse(body.split('\r\n\r\n')[0]!.slice(6)).candidates[0].content.parts[0]).toEqual({ inlineData: { mimeType: 'image/png', data }, thoughtSignature: 's' });
    const odd = 'AB"C\\\n';
    const oddBody = encode([{ type: 'image', mimeType: 'image/png', data: odd, thought: true }]).body;
    expect(JSON.parse(oddBody.split('\r\n\r\n')[0]!.slice(6)).candidates[0].content.parts[0]).toEqual({ inlineData: { mimeType: 'image/png', data: odd }, thought: true });
  });

  it('fail() ends an SSE stream with an error frame and a JSON array with an error element', () => {
    const err = new GatewayError('unavailable', 'upstream went away');
    const sse = geminiCodec.streamEncoder({ model: 'm', sse: true });
    const sseBody = sse.push({ type: 'text', text: 'partial' }) + sse.fail(err);
    expect(sseBody.endsWith('data: {"error":{"code":503,"message":"upstream went away","status":"UNAVAILABLE"}}\r\n\r\n')).toBe(true);
    expect(sse.end()).toBe('');
    expect(decode(sseBody).at(-1)).toEqual({ type: 'error', status: 503, message: 'upstream went away' });

    const array = geminiCodec.streamEncoder({ model: 'm', sse: false });
    const arrayBody = array.push({ type: 'text', text: 'partial' }) + array.fail(err) + array.end();
    const parsed = JSON.parse(arrayBody) as any[];
    expect(parsed.at(-1)).toEqual({ error: { code: 503, message: 'upstream went away', status: 'UNAVAILABLE' } });

    const empty = geminiCodec.streamEncoder({ model: 'm', sse: false });
    expect(JSON.parse(empty.fail(err))).toEqual([{ error: { code: 503, message: 'upstream went away', status: 'UNAVAILABLE' } }]);
  });

  it('an error event ends the stream the same way', () => {
    const { body } = encode([{ type: 'text', text: 'a' }, { type: 'error', status: 429, message: 'slow down' }, { type: 'text', text: 'ignored' }]);
    expect(body).not.toContain('ignored');
    expect(decode(body).at(-1)).toEqual({ type: 'error', status: 429, message: 'slow down' });
  });
});
