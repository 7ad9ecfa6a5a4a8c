import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { geminiCodec, GeminiStreamSplitter } from '../../../src/dialects/gemini/codec/index.js';
import { fixtureBytes, golden, stable } from './helpers.js';

const STREAMS = ['stream-text', 'stream-tools', 'stream-image', 'stream-error'];

function decodeChunks(chunks: Buffer[]): StreamEvent[] {
  const decoder = geminiCodec.streamDecoder();
  const events: StreamEvent[] = [];
  for (const c of chunks) events.push(...decoder.push(c));
  events.push(...decoder.end());
  return stable(events) as StreamEvent[];
}

/** The same responses as the JSON array Gemini streams without alt=sse. */
function asJsonArray(sse: Buffer): Buffer {
  const frames = sse
    .toString('utf8')
    .split('\r\n\r\n')
    .filter((f) => f !== '')
    .map((f) => f.slice('data: '.length));
  return Buffer.from(`[${frames.join(',\r\n')}]`);
}

describe('Gemini stream decode', () => {
  for (const name of STREAMS) {
    it(`golden: ${name}`, () => golden(`decode-${name}`, decodeChunks([fixtureBytes(`${name}.txt`)])));
  }

  for (const name of STREAMS) {
    it(`${name}: any split point and byte-by-byte give the same events`, () => {
      const bytes = fixtureBytes(`${name}.txt`);
      const whole = decodeChunks([bytes]);
      for (let at = 1; at < bytes.length; at++) {
        expect(decodeChunks([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(whole);
      }
      expect(decodeChunks([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
    });
  }

  for (const name of STREAMS) {
    it(`${name}: the JSON-array form (no alt=sse) gives the same events, at any split`, () => {
      const array = asJsonArray(fixtureBytes(`${name}.txt`));
      const whole = decodeChunks([fixtureBytes(`${name}.txt`)]);
      expect(decodeChunks([array])).toEqual(whole);
      for (let at = 1; at < array.length; at += 7) {
        expect(decodeChunks([array.subarray(0, at), array.subarray(at)]), `split at ${at}`).toEqual(whole);
      }
    });
  }

  it('accepts LF-only framing and ignores comments and other fields', () => {
    const lf = Buffer.from(fixtureBytes('stream-text.txt').toString('utf8').replaceAll('\r\n', '\n').replace(/^/, ': keep-alive\nevent: x\n'));
    expect(decodeChunks([lf])).toEqual(decodeChunks([fixtureBytes('stream-text.txt')]));
  });

  it('emits start, numbered calls with their whole arguments, and tool_calls as the finish', () => {
    const events = decodeChunks([fixtureBytes('stream-tools.txt')]);
    expect(events.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'start', id: 'strm-call-1', model: 'gemini-3-flash-preview', created: 0 },
      { type: 'tool_call_start', callIndex: 0, id: 'call_<generated>', name: 'get_weather', signature: 'c2lnLWNhbGw=' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool_call_start', callIndex: 1, id: 'fc-2', name: 'get_time' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{"tz":"Europe/Rome"}' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('reports an error frame as an error event with its status', () => {
    const events = decodeChunks([fixtureBytes('stream-error.txt')]);
    expect(events.at(-1)).toEqual({ type: 'error', status: 503, message: 'The model is overloaded. Please try again later.' });
  });

  it('reports a bare JSON error body, a non-JSON frame and a cut JSON array as errors', () => {
    expect(decodeChunks([Buffer.from('{"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}')])).toEqual([
      { type: 'error', status: 400, message: 'bad' },
    ]);
    expect(decodeChunks([Buffer.from('data: {not json\r\n\r\n')])[0]).toMatchObject({ type: 'error', status: 502 });
    const cut = decodeChunks([Buffer.from('[{"candidates":[{"content":{"parts":[{"text":"a"}]}}]},\r\n{"candidates":[{"content":{"par')]);
    expect(cut.map((e) => e.type)).toEqual(['start', 'text', 'error']);
  });

  it('never throws on garbage: odd JSON, binary noise, frames of the wrong shape', () => {
    const inputs = [
      'data: null\n\ndata: []\n\ndata: 5\n\n',
      'data: {"candidates":"x","usageMetadata":[1]}\n\n',
      'data: {"candidates":[null,{"content":5},{"content":{"parts":[null,{"functionCall":7},{"inlineData":{"data":1}}]},"finishReason":9}]}\n\n',
      '[1,"x",{"candidates":[{"index":-3,"content":{"parts":[{"text":1}]}}]}]',
      '{"error":"flat"}',
      '\u0000\u00ff\u0001garbage',
    ];
    for (const input of inputs) {
      const bytes = Buffer.from(input, 'latin1');
      expect(() => decodeChunks([bytes])).not.toThrow();
      for (let at = 1; at < bytes.length; at++) expect(() => decodeChunks([bytes.subarray(0, at), bytes.subarray(at)])).not.toThrow();
    }
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
    expect(() => decodeChunks([noise])).not.toThrow();
  });

  it('keeps candidates apart by index', () => {
    const frame = {
      candidates: [
        { content: { parts: [{ text: 'A' }] }, index: 0, finishReason: 'STOP' },
        { content: { parts: [{ functionCall: { id: 'x', name: 'f', args: {} } }] }, index: 1, finishReason: 'STOP' },
      ],
      responseId: 'r',
    };
    const events = decodeChunks([Buffer.from(`data: ${JSON.stringify(frame)}\n\n`)]);
    expect(events.slice(1)).toEqual([
      { type: 'text', text: 'A' },
      { type: 'finish', reason: 'stop' },
      { type: 'tool_call_start', callIndex: 0, id: 'x', name: 'f', choice: 1 },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{}', choice: 1 },
      { type: 'finish', reason: 'tool_calls', choice: 1 },
    ]);
  });

  it('reads a multi-megabyte image frame in small chunks without losing a byte', () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 0xab).toString('base64');
    const frame = Buffer.from(`data: {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"${data}"}}]}}]}\r\n\r\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < frame.length; i += 16 * 1024) chunks.push(frame.subarray(i, i + 16 * 1024));
    const image = decodeChunks(chunks).find((e) => e.type === 'image');
    expect(image?.type === 'image' && image.data === data).toBe(true);
  });

  it('the splitter joins multi-line data frames whatever the line endings and split point', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const bytes = Buffer.from(`data: a${eol}data:b${eol}${eol}data: {"c":1}${eol}${eol}`);
      for (let at = 0; at <= bytes.length; at++) {
        const splitter = new GeminiStreamSplitter();
        const out = [...splitter.push(bytes.subarray(0, at)), ...splitter.push(bytes.subarray(at)), ...splitter.end()];
        expect(out, `${JSON.stringify(eol)} split at ${at}`).toEqual(['a\nb', '{"c":1}']);
      }
    }
  });

  it('the splitter keeps a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('data: {"t":"é🌧"}\n\n');
    const splitter = new GeminiStreamSplitter();
    const out: string[] = [];
    for (const b of bytes) out.push(...splitter.push(Buffer.from([b])));
    out.push(...splitter.end());
    expect(out).toEqual(['{"t":"é🌧"}']);
  });
});
