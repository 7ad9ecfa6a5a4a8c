import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { reasoningEffort } from '../../../src/dialects/openai/chat-codec/request-encode.js';
import { fixtureJson, PNG_BASE64 } from './fixtures.js';

const decode = (json: Record<string, unknown>): CanonicalRequest => openaiChatCodec.decodeRequest(json, { operation: '/chat/completions' });
const encode = (req: CanonicalRequest, provider = 'openai-compatible') => openaiChatCodec.encodeRequest(req, { model: 'upstream-model', provider });
const canonical = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'client-model',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...extra,
});
const withoutThinking = (req: CanonicalRequest): CanonicalRequest => ({
  ...req,
  messages: req.messages.map((m) => ({ ...m, parts: m.parts.filter((p) => p.type !== 'thinking') })),
});

describe('openai chat encodeRequest: golden fixtures', () => {
  for (const name of ['basic', 'tools', 'multimodal', 'image-edit', 'options']) {
    it(`request-${name}.json decodes then encodes to its golden upstream body`, () => {
      expect(encode(decode(fixtureJson(`request-${name}.json`)))).toEqual(fixtureJson(`expected/request-encoded-${name}.json`));
    });
  }

  for (const name of ['tools', 'multimodal', 'options']) {
    it(`request-${name}.json survives decode → encode → decode`, () => {
      const first = decode(fixtureJson(`request-${name}.json`));
      const again = decode(encode(first).body);
      expect({ ...again, model: first.model }).toEqual(withoutThinking(first));
    });
  }

  it('request-basic.json survives a round trip with its system and developer text merged into one system message', () => {
    const first = decode(fixtureJson('request-basic.json'));
    const again = decode(encode(first).body);
    expect(again.system).toEqual([{ type: 'text', text: 'You are terse.\n\nAnswer in French.' }]);
    expect({ ...again, model: first.model, system: first.system }).toEqual(first);
  });

  it('the image-edit history keeps its images through a round trip (thinking dropped)', () => {
    const first = decode(fixtureJson('request-image-edit.json'));
    const again = decode(encode(first).body);
    const images = (r: CanonicalRequest) => r.messages.flatMap((m) => m.parts.filter((p) => p.type === 'image'));
    expect(images(again)).toEqual(images(first));
    expect(again.messages[1]?.parts.some((p) => p.type === 'thinking')).toBe(false);
    expect(again.image).toEqual({ aspectRatio: '1:1' });
  });
});

