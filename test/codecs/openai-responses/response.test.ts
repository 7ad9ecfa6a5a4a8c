import { describe, expect, it } from 'vitest';
import type { CanonicalResponse, Part } from '../../../src/dialects/canonical/types.js';
import { emptyCanonicalUsage } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';
import { fixtureNames, loadJson } from './golden.js';
import { mutations } from './mutate.js';

const answer = (parts: Part[], patch: Partial<CanonicalResponse['choices'][0]> = {}): CanonicalResponse => ({
  id: 'msg_01abc',
  model: 'claude-x',
  created: 1767225600,
  choices: [{ index: 0, parts, finishReason: 'stop', ...patch }],
});

describe('decodeResponse', () => {
  it('raises a failed response as an error with the status its code stands for', () => {
    const err = (() => {
      try {
        codec.decodeResponse({ id: 'r', status: 'failed', output: [], error: { code: 'rate_limit_exceeded', message: 'slow down' } });
      } catch (e) {
        return e as GatewayError;
      }
    })();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err!.status).toBe(429);
    expect(err!.kind).toBe('rate_limit');
    expect(err!.message).toBe('slow down');
  });

  it('reads cache writes and image tokens, and no usage when there is none', () => {
    const res = codec.decodeResponse({
      status: 'completed',
      output: [],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 2, cache_write_tokens: 3 }, output_tokens: 5, output_tokens_details: { image_tokens: 4 } },
    });
    expect(res.usage).toEqual({ inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 3, outputTokens: 5, reasoningTokens: 0, outputImageTokens: 4 });
    expect(codec.decodeResponse({ output: [] }).usage).toBeUndefined();
    expect(codec.decodeResponse({ output: [], status: 'incomplete', incomplete_details: { reason: 'content_filter' } }).choices[0]!.finishReason).toBe('content_filter');
  });

  it('turns garbage anywhere in upstream answers into GatewayError, never a crash', () => {
    for (const name of fixtureNames('response')) {
      for (const { path, mutated } of mutations(loadJson(name))) {
        try {
          codec.decodeResponse(mutated as Record<string, unknown>);
        } catch (err) {
          if (!(err instanceof GatewayError)) throw new Error(`${name} ${path}: ${String(err)}`);
        }
      }
    }
    for (const body of [null, [], 'x', { output: 5 }, { output: [7] }, { output: [{ type: 'function_call', name: 'f' }] }]) {
      expect(() => codec.decodeResponse(body as Record<string, unknown>)).toThrow(GatewayError);
    }
  });
});

describe('encodeResponse', () => {
  it('marks truncated and filtered answers incomplete', () => {
    const long = codec.encodeResponse(answer([{ type: 'text', text: 'Once' }], { finishReason: 'length' }), { model: 'gpt' });
    expect(long.status).toBe('incomplete');
    expect(long.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    const filtered = codec.encodeResponse(answer([], { finishReason: 'content_filter' }), { model: 'gpt' });
    expect(filtered.incomplete_details).toEqual({ reason: 'content_filter' });
    const done = codec.encodeResponse(answer([], { finishReason: 'tool_calls' }), { model: 'gpt' });
    expect(done.status).toBe('completed');
    expect(done.incomplete_details).toBeNull();
  });

  it('merges adjacent text, keeps item order and shows the requested model', () => {
    const res = codec.encodeResponse(
      answer([
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b', signature: 'gem' },
        { type: 'image', mimeType: 'image/png', data: 'iVBOR', thought: true },
        { type: 'image', mimeType: 'image/png', url: 'https://cdn/x.png' },
        { type: 'thinking', text: '', signature: 'sig' },
        { type: 'image', mimeType: 'image/png', data: 'iVBOR' },
        { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' },
      ]),
      { model: 'asked-model' },
    );
    expect(res.id).toBe('resp_msg_01abc');
    expect(res.model).toBe('asked-model');
    const output = res.output as Record<string, unknown>[];
    expect(output.map((o) => o.type)).toEqual(['message', 'reasoning', 'image_generation_call', 'function_call']);
    expect(output[0]!.content).toEqual([{ type: 'output_text', text: 'ab![image](https://cdn/x.png)', annotations: [], logprobs: [] }]);
    expect(output[1]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'sig' });
    expect(output[2]).toMatchObject({ type: 'image_generation_call', status: 'completed', result: 'iVBOR' });
    expect(output[3]).toMatchObject({ type: 'function_call', call_id: 'toolu_1', name: 'f', arguments: '{"a":1}', status: 'completed' });
    expect(output[3]!.id).toMatch(/^fc_[0-9a-f]{32}$/);
  });

  it('reports usage with totals, zeros when the upstream gave none', () => {
    const res = codec.encodeResponse({ ...answer([]), usage: { ...emptyCanonicalUsage(), inputTokens: 100, cachedInputTokens: 60, outputTokens: 40, reasoningTokens: 30 } }, { model: 'm' });
    expect(res.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 60, cache_write_tokens: 0 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 30 },
      total_tokens: 140,
    });
    expect((codec.encodeResponse(answer([]), { model: 'm' }).usage as Record<string, unknown>).total_tokens).toBe(0);
    expect(codec.encodeResponse({ ...answer([]), choices: [] }, { model: 'm' }).output).toEqual([]);
  });
});
