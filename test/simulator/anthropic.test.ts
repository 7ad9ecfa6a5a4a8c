import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { get, post, sseData, sseEvents } from './helpers.js';

let sim: RunningSimulator;
let client: Anthropic;
const headers = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };

beforeAll(async () => {
  sim = await startSimulator();
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.url, maxRetries: 0 });
});
afterAll(() => sim.close());

const tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('messages', () => {
  it('answers with a text block and full usage', async () => {
    const m = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hello Claude' }] });
    expect(m.type).toBe('message');
    expect(m.role).toBe('assistant');
    expect(m.model).toBe('claude-sonnet-4-6');
    expect(m.stop_reason).toBe('end_turn');
    expect(m.content[0]?.type).toBe('text');
    expect(m.content[0]?.type === 'text' && m.content[0].text).toContain('Hello Claude');
    expect(m.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(m.usage.input_tokens).toBeGreaterThan(0);
    expect(m.usage.output_tokens).toBeGreaterThan(0);
  });

  it('stops at max_tokens', async () => {
    const m = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 3, messages: [{ role: 'user', content: 'Write an essay' }] });
    expect(m.stop_reason).toBe('max_tokens');
    expect(m.usage.output_tokens).toBeLessThanOrEqual(3);
  });

  it('streams the documented event sequence with event: lines', async () => {
    const res = await post(`${sim.url}/v1/messages`, { model: 'claude-sonnet-4-6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Hi' }] }, headers);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(res.text);
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('content_block_start');
    expect(events[2]).toBe('ping');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(events.filter((e) => e === 'content_block_delta').length).toBeGreaterThan(1);
    const payloads = sseData(res.text).map((d) => JSON.parse(d));
    expect(payloads.map((p) => p.type)).toEqual(events);
    const delta = payloads.find((p) => p.type === 'message_delta');
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBeGreaterThan(1);
  });

  it('streams through the SDK to the same message as the whole answer', async () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 200, messages: [{ role: 'user' as const, content: 'Same text?' }] };
    const whole = await client.messages.create(params);
    const final = await client.messages.stream(params).finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
  });

  it('uses a tool, streaming its input as input_json_delta', async () => {
    const whole = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 300, tools: [tool], messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    expect(whole.stop_reason).toBe('tool_use');
    const use = whole.content.find((b) => b.type === 'tool_use');
    expect(use?.type === 'tool_use' && use.input).toEqual({ city: 'sample' });
    expect(use?.type === 'tool_use' && use.id).toMatch(/^toolu_/);

    const stream = client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 300, tools: [tool], messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    expect(partials.length).toBeGreaterThan(1);
    const streamed = final.content.find((b) => b.type === 'tool_use');
    expect(streamed?.type === 'tool_use' && streamed.input).toEqual({ city: 'sample' });

    if (use?.type !== 'tool_use') throw new Error('expected tool_use');
    const after = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      tools: [tool],
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: whole.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21C' }] },
      ],
    });
    expect(after.stop_reason).toBe('end_turn');
  });

  it('thinks first when thinking is enabled, with thinking_delta and signature_delta', async () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 4000, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, messages: [{ role: 'user' as const, content: 'Think' }] };
    const whole = await client.messages.create(params);
    const thinking = whole.content[0];
    expect(thinking?.type).toBe('thinking');
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(20);
    expect(whole.content[1]?.type).toBe('text');

    const res = await post(`${sim.url}/v1/messages`, { ...params, stream: true }, headers);
    const deltas = sseData(res.text).map((d) => JSON.parse(d)).filter((p) => p.type === 'content_block_delta');
    const kinds = new Set(deltas.map((d) => d.delta.type));
    expect(kinds).toEqual(new Set(['thinking_delta', 'signature_delta', 'text_delta']));
    const final = await client.messages.stream(params).finalMessage();
    expect(final.content).toEqual(whole.content);

    const adaptive = await client.messages.create({ ...params, thinking: { type: 'adaptive', display: 'omitted' } });
    expect(adaptive.content[0]).toMatchObject({ type: 'thinking', thinking: '' });
    expect(adaptive.content[0]?.type === 'thinking' && adaptive.content[0].signature).toBeTruthy();
  });

  it('writes then reads the prompt cache for a long cached system prompt', async () => {
    const system = [{ type: 'text' as const, text: 'Reference manual. '.repeat(400), cache_control: { type: 'ephemeral' as const } }];
    const ask = (q: string) => client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, system, messages: [{ role: 'user', content: q }] });
    const first = await ask('one');
    const second = await ask('two');
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(1024);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
  });

  it('counts tokens and lists models', async () => {
    const count = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(count.input_tokens).toBeGreaterThanOrEqual(100);
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(models.data[0]?.type).toBe('model');
    const raw = await get(`${sim.url}/v1/models?limit=1`, headers);
    expect(raw.json).toMatchObject({ has_more: true });
    expect(raw.json.data).toHaveLength(1);
  });
});

describe('Anthropic refusals', () => {
  const url = () => `${sim.url}/v1/messages`;
  const body = { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

  it('401 authentication_error without a key or with an invalid one', async () => {
    const none = await post(url(), body, { 'anthropic-version': '2023-06-01' });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } });
    const bad = await post(url(), body, { ...headers, 'x-api-key': 'sk-ant-invalid' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.type).toBe('authentication_error');
  });

  it('400 with a too-low credit balance for a nocredit key', async () => {
    const r = await post(url(), body, { ...headers, 'x-api-key': 'sk-ant-nocredit' });
    expect(r.status).toBe(400);
    expect(r.json.error.type).toBe('invalid_request_error');
    expect(r.json.error.message).toContain('credit balance is too low');
  });

  it('400 invalid_request_error for a missing version header, bad JSON, missing fields, a bad thinking budget', async () => {
    const noVersion = await post(url(), body, { 'x-api-key': 'k' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.error.message).toContain('anthropic-version');
    const broken = await post(url(), '{oops', headers);
    expect(broken.status).toBe(400);
    expect(broken.json.type).toBe('error');
    expect(broken.json.error.type).toBe('invalid_request_error');
    const noMax = await post(url(), { model: 'claude-sonnet-4-6', messages: body.messages }, headers);
    expect(noMax.json.error.message).toBe('max_tokens: Field required');
    const budget = await post(url(), { ...body, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 4000 } }, headers);
    expect(budget.status).toBe(400);
    expect(budget.json.error.message).toContain('thinking.budget_tokens');
  });

  it('the SDK raises typed errors', async () => {
    const bad = new Anthropic({ apiKey: 'sk-invalid', baseURL: sim.url, maxRetries: 0 });
    await expect(bad.messages.create(body as Anthropic.MessageCreateParamsNonStreaming)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
