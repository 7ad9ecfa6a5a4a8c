// The passthrough's event splitter (src/relay/sse-event-boundary.ts) and the
// usage-chunk filter that reads its whole events: however the upstream cuts
// its stream into chunks, only whole events come out, in order, byte for byte,
// at the boundaries the official SDKs split on.
import { describe, expect, it } from 'vitest';
import { endsOnEventBoundary, lastEventEnd, nextEventEnd, SseEventBoundary } from '../../src/relay/sse-event-boundary.js';
import { UsageChunkFilter } from '../../src/relay/usage-chunk-filter.js';

/** Event ends as the openai / @anthropic-ai/sdk parser finds them (`findDoubleNewlineIndex`: first of \r\r, \n\n, \r\n\r\n). */
function sdkEventEnds(text: string): number[] {
  const ends: number[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    for (let i = from; i < text.length - 1; i++) {
      if (text[i] === '\n' && text[i + 1] === '\n') at = i + 2;
      else if (text[i] === '\r' && text[i + 1] === '\r') at = i + 2;
      else if (text.startsWith('\r\n\r\n', i)) at = i + 4;
      if (at >= 0) break;
    }
    if (at < 0) return ends;
    ends.push(at);
    from = at;
  }
}

// LF events (OpenAI), `event:` lines (Anthropic), CRLF (Gemini), CR (allowed by the SSE spec), UTF-8 text.
const STREAM = Buffer.from(
  [
    'data: {"choices":[{"delta":{"content":"Hé"}}]}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"日本"}}\n\n',
    'data: {"candidates":[{"content":{"parts":[{"text":"x"}]}}]}\r\n\r\n',
    'data: {"cr":true}\r\r',
    ': a comment\n\n',
    'data: [DONE]\n\n',
  ].join(''),
);
const ENDS = sdkEventEnds(STREAM.toString('latin1'));

/** Pushes `chunks`; checks every output is whole events and returns what came out. */
function run(chunks: Buffer[]): { out: Buffer[]; rest: Buffer } {
  const b = new SseEventBoundary();
  const out: Buffer[] = [];
  let pushed = 0;
  let sent = 0;
  for (const chunk of chunks) {
    pushed += chunk.length;
    const whole = b.push(chunk);
    sent += whole.length;
    // Everything before the last boundary the SDK sees so far has gone out, nothing after it.
    expect(sent).toBe(Math.max(0, ...ENDS.filter((e) => e <= pushed)));
    if (whole.length > 0) {
      expect(endsOnEventBoundary(whole)).toBe(true);
      out.push(whole);
    }
  }
  return { out, rest: b.end() };
}

