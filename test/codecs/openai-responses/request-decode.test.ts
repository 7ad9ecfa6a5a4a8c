import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';
import { loadJson } from './golden.js';
import { mutations } from './mutate.js';

const decode = (body: Record<string, unknown>, pathModel?: string) => codec.decodeRequest(body, { operation: '/responses', ...(pathModel && { pathModel }) });

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    decode(body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected the request to be refused');
}

describe('decodeRequest', () => {
  it('puts instructions first, then system and developer messages in order', () => {
    const req = decode({
      model: 'm',
      instructions: 'A',
      input: [
        { role: 'system', content: 'B' },
        { role: 'user', content: 'hi' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'C' }] },
      ],
    });
    expect(req.system).toEqual([
      { type: 'text', text: 'A' },
      { type: 'text', text: 'B' },
      { type: 'text', text: 'C' },
    ]);
    expect(req.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
    expect(req.stream).toBe(false);
  });

  it('joins reasoning, text and calls into one assistant turn and outputs into one user turn', () => {
    const req = decode({
      model: 'm',
      input: [
        { role: 'user', content: 'q' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAAsig' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'ok' },
        { type: 'function_call_output', call_id: 'unknown', output: '' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
      ],
    });
    expect(req.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'thinking', text: '', signature: 'gAAAAAsig' },
          { type: 'tool_call', id: 'c1', name: 'f', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: 'c1', name: 'f', content: [{ type: 'text', text: 'ok' }] },
          { type: 'tool_result', toolCallId: 'unknown', content: [{ type: 'text', text: '' }] },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'no' }] },
    ]);
  });

  it('drops reasoning that carries nothing and falls back to reasoning_text content', () => {
    const req = decode({
      model: 'm',
      input: [
        { type: 'reasoning', id: 'rs_stored', summary: [] },
        { type: 'reasoning', id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw thought' }] },
      ],
    });
    expect(req.messages).toEqual([{ role: 'assistant', parts: [{ type: 'thinking', text: 'raw thought' }] }]);
  });

  it('reads files sent as bare base64 or by URL', () => {
    const req = decode({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_file', filename: 'a.txt', file_data: 'aGk=' },
            { type: 'input_file', file_url: 'https://example.com/doc.pdf' },
            { type: 'input_image', image_url: 'https://example.com/x?size=big', detail: 'low' },
          ],
        },
      ],
    });
    expect(req.messages[0]!.parts).toEqual([
      { type: 'file', filename: 'a.txt', mimeType: 'text/plain', data: 'aGk=' },
      { type: 'file', mimeType: 'application/pdf', url: 'https://example.com/doc.pdf' },
      { type: 'image', mimeType: 'image/jpeg', url: 'https://example.com/x?size=big' },
    ]);
  });

  it('maps the generation options', () => {
    const req = decode({
      model: 'm',
      input: 'x',
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_object' } },
      reasoning: { effort: 'xhigh', summary: null },
      user: null,
      safety_identifier: 'sid',
      stream: true,
      store: true,
      metadata: { a: 'b' },
    });
    expect(req.toolChoice).toEqual({ name: 'f' });
    expect(req.parallelToolCalls).toBe(false);
    expect(req.responseFormat).toEqual({ type: 'json_object' });
    expect(req.reasoning).toEqual({ effort: 'high' });
    expect(req.user).toBe('sid');
    expect(req.stream).toBe(true);
    expect(decode({ model: 'm', input: 'x', reasoning: { summary: 'detailed' } }).reasoning).toEqual({ includeThoughts: true });
    expect(decode({ model: 'm', input: 'x', reasoning: {} }).reasoning).toBeUndefined();
    expect(decode({ model: 'm', input: 'x', tool_choice: 'required' }).toolChoice).toBe('required');
    expect(decode({ model: 'm', input: 'x', tools: [] }).tools).toBeUndefined();
  });

  it('takes the model from the path when the body has none', () => {
    expect(decode({ input: 'x' }, 'path-model').model).toBe('path-model');
    expect(refusal({ input: 'x' }).param).toBe('model');
  });

  it('refuses what needs OpenAI storage', () => {
    const prev = refusal({ model: 'm', input: 'x', previous_response_id: 'resp_1' });
    expect(prev.kind).toBe('invalid_request');
    expect(prev.param).toBe('previous_response_id');
    expect(prev.message).toBe('previous_response_id needs an OpenAI channel; send the full input instead');
    expect(refusal({ model: 'm', input: 'x', conversation: { id: 'conv_1' } }).param).toBe('conversation');
    expect(refusal({ model: 'm', input: 'x', prompt: { id: 'pmpt_1' } }).param).toBe('prompt');
    expect(refusal({ model: 'm', input: 'x', background: true }).param).toBe('background');
    expect(refusal({ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }).param).toBe('input[0]');
  });

  it.each(['web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'computer_use_preview', 'image_generation', 'mcp', 'local_shell', 'custom', 'shell', 'apply_patch'])(
    'refuses the built-in %s tool as OpenAI-only',
    (type) => {
      const err = refusal({ model: 'm', input: 'x', tools: [{ type: 'function', name: 'ok', parameters: {} }, { type, name: 'n' }] });
      expect(err.kind).toBe('invalid_request');
      expect(err.param).toBe('tools[1].type');
      expect(err.message).toContain(`The ${type} tool only works on OpenAI channels`);
    },
  );

  it('refuses items and tool choices of built-in tools', () => {
    expect(refusal({ model: 'm', input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }).message).toContain('only works on OpenAI channels');
    expect(refusal({ model: 'm', input: 'x', tool_choice: { type: 'web_search_preview' } }).param).toBe('tool_choice.type');
    expect(refusal({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }] }).param).toBe('input[0].content[0].file_id');
  });

  it.each([
    [{ input: 5 }, 'input'],
    [{ input: undefined }, 'input'],
    [{ input: [5] }, 'input[0]'],
    [{ input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
    [{ input: [{ role: 'user', content: 5 }] }, 'input[0].content'],
    [{ input: [{ role: 'user', content: [{ type: 'input_text', text: 5 }] }] }, 'input[0].content[0].text'],
    [{ input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, 'input[0].content[0].type'],
    [{ input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'ftp://x' }] }] }, 'input[0].content[0].image_url'],
    [{ input: [{ type: 'function_call', call_id: 1, name: 'f', arguments: '{}' }] }, 'input[0].call_id'],
    [{ input: [{ type: 'function_call_output', call_id: 'c', output: 5 }] }, 'input[0].output'],
    [{ input: [{ type: 'reasoning', summary: [{ text: 1 }] }] }, 'input[0].summary[0].text'],
    [{ input: [{ content: 'no role or type' }] }, 'input[0].type'],
    [{ model: 5 }, 'model'],
    [{ instructions: [] }, 'instructions'],
    [{ temperature: 'hot' }, 'temperature'],
    [{ top_p: {} }, 'top_p'],
    [{ max_output_tokens: 1.5 }, 'max_output_tokens'],
    [{ max_output_tokens: 0 }, 'max_output_tokens'],
    [{ stream: 'yes' }, 'stream'],
    [{ tools: {} }, 'tools'],
    [{ tools: [{ type: 'function' }] }, 'tools[0].name'],
    [{ tools: [{ type: 'function', name: 'f', parameters: 'x' }] }, 'tools[0].parameters'],
    [{ tool_choice: 'sometimes' }, 'tool_choice'],
    [{ text: { format: { type: 'yaml' } } }, 'text.format.type'],
    [{ text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema'],
    [{ reasoning: { effort: 'extreme' } }, 'reasoning.effort'],
    [{ reasoning: 'high' }, 'reasoning'],
    [{ parallel_tool_calls: 1 }, 'parallel_tool_calls'],
  ] as [Record<string, unknown>, string][])('a wrong %j is refused naming %s', (patch, param) => {
    const err = refusal({ model: 'm', input: 'x', ...patch });
    expect(err.kind).toBe('invalid_request');
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
  });

  it('turns garbage anywhere in a full request into GatewayError, never a crash', () => {
    const fixture = loadJson('request-agent.json');
    let refused = 0;
    let tried = 0;
    for (const { path, mutated } of mutations(fixture)) {
      tried++;
      try {
        decode(mutated as Record<string, unknown>);
      } catch (err) {
        if (!(err instanceof GatewayError) || err.kind !== 'invalid_request') throw new Error(`${path}: ${String(err)}`);
        refused++;
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(tried / 3);
    for (const body of [null, [], 'str', 5, { model: 'm', input: null }]) {
      expect(() => decode(body as Record<string, unknown>)).toThrow(GatewayError);
    }
  });
});
