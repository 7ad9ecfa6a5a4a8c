import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post, sseData, sseEvents } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;
const auth = { authorization: 'Bearer sk-test' };

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test-1234', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const url = () => `${sim.url}/v1/responses`;
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'], additionalProperties: false },
  strict: true,
};

/** Parsed events of a raw Responses stream. */
async function rawStream(body: Record<string, unknown>) {
  const res = await post(url(), { ...body, stream: true }, auth);
  return { res, names: sseEvents(res.text), events: sseData(res.text).map((d) => JSON.parse(d)) };
}

describe('responses: whole answers', () => {
  it('answers a string input through the SDK with the same text chat gives', async () => {
    const r = await client.responses.create({ model: 'gpt-4o', input: 'Say hello' });
    expect(r.object).toBe('response');
    expect(r.id).toMatch(/^resp_/);
    expect(r.status).toBe('completed');
    expect(r.output).toHaveLength(1);
    const message = r.output[0];
    if (message?.type !== 'message') throw new Error('expected a message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.status).toBe('completed');
    expect(message.content[0]).toMatchObject({ type: 'output_text', annotations: [] });
    expect(r.output_text).toContain('Say hello');
    const chat = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello' }] });
    expect(r.output_text).toBe(chat.choices[0]?.message.content);
    expect(r.usage?.input_tokens).toBeGreaterThan(0);
    expect(r.usage?.total_tokens).toBe((r.usage?.input_tokens ?? 0) + (r.usage?.output_tokens ?? 0));
    expect(r.usage?.input_tokens_details.cached_tokens).toBe(0);
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(0);
    expect(r.reasoning).toEqual({ effort: null, summary: null });
  });

  it('takes message items with input_text parts and instructions', async () => {
    const r = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'first question' }] },
        { type: 'message', role: 'assistant', id: 'msg_earlier', status: 'completed', content: [{ type: 'output_text', text: 'first answer', annotations: [] }] },
        { role: 'user', content: [{ type: 'input_text', text: 'second question' }] },
      ],
    });
    expect(r.instructions).toBe('Be brief.');
    expect(r.output_text).toContain('second question');
  });

  it('reasons on o-series models: a reasoning item with a summary, reasoning tokens counted in output', async () => {
    const r = await client.responses.create({ model: 'o4-mini', input: 'think hard', reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] });
    expect(r.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    const reasoning = r.output[0];
    if (reasoning?.type !== 'reasoning') throw new Error('expected reasoning');
    expect(reasoning.id).toMatch(/^rs_/);
    expect(reasoning.summary[0]?.type).toBe('summary_text');
    expect(reasoning.summary[0]?.text).toContain('think hard');
    expect(reasoning.encrypted_content).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const reasoningTokens = r.usage?.output_tokens_details.reasoning_tokens ?? 0;
    expect(reasoningTokens).toBeGreaterThan(0);
    expect(r.usage?.output_tokens).toBeGreaterThan(reasoningTokens);
    expect(r.reasoning).toEqual({ effort: 'high', summary: 'auto' });
    const plain = await client.responses.create({ model: 'gpt-5', input: 'think hard' });
    const plainReasoning = plain.output[0];
    if (plainReasoning?.type !== 'reasoning') throw new Error('expected reasoning');
    expect(plainReasoning.summary).toEqual([]);
  });

  it('calls a function tool, then answers in text after the function_call_output', async () => {
    const r = await client.responses.create({ model: 'gpt-4o', input: 'Weather in Oslo?', tools: [weatherTool] });
    const call = r.output[0];
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call.id).toMatch(/^fc_/);
    expect(call.call_id).toMatch(/^call_/);
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'sample', days: 1 });
    expect(r.tools[0]).toMatchObject({ type: 'function', name: 'get_weather', strict: true });
    const after = await client.responses.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '{"temp":3}' },
      ],
    });
    expect(after.output[0]?.type).toBe('message');
    expect(after.output_text).toContain('Weather in Oslo?');
    const none = await client.responses.create({ model: 'gpt-4o', input: 'hi', tools: [weatherTool], tool_choice: 'none' });
    expect(none.output[0]?.type).toBe('message');
  });

  it('takes its own earlier output items back as input (reasoning, function_call) with the tool output', async () => {
    const first = await client.responses.create({ model: 'o4-mini', input: [{ role: 'user', content: 'Weather in Rome?' }], tools: [weatherTool], reasoning: { summary: 'auto' } });
    expect(first.output.map((o) => o.type)).toEqual(['reasoning', 'function_call']);
    const call = first.output[1];
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    const next = await client.responses.create({
      model: 'o4-mini',
      tools: [weatherTool],
      input: [
        { role: 'user', content: 'Weather in Rome?' },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny' },
      ],
    });
    expect(next.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(next.output_text).toContain('Weather in Rome?');
  });

  it('writes JSON for a json_schema text format', async () => {
    const r = await client.responses.create({
      model: 'gpt-4o',
      input: 'json please',
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { ok: { type: 'boolean' }, n: { type: 'integer' } } } } },
    });
    expect(JSON.parse(r.output_text)).toEqual({ ok: true, n: 1 });
    expect(r.text?.format).toMatchObject({ type: 'json_schema', name: 'answer' });
  });

  it('stops at max_output_tokens with status incomplete', async () => {
    const r = await client.responses.create({ model: 'gpt-4o', input: 'Tell me a long story', max_output_tokens: 16 });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(r.usage?.output_tokens).toBeLessThanOrEqual(16);
    const message = r.output[0];
    if (message?.type !== 'message') throw new Error('expected a message');
    expect(message.status).toBe('incomplete');
    // A reasoning model can spend the whole budget thinking: no message at all.
    const spent = await client.responses.create({ model: 'o3', input: 'Tell me a long story', max_output_tokens: 16 });
    expect(spent.status).toBe('incomplete');
    expect(spent.output.map((o) => o.type)).toEqual(['reasoning']);
    expect(spent.usage?.output_tokens_details.reasoning_tokens).toBe(16);
  });

  it('reports cached tokens when a long prefix repeats', async () => {
    const instructions = 'You are a careful assistant. '.repeat(200);
    const first = await client.responses.create({ model: 'gpt-4o', instructions, input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'q1' }] });
    const second = await client.responses.create({ model: 'gpt-4o', instructions, input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'q2' }] });
    expect(first.usage?.input_tokens_details.cached_tokens).toBe(0);
    expect(second.usage?.input_tokens_details.cached_tokens).toBeGreaterThanOrEqual(1024);
    expect((second.usage?.input_tokens_details.cached_tokens ?? 0) % 128).toBe(0);
  });
});

