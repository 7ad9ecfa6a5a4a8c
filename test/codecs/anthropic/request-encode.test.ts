import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import type { CanonicalRequest } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { fixtureJson } from './helpers.js';

const opts = { model: 'claude-upstream', provider: 'anthropic' };
const encode = (req: CanonicalRequest) => anthropicCodec.encodeRequest(req, opts);
const request = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'asked',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...extra,
});

function refusal(req: CanonicalRequest): GatewayError {
  try {
    encode(req);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be refused');
}

describe('anthropic encodeRequest', () => {
  it('a minimal request: operation, model, default max_tokens', () => {
    expect(encode(request())).toEqual({
      operation: '/messages',
      query: '',
      body: { model: 'claude-upstream', max_tokens: 8192, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    });
  });

  it('round-trips request-tools.json (decode → encode) to the same wire request', () => {
    const fixture = fixtureJson('request-tools.json');
    const { body } = encode(anthropicCodec.decodeRequest(fixture, { operation: '/messages' }));
    expect(body).toEqual({
      model: 'claude-upstream',
      max_tokens: 16000,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 4000 },
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city.',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
        { name: 'get_time', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      output_config: (fixture as any).output_config,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and the time?' }] },
        (fixture as any).messages[1], // thinking, redacted thinking and tool_use blocks come back unchanged
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: '18°C, cloudy' }] },
            { type: 'tool_result', tool_use_id: 'toolu_01B', content: [{ type: 'text', text: 'clock unavailable' }], is_error: true },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
    });
  });

  it('round-trips request-multimodal.json media blocks', () => {
    const fixture = fixtureJson('request-multimodal.json');
    const { body } = encode(anthropicCodec.decodeRequest(fixture, { operation: '/messages' }));
    const original = (fixture as any).messages[0].content;
    expect(body.system).toEqual([
      { type: 'text', text: 'You read documents.' },
      { type: 'text', text: 'Answer in English.' },
    ]);
    const content = (body.messages as any)[0].content;
    expect(content[0]).toEqual(original[0]);
    expect(content[0].source.data).toBe(original[0].source.data); // same string, not a copy
    expect(content[1]).toEqual({ type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp' } });
    expect(content[2]).toEqual({ type: 'document', title: 'report.pdf', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } });
    expect(content[3]).toEqual({ type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } });
    expect(content[4]).toEqual({ type: 'text', text: 'Plain notes.' });
  });

  it('merges same-role turns, puts tool results first and drops unsigned thinking', () => {
    const { body } = encode(
      request({
        system: [{ type: 'text', text: 'sys' }],
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'a' }] },
          { role: 'user', parts: [{ type: 'text', text: 'b' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'thinking', text: 'no signature: dropped' },
              { type: 'thinking', text: 'signed', signature: 'sig' },
              { type: 'thinking', text: '', redacted: 'opaque' },
              { type: 'tool_call', id: 'call 1/x', name: 'f', arguments: '{"a":1}' },
              { type: 'tool_call', id: 'call_2', name: 'g', arguments: 'not json' },
            ],
          },
          { role: 'user', parts: [{ type: 'text', text: 'results:' }] },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'call 1/x', content: [{ type: 'text', text: 'one' }] },
              { type: 'tool_result', toolCallId: 'call_2', content: [], isError: true },
            ],
          },
        ],
      }),
    );
    expect(body.system).toEqual([{ type: 'text', text: 'sys' }]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'signed', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'tool_use', id: 'call_1_x', name: 'f', input: { a: 1 } },
          { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1_x', content: [{ type: 'text', text: 'one' }] },
          { type: 'tool_result', tool_use_id: 'call_2', is_error: true },
          { type: 'text', text: 'results:' },
        ],
      },
    ]);
  });

  it('trims trailing whitespace off a final assistant prefill', () => {
    const { body } = encode(request({ messages: [...request().messages, { role: 'assistant', parts: [{ type: 'text', text: 'The answer is ' }] }] }));
    expect((body.messages as any)[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'The answer is' }] });
  });

  it('reasoning by effort: budget, max_tokens above it, temperature and top_k dropped', () => {
    const { body } = encode(request({ reasoning: { effort: 'high' }, maxOutputTokens: 4000, temperature: 0.5, topK: 5, topP: 0.97 }));
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 24576 });
    expect(body.max_tokens).toBe(24576 + 4000);
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(body.top_p).toBe(0.97);
    expect(encode(request({ reasoning: { effort: 'low' } })).body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(encode(request({ reasoning: { effort: 'medium' } })).body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(encode(request({ reasoning: { effort: 'medium' } })).body.max_tokens).toBe(8192 + 8192);
    expect(encode(request({ reasoning: { budgetTokens: 300 } })).body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(encode(request({ reasoning: { budgetTokens: 2000 }, maxOutputTokens: 10000 })).body.max_tokens).toBe(10000);
    expect(encode(request({ reasoning: { effort: 'none' } })).body.thinking).toBeUndefined();
    expect(encode(request({ reasoning: { budgetTokens: 0 } })).body.thinking).toBeUndefined();
  });

  it('sampling without thinking: temperature clamped to 0–1, top_p only without temperature', () => {
    const { body } = encode(request({ temperature: 1.6, topP: 0.5, topK: 3, stop: ['END'] }));
    expect(body).toMatchObject({ temperature: 1, top_k: 3, stop_sequences: ['END'] });
    expect(body.top_p).toBeUndefined();
    expect(encode(request({ topP: 0.5 })).body.top_p).toBe(0.5);
  });

  it('tool choices and parallel tool calls', () => {
    const tools = [{ name: 'f', parameters: { properties: { a: { type: 'string' } } } }];
    const choice = (extra: Partial<CanonicalRequest>) => encode(request({ tools, ...extra })).body.tool_choice;
    expect(choice({ toolChoice: 'required' })).toEqual({ type: 'any' });
    expect(choice({ toolChoice: { name: 'f' }, parallelToolCalls: false })).toEqual({ type: 'tool', name: 'f', disable_parallel_tool_use: true });
    expect(choice({ toolChoice: 'none' })).toEqual({ type: 'none' });
    expect(choice({ parallelToolCalls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice({})).toBeUndefined();
    expect(encode(request({ tools })).body.tools).toEqual([{ name: 'f', input_schema: { type: 'object', properties: { a: { type: 'string' } } } }]);
    expect(encode(request({ toolChoice: 'required' })).body.tool_choice).toBeUndefined(); // no tools, no choice
  });

  it('response formats, user and stream', () => {
    const schema = { type: 'object', properties: { x: { type: 'number' } } };
    const encoded = encode(request({ responseFormat: { type: 'json_schema', name: 'x', schema }, user: 'u1', stream: true }));
    expect(encoded.body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(encoded.body.metadata).toEqual({ user_id: 'u1' });
    expect(encoded.body.stream).toBe(true);
    const jsonObject = encode(request({ system: [{ type: 'text', text: 'sys' }], responseFormat: { type: 'json_object' } })).body.system as any[];
    expect(jsonObject).toHaveLength(2);
    expect(jsonObject[1].text).toMatch(/JSON/);
  });

  it('plain-text files become text documents; data URLs become base64', () => {
    const { body } = encode(
      request({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'file', mimeType: 'text/plain', data: Buffer.from('héllo').toString('base64'), filename: 'a.txt' },
              { type: 'image', mimeType: 'image/png', url: 'data:image/png;base64,AAAA' },
              { type: 'image', mimeType: 'image/png', data: 'BBBB', thought: true },
            ],
          },
        ],
      }),
    );
    expect((body.messages as any)[0].content).toEqual([
      { type: 'document', title: 'a.txt', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
    ]);
  });

  it('refuses what Claude cannot take', () => {
    expect(refusal(request({ n: 2 })).param).toBe('n');
    const audio = refusal(request({ messages: [{ role: 'user', parts: [{ type: 'audio', mimeType: 'audio/wav', data: 'AAAA' }] }] }));
    expect(audio.kind).toBe('invalid_request');
    expect(audio.message).toMatch(/audio/);
    expect(refusal(request({ messages: [{ role: 'user', parts: [{ type: 'file', mimeType: 'application/zip', data: 'AA' }] }] })).message).toMatch(/application\/zip/);
    expect(refusal(request({ modalities: ['text', 'image'] })).param).toBe('modalities');
    expect(refusal(request({ messages: [{ role: 'assistant', parts: [{ type: 'thinking', text: 'unsigned' }] }] })).param).toBe('messages');
  });
});
