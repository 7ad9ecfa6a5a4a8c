import { describe, expect, it } from 'vitest';
import type { CanonicalResponse } from '../../../src/dialects/canonical/types.js';
import { geminiCodec } from '../../../src/dialects/gemini/codec/index.js';
import { fixtureJson, forEachGarbageVariant, gatewayErrorOf, golden, onlyGatewayErrors, stable } from './helpers.js';

const RESPONSES = ['response-text-thinking', 'response-function-call', 'response-image', 'response-two-candidates', 'response-blocked'];
const decode = (json: unknown) => geminiCodec.decodeResponse(json as Record<string, unknown>);

describe('Gemini response decode', () => {
  for (const name of RESPONSES) {
    it(`golden: ${name}`, () => golden(`decode-${name}`, decode(fixtureJson(`${name}.json`))));
  }

  it('counts thoughts as output and reads cached and image tokens', () => {
    expect(decode(fixtureJson('response-text-thinking.json')).usage).toEqual({
      inputTokens: 120,
      cachedInputTokens: 64,
      cacheWriteTokens: 0,
      outputTokens: 111,
      reasoningTokens: 89,
      outputImageTokens: 0,
    });
    expect(decode(fixtureJson('response-image.json')).usage).toMatchObject({ outputTokens: 1330, reasoningTokens: 200, outputImageTokens: 1120 });
  });

  it('gives calls without an id a unique one, and finishes with tool_calls', () => {
    const a = decode(fixtureJson('response-function-call.json')).choices[0]!;
    const b = decode(fixtureJson('response-function-call.json')).choices[0]!;
    expect(a.finishReason).toBe('tool_calls');
    const idA = a.parts[0]!.type === 'tool_call' ? a.parts[0]!.id : '';
    const idB = b.parts[0]!.type === 'tool_call' ? b.parts[0]!.id : '';
    expect(idA).toMatch(/^call_[0-9a-f]{24}$/);
    expect(idA).not.toBe(idB);
    expect(a.parts[1]).toMatchObject({ type: 'tool_call', id: 'fc-rome' });
  });

  it('maps finish reasons', () => {
    const reason = (finishReason: string) => decode({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }).choices[0]!.finishReason;
    expect(reason('STOP')).toBe('stop');
    expect(reason('MAX_TOKENS')).toBe('length');
    for (const r of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']) {
      expect(reason(r)).toBe('content_filter');
    }
    expect(reason('MALFORMED_FUNCTION_CALL')).toBe('other');
    expect(reason('NO_IMAGE')).toBe('other');
  });

  it('turns an error body into the upstream error it reports', () => {
    const err = gatewayErrorOf(() => decode({ error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }));
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, message: 'Resource exhausted' });
  });

  it('refuses garbage with an upstream GatewayError', () => {
    for (const bad of [null, [], 'x', { candidates: 'x' }, { candidates: [null] }]) {
      expect(gatewayErrorOf(() => decode(bad)).kind).toBe('upstream');
    }
    for (const name of RESPONSES) {
      forEachGarbageVariant(fixtureJson(`${name}.json`), (variant) =>
        onlyGatewayErrors(() => geminiCodec.encodeResponse(decode(variant), { model: 'm' }), ['upstream']),
      );
    }
    // Odd parts are skipped, not fatal.
    expect(decode({ candidates: [{ content: { parts: [null, 5, { text: 7 }, { inlineData: 'x' }] } }] }).choices[0]!.parts).toEqual([]);
  });
});

describe('Gemini response encode', () => {
  const encode = (res: CanonicalResponse) => geminiCodec.encodeResponse(res, { model: 'client-model' });

  for (const name of RESPONSES) {
    it(`golden: ${name} decoded and encoded again`, () => golden(`encode-${name}`, encode(decode(fixtureJson(`${name}.json`)))));
  }

  it('round-trips answers through decode(encode(x))', () => {
    for (const name of RESPONSES.slice(0, 4)) {
      const once = decode(fixtureJson(`${name}.json`));
      const twice = decode(encode(once));
      expect(stable({ ...twice, model: once.model })).toEqual(stable(once));
    }
  });

  it('writes usage in Google terms: candidates without thoughts, details when images were made', () => {
    const body = encode({
      id: 'r1',
      model: 'x',
      created: 0,
      choices: [
        {
          index: 0,
          finishReason: 'stop',
          parts: [
            { type: 'thinking', text: 'plan', signature: 's1' },
            { type: 'image', mimeType: 'image/png', data: 'AAAA', signature: 's2' },
          ],
        },
      ],
      usage: { inputTokens: 100, cachedInputTokens: 40, cacheWriteTokens: 0, outputTokens: 1500, reasoningTokens: 300, outputImageTokens: 1120 },
    });
    expect(body).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'plan', thought: true, thoughtSignature: 's1' },
              { inlineData: { mimeType: 'image/png', data: 'AAAA' }, thoughtSignature: 's2' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 100,
        candidatesTokenCount: 1200,
        totalTokenCount: 1600,
        cachedContentTokenCount: 40,
        thoughtsTokenCount: 300,
        candidatesTokensDetails: [
          { modality: 'TEXT', tokenCount: 80 },
          { modality: 'IMAGE', tokenCount: 1120 },
        ],
      },
      modelVersion: 'client-model',
      responseId: 'r1',
    });
  });

  it('maps finish reasons back', () => {
    const finish = (finishReason: CanonicalResponse['choices'][0]['finishReason']) =>
      (encode({ id: 'r', model: 'm', created: 0, choices: [{ index: 0, parts: [], finishReason }] }).candidates as any[])[0].finishReason;
    expect(finish('stop')).toBe('STOP');
    expect(finish('tool_calls')).toBe('STOP');
    expect(finish('length')).toBe('MAX_TOKENS');
    expect(finish('content_filter')).toBe('SAFETY');
    expect(finish('error')).toBe('OTHER');
    expect(finish('other')).toBe('OTHER');
  });
});
