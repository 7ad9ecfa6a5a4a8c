// Gemini 3 function-call signatures ride through chat completions in
// tool_calls[i].extra_content.google.thought_signature, as Google's own
// OpenAI-compatible endpoint carries them.
import { expect, test } from 'vitest';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import type { CanonicalResponse } from '../../../src/dialects/canonical/types.js';

const answer: CanonicalResponse = {
  id: 'r1',
  model: 'gemini-3-pro-preview',
  created: 1,
  choices: [{ index: 0, finishReason: 'tool_calls', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}', signature: 'SIG-abc' }] }],
};

test('a whole answer carries the signature, and the next request brings it back to the tool call', () => {
  const out = openaiChatCodec.encodeResponse(answer, { model: 'gemini-3-pro-preview' }) as any;
  const call = out.choices[0].message.tool_calls[0];
  expect(call.extra_content).toEqual({ google: { thought_signature: 'SIG-abc' } });
  const next = openaiChatCodec.decodeRequest(
    {
      model: 'gemini-3-pro-preview',
      messages: [
        { role: 'user', content: 'find x' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"found":true}' },
      ],
    },
    { operation: '/chat/completions' },
  );
  expect(next.messages[1]!.parts[0]).toMatchObject({ type: 'tool_call', id: 'call_1', signature: 'SIG-abc' });
});

test('streamed: the first tool-call delta carries it; OpenAI itself never receives it', () => {
  const enc = openaiChatCodec.streamEncoder({ model: 'm' });
  const text = enc.push({ type: 'start', id: 'r', model: 'm', created: 1 }) + enc.push({ type: 'tool_call_start', callIndex: 0, id: 'call_1', name: 'lookup', signature: 'SIG-abc' });
  expect(text).toContain('"extra_content":{"google":{"thought_signature":"SIG-abc"}}');
  const dec = openaiChatCodec.streamDecoder();
  const events = dec.push(Buffer.from(text));
  expect(events.find((e) => e.type === 'tool_call_start')).toMatchObject({ signature: 'SIG-abc' });

  const req = { model: 'm', system: [], stream: false, messages: [{ role: 'assistant' as const, parts: [{ type: 'tool_call' as const, id: 'c', name: 'n', arguments: '{}', signature: 'SIG' }] }] };
  const toOpenAI = openaiChatCodec.encodeRequest(req, { model: 'm', provider: 'openai' }).body as any;
  expect(toOpenAI.messages[0].tool_calls[0].extra_content).toBeUndefined();
  const toCompatible = openaiChatCodec.encodeRequest(req, { model: 'm', provider: 'openai-compatible' }).body as any;
  expect(toCompatible.messages[0].tool_calls[0].extra_content.google.thought_signature).toBe('SIG');
});