describe('SseEventBoundary', () => {
  it('agrees with the SDK parser on where the test stream’s events end', () => {
    expect(ENDS).toHaveLength(6);
    expect(ENDS.at(-1)).toBe(STREAM.length);
  });

  it('passes a chunk that ends on a boundary through as it is: the same Buffer, no copy', () => {
    const b = new SseEventBoundary();
    for (const chunk of [Buffer.from('data: 1\n\n'), Buffer.from('data: 2\r\n\r\n'), Buffer.from('data: 3\r\r'), Buffer.from('data: 4\n\ndata: 5\n\n')]) {
      expect(b.push(chunk)).toBe(chunk);
    }
    expect(b.end()).toHaveLength(0);
  });

  it('gives the same bytes for the stream cut anywhere, twice (inside data:, between \\r and \\n, mid UTF-8)', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (let j = i; j <= STREAM.length; j += 3) {
        const { out, rest } = run([STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]);
        expect(rest).toHaveLength(0);
        expect(Buffer.concat(out).equals(STREAM)).toBe(true);
      }
    }
  });

  it('gives the same bytes for the stream one byte at a time, with empty chunks between', () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < STREAM.length; i++) chunks.push(STREAM.subarray(i, i + 1), Buffer.alloc(0));
    const { out, rest } = run(chunks);
    expect(Buffer.concat(out).equals(STREAM)).toBe(true);
    expect(rest).toHaveLength(0);
    expect(out).toHaveLength(ENDS.length);
  });

  it('finds a boundary split across chunks: \\r\\n\\r + \\n, \\r + \\n\\r\\n, \\n + \\n, \\r + \\r', () => {
    for (const [a, b] of [
      ['data: 1\r\n\r', '\ndata: 2'],
      ['data: 1\r', '\n\r\ndata: 2'],
      ['data: 1\r\n', '\r\ndata: 2'],
      ['data: 1\n', '\ndata: 2'],
      ['data: 1\r', '\rdata: 2'],
    ] as const) {
      const s = new SseEventBoundary();
      expect(s.push(Buffer.from(a))).toHaveLength(0);
      expect(s.push(Buffer.from(b)).toString()).toBe(a + b.slice(0, b.indexOf('data:')));
      expect(s.end().toString()).toBe('data: 2');
    }
  });

  it('sends the events a chunk completes and holds the partial one after them', () => {
    const s = new SseEventBoundary();
    expect(s.push(Buffer.from('data: 1\n\ndata: 2\n\ndata: {"choi')).toString()).toBe('data: 1\n\ndata: 2\n\n');
    expect(s.push(Buffer.from('ces":[]}')).toString()).toBe('');
    expect(s.push(Buffer.from('\n\ndata: 4\n\n')).toString()).toBe('data: {"choices":[]}\n\ndata: 4\n\n');
  });

  it('end() gives back an unterminated last event unchanged; drop() forgets it', () => {
    const s = new SseEventBoundary();
    s.push(Buffer.from('data: 1\n\ndata: 2\n'));
    expect(s.end().toString()).toBe('data: 2\n');
    expect(s.end()).toHaveLength(0);
    s.push(Buffer.from('data: {"choi'));
    s.drop();
    expect(s.end()).toHaveLength(0);
    expect(s.push(Buffer.from('data: 3\n\n')).toString()).toBe('data: 3\n\n');
  });

  it('keeps a small carry as its own copy, not a view of the upstream chunk', () => {
    const s = new SseEventBoundary();
    const chunk = Buffer.from('data: 1\n\ndata: 2');
    s.push(chunk);
    chunk.fill(0x20);
    expect(s.end().toString()).toBe('data: 2');
  });

  it('holds a long event (an image) across many chunks and sends it once whole', () => {
    const event = Buffer.from(`data: {"data":"${'A'.repeat(200_000)}"}\r\n\r\n`);
    const s = new SseEventBoundary();
    const out: Buffer[] = [];
    for (let i = 0; i < event.length; i += 65_536) out.push(s.push(event.subarray(i, i + 65_536)));
    expect(out.slice(0, -1).every((b) => b.length === 0)).toBe(true);
    expect(out.at(-1)!.equals(event)).toBe(true);
  });

  it('streams an event longer than 1 MiB through instead of holding it whole, and says it is mid-event until its end', () => {
    // A 4 MiB image event in 64 KiB chunks, its blank line split across the last two, then a small event.
    const event = Buffer.from(`data: {"data":"${'A'.repeat(4 * 1024 * 1024)}"}\n\n`);
    const next = Buffer.from('data: {"done":true}\n\n');
    const stream = Buffer.concat([event, next]);
    const cut = event.length - 1; // between the two \n of the long event's boundary
    const chunks: Buffer[] = [];
    for (let i = 0; i < cut; i += 65_536) chunks.push(stream.subarray(i, Math.min(i + 65_536, cut)));
    chunks.push(stream.subarray(cut));
    const s = new SseEventBoundary();
    const out: Buffer[] = [];
    const midEventAfter: boolean[] = [];
    for (const c of chunks) {
      out.push(s.push(c));
      midEventAfter.push(s.midEvent);
    }
    out.push(s.end());
    expect(Buffer.concat(out).equals(stream)).toBe(true);
    // Nothing near the whole event is ever held: the largest piece out is the held MiB plus one chunk.
    expect(Math.max(...out.map((b) => b.length))).toBeLessThanOrEqual(1024 * 1024 + 65_536);
    expect(midEventAfter.slice(20, -1).every(Boolean)).toBe(true);
    expect(midEventAfter.at(-1)).toBe(false);
  });
});

describe('boundary helpers', () => {
  it('lastEventEnd and nextEventEnd find \\n\\n, \\r\\r and \\r\\n\\r\\n, and nothing else', () => {
    const b = Buffer.from('a\n\nb\r\rc\r\n\r\nd\n\r\ne\r\n\n');
    expect(lastEventEnd(b)).toBe(b.length); // `\r\n\n` ends with \n\n
    expect(lastEventEnd(b.subarray(0, b.indexOf('e')))).toBe(b.indexOf('d')); // `\n\r\n` is no boundary to the SDKs
    expect(nextEventEnd(b, 0)).toBe(3);
    expect(nextEventEnd(b, 3)).toBe(6);
    expect(nextEventEnd(b, 6)).toBe(11);
    expect(nextEventEnd(b, 11)).toBe(b.length);
    expect(lastEventEnd(Buffer.from('data: x\n\r\n'))).toBe(-1);
    expect(nextEventEnd(Buffer.from('data: x'), 0)).toBe(7);
    expect(endsOnEventBoundary(Buffer.from('\n'))).toBe(false);
    expect(endsOnEventBoundary(Buffer.from('x\r\n\r'))).toBe(false);
  });
});

describe('UsageChunkFilter', () => {
  const usage = 'data: {"choices":[],"usage":{"prompt_tokens":3}}';

  it('leaves whole events without the usage chunk untouched (the same Buffer)', () => {
    const events = Buffer.from('data: {"choices":[{"delta":{}}]}\n\ndata: [DONE]\n\n');
    expect(new UsageChunkFilter().filter(events)).toBe(events);
  });

  it('drops the usage-only event, LF, CRLF or CR framed, and an unterminated last one', () => {
    const f = new UsageChunkFilter();
    for (const end of ['\n\n', '\r\n\r\n', '\r\r']) {
      expect(f.filter(Buffer.from(`data: {"choices":[{"delta":{}}]}${end}${usage}${end}data: [DONE]${end}`)).toString()).toBe(
        `data: {"choices":[{"delta":{}}]}${end}data: [DONE]${end}`,
      );
    }
    expect(f.filter(Buffer.from(usage))).toHaveLength(0);
  });
});
