import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';
import { emptyCanonicalUsage } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';
import { fixtureNames, loadBytes, parseSse, type ParsedFrame } from './golden.js';
import { mutations } from './mutate.js';

function encodeAll(events: StreamEvent[], end = true): ParsedFrame[] {
  const encoder = codec.streamEncoder({ model: 'client-model' });
  let text = '';
  for (const ev of events) text += encoder.push(ev);
  if (end) text += encoder.end();
  return parseSse(text);
}

function decodeText(text: string): StreamEvent[] {
  const decoder = codec.streamDecoder();
  return [...decoder.push(Buffer.from(text)), ...decoder.end()];
}

const sse = (...events: Record<string, unknown>[]) => events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
const completed = { type: 'response.completed', response: { status: 'completed', output: [] } };

describe('stream encoder', () => {
  it('numbers every event, names it in `event:` and opens with created + in_progress', () => {
    const frames = encodeAll([{ type: 'start', id: 'up_1', model: 'x', created: 7 }, { type: 'text', text: 'hi' }, { type: 'finish', reason: 'stop' }]);
    expect(frames.map((f) => f.data.sequence_number)).toEqual(frames.map((_, i) => i));
    for (const f of frames) expect(f.event).toBe(f.data.type);
    expect(frames.slice(0, 2).map((f) => f.event)).toEqual(['response.created', 'response.in_progress']);
    expect(frames[0]!.data.response).toMatchObject({ id: 'resp_up_1', created_at: 7, status: 'in_progress', output: [], model: 'client-model' });
    expect(frames.at(-1)!.event).toBe('response.completed');
  });

  it('closes an item when the kind of output changes, one item per run', () => {
    const frames = encodeAll([
      { type: 'thinking', text: 'a' },
      { type: 'text', text: 'b' },
      { type: 'thinking', text: 'c' },
      { type: 'thinking_signature', signature: 'sig1' },
      { type: 'thinking', text: 'd' },
      { type: 'text', text: 'e' },
    ]);
    const added = frames.filter((f) => f.event === 'response.output_item.added').map((f) => (f.data.item as Record<string, unknown>).type);
    expect(added).toEqual(['reasoning', 'message', 'reasoning', 'reasoning', 'message']);
    const done = frames.filter((f) => f.event === 'response.output_item.done').map((f) => f.data.item as Record<string, unknown>);
    expect(done.map((d) => d.type)).toEqual(added);
    expect(done[2]).toMatchObject({ summary: [{ type: 'summary_text', text: 'c' }], encrypted_content: 'sig1' });
    expect(done[3]).not.toHaveProperty('encrypted_content');
    // Every added item is done before the next one is added.
    let open = 0;
    for (const f of frames) {
      if (f.event === 'response.output_item.added') expect(open++).toBe(0);
      if (f.event === 'response.output_item.done') open--;
    }
    const final = frames.at(-1)!.data.response as Record<string, unknown>;
    expect((final.output as unknown[]).length).toBe(5);
  });

  it('gives a signature-only thought an item with no summary', () => {
    const frames = encodeAll([{ type: 'thinking_signature', signature: 'gAAAAA' }, { type: 'text', text: 'x' }]);
    expect(frames.some((f) => f.event === 'response.reasoning_summary_part.added')).toBe(false);
    const item = frames.find((f) => f.event === 'response.output_item.done')!.data.item;
    expect(item).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'gAAAAA' });
  });

  it('routes interleaved call deltas to their own items', () => {
    const frames = encodeAll([
      { type: 'tool_call_start', callIndex: 0, id: 'a', name: 'f' },
      { type: 'tool_call_start', callIndex: 1, id: 'b', name: 'g' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{"y"' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"x":1}' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: ':2}' },
      { type: 'tool_call_delta', callIndex: 5, argumentsDelta: 'lost' },
      { type: 'tool_call_start', callIndex: 0, id: 'a', name: 'f' },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const done = frames.filter((f) => f.event === 'response.function_call_arguments.done').map((f) => [f.data.output_index, f.data.arguments]);
    expect(done).toEqual([
      [0, '{"x":1}'],
      [1, '{"y":2}'],
    ]);
    const final = frames.at(-1)!.data.response as { output: Record<string, unknown>[]; status: string };
    expect(final.status).toBe('completed');
    expect(final.output.map((o) => [o.call_id, o.arguments, o.status])).toEqual([
      ['a', '{"x":1}', 'completed'],
      ['b', '{"y":2}', 'completed'],
    ]);
  });

  it('sends final images whole and stored ones as markdown; ignores thought images and other choices', () => {
    const frames = encodeAll([
      { type: 'image', mimeType: 'image/png', data: 'THOUGHT', thought: true },
      { type: 'image', mimeType: 'image/png', data: 'iVBOR' },
      { type: 'image', mimeType: 'image/png', url: 'https://cdn/1.png' },
      { type: 'text', text: 'other choice', choice: 1 },
    ]);
    const items = (frames.at(-1)!.data.response as { output: Record<string, unknown>[] }).output;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'image_generation_call', status: 'completed', result: 'iVBOR' });
    expect(items[1]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: '![image](https://cdn/1.png)' }] });
    expect(JSON.stringify(frames)).not.toContain('THOUGHT');
  });

  it('ends truncated answers with response.incomplete and usage', () => {
    const usage = { ...emptyCanonicalUsage(), inputTokens: 3, outputTokens: 4 };
    const frames = encodeAll([{ type: 'text', text: 'x' }, { type: 'usage', usage }, { type: 'finish', reason: 'length' }]);
    const last = frames.at(-1)!;
    expect(last.event).toBe('response.incomplete');
    expect(last.data.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } });
  });

  it('invents an id when no start came and says nothing after it has ended', () => {
    const encoder = codec.streamEncoder({ model: 'm' });
    const first = parseSse(encoder.push({ type: 'text', text: 'x' }));
    expect((first[0]!.data.response as Record<string, unknown>).id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(encoder.end()).toContain('response.completed');
    expect(encoder.end()).toBe('');
    expect(encoder.push({ type: 'text', text: 'late' })).toBe('');
    expect(encoder.fail(new GatewayError('upstream', 'late'))).toBe('');
  });

  it('fails with an error event (flat and nested fields) then response.failed', () => {
    const encoder = codec.streamEncoder({ model: 'm' });
    encoder.push({ type: 'text', text: 'x' });
    const frames = parseSse(encoder.fail(new GatewayError('quota', 'out of credit', { param: 'model' })));
    expect(frames.map((f) => f.event)).toEqual(['error', 'response.failed']);
    expect(frames[0]!.data).toMatchObject({
      type: 'error',
      code: 'insufficient_quota',
      message: 'out of credit',
      param: 'model',
      error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'out of credit', param: 'model' },
    });
    expect(frames[1]!.data.response).toMatchObject({ status: 'failed', error: { code: 'insufficient_quota', message: 'out of credit' } });
    expect(encoder.end()).toBe('');
    const viaEvent = parseSse(codec.streamEncoder({ model: 'm' }).push({ type: 'error', status: 503, message: 'down' }));
    expect(viaEvent[0]!.data).toMatchObject({ type: 'error', code: 'server_error', message: 'down' });
  });
});