describe('responses: streams', () => {
  it('streams through the SDK helper to the same final response as the whole answer', async () => {
    const whole = await client.responses.create({ model: 'gpt-4o', input: 'Compare me' });
    const stream = client.responses.stream({ model: 'gpt-4o', input: 'Compare me' });
    let text = '';
    stream.on('response.output_text.delta', (e) => (text += e.delta));
    const final = await stream.finalResponse();
    expect(text).toBe(whole.output_text);
    expect(final.output_text).toBe(whole.output_text);
    expect(final.status).toBe('completed');
    expect(final.usage?.output_tokens).toBe(whole.usage?.output_tokens);
  });

  it('sends every event with an event: line and gapless sequence numbers, in OpenAI’s order', async () => {
    const { res, names, events } = await rawStream({ model: 'gpt-4o-mini', input: 'Stream please' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.text).not.toContain('[DONE]');
    expect(names).toEqual(events.map((e) => e.type));
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const distinct = names.filter((n, i) => n !== names[i - 1]);
    expect(distinct).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[0].response).toMatchObject({ status: 'in_progress', output: [], usage: null });
    const deltas = events.filter((e) => e.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas[0]).toMatchObject({ output_index: 0, content_index: 0, logprobs: [] });
    const done = events.find((e) => e.type === 'response.output_text.done');
    expect(deltas.map((d) => d.delta).join('')).toBe(done.text);
    const completed = events[events.length - 1].response;
    expect(completed.status).toBe('completed');
    expect(completed.output[0].content[0].text).toBe(done.text);
    expect(completed.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams a function call with argument deltas', async () => {
    const { events } = await rawStream({ model: 'gpt-4o', input: 'Weather?', tools: [weatherTool] });
    const added = events.find((e) => e.type === 'response.output_item.added');
    expect(added.item).toMatchObject({ type: 'function_call', status: 'in_progress', arguments: '', name: 'get_weather' });
    const pieces = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta);
    expect(pieces.length).toBeGreaterThan(1);
    const done = events.find((e) => e.type === 'response.function_call_arguments.done');
    expect(pieces.join('')).toBe(done.arguments);
    expect(JSON.parse(done.arguments)).toEqual({ city: 'sample', days: 1 });
    const itemDone = events.find((e) => e.type === 'response.output_item.done');
    expect(itemDone.item).toMatchObject({ type: 'function_call', status: 'completed', call_id: added.item.call_id });
  });

  it('streams reasoning summary events before the message for reasoning models', async () => {
    const { names, events } = await rawStream({ model: 'gpt-5-mini', input: 'why', reasoning: { summary: 'detailed' } });
    const at = (n: string) => names.indexOf(n);
    expect(at('response.reasoning_summary_part.added')).toBeGreaterThan(at('response.output_item.added'));
    expect(at('response.reasoning_summary_text.delta')).toBeGreaterThan(at('response.reasoning_summary_part.added'));
    expect(at('response.reasoning_summary_part.done')).toBeLessThan(at('response.content_part.added'));
    const summary = events.filter((e) => e.type === 'response.reasoning_summary_text.delta').map((e) => e.delta).join('');
    expect(events.find((e) => e.type === 'response.reasoning_summary_text.done').text).toBe(summary);
    const final = events[events.length - 1].response;
    expect(final.output[0].summary[0].text).toBe(summary);
    expect(final.output[1].type).toBe('message');
  });

  it('ends with response.incomplete when max_output_tokens cuts the stream', async () => {
    const { names, events } = await rawStream({ model: 'gpt-4o', input: 'Tell me a long story', max_output_tokens: 16 });
    expect(names[names.length - 1]).toBe('response.incomplete');
    expect(events[events.length - 1].response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(names).not.toContain('response.completed');
  });
});

describe('responses: refusals in OpenAI’s shape', () => {
  const refuse = async (body: Record<string, unknown>) => {
    const r = await post(url(), body, auth);
    expect(r.status).toBe(400);
    expect(r.json.error.type).toBe('invalid_request_error');
    return r.json.error;
  };

  it('refuses chat-style content parts and tools', async () => {
    const part = await refuse({ model: 'gpt-4o', input: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(part).toMatchObject({ param: 'input[0].content[0]', code: 'invalid_value' });
    expect(part.message).toContain("'input_text'");
    const assistant = await refuse({ model: 'gpt-4o', input: [{ role: 'assistant', content: [{ type: 'input_text', text: 'x' }] }, { role: 'user', content: 'q' }] });
    expect(assistant.message).toBe("Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.");
    const tool = await refuse({ model: 'gpt-4o', input: 'x', tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] });
    expect(tool).toMatchObject({ param: 'tools[0].name', code: 'missing_required_parameter' });
    const moved = await refuse({ model: 'gpt-4o', input: 'x', response_format: { type: 'json_object' } });
    expect(moved.message).toContain("moved to 'text.format'");
    const messages = await refuse({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(messages).toMatchObject({ param: 'messages', code: 'unknown_parameter' });
  });

  it('refuses unpaired function calls and outputs', async () => {
    const orphanOutput = await refuse({ model: 'gpt-4o', input: [{ type: 'function_call_output', call_id: 'call_x', output: '1' }] });
    expect(orphanOutput.message).toBe('No tool call found for function call output with call_id call_x.');
    const orphanCall = await refuse({ model: 'gpt-4o', input: [{ role: 'user', content: 'q' }, { type: 'function_call', call_id: 'call_y', name: 'f', arguments: '{}' }] });
    expect(orphanCall.message).toBe('No tool output found for function call call_y.');
    const withHistory = await post(url(), { model: 'gpt-4o', previous_response_id: 'resp_1', input: [{ type: 'function_call_output', call_id: 'call_x', output: '1' }] }, auth);
    expect(withHistory.status).toBe(200);
  });

  it('refuses bad parameters', async () => {
    expect(await refuse({ model: 'gpt-4o', input: 'x', max_output_tokens: 5 })).toMatchObject({ param: 'max_output_tokens', code: 'integer_below_min_value' });
    expect(await refuse({ model: 'gpt-4o', input: 'x', reasoning: { effort: 'low' } })).toMatchObject({ param: 'reasoning.effort', code: 'unsupported_parameter' });
    expect(await refuse({ model: 'gpt-4o', input: 42 })).toMatchObject({ param: 'input', code: 'invalid_type' });
    expect(await refuse({ model: 'gpt-4o', input: [{ type: 'bogus' }] })).toMatchObject({ param: 'input[0].type', code: 'invalid_value' });
    expect(await refuse({ model: 'gpt-4o', input: 'x', text: { format: { type: 'json_schema', schema: {} } } })).toMatchObject({ param: 'text.format.name' });
    expect(await refuse({ input: 'x' })).toMatchObject({ param: 'model', code: 'missing_required_parameter' });
    const garbage = await post(url(), [1, 2, 3], auth);
    expect(garbage.status).toBe(400);
    await expect(client.responses.create({ model: 'gpt-nonexistent', input: 'x' })).rejects.toMatchObject({ status: 400, code: 'model_not_found' });
  });
});
