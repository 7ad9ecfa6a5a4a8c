// The usage sniffer on Gemini answers split at every byte: usageMetadata is
// found across chunk seams (the seam search no longer copies whole chunks),
// and images are reported with the request's size and ratio.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { JsonObjectSniffer } from '../../src/relay/json-object-sniffer.js';
import { UsageSniffer } from '../../src/relay/usage-sniffer.js';

const answer = (thought: boolean) =>
  JSON.stringify({
    candidates: [{ content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo' + 'Q'.repeat(50) }, ...(thought && { thought: true }) }] } }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 1120, candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }] },
  });

describe('JsonObjectSniffer', () => {
  it('finds the key at every split point, including one chunk shorter than the key', () => {
    const text = Buffer.from(`{"a":"${'x'.repeat(30)}","usageMetadata":{"promptTokenCount":7},"b":1}`);
    for (let cut = 0; cut <= text.length; cut++) {
      for (const tiny of [0, 3]) {
        const seen: unknown[] = [];
        const s = new JsonObjectSniffer('usageMetadata', (v) => seen.push(v));
        const end = Math.min(text.length, cut + tiny);
        s.push(text.subarray(0, cut));
        if (tiny) s.push(text.subarray(cut, end));
        s.push(text.subarray(end));
        expect(seen, `cut at ${cut}+${tiny}`).toEqual([{ promptTokenCount: 7 }]);
      }
    }
  });
});

describe('UsageSniffer (gemini)', () => {
  it('reads usage and counts only final images, at every split point', () => {
    const body = Buffer.from(`[${answer(true)},\r\n${answer(false)}]`);
    for (let cut = 0; cut <= body.length; cut += 7) {
      const s = new UsageSniffer('gemini', { promptTokens: 1, referenceImages: 0, images: { count: 1, size: '2K', aspectRatio: '4:3' } });
      s.push(body.subarray(0, cut));
      s.push(body.subarray(cut));
      expect(s.usage?.outputImageTokens).toBe(1120);
      expect(s.images).toEqual({ count: 1, size: '2K', aspectRatio: '4:3' });
    }
  });

  it('no image asked and none produced → no image facts; other dialects never report images', () => {
    const s = new UsageSniffer('gemini', { promptTokens: 1, referenceImages: 0 });
    s.push(Buffer.from('{"candidates":[{"content":{"parts":[{"text":"hi"}]}}]}'));
    expect(s.images).toBeUndefined();
    const o = new UsageSniffer('openai', { promptTokens: 1, referenceImages: 0, images: { count: 1 } });
    expect(o.images).toBeUndefined();
  });

  it('JSON-array error tails: Gemini by stream position; other dialects have none (their streams are SSE)', () => {
    const err = new GatewayError('upstream', 'broke');
    const whole = new UsageSniffer('gemini');
    whole.push(Buffer.from('{"candidates":'));
    expect(whole.jsonArrayErrorTail(err)).toBeUndefined();
    const array = new UsageSniffer('gemini');
    array.push(Buffer.from('[{"candidates":[]}'));
    expect(array.jsonArrayErrorTail(err)).toBe(',\r\n{"error":{"code":502,"message":"broke","status":"UNAVAILABLE"}}\r\n]');
    expect(new UsageSniffer('anthropic').jsonArrayErrorTail(err)).toBeUndefined();
  });
});
