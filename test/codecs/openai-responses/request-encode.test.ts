import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Message } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';

const request = (patch: Partial<CanonicalRequest>): CanonicalRequest => ({ model: 'client', system: [], messages: [], stream: false, ...patch });
const encode = (req: CanonicalRequest, provider = 'openai') => codec.encodeRequest(req, { model: 'gpt-5', provider }).body;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const history: Message[] = [
  { role: 'user', parts: [{ type: 'text', text: 'q' }] },
  {
    role: 'assistant',
    parts: [
      { type: 'thinking', text: 'from openai', signature: 'gAAAAABopenai' },
      { type: 'thinking', text: 'from claude', signature: 'EqQBCkYIBxgCKkB-anthropic' },
      { type: 'thinking', text: 'no signature' },
      { type: 'thinking', text: '', redacted: 'opaque' },
      { type: 'text', text: 'answer' },
      { type: 'image', mimeType: 'image/png', data: 'iVBOR' },
    ],
  },
];

describe('encodeRequest', () => {
  it('posts to /responses with the upstream model and keeps nothing stored', () => {
    const encoded = codec.encodeRequest(request({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }] }), { model: 'gpt-5', provider: 'openai' });
    expect(encoded.operation).toBe('/responses');
    expect(encoded.query).toBe('');
    expect(encoded.body).toEqual({ model: 'gpt-5', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }], store: false });
  });

  it('replays only OpenAI-encrypted reasoning to OpenAI, and asks for it back', () => {
    const body = encode(request({ messages: history }));
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'from openai' }], encrypted_content: 'gAAAAABopenai' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'answer' }] },
    ]);
    expect(body.include).toEqual(['reasoning.encrypted_content']);
    expect(body.store).toBe(false);
  });

  it('passes any signature to OpenAI-compatible servers', () => {
    const body = encode(request({ messages: history }), 'openai-compatible');
    const reasoning = (body.input as Record<string, unknown>[]).filter((i) => i.type === 'reasoning');
    expect(reasoning.map((r) => r.encrypted_content)).toEqual(['gAAAAABopenai', 'EqQBCkYIBxgCKkB-anthropic']);
  });

  it('keeps part order in a user turn: content, then each tool result, then content', () => {
    const body = encode(
      request({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'before' },
              { type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
              { type: 'tool_result', toolCallId: 'c2', content: [{ type: 'file', mimeType: 'text/plain', data: 'aGk=' }], isError: true },
              { type: 'image', mimeType: 'image/png', url: 'https://x/y.png' },
            ],
          },
        ],
      }),
    );
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'before' }] },
      { type: 'function_call_output', call_id: 'c1', output: 'ab' },
      { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_file', filename: 'file.txt', file_data: 'data:text/plain;base64,aGk=' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' }] },
    ]);
  });

  it('sends system media as a system message instead of instructions', () => {
    const body = encode(request({ system: [{ type: 'text', text: 's' }, { type: 'file', mimeType: 'application/pdf', url: 'https://x/a.pdf', filename: 'a.pdf' }] }));
    expect(body.instructions).toBeUndefined();
    expect(body.input).toEqual([
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 's' }, { type: 'input_file', file_url: 'https://x/a.pdf', filename: 'a.pdf' }] },
    ]);
  });

  it('maps options from other dialects', () => {
    const body = encode(
      request({
        tools: [{ name: 'f' }],
        toolChoice: { name: 'f' },
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
        reasoning: { budgetTokens: 4096, includeThoughts: true },
        modalities: ['text', 'image'],
        image: { aspectRatio: '16:9' },
        stream: true,
        stop: ['x'],
        seed: 1,
      }),
    );
    expect(body.tools).toEqual([
      { type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: false },
      { type: 'image_generation', size: '1536x1024' },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', name: 'f' });
    expect(body.text).toEqual({ format: { type: 'json_schema', name: 'response', schema: { type: 'object' } } });
    expect(body.reasoning).toEqual({ effort: 'medium', summary: 'auto' });
    expect(body.stream).toBe(true);
    expect(body).not.toHaveProperty('stop');
    expect(body).not.toHaveProperty('seed');
    expect(encode(request({ reasoning: { budgetTokens: -1 } })).reasoning).toBeUndefined();
    expect(encode(request({ reasoning: { effort: 'low' } })).reasoning).toEqual({ effort: 'low' });
    expect(encode(request({})).include).toBeUndefined();
  });

  it('refuses what the Responses API cannot take', () => {
    expect(() => encode(request({ n: 2 }))).toThrow(GatewayError);
    expect(() => encode(request({ messages: [{ role: 'user', parts: [{ type: 'audio', mimeType: 'audio/wav', data: 'UklG' }] }] }))).toThrow(GatewayError);
  });

  it('never mutates the shared canonical request', () => {
    const req = deepFreeze(request({ system: [{ type: 'text', text: 's' }], messages: history, tools: [{ name: 'f' }], modalities: ['image'] }));
    expect(() => encode(req)).not.toThrow();
  });
});
