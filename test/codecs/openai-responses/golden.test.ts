// Golden files for each direction of the codec, driven by the fixtures the
// benchmark also loads: request-* (client requests), response-* (upstream
// whole answers), stream-* (raw upstream SSE bytes).
import { describe, expect, it } from 'vitest';
import { GatewayError, kindForStatus } from '../../../src/dialects/errors.js';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';
import { expectGolden, fixtureNames, loadBytes, loadJson, parseSse } from './golden.js';

const base = (name: string) => name.replace(/\.(json|txt)$/, '');

function decodeStream(bytes: Buffer): StreamEvent[] {
  const decoder = codec.streamDecoder();
  return [...decoder.push(bytes), ...decoder.end()];
}

describe('request fixtures', () => {
  for (const name of fixtureNames('request')) {
    it(`${name}: decodes to the golden canonical request`, () => {
      expectGolden(`${base(name)}.decoded.json`, codec.decodeRequest(loadJson(name), { operation: '/responses' }));
    });
    it(`${name}: re-encodes to the golden upstream body`, () => {
      const canonical = codec.decodeRequest(loadJson(name), { operation: '/responses' });
      expectGolden(`${base(name)}.encoded.json`, codec.encodeRequest(canonical, { model: 'gpt-5-upstream', provider: 'openai' }));
    });
  }
});

describe('response fixtures', () => {
  for (const name of fixtureNames('response')) {
    it(`${name}: decodes to the golden canonical response`, () => {
      expectGolden(`${base(name)}.decoded.json`, codec.decodeResponse(loadJson(name)));
    });
    it(`${name}: re-encodes to the golden client response`, () => {
      const canonical = codec.decodeResponse(loadJson(name));
      expectGolden(`${base(name)}.encoded.json`, codec.encodeResponse(canonical, { model: 'client-model' }), true);
    });
  }
});

describe('stream fixtures', () => {
  for (const name of fixtureNames('stream')) {
    it(`${name}: decodes to the golden canonical events`, () => {
      expectGolden(`${base(name)}.decoded.json`, decodeStream(loadBytes(name)));
    });

    it(`${name}: split at every byte boundary gives the same events`, () => {
      const bytes = loadBytes(name);
      const whole = decodeStream(bytes);
      for (let cut = 1; cut < bytes.length; cut++) {
        const decoder = codec.streamDecoder();
        const events = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut)), ...decoder.end()];
        if (JSON.stringify(events) !== JSON.stringify(whole)) expect(events, `cut at byte ${cut}`).toEqual(whole);
      }
      // And byte by byte.
      const decoder = codec.streamDecoder();
      const events: StreamEvent[] = [];
      for (let i = 0; i < bytes.length; i++) events.push(...decoder.push(bytes.subarray(i, i + 1)));
      events.push(...decoder.end());
      expect(events).toEqual(whole);
    });

    it(`${name}: re-encodes to the golden client stream`, () => {
      const encoder = codec.streamEncoder({ model: 'client-model' });
      let text = '';
      for (const ev of decodeStream(loadBytes(name))) {
        // The relay ends a stream with fail() on an upstream error event.
        if (ev.type === 'error') {
          text += encoder.fail(new GatewayError(kindForStatus(ev.status), ev.message, { status: ev.status }));
          break;
        }
        text += encoder.push(ev);
      }
      text += encoder.end();
      expectGolden(`${base(name)}.encoded.json`, parseSse(text), true);
    });
  }
});
