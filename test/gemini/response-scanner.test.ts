// The streaming image counter and stream-position tracker, fed every possible
// chunk split of small answers (the multi-megabyte path is the same code with
// longer strings).
import { describe, expect, it } from 'vitest';
import { GeminiResponseScanner } from '../../src/dialects/gemini/response-scanner.js';

const png = (n: number) => 'iVBORw0KGgo' + 'A'.repeat(n);

function answer(parts: unknown[], extra: Record<string, unknown> = {}) {
  return { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 3 }, ...extra };
}

/** Feeds `text` split at every position (and byte by byte) and checks each run agrees. */
function scanAllSplits(text: string): GeminiResponseScanner[] {
  const bytes = Buffer.from(text);
  const runs: GeminiResponseScanner[] = [];
  for (let cut = 0; cut <= bytes.length; cut++) {
    const s = new GeminiResponseScanner();
    s.push(bytes.subarray(0, cut));
    s.push(bytes.subarray(cut));
    runs.push(s);
  }
  const single = new GeminiResponseScanner();
  for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
  runs.push(single);
  return runs;
}

function counts(text: string) {
  const runs = scanAllSplits(text);
  const first = runs[0]!;
  for (const r of runs) expect([r.finalImages, r.thoughtImages]).toEqual([first.finalImages, first.thoughtImages]);
  return { final: first.finalImages, thought: first.thoughtImages };
}

describe('GeminiResponseScanner counts images', () => {
  it('tells final images from thought images, whichever side of inlineData "thought" sits', () => {
    const body = answer([
      { text: 'thinking about "quotes" and \\ backslashes \\\\"', thought: true },
      { inlineData: { mimeType: 'image/png', data: png(40) }, thought: true },
      { thought: true, inlineData: { mimeType: 'image/png', data: png(12) } },
      { text: 'Here it is' },
      { inlineData: { mimeType: 'image/png', data: png(30) }, thoughtSignature: 'c2lnbmF0dXJl' },
    ]);
    expect(counts(JSON.stringify(body))).toEqual({ final: 1, thought: 2 });
    expect(counts(JSON.stringify(body, null, 2))).toEqual({ final: 1, thought: 2 });
  });

  it('ignores non-image inline data, "thought": false and look-alikes inside text', () => {
    const body = answer([
      { inlineData: { mimeType: 'audio/L16', data: 'AAAA' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/' }, thought: false },
      { text: '{"inlineData":{"mimeType":"image/png","data":"x"}}' },
    ]);
    expect(counts(JSON.stringify(body))).toEqual({ final: 1, thought: 0 });
  });

  it('reads snake_case too, and several candidates', () => {
    const body = {
      candidates: [0, 1].map((index) => ({ content: { parts: [{ inline_data: { mime_type: 'image/webp', data: 'UklG' } }] }, index })),
    };
    expect(counts(JSON.stringify(body))).toEqual({ final: 2, thought: 0 });
  });

  it('counts across SSE frames and JSON-array elements', () => {
    const chunks = [
      answer([{ inlineData: { mimeType: 'image/png', data: png(8) }, thought: true }]),
      answer([{ inlineData: { mimeType: 'image/png', data: png(8) }, thoughtSignature: 'abc' }]),
    ];
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('');
    expect(counts(sse)).toEqual({ final: 1, thought: 1 });
    const array = `[${chunks.map((c) => JSON.stringify(c, null, 2)).join(',\r\n')}]`;
    expect(counts(array)).toEqual({ final: 1, thought: 1 });
  });
});

describe('GeminiResponseScanner knows where a broken stream stands', () => {
  const err = '{"error":{"code":502,"message":"broke","status":"UNAVAILABLE"}}';
  const element = JSON.stringify(answer([{ text: 'hi' }]));

  it('JSON array: the error becomes the last element when the cut fell between elements', () => {
    const s = new GeminiResponseScanner();
    s.push(Buffer.from('['));
    expect(s.arrayErrorTail(err)).toBe(`${err}\r\n]`);
    s.push(Buffer.from(`${element}`));
    const tail = s.arrayErrorTail(err)!;
    expect(JSON.parse(`[${element}${tail}`)).toEqual([JSON.parse(element), JSON.parse(err)]);
    s.push(Buffer.from(',\r\n{"candidates":[{"content":'));
    expect(s.arrayErrorTail(err)).toBeUndefined();
  });

  it('a whole JSON response cut short has no valid continuation', () => {
    const s = new GeminiResponseScanner();
    s.push(Buffer.from(element.slice(0, 20)));
    expect(s.arrayErrorTail(err)).toBeUndefined();
  });
});