describe('stream decoder', () => {
  it('fills in what a terse upstream only sends in output_item.done', () => {
    const events = decodeText(
      sse(
        { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', summary: [{ text: 'p1' }, { text: 'p2' }], encrypted_content: 'enc' } },
        { type: 'response.output_item.done', output_index: 1, item: { type: 'message', content: [{ type: 'output_text', text: 'whole' }, { type: 'refusal', refusal: 'nope' }] } },
        { type: 'response.output_item.added', output_index: 2, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '' } },
        { type: 'response.function_call_arguments.done', output_index: 2, arguments: '{"a":1}' },
        { type: 'response.output_item.done', output_index: 2, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '{"a":1}' } },
        { type: 'response.output_item.done', output_index: 3, item: { type: 'function_call', call_id: 'd', name: 'g', arguments: '{}' } },
        { type: 'response.output_item.done', output_index: 4, item: { type: 'image_generation_call', result: '/9j/4AAQ' } },
        { type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' } } },
      ),
    );
    expect(events).toEqual([
      { type: 'thinking', text: 'p1\n\np2' },
      { type: 'thinking_signature', signature: 'enc' },
      { type: 'text', text: 'whole' },
      { type: 'text', text: 'nope' },
      { type: 'tool_call_start', callIndex: 0, id: 'c', name: 'f' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"a":1}' },
      { type: 'tool_call_start', callIndex: 1, id: 'd', name: 'g' },
      { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{}' },
      { type: 'image', mimeType: 'image/jpeg', data: '/9j/4AAQ' },
      { type: 'finish', reason: 'content_filter' },
    ]);
  });

  it('reports failures and truncation as error events', () => {
    expect(decodeText(sse({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } }, completed))).toEqual([
      { type: 'error', status: 500, message: 'boom' },
    ]);
    expect(decodeText(sse({ type: 'error', code: 'invalid_prompt', message: 'flat', param: null }))).toEqual([{ type: 'error', status: 400, message: 'flat' }]);
    expect(decodeText(sse({ type: 'response.output_text.delta', output_index: 0, delta: 'cut' }))).toEqual([
      { type: 'text', text: 'cut' },
      { type: 'error', status: 502, message: 'The upstream stream ended before response.completed.' },
    ]);
    expect(decodeText('data: {not json\n\n')[0]).toMatchObject({ type: 'error', status: 502 });
    expect(decodeText(`${sse(completed)}data: [DONE]\n\n`)).toEqual([{ type: 'finish', reason: 'stop' }]);
  });

  it('never throws on garbage in any field of any fixture event', () => {
    let tried = 0;
    for (const name of fixtureNames('stream')) {
      const frames = parseSse(loadBytes(name).toString('utf8'));
      frames.forEach((frame, i) => {
        for (const { path, mutated } of mutations(frame.data)) {
          tried++;
          const text = frames.map((f, j) => `event: ${f.event}\ndata: ${JSON.stringify(j === i ? mutated : f.data)}\n\n`).join('');
          try {
            decodeText(text);
          } catch (err) {
            throw new Error(`${name} frame ${i} ${path}: ${String(err)}`);
          }
        }
      });
    }
    expect(tried).toBeGreaterThan(1000);
    expect(() => decodeText('data: 5\n\ndata: null\n\ndata: "x"\n\nevent: response.output_item.added\ndata: {"item":7}\n\n')).not.toThrow();
  });

  it('round-trips through the encoder: decode(encode(events)) gives the events back', () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'resp_abc', model: 'client-model', created: 5 },
      { type: 'thinking', text: 'why' },
      { type: 'thinking_signature', signature: 'gAAAAAx' },
      { type: 'text', text: 'so' },
      { type: 'tool_call_start', callIndex: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{}' },
      { type: 'image', mimeType: 'image/png', data: 'iVBOR' },
      { type: 'usage', usage: { ...emptyCanonicalUsage(), inputTokens: 1, outputTokens: 2 } },
      { type: 'finish', reason: 'tool_calls' },
    ];
    const encoder = codec.streamEncoder({ model: 'client-model' });
    const text = events.map((e) => encoder.push(e)).join('') + encoder.end();
    expect(decodeText(text)).toEqual(events);
  });
});
