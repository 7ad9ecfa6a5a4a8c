import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { fixtureJson } from './helpers.js';

const decode = (json: unknown, operation = '/messages') => anthropicCodec.decodeRequest(json as Record<string, unknown>, { operation });

function decodeError(json: unknown, operation?: string): GatewayError {
  try {
    decode(json, operation);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be refused');
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

describe('anthropic decodeRequest: golden fixtures', () => {
  it('request-basic.json: system string, turns, sampling, stop, user', () => {
    expect(decode(fixtureJson('request-basic.json'))).toEqual({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Name a colour.' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Blue.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Another one, in French.' }] },
      ],
      stream: false,
      maxOutputTokens: 1024,
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      stop: ['\n\n'],
      user: 'user-42',
    });
  });

  it('request-multimodal.json: system blocks, images, PDFs and text documents', () => {
    const fixture = fixtureJson('request-multimodal.json');
    const req = decode(fixture);
    expect(req.system).toEqual([
      { type: 'text', text: 'You read documents.' },
      { type: 'text', text: 'Answer in English.' },
    ]);
    expect(req.messages[0]!.parts).toEqual([
      { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' },
      { type: 'image', mimeType: 'image/webp', url: 'https://example.com/cat.webp' },
      { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0xLjQK', filename: 'report.pdf' },
      { type: 'file', mimeType: 'application/pdf', url: 'https://example.com/paper.pdf' },
      { type: 'text', text: 'Plain notes.' },
      { type: 'text', text: 'Compare these.' },
    ]);
    // Base64 is passed by reference, not copied.
    const content = (fixture.messages as any)[0].content;
    expect((req.messages[0]!.parts[0] as { data: string }).data).toBe(content[0].source.data);
  });

  it('request-tools.json: tools, tool choice, thinking, tool calls and results, output format', () => {
    const req = decode(fixtureJson('request-tools.json'));
    expect(req.stream).toBe(true);
    expect(req.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      { name: 'get_time', parameters: { type: 'object', properties: {} } },
    ]);
    expect(req.toolChoice).toBe('auto');
    expect(req.parallelToolCalls).toBe(false);
    expect(req.reasoning).toEqual({ budgetTokens: 4000, includeThoughts: true });
    expect(req.responseFormat).toEqual({
      type: 'json_schema',
      schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false },
    });
    expect(req.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'thinking', text: 'I should call both tools.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
        { type: 'thinking', text: '', redacted: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
        { type: 'tool_call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool_call', id: 'toolu_01B', name: 'get_time', arguments: '{}' },
      ],
    });
    expect(req.messages[2]).toEqual({
      role: 'user',
      parts: [
        { type: 'tool_result', toolCallId: 'toolu_01A', name: 'get_weather', content: [{ type: 'text', text: '18°C, cloudy' }] },
        { type: 'tool_result', toolCallId: 'toolu_01B', name: 'get_time', content: [{ type: 'text', text: 'clock unavailable' }], isError: true },
        { type: 'text', text: 'Summarise.' },
      ],
    });
  });
});

describe('anthropic decodeRequest: options', () => {
  it('maps every tool_choice', () => {
    const tools = [{ name: 't', input_schema: { type: 'object' } }];
    expect(decode({ ...base, tools, tool_choice: { type: 'any' } }).toolChoice).toBe('required');
    expect(decode({ ...base, tools, tool_choice: { type: 'none' } }).toolChoice).toBe('none');
    expect(decode({ ...base, tools, tool_choice: { type: 'tool', name: 't' } }).toolChoice).toEqual({ name: 't' });
    expect(decode({ ...base, tools, tool_choice: { type: 'auto' } }).parallelToolCalls).toBeUndefined();
  });

  it('maps adaptive, disabled and effort thinking', () => {
    expect(decode({ ...base, thinking: { type: 'adaptive' } }).reasoning).toEqual({ budgetTokens: -1, includeThoughts: true });
    expect(decode({ ...base, thinking: { type: 'disabled' } }).reasoning).toEqual({ effort: 'none' });
    expect(decode({ ...base, thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'max' } }).reasoning).toEqual({
      budgetTokens: -1,
      includeThoughts: false,
      effort: 'high',
    });
  });

  it('accepts the older beta output_format', () => {
    const req = decode({ ...base, output_format: { type: 'json_schema', schema: { type: 'object' } } });
    expect(req.responseFormat).toEqual({ type: 'json_schema', schema: { type: 'object' } });
  });

  it('hoists SDK system-role messages into the system parts', () => {
    const req = decode({ ...base, system: 'first', messages: [{ role: 'system', content: 'second' }, { role: 'user', content: 'hi' }] });
    expect(req.system).toEqual([{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }]);
    expect(req.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
  });

  it('allows an empty final assistant prefill', () => {
    const req = decode({ ...base, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '' }] });
    expect(req.messages[1]).toEqual({ role: 'assistant', parts: [] });
  });

  it('count_tokens does not need max_tokens', () => {
    const { max_tokens: _, ...body } = base;
    expect(decode(body, '/messages/count_tokens').maxOutputTokens).toBeUndefined();
  });
});

describe('anthropic decodeRequest: refusals like Anthropic', () => {
  it('requires max_tokens', () => {
    const { max_tokens: _, ...body } = base;
    const err = decodeError(body);
    expect(err.kind).toBe('invalid_request');
    expect(err.param).toBe('max_tokens');
    expect(err.message).toBe('max_tokens: Field required');
  });

  it('refuses Anthropic server and built-in tools', () => {
    for (const tool of [
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { type: 'bash_20250124', name: 'bash' },
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
    ]) {
      const err = decodeError({ ...base, tools: [tool] });
      expect(err.kind).toBe('invalid_request');
      expect(err.param).toBe('tools.0.type');
      expect(err.message).toContain(tool.type);
      expect(err.message).toContain('only works on Anthropic channels');
    }
  });

  it.each([
    [{ ...base, messages: [] }, 'messages'],
    [{ ...base, messages: 'hi' }, 'messages'],
    [{ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role'],
    [{ ...base, messages: [{ role: 'user', content: [] }] }, 'messages.0'],
    [{ ...base, messages: [{ role: 'user', content: 7 }] }, 'messages.0.content'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages.0.content.0.text'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages.0.content.0.source.type'],
    [{ ...base, max_tokens: '100' }, 'max_tokens'],
    [{ ...base, max_tokens: 1.5 }, 'max_tokens'],
    [{ ...base, temperature: 1.5 }, 'temperature'],
    [{ ...base, model: 42 }, 'model'],
    [{ ...base, thinking: { type: 'enabled', budget_tokens: 500 } }, 'thinking.budget_tokens'],
    [{ ...base, thinking: { type: 'enabled', budget_tokens: 2000 } }, 'max_tokens'],
    [{ ...base, tool_choice: { type: 'sometimes' } }, 'tool_choice.type'],
    [{ ...base, stop_sequences: [1] }, 'stop_sequences.0'],
    [{ ...base, output_config: { format: { type: 'regex' } } }, 'output_config.format.type'],
  ])('refuses %j at %s', (body, param) => {
    const err = decodeError(body);
    expect(err.kind).toBe('invalid_request');
    expect(err.param).toBe(param);
  });
});
