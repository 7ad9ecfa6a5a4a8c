import { describe, expect, it } from 'vitest';
import type { ImageOutputMode } from '../../../src/dialects/canonical/codec.js';
import type { CanonicalResponse, CanonicalUsage, Part } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { fixtureJson, PNG_BASE64 } from './fixtures.js';

const decode = (json: unknown): CanonicalResponse => openaiChatCodec.decodeResponse(json as Record<string, unknown>);
const encode = (res: CanonicalResponse, imageOutput?: ImageOutputMode) =>
  openaiChatCodec.encodeResponse(res, { model: 'client-model', ...(imageOutput && { imageOutput }) }) as Record<string, any>;
const usage = (u: Partial<CanonicalUsage> = {}): CanonicalUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  outputImageTokens: 0,
  ...u,
});
const answer = (parts: Part[], finishReason: CanonicalResponse['choices'][number]['finishReason'] = 'stop'): CanonicalResponse => ({
  id: 'up-1',
  model: 'upstream',
  created: 1700000000,
  choices: [{ index: 0, parts, finishReason }],
  usage: usage({ inputTokens: 10, outputTokens: 5 }),
});
const dataUrl = `data:image/png;base64,${PNG_BASE64}`;

describe('openai chat decodeResponse', () => {
  it('response-text.json: reasoning_content → thinking first, usage totals and details', () => {
    expect(decode(fixtureJson('response-text.json'))).toEqual({
      id: 'chatcmpl-Bx1text',
      model: 'deepseek-reasoner',
      created: 1750000000,
      choices: [{ index: 0, parts: [{ type: 'thinking', text: 'The user wants a greeting in French.' }, { type: 'text', text: 'Bonjour !' }], finishReason: 'stop' }],
      usage: usage({ inputTokens: 120, cachedInputTokens: 64, outputTokens: 40, reasoningTokens: 35 }),
    });
  });

  it('response-tool-calls.json: tool calls in order, finish tool_calls', () => {
    const res = decode(fixtureJson('response-tool-calls.json'));
    expect(res.choices[0]).toEqual({
      index: 0,
      parts: [
        { type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool_call', id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      ],
      finishReason: 'tool_calls',
    });
    expect(res.usage).toEqual(usage({ inputTokens: 80, outputTokens: 30 }));
  });

  it('response-image.json: images[] → image parts (data URL parsed, http kept as url), image tokens', () => {
    const res = decode(fixtureJson('response-image.json'));
    expect(res.choices[0]?.parts).toEqual([
      { type: 'text', text: 'Here is your square.' },
      { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
      { type: 'image', url: 'https://cdn.example.com/img/42.webp', mimeType: 'image/webp' },
    ]);
    expect(res.usage).toEqual(usage({ inputTokens: 12, outputTokens: 1300, outputImageTokens: 1290 }));
  });

  it('response-markdown-image.json: markdown data URLs become images, refusal reads as text, DeepSeek cache hits', () => {
    const res = decode(fixtureJson('response-markdown-image.json'));
    expect(res.choices).toEqual([
      { index: 0, parts: [{ type: 'text', text: 'Done.' }, { type: 'image', mimeType: 'image/png', data: PNG_BASE64 }], finishReason: 'stop' },
      { index: 1, parts: [{ type: 'text', text: "I can't help with that." }, { type: 'text', text: 'Refused by policy.' }], finishReason: 'content_filter' },
    ]);
    expect(res.usage).toEqual(usage({ inputTokens: 10, cachedInputTokens: 4, outputTokens: 1295 }));
  });

  it('finish_reason map', () => {
    const reason = (r: unknown) => decode({ choices: [{ message: { content: 'x' }, finish_reason: r }] }).choices[0]?.finishReason;
    expect([reason('stop'), reason('length'), reason('tool_calls'), reason('function_call'), reason('content_filter'), reason('weird'), reason(null)]).toEqual([
      'stop',
      'length',
      'tool_calls',
      'tool_calls',
      'content_filter',
      'other',
      'stop',
    ]);
  });

  it('a body holding an error becomes that error; its numeric code is the status', () => {
    expect(() => decode({ error: { code: 429, message: 'slow down' } })).toThrow(expect.objectContaining({ kind: 'rate_limit', status: 429, message: 'slow down' }));
    expect(() => decode({ error: { code: 'server_error', message: 'boom' } })).toThrow(expect.objectContaining({ kind: 'upstream', status: 502 }));
  });

  it('garbage answers throw GatewayError(upstream), odd fields are skipped', () => {
    for (const bad of [null, [], 'x', {}, { choices: 'x' }, { choices: [5] }]) {
      let caught: unknown;
      try {
        decode(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect((caught as GatewayError).kind).toBe('upstream');
    }
    const res = decode({
      choices: [{ message: { content: 7, tool_calls: [null, { function: { name: 5 } }, { function: { name: 'f', arguments: { a: 1 } } }], images: [{}, { image_url: 'data:x' }] } }],
      usage: { prompt_tokens: 'many', completion_tokens: -3 },
    });
    expect(res.choices[0]?.parts).toEqual([{ type: 'tool_call', id: expect.stringMatching(/^call_/), name: 'f', arguments: '{"a":1}' }]);
    expect(res.usage).toEqual(usage());
  });
});

describe('openai chat encodeResponse', () => {
  it('a real chat.completion object', () => {
    const out = encode(decode(fixtureJson('response-text.json')));
    expect(out).toEqual({
      id: 'chatcmpl-Bx1text',
      object: 'chat.completion',
      created: 1750000000,
      model: 'client-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Bonjour !', reasoning_content: 'The user wants a greeting in French.', refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 40,
        total_tokens: 160,
        prompt_tokens_details: { cached_tokens: 64, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 35, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
    });
    expect(out).not.toHaveProperty('system_fingerprint');
  });

  it('ids get the chatcmpl- prefix; a missing usage reads as zeros', () => {
    const res = { ...answer([{ type: 'text', text: 'x' }]), id: 'msg_01' };
    delete res.usage;
    const out = encode(res);
    expect(out.id).toBe('chatcmpl-msg_01');
    expect(out.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('tool calls: content null, finish tool_calls even when the upstream said stop (Gemini)', () => {
    const out = encode(answer([{ type: 'tool_call', id: 'c', name: 'f', arguments: '{}' }], 'stop'));
    expect(out.choices[0].message).toMatchObject({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    expect(out.choices[0].finish_reason).toBe('tool_calls');
  });

  it('finish reasons map back; error and other read as stop', () => {
    const fin = (r: CanonicalResponse['choices'][number]['finishReason']) => encode(answer([{ type: 'text', text: 'x' }], r)).choices[0].finish_reason;
    expect([fin('stop'), fin('length'), fin('content_filter'), fin('error'), fin('other'), fin('tool_calls')]).toEqual(['stop', 'length', 'content_filter', 'stop', 'stop', 'stop']);
  });

  it('image output modes; thought images are dropped', () => {
    const parts: Part[] = [
      { type: 'image', thought: true, mimeType: 'image/png', data: 'DRAFT' },
      { type: 'text', text: 'Here.' },
      { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
    ];
    const msg = (mode?: ImageOutputMode) => encode(answer(parts), mode).choices[0].message;
    const listed = [{ type: 'image_url', image_url: { url: dataUrl } }];
    expect(msg('images')).toMatchObject({ content: 'Here.', images: listed });
    expect(msg('markdown')).toMatchObject({ content: `Here.\n\n![image](${dataUrl})` });
    expect(msg('markdown')).not.toHaveProperty('images');
    expect(msg('both')).toMatchObject({ content: `Here.\n\n![image](${dataUrl})`, images: listed });
    expect(msg()).toEqual(msg('both'));
    expect(JSON.stringify(msg('both'))).not.toContain('DRAFT');
  });

  it("'url' mode renders the stored URL in both places; a URL-only image renders by URL in every mode", () => {
    const stored: Part = { type: 'image', mimeType: 'image/png', data: PNG_BASE64, url: 'https://gw.test/i/1.png' };
    expect(encode(answer([stored]), 'url').choices[0].message).toMatchObject({
      content: '![image](https://gw.test/i/1.png)',
      images: [{ type: 'image_url', image_url: { url: 'https://gw.test/i/1.png' } }],
    });
    const urlOnly: Part = { type: 'image', mimeType: 'image/png', url: 'https://cdn.test/x.png' };
    expect(encode(answer([urlOnly]), 'images').choices[0].message.images).toEqual([{ type: 'image_url', image_url: { url: 'https://cdn.test/x.png' } }]);
    expect(encode(answer([urlOnly]), 'markdown').choices[0].message.content).toBe('![image](https://cdn.test/x.png)');
  });

  it('text after an image is set off by a blank line', () => {
    const out = encode(answer([{ type: 'image', mimeType: 'image/png', url: 'https://a.test/1.png' }, { type: 'text', text: 'caption' }]), 'markdown');
    expect(out.choices[0].message.content).toBe('![image](https://a.test/1.png)\n\ncaption');
  });

  it('image tokens appear in completion_tokens_details when there are some', () => {
    const out = encode({ ...answer([]), usage: usage({ inputTokens: 3, outputTokens: 1290, outputImageTokens: 1290 }) });
    expect(out.usage.completion_tokens_details.image_tokens).toBe(1290);
    expect(out.choices[0].message.content).toBe('');
  });

  // 'both' writes each image twice (images[] and markdown); decoding must not double it. Markdown by
  // http URL stays text when read back, so the fixture with a URL image round-trips in 'images' mode.
  const modes: Array<[string, ImageOutputMode]> = [
    ['response-text.json', 'both'],
    ['response-tool-calls.json', 'both'],
    ['response-image.json', 'images'],
    ['response-markdown-image.json', 'both'],
  ];
  for (const [name, mode] of modes) {
    it(`${name} survives decode → encode ('${mode}') → decode`, () => {
      const first = decode(fixtureJson(name));
      const again = decode(encode(first, mode));
      expect(again.choices).toEqual(first.choices.map((c) => ({ ...c, parts: mergeAdjacentText(c.parts) })));
      expect(again.usage).toEqual(first.usage);
    });
  }
});

/** Two text parts in a row come back as one (a refusal after content). */
function mergeAdjacentText(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text + p.text };
    else out.push(p);
  }
  return out;
}