describe('openai chat encodeRequest: mappings', () => {
  it("provider 'openai' gets max_completion_tokens and no top_k; others max_tokens and top_k", () => {
    const req = canonical({ maxOutputTokens: 50, topK: 20 });
    expect(encode(req, 'openai').body).toMatchObject({ max_completion_tokens: 50 });
    expect(encode(req, 'openai').body).not.toHaveProperty('max_tokens');
    expect(encode(req, 'openai').body).not.toHaveProperty('top_k');
    expect(encode(req, 'openai-compatible').body).toMatchObject({ max_tokens: 50, top_k: 20 });
    expect(encode(req, 'openai-compatible').body).not.toHaveProperty('max_completion_tokens');
  });

  it('streams always ask for the usage chunk; the operation and query are fixed', () => {
    const out = encode(canonical({ stream: true }));
    expect(out).toMatchObject({ operation: '/chat/completions', query: '', body: { stream: true, stream_options: { include_usage: true } } });
    expect(encode(canonical()).body).not.toHaveProperty('stream');
  });

  it('system parts become one system message; the model is the upstream name', () => {
    const body = encode(canonical({ system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }] })).body;
    expect(body.model).toBe('upstream-model');
    expect((body.messages as unknown[])[0]).toEqual({ role: 'system', content: 'A\n\nB' });
  });

  it('tool results: text joined into a tool message, images after it in a user message', () => {
    const body = encode(
      canonical({
        messages: [
          { role: 'assistant', parts: [{ type: 'thinking', text: 'plan', signature: 'sig' }, { type: 'tool_call', id: 'c1', name: 'shot', arguments: '{}' }] },
          {
            role: 'user',
            parts: [
              {
                type: 'tool_result',
                toolCallId: 'c1',
                content: [{ type: 'text', text: 'took it' }, { type: 'image', mimeType: 'image/png', data: PNG_BASE64 }, { type: 'text', text: 'bye' }],
              },
              { type: 'text', text: 'what is in it?' },
            ],
          },
        ],
      }),
    ).body;
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'shot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'took it\nbye' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          { type: 'text', text: 'what is in it?' },
        ],
      },
    ]);
  });

  it("assistant images travel as OpenRouter's images[] except to OpenAI itself; thought images never", () => {
    const req = canonical({
      messages: [
        {
          role: 'assistant',
          parts: [
            { type: 'image', thought: true, mimeType: 'image/png', data: 'AAAA' },
            { type: 'text', text: 'done' },
            { type: 'image', mimeType: 'image/png', url: 'https://x.test/i.png' },
          ],
        },
      ],
    });
    expect(encode(req).body.messages).toEqual([
      { role: 'assistant', content: 'done', images: [{ type: 'image_url', image_url: { url: 'https://x.test/i.png' } }] },
    ]);
    expect(encode(req, 'openai').body.messages).toEqual([{ role: 'assistant', content: 'done' }]);
  });

  it('audio and files by URL cannot be sent: GatewayError, not a silent drop', () => {
    const audio = canonical({ messages: [{ role: 'user', parts: [{ type: 'audio', mimeType: 'audio/wav', url: 'gs://b/a.wav' }] }] });
    const file = canonical({ messages: [{ role: 'user', parts: [{ type: 'file', mimeType: 'application/pdf', url: 'https://x.test/a.pdf' }] }] });
    expect(() => encode(audio)).toThrow(GatewayError);
    expect(() => encode(file)).toThrow(GatewayError);
  });

  it('options: tools, tool_choice, response_format, penalties, modalities and image_config', () => {
    const body = encode(
      canonical({
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: 'required',
        parallelToolCalls: false,
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
        stop: ['x'],
        n: 2,
        seed: 1,
        temperature: 0,
        topP: 1,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        modalities: ['image', 'text'],
        image: { imageSize: '1K' },
        user: 'u',
      }),
    ).body;
    expect(body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } },
      stop: ['x'],
      n: 2,
      seed: 1,
      temperature: 0,
      top_p: 1,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      modalities: ['image', 'text'],
      image_config: { image_size: '1K' },
      user: 'u',
    });
    // parallel_tool_calls without tools is refused by OpenAI: not sent.
    expect(encode(canonical({ parallelToolCalls: true })).body).not.toHaveProperty('parallel_tool_calls');
  });

  it('reasoning: effort passes through, a budget maps onto the effort scale, 0 and -1 send nothing', () => {
    expect(reasoningEffort({ effort: 'minimal', budgetTokens: 99999 })).toBe('minimal');
    expect(reasoningEffort({ budgetTokens: 1024 })).toBe('low');
    expect(reasoningEffort({ budgetTokens: 1025 })).toBe('medium');
    expect(reasoningEffort({ budgetTokens: 8192 })).toBe('medium');
    expect(reasoningEffort({ budgetTokens: 8193 })).toBe('high');
    expect(reasoningEffort({ budgetTokens: 0 })).toBeUndefined();
    expect(reasoningEffort({ budgetTokens: -1 })).toBeUndefined();
    expect(encode(canonical({ reasoning: { budgetTokens: 4000 } })).body.reasoning_effort).toBe('medium');
    expect(encode(canonical({ reasoning: { budgetTokens: 0 } })).body).not.toHaveProperty('reasoning_effort');
  });

  it('an inline image is sent as a data URL holding the same base64 string', () => {
    const data = 'A'.repeat(1000);
    const body = encode(canonical({ messages: [{ role: 'user', parts: [{ type: 'image', mimeType: 'image/webp', data }] }] })).body;
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/webp;base64,${data}` } }] }]);
  });
});
